//! The site screen (owners and admins): `section.kc-site` with the install
//! snippet for this server and site (`pre.kc-site-snippet`) and the CSP lines
//! a strict page needs (`pre.kc-site-csp`), both selected whole on a click;
//! then `form.kc-site-form` (name, allowed origins, automatic assignment and
//! its cap, the identity secret as set / not set with a field to replace it
//! and `button.kc-site-secret-remove`; `fieldset.kc-site-hours` with
//! `alwaysOpen`, `timezone` and one `hours-mon` … `hours-sun` field per day;
//! `fieldset.kc-site-notify` (`notifyEmails`, one address per line,
//! `queueWaitMinutes`, `transcripts`, `retentionDays`);
//! `fieldset.kc-site-look` with the widget's colour and side and their
//! preview; `fieldset.kc-site-texts` with the welcome and leave-a-message lines per
//! language (`welcome-en`, `welcome-zh-CN`, `offline-en`, `offline-zh-CN`);
//! `fieldset.kc-site-categories` with one `.kc-site-category` row per
//! category, `button.kc-site-category-add` and `-remove`), the last refusal
//! (`.kc-site-error`) and `.kc-site-saved`. A refusal naming a field shows
//! beside it (`p.kc-field-error[data-field]`, the control `aria-invalid` and
//! described by it); one naming no field of the form shows on top.

use crate::hooks::use_console;
use crate::i18n;
use crate::state::site::{FieldRefusal, SiteChanges, SiteIntent, TEXT_LANGUAGES};
use crate::state::Action;
use kefu_protocol::site::{SiteSettings, WidgetLook, WidgetPosition, WEEKDAYS};
use std::rc::Rc;
use wasm_bindgen::JsCast;
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

/// This browser's IANA time zone, the default for a site without hours.
fn browser_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_else(|| "UTC".to_owned())
}

/// A weekday's name in the console's language.
fn day_name(day: &str) -> &'static str {
    let t = i18n::t();
    match day {
        "mon" => t.day_mon,
        "tue" => t.day_tue,
        "wed" => t.day_wed,
        "thu" => t.day_thu,
        "fri" => t.day_fri,
        "sat" => t.day_sat,
        _ => t.day_sun,
    }
}

/// `section.kc-site`.
#[component]
pub fn SiteTab() -> Html {
    let console = use_console();
    let site = &console.state.site;
    // A refusal naming a field the form has shows beside it; any other on top.
    let top = site.error.clone().or_else(|| {
        let r = site.invalid.as_ref()?;
        (!on_the_form(&r.field)).then(|| r.text.clone())
    });
    let error = top.map(|e| html! { <p class="kc-site-error" role="alert">{e}</p> });
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
                // Keyed on the saved settings: a save or a reload fills it again.
                <SettingsForm key={format!("{settings:?}")} settings={settings.clone()}
                    invalid={site.invalid.clone()} />
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
    /// The last refusal naming a field.
    invalid: Option<FieldRefusal>,
}

/// The fields the form shows a refusal beside (the rest show on top).
fn on_the_form(field: &str) -> bool {
    [
        "name",
        "allowedOrigins",
        "maxActivePerAgent",
        "identitySecret",
        "categories",
        "look.primary",
        "notifications.emails",
        "notifications.queueWaitMinutes",
        "retentionDays",
    ]
    .contains(&field)
        || field.starts_with("businessHours")
        || field.starts_with("texts.")
}

/// `fieldset.kc-site-look`: the widget's colour (`input[name=primary]`,
/// `button.kc-site-colour-reset` back to Kefu's) and side
/// (`select[name=position]`), and `.kc-site-preview[data-position]`: the
/// launcher and the chat's header in them, redrawn as they are picked.
fn look_fields(
    edit: &UseReducerDispatcher<Form>,
    f: &SiteChanges,
    site_name: &str,
    invalid: &Option<FieldRefusal>,
) -> Html {
    let t = i18n::t();
    let look = &f.look;
    let colour = look
        .primary
        .clone()
        .unwrap_or_else(|| WidgetLook::KEFU_PRIMARY.to_owned());
    let text = WidgetLook {
        primary: Some(colour.clone()),
        ..WidgetLook::default()
    }
    .primary_text()
    .unwrap_or("#ffffff");
    let pick = on_text(edit, |c, v| c.look.primary = Some(v));
    let reset = {
        let edit = edit.clone();
        Callback::from(move |_: MouseEvent| {
            edit.dispatch(Rc::new(|c: &mut SiteChanges| c.look.primary = None))
        })
    };
    let side = {
        let edit = edit.clone();
        Callback::from(move |e: Event| {
            let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() else {
                return;
            };
            let position = match select.value().as_str() {
                "left" => WidgetPosition::Left,
                _ => WidgetPosition::Right,
            };
            edit.dispatch(Rc::new(move |c: &mut SiteChanges| {
                c.look.position = position
            }))
        })
    };
    let left = look.position == WidgetPosition::Left;
    let (note, bad, described) = beside(invalid, "look.primary");
    html! {
        <fieldset class="kc-site-look">
            <legend>{t.site_look}</legend>
            <label>{t.site_colour}
                <input type="color" name="primary" value={colour.clone()} oninput={pick}
                    aria-invalid={bad} aria-describedby={described} />
                {note}
            </label>
            if look.primary.is_some() {
                <button type="button" class="kc-site-colour-reset" onclick={reset}>{t.site_colour_reset}</button>
            }
            <label>{t.site_position}
                <select name="position" onchange={side}>
                    <option value="right" selected={!left}>{t.site_position_right}</option>
                    <option value="left" selected={left}>{t.site_position_left}</option>
                </select>
            </label>
            <p class="kc-hint">{t.site_look_hint}</p>
            <LookPreview {colour} text={text.to_owned()} {left} name={site_name.to_owned()} />
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
struct PreviewProps {
    colour: String,
    text: String,
    left: bool,
    name: String,
}

/// `.kc-site-preview`: its colours set through the CSSOM (the console's CSP
/// allows no `style` attribute).
#[component]
fn LookPreview(props: &PreviewProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        let colours = (props.colour.clone(), props.text.clone());
        use_effect_with(colours, move |(colour, text)| {
            if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                let style = el.style();
                let _ = style.set_property("--kefu-primary", colour);
                let _ = style.set_property("--kefu-primary-text", text);
            }
        });
    }
    let t = i18n::t();
    html! {
        <div ref={node} class="kc-site-preview" data-position={if props.left { "left" } else { "right" }}
            role="img" aria-label={t.site_preview}>
            <div class="kc-preview-window">
                <div class="kc-preview-header">{props.name.clone()}</div>
                <p class="kc-preview-line">{t.site_preview_line}</p>
            </div>
            <span class="kc-preview-launcher"></span>
        </div>
    }
}

/// `p.kc-field-error[data-field]` when the refusal names `field`, and the
/// `aria-invalid` / `aria-describedby` of its control.
fn beside(
    invalid: &Option<FieldRefusal>,
    field: &str,
) -> (Html, Option<&'static str>, Option<String>) {
    match invalid {
        Some(r) if r.field == field => {
            let id = format!("kc-field-error-{}", field.replace('.', "-"));
            let note = html! {
                <p class="kc-field-error" data-field={field.to_owned()} id={id.clone()} role="alert">
                    {i18n::t().field_check}{" "}
                    { match &r.why {
                        // Typed: in the console's language.
                        Some(why) => html! { <span>{i18n::field_why(why)}</span> },
                        // Only the server's words (English).
                        None => html! { <span lang="en">{r.words().to_owned()}</span> },
                    } }
                </p>
            };
            (note, Some("true"), Some(id))
        }
        _ => (Html::default(), None, None),
    }
}

/// The form's values as typed ([`SiteChanges`]), changed by edits applied to
/// the latest values (a reducer: two quick edits never undo each other).
#[derive(Clone, PartialEq)]
struct Form(SiteChanges);

/// One edit of the form.
type Edit = Rc<dyn Fn(&mut SiteChanges)>;

impl Reducible for Form {
    type Action = Edit;

    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        let mut next = self.0.clone();
        edit(&mut next);
        Rc::new(Form(next))
    }
}

/// A text field's `oninput`: `set` its value into the form.
fn on_text(
    form: &UseReducerDispatcher<Form>,
    set: impl Fn(&mut SiteChanges, String) + 'static,
) -> Callback<InputEvent> {
    let (form, set) = (form.clone(), Rc::new(set));
    Callback::from(move |e: InputEvent| {
        let Some(target) = e.target() else { return };
        let value = match target.dyn_ref::<HtmlInputElement>() {
            Some(input) => input.value(),
            None => match target.dyn_ref::<HtmlTextAreaElement>() {
                Some(area) => area.value(),
                None => return,
            },
        };
        let set = set.clone();
        form.dispatch(Rc::new(move |c: &mut SiteChanges| set(c, value.clone())));
    })
}

/// A checkbox's `onchange`: `set` whether it is checked into the form.
fn on_check(
    form: &UseReducerDispatcher<Form>,
    set: impl Fn(&mut SiteChanges, bool) + 'static,
) -> Callback<Event> {
    let (form, set) = (form.clone(), Rc::new(set));
    Callback::from(move |e: Event| {
        let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
            return;
        };
        let (set, checked) = (set.clone(), input.checked());
        form.dispatch(Rc::new(move |c: &mut SiteChanges| set(c, checked)));
    })
}

/// The welcome (`welcome`) or leave-a-message lines' fields, one per
/// language: `textarea[name="welcome-en"]`, `…-zh-CN`, `offline-…`.
fn text_fields<'a>(
    edit: &UseReducerDispatcher<Form>,
    f: &SiteChanges,
    welcome: bool,
    invalid: &'a Option<FieldRefusal>,
) -> impl Iterator<Item = Html> + 'a {
    let t = i18n::t();
    let (which, label, typed) = if welcome {
        ("welcome", t.site_welcome, f.welcome.clone())
    } else {
        ("offline", t.site_offline, f.offline.clone())
    };
    let edit = edit.clone();
    TEXT_LANGUAGES.iter().enumerate().map(move |(i, tag)| {
        let language = if i == 0 { t.lang_en } else { t.lang_zh };
        let set = on_text(&edit, move |c, v| {
            if welcome {
                c.welcome[i] = v
            } else {
                c.offline[i] = v
            }
        });
        let (note, bad, described) = beside(invalid, &format!("texts.{which}.{tag}"));
        html! {
            <label>{format!("{label} · {language}")}
                <textarea name={format!("{which}-{tag}")} rows="2" maxlength="500"
                    value={typed[i].clone()} oninput={set}
                    aria-invalid={bad} aria-describedby={described} />
                {note}
            </label>
        }
    })
}

/// `form.kc-site-form`, filled from the saved settings (its caller keys it on
/// them, so a save or a reload fills it again); every field is controlled by
/// the form's values, so a re-render (a category added) keeps what was typed.
#[component]
fn SettingsForm(props: &FormProps) -> Html {
    let console = use_console();
    let s = &props.settings;
    let form = {
        let s = s.clone();
        use_reducer(move || Form(SiteChanges::of(&s, browser_zone())))
    };
    let f = &form.0;
    let edit = form.dispatcher();
    let onsubmit = {
        let (console, form, edit) = (console.clone(), form.clone(), edit.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            console.dispatch(Action::Site(SiteIntent::Save(Box::new(form.0.clone()))));
            edit.dispatch(Rc::new(|c: &mut SiteChanges| c.identity_secret.clear()));
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
    let invalid = &props.invalid;
    let day_rows = WEEKDAYS.iter().enumerate().map(|(i, day)| {
        let (note, bad, described) = beside(invalid, &format!("businessHours.{day}"));
        html! {
            <label class="kc-site-day">{day_name(day)}
                <input name={format!("hours-{day}")} value={f.hours[i].clone()}
                    oninput={on_text(&edit, move |c, v| c.hours[i] = v)}
                    placeholder="09:00-18:00" autocomplete="off"
                    aria-invalid={bad} aria-describedby={described} />
                {note}
            </label>
        }
    });
    let (name_note, name_bad, name_for) = beside(invalid, "name");
    let (origins_note, origins_bad, origins_for) = beside(invalid, "allowedOrigins");
    let (cap_note, cap_bad, cap_for) = beside(invalid, "maxActivePerAgent");
    let (secret_note, secret_bad, secret_for) = beside(invalid, "identitySecret");
    let (zone_note, zone_bad, zone_for) = beside(invalid, "businessHours.timezone");
    let (weekly_note, ..) = beside(invalid, "businessHours.weekly");
    let (categories_note, ..) = beside(invalid, "categories");
    let look = look_fields(&edit, f, &props.settings.name, invalid);
    let (notify_note, notify_bad, notify_for) = beside(invalid, "notifications.emails");
    let (wait_note, wait_bad, wait_for) = beside(invalid, "notifications.queueWaitMinutes");
    let (keep_note, keep_bad, keep_for) = beside(invalid, "retentionDays");
    let texts_notes = [
        beside(invalid, "texts.welcome").0,
        beside(invalid, "texts.offline").0,
    ];
    let category_rows = f.categories.iter().enumerate().map(|(i, (id, name))| {
        let remove = {
            let edit = edit.clone();
            Callback::from(move |_: MouseEvent| {
                edit.dispatch(Rc::new(move |c: &mut SiteChanges| {
                    if i < c.categories.len() {
                        c.categories.remove(i);
                    }
                }))
            })
        };
        html! {
            <div class="kc-site-category">
                <label>{i18n::t().category_name}
                    <input name="categoryName" value={name.clone()} maxlength="60"
                        oninput={on_text(&edit, move |c, v| if let Some(row) = c.categories.get_mut(i) { row.1 = v })} />
                </label>
                <label>{i18n::t().category_id}
                    <input name="categoryId" value={id.clone()} maxlength="64"
                        oninput={on_text(&edit, move |c, v| if let Some(row) = c.categories.get_mut(i) { row.0 = v })}
                        pattern="[a-z0-9_\\-]*" autocomplete="off" />
                </label>
                <button type="button" class="kc-site-category-remove" onclick={remove}>{i18n::t().category_remove}</button>
            </div>
        }
    });
    let add_category = {
        let edit = edit.clone();
        Callback::from(move |_: MouseEvent| {
            edit.dispatch(Rc::new(|c: &mut SiteChanges| {
                c.categories.push((String::new(), String::new()))
            }))
        })
    };
    html! {
        <form class="kc-canned-form kc-site-form" {onsubmit}>
            <h3>{i18n::t().site_settings}</h3>
            <label>{i18n::t().site_name}
                <input name="name" required=true maxlength="200" value={f.name.clone()}
                    oninput={on_text(&edit, |c, v| c.name = v)}
                    aria-invalid={name_bad} aria-describedby={name_for} />
                {name_note}
            </label>
            <label>{i18n::t().site_origins}
                <textarea name="allowedOrigins" rows="3" placeholder="https://shop.example"
                    value={f.allowed_origins.clone()}
                    oninput={on_text(&edit, |c, v| c.allowed_origins = v)}
                    aria-invalid={origins_bad} aria-describedby={origins_for} />
                {origins_note}
            </label>
            <label class="kc-site-check">
                <input type="checkbox" name="autoAssign" checked={f.auto_assign}
                    onchange={on_check(&edit, |c, v| c.auto_assign = v)} />
                {" "}{i18n::t().site_auto_assign}
            </label>
            <label class="kc-site-check">
                <input type="checkbox" name="cobrowse" checked={f.cobrowse}
                    onchange={on_check(&edit, |c, v| c.cobrowse = v)} />
                {" "}{i18n::t().site_cobrowse}
            </label>
            <label>{i18n::t().site_cap}
                <input name="maxActivePerAgent" type="number" min="1" max="1000"
                    value={f.max_active_per_agent.clone()}
                    oninput={on_text(&edit, |c, v| c.max_active_per_agent = v)}
                    aria-invalid={cap_bad} aria-describedby={cap_for} />
                {cap_note}
            </label>
            <fieldset class="kc-site-secret-field">
                <legend>{i18n::t().site_secret}</legend>
                {secret_state}
                <input name="identitySecret" type="password" autocomplete="new-password"
                    maxlength="256" aria-label={i18n::t().site_secret}
                    value={f.identity_secret.clone()}
                    oninput={on_text(&edit, |c, v| c.identity_secret = v)}
                    aria-invalid={secret_bad} aria-describedby={secret_for} />
                {secret_note}
            </fieldset>
            <fieldset class="kc-site-hours">
                <legend>{i18n::t().site_hours}</legend>
                <label class="kc-site-check">
                    <input type="checkbox" name="alwaysOpen" checked={f.always_open}
                        onchange={on_check(&edit, |c, v| c.always_open = v)} />
                    {" "}{i18n::t().site_always_open}
                </label>
                <label>{i18n::t().site_timezone}
                    <input name="timezone" value={f.timezone.clone()} maxlength="64"
                        oninput={on_text(&edit, |c, v| c.timezone = v)} autocomplete="off"
                        aria-invalid={zone_bad} aria-describedby={zone_for} />
                    {zone_note}
                </label>
                <p class="kc-hint">{i18n::t().site_hours_hint}</p>
                {weekly_note}
                { for day_rows }
            </fieldset>
            {look}
            <fieldset class="kc-site-notify">
                <legend>{i18n::t().site_notify}</legend>
                <label>{i18n::t().site_notify_emails}
                    <textarea name="notifyEmails" rows="2" placeholder="shop@shop.example"
                        value={f.notify_emails.clone()}
                        oninput={on_text(&edit, |c, v| c.notify_emails = v)}
                        aria-invalid={notify_bad} aria-describedby={notify_for} />
                    {notify_note}
                </label>
                <label>{i18n::t().site_queue_wait}
                    <input name="queueWaitMinutes" type="number" min="1" max="1440"
                        value={f.queue_wait_minutes.clone()}
                        oninput={on_text(&edit, |c, v| c.queue_wait_minutes = v)}
                        aria-invalid={wait_bad} aria-describedby={wait_for} />
                    {wait_note}
                </label>
                <label class="kc-site-check">
                    <input type="checkbox" name="transcripts" checked={f.transcripts}
                        onchange={on_check(&edit, |c, v| c.transcripts = v)} />
                    {" "}{i18n::t().site_transcripts}
                </label>
                <label>{i18n::t().site_retention}
                    <input name="retentionDays" type="number" min="0" max="36500"
                        value={f.retention_days.clone()}
                        oninput={on_text(&edit, |c, v| c.retention_days = v)}
                        aria-invalid={keep_bad} aria-describedby={keep_for} />
                    {keep_note}
                </label>
            </fieldset>
            <fieldset class="kc-site-texts">
                <legend>{i18n::t().site_texts}</legend>
                <p class="kc-hint">{i18n::t().site_texts_hint}</p>
                { for texts_notes }
                { for text_fields(&edit, f, true, invalid) }
                { for text_fields(&edit, f, false, invalid) }
            </fieldset>
            <fieldset class="kc-site-categories">
                <legend>{i18n::t().site_categories}</legend>
                <p class="kc-hint">{i18n::t().site_categories_hint}</p>
                {categories_note}
                { for category_rows }
                <button type="button" class="kc-site-category-add" onclick={add_category}>{i18n::t().category_add}</button>
            </fieldset>
            <div class="kc-form-buttons">
                <button type="submit" class="kc-site-save">{i18n::t().save}</button>
            </div>
        </form>
    }
}
