//! The site screen: only for owners and admins, read when it opens, the form
//! sent as one PUT (origins one per line, the cap as typed, the secret only
//! when one was typed), the saved settings shown, refusals in the server's
//! words.

use super::*;
use crate::state::site::{SiteAnswer, SiteChanges, SiteIntent, SiteRequest};
use crate::state::team::TeamAnswer;
use crate::state::Tab;
use kefu_protocol::site::SiteSettings;
use kefu_protocol::TeamRole;

fn owner() -> ConsoleState {
    let mut s = online();
    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Owner)));
    s
}

fn settings() -> SiteSettings {
    serde_json::from_value(json!({
        "id": "demo", "name": "Demo", "allowedOrigins": [], "botEnabled": true,
        "autoAssign": true, "maxActivePerAgent": 5, "identitySecretSet": false,
        "uploadLimits": {"siteBytes": 1}
    }))
    .expect("the server's shape, unknown fields ignored")
}

fn changes() -> SiteChanges {
    SiteChanges {
        name: " Demo shop ".into(),
        allowed_origins: "https://a.example\n\n  https://b.example  \n".into(),
        auto_assign: false,
        max_active_per_agent: "3".into(),
        identity_secret: String::new(),
    }
}

fn put(fx: &[Effect]) -> serde_json::Value {
    match fx {
        [Effect::Site(SiteRequest::Put(body))] => body.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_agent_gets_no_site_screen() {
    let mut s = online();
    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Agent)));
    assert!(s.update(Action::SelectTab(Tab::Site)).is_empty());
    assert!(s
        .update(Action::Site(SiteIntent::Save(changes())))
        .is_empty());
}

#[test]
fn the_form_is_saved_as_one_put_and_the_answer_shown() {
    let mut s = owner();
    let fx = s.update(Action::SelectTab(Tab::Site));
    assert_eq!(
        (s.tab, fx),
        (Tab::Site, vec![Effect::Site(SiteRequest::Get)])
    );
    // Nothing to save before the settings are known.
    assert!(s
        .update(Action::Site(SiteIntent::Save(changes())))
        .is_empty());
    s.update(Action::SiteAnswer(SiteAnswer::Settings(settings(), false)));
    assert!(!s.site.saved);
    let body = put(&s.update(Action::Site(SiteIntent::Save(changes()))));
    assert_eq!(
        body,
        json!({"name": "Demo shop", "allowedOrigins": ["https://a.example", "https://b.example"],
               "autoAssign": false, "maxActivePerAgent": 3})
    );
    let mut saved = settings();
    saved.name = "Demo shop".into();
    s.update(Action::SiteAnswer(SiteAnswer::Settings(
        saved.clone(),
        true,
    )));
    assert_eq!(
        (s.site.settings.as_ref(), s.site.saved, s.site.busy),
        (Some(&saved), true, false)
    );
}

#[test]
fn the_secret_goes_only_when_typed_and_can_be_removed() {
    let mut s = owner();
    s.update(Action::SelectTab(Tab::Site));
    s.update(Action::SiteAnswer(SiteAnswer::Settings(settings(), false)));
    let typed = SiteChanges {
        identity_secret: "a-new-secret".into(),
        ..changes()
    };
    let body = put(&s.update(Action::Site(SiteIntent::Save(typed))));
    assert_eq!(body["identitySecret"], "a-new-secret");
    let body = put(&s.update(Action::Site(SiteIntent::RemoveSecret)));
    assert_eq!(body, json!({"name": "Demo", "identitySecret": ""}));
}

#[test]
fn a_bad_cap_goes_as_typed_and_the_refusal_shows() {
    let mut s = owner();
    s.update(Action::SelectTab(Tab::Site));
    s.update(Action::SiteAnswer(SiteAnswer::Settings(settings(), false)));
    let bad = SiteChanges {
        max_active_per_agent: "lots".into(),
        ..changes()
    };
    let body = put(&s.update(Action::Site(SiteIntent::Save(bad))));
    assert_eq!(body["maxActivePerAgent"], "lots");
    s.update(Action::SiteAnswer(SiteAnswer::Failed(
        "maxActivePerAgent: …".into(),
    )));
    assert_eq!(s.site.error.as_deref(), Some("maxActivePerAgent: …"));
    assert_eq!(s.site.settings, Some(settings()), "the saved settings stay");
}
