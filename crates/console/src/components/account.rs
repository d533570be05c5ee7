//! The account screen (every agent): `section.kc-account` with who is signed
//! in, their picture (`.kc-account-avatar`: `img.kc-avatar`, a file input
//! `input.kc-avatar-file`, `button.kc-avatar-remove`) and
//! `form.kc-account-password` (current, new, new again); the last refusal in
//! `.kc-account-error`, a password change in `.kc-account-saved`.

use super::avatar::{AvatarPicker, AvatarView};
use crate::hooks::use_console;
use crate::i18n;
use crate::state::account::AccountIntent;
use crate::state::avatar::AvatarOf;
use crate::state::Action;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// `section.kc-account`.
#[component]
pub fn AccountTab() -> Html {
    let console = use_console();
    let s = &console.state;
    let account = &s.account;
    let (current, new, repeat) = (use_node_ref(), use_node_ref(), use_node_ref());
    let onsubmit = {
        let (console, current, new, repeat) = (
            console.clone(),
            current.clone(),
            new.clone(),
            repeat.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let fields = [&current, &new, &repeat].map(|r| r.cast::<HtmlInputElement>());
            let [Some(c), Some(n), Some(r)] = fields else {
                return;
            };
            console.dispatch(Action::Account(AccountIntent::ChangePassword {
                current: c.value(),
                new: n.value(),
                repeat: r.value(),
            }));
            for field in [&c, &n, &r] {
                field.set_value("");
            }
        })
    };
    let error = account
        .error
        .clone()
        .map(|e| html! { <p class="kc-account-error" role="alert">{e}</p> });
    let changed = account.changed.then(|| {
        html! { <p class="kc-account-saved" role="status">{i18n::t().account_changed}</p> }
    });
    let name = s.me.as_ref().map(|m| m.name.clone()).unwrap_or_default();
    html! {
        <section class="kc-account" aria-busy={account.busy.to_string()}>
            <h2>{i18n::t().tab_account}</h2>
            <p class="kc-account-name">{name}</p>
            { for error }
            { for changed }
            <div class="kc-account-avatar">
                <h3>{i18n::t().avatar}</h3>
                <AvatarView url={s.my_avatar().map(AttrValue::from)} />
                { if s.my_avatar().is_none() {
                    html! { <p class="kc-hint">{i18n::t().avatar_none}</p> }
                } else { Html::default() } }
                <AvatarPicker of={AvatarOf::Me} has={s.my_avatar().is_some()} busy={account.busy} />
            </div>
            <form class="kc-canned-form kc-account-password" {onsubmit}>
                <h3>{i18n::t().account_password}</h3>
                <label>{i18n::t().account_current}
                    <input ref={current} name="current" type="password" required=true
                        autocomplete="current-password" />
                </label>
                <label>{i18n::t().account_new}
                    <input ref={new} name="new" type="password" required=true minlength="8"
                        maxlength="1024" autocomplete="new-password" />
                </label>
                <label>{i18n::t().account_repeat}
                    <input ref={repeat} name="repeat" type="password" required=true minlength="8"
                        maxlength="1024" autocomplete="new-password" />
                </label>
                <div class="kc-form-buttons">
                    <button type="submit" class="kc-account-change" disabled={account.busy}>
                        {i18n::t().account_change}
                    </button>
                </div>
            </form>
        </section>
    }
}
