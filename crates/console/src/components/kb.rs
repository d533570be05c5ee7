//! The knowledge-base screen (owners and admins): `section.kc-kb` with the
//! search box (`input.kc-kb-search`), `button.kc-kb-new`, the import
//! (`input.kc-kb-import`, a JSON or CSV file replacing every entry; a
//! `progress.kc-kb-progress` while it is checked and saved) and the exports
//! (`a.kc-kb-export`, the file as it is stored; `button.kc-kb-export-csv`,
//! the entries as CSV for a spreadsheet); the form
//! (`form.kc-kb-form`) for the entry being edited or added; the entries
//! (`li.kc-kb-entry[data-id]` with `button.kc-kb-edit` and
//! `button.kc-kb-delete`, asked first). The last refusal shows in
//! `.kc-kb-error`, a save in `.kc-kb-saved`.

use crate::hooks::{use_console, ConsoleContext};
use crate::i18n;
use crate::state::kb::{EntryDraft, KbFormat, KbIntent};
use crate::state::Action;
use kefu_protocol::kb::{KbEntry, KbFile};
use kefu_protocol::rich::markdown;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// `section.kc-kb`.
#[component]
pub fn KbTab() -> Html {
    let console = use_console();
    let kb = &console.state.kb;
    let error = kb
        .error
        .clone()
        .map(|e| html! { <p class="kc-kb-error" role="alert">{e}</p> });
    let saved = kb
        .saved
        .then(|| html! { <p class="kc-kb-saved" role="status">{i18n::t().kb_saved}</p> });
    let body = match &kb.file {
        None => html! { <p class="kc-empty">{i18n::t().loading}</p> },
        Some(file) => {
            let form = kb.editing.as_ref().map(|_| {
                let draft = kb.edited().map(EntryDraft::of).unwrap_or_default();
                let is_new = kb.edited().is_none();
                html! { <EntryForm {draft} {is_new} /> }
            });
            let shown = kb.shown();
            let none = shown
                .is_empty()
                .then(|| html! { <li class="kc-empty">{i18n::t().kb_none}</li> });
            let rows = shown.into_iter().map(|e| entry_row(&console, e));
            html! { <>
                {toolbar(&console, file, &kb.query)}
                { for form }
                <p class="kc-kb-count">{format!("{} {}", i18n::t().kb_count, file.entries.len())}</p>
                <ul class="kc-kb-list">{ for rows }{ for none }</ul>
            </> }
        }
    };
    html! {
        <section class="kc-kb" aria-busy={kb.busy.to_string()}>
            <h2>{i18n::t().tab_kb}</h2>
            { if kb.busy {
                html! { <progress class="kc-kb-progress" aria-label={i18n::t().kb_progress} /> }
            } else { Html::default() } }
            { for error }
            { for saved }
            {body}
        </section>
    }
}

/// Search, new, import, export.
fn toolbar(console: &ConsoleContext, file: &KbFile, query: &str) -> Html {
    let oninput = {
        let console = console.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e.target_dyn_into::<HtmlInputElement>() {
                console.dispatch(Action::Kb(KbIntent::Search(el.value())));
            }
        })
    };
    let onimport = {
        let console = console.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(chosen) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let format = KbFormat::of(&chosen.name(), &chosen.type_());
            let console = console.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = JsFuture::from(chosen.text()).await.ok();
                if let Some(text) = text.and_then(|t| t.as_string()) {
                    console.dispatch(Action::Kb(KbIntent::Import(format, text)));
                }
            });
        })
    };
    let json = serde_json::to_string_pretty(file).unwrap_or_default();
    let export = format!(
        "data:application/json;charset=utf-8,{}",
        js_sys::encode_uri_component(&json)
    );
    html! {
        <div class="kc-kb-toolbar">
            <input class="kc-kb-search" type="search" value={query.to_owned()} {oninput}
                placeholder={i18n::t().kb_search} aria-label={i18n::t().kb_search} />
            <button type="button" class="kc-kb-new"
                onclick={console.on(Action::Kb(KbIntent::New))}>{i18n::t().kb_new}</button>
            <label class="kc-kb-import-label">{i18n::t().kb_import}
                <input class="kc-kb-import" type="file" accept=".json,.csv,application/json,text/csv"
                    onchange={onimport} />
            </label>
            <a class="kc-kb-export" href={export} download="knowledge-base.json">{i18n::t().kb_export}</a>
            <button type="button" class="kc-kb-export-csv"
                onclick={console.on(Action::Kb(KbIntent::ExportCsv))}>{i18n::t().kb_export_csv}</button>
        </div>
    }
}

/// `li.kc-kb-entry`.
fn entry_row(console: &ConsoleContext, e: &KbEntry) -> Html {
    let delete = {
        let (console, id) = (console.clone(), e.id.clone());
        Callback::from(move |_: MouseEvent| {
            let sure = web_sys::window()
                .and_then(|w| w.confirm_with_message(i18n::t().kb_confirm_delete).ok())
                .unwrap_or(false);
            if sure {
                console.dispatch(Action::Kb(KbIntent::Delete(id.clone())));
            }
        })
    };
    let meta = [
        e.category.clone(),
        e.lang.clone(),
        Some(format!("♨ {}", e.heat)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    html! {
        <li class="kc-kb-entry" data-id={e.id.clone()}>
            <div class="kc-kb-entry-text">
                <span class="kc-kb-entry-question">{e.question.clone()}</span>
                <span class="kc-kb-entry-meta">{format!("{} · {meta}", e.id)}</span>
            </div>
            <button type="button" class="kc-kb-edit"
                onclick={console.on(Action::Kb(KbIntent::Edit(e.id.clone())))}>{i18n::t().edit}</button>
            <button type="button" class="kc-kb-delete" onclick={delete}>{i18n::t().delete}</button>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    draft: EntryDraft,
    is_new: bool,
}

/// `form.kc-kb-form`, filled from the entry (keyed on it, so another entry
/// fills it again).
#[component]
fn EntryForm(props: &FormProps) -> Html {
    let console = use_console();
    let d = &props.draft;
    let refs: [NodeRef; 7] = Default::default();
    let onsubmit = {
        let (console, refs) = (console.clone(), refs.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| {
                let node = r.get();
                match (
                    node.clone()
                        .and_then(|n| n.dyn_into::<HtmlInputElement>().ok()),
                    node,
                ) {
                    (Some(input), _) => input.value(),
                    (None, Some(n)) => n
                        .dyn_into::<HtmlTextAreaElement>()
                        .map(|t| t.value())
                        .unwrap_or_default(),
                    (None, None) => String::new(),
                }
            };
            let [id, question, similar, answer, category, heat, lang] = &refs;
            console.dispatch(Action::Kb(KbIntent::Save(EntryDraft {
                id: value(id),
                question: value(question),
                similar: value(similar),
                answer: value(answer),
                category: value(category),
                heat: value(heat),
                lang: value(lang),
            })));
        })
    };
    let [id, question, similar, answer, category, heat, lang] = refs;
    let heading = if props.is_new {
        i18n::t().kb_form_new
    } else {
        i18n::t().kb_form_edit
    };
    html! {
        <form class="kc-canned-form kc-kb-form" {onsubmit} key={format!("{d:?}")}>
            <h3>{heading}</h3>
            <label>{i18n::t().kb_id}
                <input ref={id} name="id" required=true maxlength="128" value={d.id.clone()} />
            </label>
            <label>{i18n::t().kb_question}
                <input ref={question} name="question" required=true value={d.question.clone()} />
            </label>
            <label>{i18n::t().kb_similar}
                <textarea ref={similar} name="similar" rows="3" value={d.similar.clone()} />
            </label>
            <AnswerField field={answer} answer={d.answer.clone()} />
            <label>{i18n::t().kb_category}
                <input ref={category} name="category" value={d.category.clone()} />
            </label>
            <label>{i18n::t().kb_heat}
                <input ref={heat} name="heat" inputmode="numeric" value={d.heat.clone()} />
            </label>
            <label>{i18n::t().kb_lang}
                <input ref={lang} name="lang" maxlength="35" value={d.lang.clone()} />
            </label>
            <div class="kc-form-buttons">
                <button type="submit" class="kc-kb-save">{i18n::t().save}</button>
                <button type="button" class="kc-kb-cancel"
                    onclick={console.on(Action::Kb(KbIntent::Cancel))}>{i18n::t().cancel}</button>
            </div>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct AnswerProps {
    /// The textarea, read by the form on submit.
    field: NodeRef,
    /// The entry's answer when the form opened.
    answer: String,
}

/// The answer's field, its format and its preview: the answer as visitors
/// will see it, redrawn as it is typed. A component of its own, so a redraw
/// leaves the form's other fields as they were typed (Yew sets `value` again
/// on every render of the component that renders a field).
#[component]
fn AnswerField(props: &AnswerProps) -> Html {
    let typed = use_state(|| props.answer.clone());
    let oninput = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                typed.set(area.value());
            }
        })
    };
    let strings = kefu_widget::i18n::strings_for(i18n::current().tag());
    let preview = kefu_widget::body::answer::render(&markdown::render(&typed), &[], strings);
    html! { <>
        <label>{i18n::t().kb_answer}
            <textarea ref={props.field.clone()} name="answer" rows="5" required=true
                value={(*typed).clone()} {oninput} aria-describedby="kc-kb-answer-hint" />
        </label>
        <p class="kc-hint" id="kc-kb-answer-hint">{i18n::t().kb_answer_hint}</p>
        <div class="kc-kb-preview" aria-label={i18n::t().kb_preview} role="region">
            <p class="kc-kb-preview-title">{i18n::t().kb_preview}</p>
            <div class="kefu-msg" data-flow="in" data-sub="repository">
                <div class="kefu-bubble">{preview}</div>
            </div>
        </div>
    </> }
}
