//! The team screen (owners and admins): `section.kc-team` with the new
//! password shown once (`.kc-team-password`), the last refusal
//! (`.kc-team-error`), the add form (`form.kc-team-add`) and one
//! `li.kc-member[data-username]` per agent — name, username, presence,
//! load, a role `select` offering only what this agent may give,
//! `button.kc-member-disable` (or `-enable`), `button.kc-member-password`,
//! `button.kc-member-delete` (asks first), the member's picture with its
//! controls ([`super::avatar`]), and `details.kc-member-edit` with
//! `form.kc-member-form`: the display name and a checkbox per site category
//! (`input[name="category"]`). The server checks every change.

use super::avatar::{AvatarPicker, AvatarView};
use crate::hooks::use_console;
use crate::i18n;
use crate::state::avatar::AvatarOf;
use crate::state::team::TeamIntent;
use crate::state::Action;
use kefu_protocol::{Presence, TeamMember, TeamRole};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

const ROLES: [TeamRole; 3] = [TeamRole::Owner, TeamRole::Admin, TeamRole::Agent];

fn role_label(role: TeamRole) -> &'static str {
    match role {
        TeamRole::Owner => i18n::t().role_owner,
        TeamRole::Admin => i18n::t().role_admin,
        TeamRole::Agent => i18n::t().role_agent,
    }
}

/// `section.kc-team`.
#[component]
pub fn TeamTab() -> Html {
    let console = use_console();
    let team = &console.state.team;
    let password = team.password.as_ref().map(|(username, password)| {
        html! {
            <p class="kc-team-password" role="status">
                {i18n::t().new_password_for}{" "}<b>{username.clone()}</b>{": "}
                <code>{password.clone()}</code>{" "}
                <button type="button" class="kc-team-password-dismiss"
                    onclick={console.on(Action::Team(TeamIntent::DismissPassword))}>{i18n::t().dismiss}</button>
            </p>
        }
    });
    let error = team
        .error
        .clone()
        .map(|e| html! { <p class="kc-team-error" role="alert">{e}</p> });
    let rows = match &team.members {
        None => html! { <p class="kc-empty">{i18n::t().loading}</p> },
        Some(members) => html! {
            <ul class="kc-team-list">
                { for members.iter().map(|m| html! { <MemberRow member={m.clone()} /> }) }
            </ul>
        },
    };
    html! {
        <section class="kc-team" aria-busy={team.busy.to_string()}>
            { for password }
            { for error }
            <AddForm />
            {rows}
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct MemberProps {
    member: TeamMember,
}

/// One `li.kc-member`.
#[component]
fn MemberRow(props: &MemberProps) -> Html {
    let console = use_console();
    let team = &console.state.team;
    let m = &props.member;
    let may_touch = team.may_change(m, m.role);
    let onchange = {
        let (console, username) = (console.clone(), m.username.clone());
        Callback::from(move |e: Event| {
            let Some(select) = e.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            if let Some(role) = TeamRole::parse(&select.value()) {
                console.dispatch(Action::Team(TeamIntent::SetRole(username.clone(), role)));
            }
        })
    };
    let options = ROLES
        .into_iter()
        .filter(|r| *r == m.role || team.may_change(m, *r))
        .map(|r| {
            html! { <option value={r.as_str()} selected={r == m.role}>{role_label(r)}</option> }
        });
    let presence = match m.presence {
        Presence::Online => i18n::t().online,
        Presence::Away => i18n::t().away,
        Presence::Offline => i18n::t().presence_offline,
    };
    let presence_key = match m.presence {
        Presence::Online => "online",
        Presence::Away => "away",
        Presence::Offline => "offline",
    };
    let toggle = if m.disabled {
        html! { <button type="button" class="kc-member-enable" disabled={!may_touch}
        onclick={console.on(Action::Team(TeamIntent::SetDisabled(m.username.clone(), false)))}>{i18n::t().enable}</button> }
    } else {
        html! { <button type="button" class="kc-member-disable" disabled={!may_touch}
        onclick={console.on(Action::Team(TeamIntent::SetDisabled(m.username.clone(), true)))}>{i18n::t().disable}</button> }
    };
    let delete = {
        let (console, username) = (console.clone(), m.username.clone());
        Callback::from(move |_: MouseEvent| {
            let sure = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(&format!("{} {username}?", i18n::t().delete))
                        .ok()
                })
                .unwrap_or(false);
            if sure {
                console.dispatch(Action::Team(TeamIntent::Delete(username.clone())));
            }
        })
    };
    html! {
        <li class={classes!("kc-member", m.disabled.then_some("kc-member--disabled"))}
            data-username={m.username.clone()}>
            <AvatarView url={m.avatar.clone().map(AttrValue::from)} size={32} />
            <span class="kc-member-who">
                <b class="kc-member-name">{m.name.clone()}</b>{" "}
                <span class="kc-member-username">{format!("@{}", m.username)}</span>
            </span>
            <span class="kc-member-presence" data-presence={presence_key}>
                { if m.disabled { i18n::t().disabled } else { presence } }
            </span>
            <span class="kc-member-load">{format!("{} {}", i18n::t().serving, m.active)}</span>
            <label>{i18n::t().role}
                <select class="kc-member-role" disabled={!may_touch} {onchange}>{ for options }</select>
            </label>
            {toggle}
            <button type="button" class="kc-member-password" disabled={!may_touch}
                onclick={console.on(Action::Team(TeamIntent::ResetPassword(m.username.clone())))}>{i18n::t().new_password}</button>
            <button type="button" class="kc-member-delete" disabled={!may_touch} onclick={delete}>{i18n::t().delete}</button>
            <AvatarPicker of={AvatarOf::Member(m.username.clone())} has={m.avatar.is_some()}
                busy={team.busy} disabled={!may_touch} />
            { if may_touch { html! {
                // Keyed on what is saved: a save (or another admin's) fills it again.
                <EditMember key={format!("{}{:?}", m.name, m.categories)} member={m.clone()} />
            } } else { Html::default() } }
        </li>
    }
}

/// `details.kc-member-edit`: the member's name and categories, saved with one
/// `PATCH`.
#[component]
fn EditMember(props: &MemberProps) -> Html {
    let console = use_console();
    let m = &props.member;
    let name = use_state(|| m.name.clone());
    let ticked = use_state(|| m.categories.clone());
    let site_categories = (console.state.site.settings.as_ref())
        .map(|s| s.categories.clone())
        .unwrap_or_default();
    let onsubmit = {
        let (console, username, name, ticked) = (
            console.clone(),
            m.username.clone(),
            name.clone(),
            ticked.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            console.dispatch(Action::Team(TeamIntent::Edit {
                username: username.clone(),
                name: (*name).clone(),
                categories: (*ticked).clone(),
            }));
        })
    };
    let oninput = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                name.set(input.value());
            }
        })
    };
    let boxes = site_categories.into_iter().map(|c| {
        let onchange = {
            let (ticked, id) = (ticked.clone(), c.id.clone());
            Callback::from(move |e: Event| {
                let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                    return;
                };
                let mut now: Vec<String> =
                    (*ticked).iter().filter(|t| **t != id).cloned().collect();
                if input.checked() {
                    now.push(id.clone());
                }
                ticked.set(now);
            })
        };
        html! {
            <label class="kc-site-check">
                <input type="checkbox" name="category" value={c.id.clone()}
                    checked={ticked.contains(&c.id)} {onchange} />
                {" "}{c.name}
            </label>
        }
    });
    html! {
        <details class="kc-member-edit">
            <summary>{i18n::t().member_edit}</summary>
            <form class="kc-canned-form kc-member-form" {onsubmit}>
                <label>{i18n::t().display_name}
                    <input name="name" required=true maxlength="200" value={(*name).clone()} {oninput} />
                </label>
                <fieldset>
                    <legend>{i18n::t().member_categories}</legend>
                    { for boxes }
                </fieldset>
                <div class="kc-form-buttons">
                    <button type="submit" class="kc-member-save">{i18n::t().save}</button>
                </div>
            </form>
        </details>
    }
}

/// `form.kc-team-add`.
#[component]
fn AddForm() -> Html {
    let console = use_console();
    let (username, name, password, role) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let onsubmit = {
        let (console, username, name, password, role) = (
            console.clone(),
            username.clone(),
            name.clone(),
            password.clone(),
            role.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(u), Some(n), Some(p), Some(r)) = (
                username.cast::<HtmlInputElement>(),
                name.cast::<HtmlInputElement>(),
                password.cast::<HtmlInputElement>(),
                role.cast::<HtmlSelectElement>(),
            ) else {
                return;
            };
            console.dispatch(Action::Team(TeamIntent::Add {
                username: u.value(),
                name: n.value(),
                password: p.value(),
                role: TeamRole::parse(&r.value()).unwrap_or_default(),
            }));
            for input in [&u, &n, &p] {
                input.set_value("");
            }
        })
    };
    let me = console.state.team.role.unwrap_or_default();
    let options = ROLES
        .into_iter()
        .filter(|r| me.may_change(TeamRole::Agent, *r))
        .map(|r| html! { <option value={r.as_str()} selected={r == TeamRole::Agent}>{role_label(r)}</option> });
    html! {
        <form class="kc-canned-form kc-team-add" {onsubmit}>
            <h2>{i18n::t().team_add}</h2>
            <label>{i18n::t().username}
                <input ref={username} name="username" required=true autocomplete="off"
                    maxlength="64" pattern="[A-Za-z0-9._@\\-]+" />
            </label>
            <label>{i18n::t().display_name}
                <input ref={name} name="name" required=true autocomplete="off" maxlength="200" />
            </label>
            <label>{i18n::t().password}
                <input ref={password} name="password" type="password" required=true
                    autocomplete="new-password" minlength="8" maxlength="1024" />
            </label>
            <label>{i18n::t().role}
                <select ref={role} name="role">{ for options }</select>
            </label>
            <div class="kc-form-buttons">
                <button type="submit" class="kc-team-add-submit">{i18n::t().team_add_submit}</button>
            </div>
        </form>
    }
}
