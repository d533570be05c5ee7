//! The composer: `textarea.kc-input` and `button.kc-send`. Enter sends,
//! Shift+Enter adds a line break, Enter that confirms an IME candidate does not
//! send. `button.kc-emoji` opens the [`super::emoji`] picker; typing `/` opens
//! `.kc-canned-menu`, filtered by what follows the `/` (arrows move, Enter or a
//! click inserts the reply in place of the `/query`, Escape closes). The text
//! is read from the box when needed, so typing costs no state updates beyond
//! the menu's query and "typing" (which the reducer throttles).
//! `button.kc-attach` picks files to upload; pasting files (an image from the
//! clipboard) uploads them too. Both buttons draw the widget's SVG icons
//! (`kefu_widget::components::icons`), never an emoji a font may lack.

use super::emoji::EmojiPicker;
use super::uploads::attach_files;
use crate::hooks::use_console;
use crate::i18n;
use crate::state::canned;
use kefu_protocol::MAX_TEXT_CHARS;
use kefu_widget::components::editing::{composing, pasted_files};
use kefu_widget::components::icons;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The text before and after the caret (the DOM counts in UTF-16 units).
fn split_at_caret(el: &HtmlTextAreaElement) -> (String, String) {
    let units: Vec<u16> = el.value().encode_utf16().collect();
    let at = el
        .selection_start()
        .ok()
        .flatten()
        .map_or(units.len(), |c| (c as usize).min(units.len()));
    let end = el
        .selection_end()
        .ok()
        .flatten()
        .map_or(at, |c| (c as usize).clamp(at, units.len()));
    (
        String::from_utf16_lossy(&units[..at]),
        String::from_utf16_lossy(&units[end..]),
    )
}

/// Put `text` in place of the `/query` (or the selection) and move the caret.
fn insert(el: &HtmlTextAreaElement, text: &str) {
    let (before, after) = split_at_caret(el);
    let (value, caret) = canned::insert(&before, &after, text);
    el.set_value(&value);
    let _ = el.set_selection_range(caret, caret);
    let _ = el.focus();
}

/// `form.kc-composer`.
#[component]
pub fn Composer() -> Html {
    let console = use_console();
    let input = use_node_ref();
    let query = use_state(|| None::<String>);
    let highlight = use_state(|| 0usize);
    let emoji_open = use_state(|| false);
    let matches: Vec<(String, String)> = query
        .as_deref()
        .map(|q| canned::filter(&console.state.canned, q))
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.shortcut.clone(), c.text.clone()))
        .collect();
    let pick = {
        let (input, query) = (input.clone(), query.clone());
        Callback::from(move |text: String| {
            if let Some(el) = input.cast::<HtmlTextAreaElement>() {
                insert(&el, &text);
            }
            query.set(None);
        })
    };
    let submit = {
        let (console, input, query) = (console.clone(), input.clone(), query.clone());
        Callback::from(move |()| {
            let Some(el) = input.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let text = el.value();
            if !text.trim().is_empty() {
                console.send(text);
                el.set_value("");
            }
            query.set(None);
            let _ = el.focus();
        })
    };
    let oninput = {
        let (query, highlight, emoji_open) = (query.clone(), highlight.clone(), emoji_open.clone());
        let console = console.clone();
        Callback::from(move |e: InputEvent| {
            let Some(el) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            if !el.value().trim().is_empty() {
                console.controller.typing();
            }
            let (before, _) = split_at_caret(&el);
            let q = canned::slash_query(&before).map(str::to_owned);
            if q.is_some() {
                emoji_open.set(false);
            }
            query.set(q);
            highlight.set(0);
        })
    };
    let onkeydown = {
        let (query, highlight, pick, submit) = (
            query.clone(),
            highlight.clone(),
            pick.clone(),
            submit.clone(),
        );
        let texts: Vec<String> = matches.iter().map(|(_, t)| t.clone()).collect();
        Callback::from(move |e: KeyboardEvent| {
            if composing(&e) {
                return;
            }
            let menu = query.is_some() && !texts.is_empty();
            match e.key().as_str() {
                "ArrowDown" if menu => {
                    e.prevent_default();
                    highlight.set((*highlight + 1) % texts.len());
                }
                "ArrowUp" if menu => {
                    e.prevent_default();
                    highlight.set((*highlight + texts.len() - 1) % texts.len());
                }
                "Enter" | "Tab" if menu => {
                    e.prevent_default();
                    pick.emit(texts[(*highlight).min(texts.len() - 1)].clone());
                }
                "Escape" if query.is_some() => query.set(None),
                "Enter" if !e.shift_key() => {
                    e.prevent_default();
                    submit.emit(());
                }
                _ => {}
            }
        })
    };
    let onsubmit = Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        submit.emit(());
    });
    let menu = query
        .as_ref()
        .map(|_| canned_menu(&matches, *highlight, &pick));
    let picker = (*emoji_open).then(|| {
        let (input, emoji_open) = (input.clone(), emoji_open.clone());
        let on_pick = Callback::from(move |emoji: &'static str| {
            if let Some(el) = input.cast::<HtmlTextAreaElement>() {
                let (before, after) = split_at_caret(&el);
                let head = format!("{before}{emoji}");
                let caret = head.encode_utf16().count() as u32;
                el.set_value(&format!("{head}{after}"));
                let _ = el.set_selection_range(caret, caret);
                let _ = el.focus();
            }
            emoji_open.set(false);
        });
        html! { <EmojiPicker {on_pick} /> }
    });
    let toggle_emoji = {
        let (emoji_open, query) = (emoji_open.clone(), query.clone());
        Callback::from(move |_: MouseEvent| {
            query.set(None);
            emoji_open.set(!*emoji_open);
        })
    };
    let file_input = use_node_ref();
    let conv = console.state.selected.clone();
    let pick_files = {
        let file_input = file_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = file_input.cast::<HtmlInputElement>() {
                el.click();
            }
        })
    };
    let onchange = {
        let (console, conv) = (console.clone(), conv.clone());
        Callback::from(move |e: Event| {
            if let (Some(el), Some(conv)) = (e.target_dyn_into::<HtmlInputElement>(), &conv) {
                attach_files(&console, conv, el.files());
                el.set_value("");
            }
        })
    };
    let onpaste = {
        let console = console.clone();
        Callback::from(move |e: Event| {
            if let (Some(files), Some(conv)) = (pasted_files(&e), &conv) {
                e.prevent_default();
                attach_files(&console, conv, Some(files));
            }
        })
    };
    html! {
        <form class="kc-composer" {onsubmit}>
            { for menu }
            { for picker }
            <div class="kc-composer-row">
                <button type="button" class="kc-emoji kc-tool" aria-label={i18n::t().emoji} title={i18n::t().emoji}
                    aria-expanded={emoji_open.to_string()} onclick={toggle_emoji}>{icons::smile()}</button>
                <button type="button" class="kc-attach kc-tool" aria-label={i18n::t().attach} title={i18n::t().attach}
                    onclick={pick_files}>{icons::clip()}</button>
                <input ref={file_input} type="file" class="kc-file-input" multiple=true hidden=true {onchange} />
                <textarea ref={input} class="kc-input" rows="3" maxlength={MAX_TEXT_CHARS.to_string()}
                    aria-label={i18n::t().input_label} placeholder={i18n::t().placeholder} {oninput} {onkeydown} {onpaste} />
                <button type="submit" class="kc-send">{i18n::t().send}</button>
            </div>
        </form>
    }
}

/// `ul.kc-canned-menu` (a labelled listbox) with `li.kc-canned-item` rows, or
/// the line saying nothing matches.
fn canned_menu(matches: &[(String, String)], highlight: usize, pick: &Callback<String>) -> Html {
    if matches.is_empty() {
        return html! {
            <div class="kc-canned-menu" role="status">
                <p class="kc-canned-none">{i18n::t().no_canned_match}</p>
            </div>
        };
    }
    let rows = matches.iter().enumerate().map(|(i, (shortcut, text))| {
        let (pick, text_owned) = (pick.clone(), text.clone());
        let onmousedown = Callback::from(|e: MouseEvent| e.prevent_default());
        let onclick = Callback::from(move |_: MouseEvent| pick.emit(text_owned.clone()));
        html! {
            <li class={classes!("kc-canned-item", (i == highlight).then_some("kc-canned-item--active"))}
                role="option" aria-selected={(i == highlight).to_string()} {onmousedown} {onclick}>
                <span class="kc-canned-shortcut">{format!("/{shortcut}")}</span>
                <span class="kc-canned-text" title={text.clone()}>{text.clone()}</span>
            </li>
        }
    });
    html! { <ul class="kc-canned-menu" role="listbox" aria-label={i18n::t().canned_menu}>{ for rows }</ul> }
}
