//! The site screen (owners and admins): `section.kc-site` with the install
//! snippet for this server and site (`pre.kc-site-snippet`) and the CSP lines
//! a strict page needs (`pre.kc-site-csp`), both selected whole on a click;
//! then `form.kc-site-form` (name, allowed origins, automatic assignment and
//! its cap, the identity secret as set / not set with a field to replace it
//! and `button.kc-site-secret-remove`), the last refusal (`.kc-site-error`)
//! and `.kc-site-saved`.

use crate::hooks::use_console;
use crate::i18n;
use crate::state::site::{SiteChanges, SiteIntent};
use crate::state::Action;
use kefu_protocol::site::SiteSettings;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The server's origin (the console is served by it), e.g. `https://chat.example.com`.
fn server_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The tag a site owner pastes.
pub fn install_snippet(origin: &str, site: &str) -> String {
    format!(r#"<script async src="{origin}/widget-loader.js" data-site="{site}"></script>"#)
}

/// The CSP lines a page with a strict policy adds for the chat server.
pub fn csp_lines(origin: &str) -> String {
    let ws = origin
        .replacen("https://", "wss://", 1)
        .replacen("http://", "ws://", 1);
    format!(
        "script-src 'self' {origin} 'wasm-unsafe-eval';\n\
         style-src 'self' {origin};\n\
         connect-src 'self' {origin} {ws};\n\
         img-src 'self' {origin};\n\
         media-src 'self' {origin};"
    )
}

/// `section.kc-site`.
#[component]
pub fn SiteTab() -> Html {
    let console = use_console();
    let site = &console.state.site;
    let error = site
        .error
        .clone()
        .map(|e| html! { <p class="kc-site-error" role="alert">{e}</p> });
    let saved = site
        .saved
        .then(|| html! { <p class="kc-site-saved" role="status">{i18n::t().site_saved}</p> });
    let body = match &site.settings {
        None => html! { <p class="kc-empty">{i18n::t().loading}</p> },
        Some(settings) => {
            let origin = server_origin();
            html! { <>
                <h3>{i18n::t().site_install}</h3>
                <p>{i18n::t().site_install_hint}</p>
                <pre class="kc-site-snippet" tabindex="0">{install_snippet(&origin, settings.id.as_str())}</pre>
                <p>{i18n::t().site_csp_hint}</p>
                <pre class="kc-site-csp" tabindex="0">{csp_lines(&origin)}</pre>
                <SettingsForm settings={settings.clone()} />
            </> }
        }
    };
    html! {
        <section class="kc-site" aria-busy={site.busy.to_string()}>
            <h2>{i18n::t().tab_site}</h2>
            { for error }
            { for saved }
            {body}
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    settings: SiteSettings,
}

/// `form.kc-site-form`, filled from the saved settings (keyed on them, so a
/// save or a reload fills it again).
#[component]
fn SettingsForm(props: &FormProps) -> Html {
    let console = use_console();
    let s = &props.settings;
    let (name, origins, auto, cap, secret) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let onsubmit = {
        let (console, name, origins, auto, cap, secret) = (
            console.clone(),
            name.clone(),
            origins.clone(),
            auto.clone(),
            cap.clone(),
            secret.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(n), Some(o), Some(a), Some(c), Some(k)) = (
                name.cast::<HtmlInputElement>(),
                origins.cast::<HtmlTextAreaElement>(),
                auto.cast::<HtmlInputElement>(),
                cap.cast::<HtmlInputElement>(),
                secret.cast::<HtmlInputElement>(),
            ) else {
                return;
            };
            console.dispatch(Action::Site(SiteIntent::Save(SiteChanges {
                name: n.value(),
                allowed_origins: o.value(),
                auto_assign: a.checked(),
                max_active_per_agent: c.value(),
                identity_secret: k.value(),
            })));
            k.set_value("");
        })
    };
    let secret_state = if s.identity_secret_set {
        html! { <>
            <span class="kc-site-secret" data-set="true">{i18n::t().site_secret_set}</span>{" "}
            <button type="button" class="kc-site-secret-remove"
                onclick={console.on(Action::Site(SiteIntent::RemoveSecret))}>{i18n::t().site_secret_remove}</button>
        </> }
    } else {
        html! { <span class="kc-site-secret" data-set="false">{i18n::t().site_secret_not_set}</span> }
    };
    html! {
        <form class="kc-canned-form kc-site-form" {onsubmit} key={format!("{s:?}")}>
            <h3>{i18n::t().site_settings}</h3>
            <label>{i18n::t().site_name}
                <input ref={name} name="name" required=true maxlength="200" value={s.name.clone()} />
            </label>
            <label>{i18n::t().site_origins}
                <textarea ref={origins} name="allowedOrigins" rows="3"
                    placeholder="https://shop.example" value={s.allowed_origins.join("\n")} />
            </label>
            <label class="kc-site-check">
                <input ref={auto} type="checkbox" name="autoAssign" checked={s.auto_assign} />
                {" "}{i18n::t().site_auto_assign}
            </label>
            <label>{i18n::t().site_cap}
                <input ref={cap} name="maxActivePerAgent" type="number" min="1" max="1000"
                    value={s.max_active_per_agent.to_string()} />
            </label>
            <fieldset class="kc-site-secret-field">
                <legend>{i18n::t().site_secret}</legend>
                {secret_state}
                <input ref={secret} name="identitySecret" type="password" autocomplete="new-password"
                    maxlength="256" aria-label={i18n::t().site_secret} />
            </fieldset>
            <div class="kc-form-buttons">
                <button type="submit" class="kc-site-save">{i18n::t().save}</button>
            </div>
        </form>
    }
}
