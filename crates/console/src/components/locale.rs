//! [`LocalePicker`]: `select.kc-locale`, the console's language (each named in
//! itself), on the sign-in page and in the header. The pick is kept in this
//! browser; without one the console follows the browser's language.

use crate::hooks::use_console;
use crate::i18n::{self, Locale};
use crate::state::Action;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// `select.kc-locale`.
#[component]
pub fn LocalePicker() -> Html {
    let console = use_console();
    let current = console.state.locale;
    let onchange = {
        let console = console.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<HtmlSelectElement>() {
                console.dispatch(Action::SetLocale(Locale::from_tag(&el.value())));
            }
        })
    };
    html! {
        <select class="kc-locale" aria-label={i18n::t().locale_label} {onchange}>
            { for Locale::ALL.iter().map(|l| html! {
                <option value={l.tag()} lang={l.tag()} selected={*l == current}>{l.native_name()}</option>
            }) }
        </select>
    }
}
