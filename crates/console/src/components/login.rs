//! The sign-in page: the page's `main` holding the form (`form.kc-login`),
//! whose username and password go to
//! `POST /api/v1/agent/login`; a refusal shows in `.kc-login-error` (the same
//! text for a wrong password and an unknown user).

use super::LocalePicker;
use crate::hooks::use_console;
use crate::i18n;
use crate::state::Action;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// `form.kc-login`.
#[component]
pub fn Login() -> Html {
    let console = use_console();
    let s = &console.state;
    let (user, pass) = (use_node_ref(), use_node_ref());
    let onsubmit = {
        let (console, user, pass) = (console.clone(), user.clone(), pass.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|el| el.value())
                    .unwrap_or_default()
            };
            let (username, password) = (value(&user).trim().to_owned(), value(&pass));
            if !username.is_empty() && !password.is_empty() {
                console.dispatch(Action::SignIn { username, password });
            }
        })
    };
    let error = s.login_error.map(|text| {
        html! { <p class="kc-login-error" role="alert">{text}</p> }
    });
    html! {
        <main class="kc-login-page">
            <LocalePicker />
            <form class="kc-login" {onsubmit}>
                <h1>{i18n::t().sign_in_title}</h1>
                <label>{i18n::t().username}
                    <input ref={user} name="username" autocomplete="username" required=true />
                </label>
                <label>{i18n::t().password}
                    <input ref={pass} name="password" type="password" autocomplete="current-password" required=true />
                </label>
                { for error }
                <button type="submit" disabled={s.signing_in}>
                    { if s.signing_in { i18n::t().signing_in } else { i18n::t().sign_in } }
                </button>
            </form>
        </main>
    }
}
