//! The site screen: only for owners and admins, read when it opens, the form
//! sent as one PUT (origins one per line, the cap as typed, the secret only
//! when one was typed, the hours per day as typed, the categories with IDs
//! made where none was typed), the saved settings shown, refusals in the
//! server's words.

use super::*;
use crate::state::site::{FieldRefusal, SiteAnswer, SiteChanges, SiteIntent, SiteRequest};
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
        cobrowse: false,
        max_active_per_agent: "3".into(),
        identity_secret: String::new(),
        always_open: true,
        timezone: "Asia/Shanghai".into(),
        hours: Default::default(),
        categories: vec![],
        welcome: Default::default(),
        offline: Default::default(),
        look: Default::default(),
        notify_emails: String::new(),
        queue_wait_minutes: String::new(),
        transcripts: false,
        retention_days: String::new(),
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
        .update(Action::Site(SiteIntent::Save(Box::new(changes()))))
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
        .update(Action::Site(SiteIntent::Save(Box::new(changes()))))
        .is_empty());
    s.update(Action::SiteAnswer(SiteAnswer::Settings(
        Box::new(settings()),
        false,
    )));
    assert!(!s.site.saved);
    let body = put(&s.update(Action::Site(SiteIntent::Save(Box::new(changes())))));
    assert_eq!(
        body,
        json!({"name": "Demo shop", "allowedOrigins": ["https://a.example", "https://b.example"],
               "autoAssign": false, "cobrowse": false, "maxActivePerAgent": 3, "categories": [], "texts": {},
               "look": {"position": "right"}, "retentionDays": 0,
               "notifications": {"emails": [], "queueWaitMinutes": null, "transcripts": false},
               "businessHours": {"timezone": "Asia/Shanghai", "weekly": {
                   "mon": ["00:00-24:00"], "tue": ["00:00-24:00"], "wed": ["00:00-24:00"],
                   "thu": ["00:00-24:00"], "fri": ["00:00-24:00"], "sat": ["00:00-24:00"],
                   "sun": ["00:00-24:00"]}}})
    );
    let mut saved = settings();
    saved.name = "Demo shop".into();
    s.update(Action::SiteAnswer(SiteAnswer::Settings(
        Box::new(saved.clone()),
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
    s.update(Action::SiteAnswer(SiteAnswer::Settings(
        Box::new(settings()),
        false,
    )));
    let typed = SiteChanges {
        identity_secret: "a-new-secret".into(),
        ..changes()
    };
    let body = put(&s.update(Action::Site(SiteIntent::Save(Box::new(typed)))));
    assert_eq!(body["identitySecret"], "a-new-secret");
    let body = put(&s.update(Action::Site(SiteIntent::RemoveSecret)));
    assert_eq!(body, json!({"name": "Demo", "identitySecret": ""}));
}

#[test]
fn a_bad_cap_goes_as_typed_and_the_refusal_shows() {
    let mut s = owner();
    s.update(Action::SelectTab(Tab::Site));
    s.update(Action::SiteAnswer(SiteAnswer::Settings(
        Box::new(settings()),
        false,
    )));
    let bad = SiteChanges {
        max_active_per_agent: "lots".into(),
        ..changes()
    };
    let body = put(&s.update(Action::Site(SiteIntent::Save(Box::new(bad)))));
    assert_eq!(body["maxActivePerAgent"], "lots");
    s.update(Action::SiteAnswer(SiteAnswer::Failed(
        "maxActivePerAgent: …".into(),
    )));
    assert_eq!(s.site.error.as_deref(), Some("maxActivePerAgent: …"));
    assert_eq!(s.site.settings, Some(settings()), "the saved settings stay");
}

#[test]
fn a_refusal_naming_a_field_is_kept_for_it_until_the_next_save_or_reload() {
    let mut s = owner();
    s.update(Action::SelectTab(Tab::Site));
    s.update(Action::SiteAnswer(SiteAnswer::Settings(
        Box::new(settings()),
        false,
    )));
    s.update(Action::Site(SiteIntent::Save(Box::new(changes()))));
    let refusal = FieldRefusal {
        field: "businessHours.mon".into(),
        text: "businessHours.mon: `9-5` is not a range like 09:00-18:00".into(),
        why: Some(kefu_protocol::FieldWhy::Hours {
            value: "9-5".into(),
        }),
    };
    s.update(Action::SiteAnswer(SiteAnswer::Invalid(refusal.clone())));
    assert_eq!(
        (s.site.invalid.clone(), s.site.error.clone()),
        (Some(refusal.clone()), None)
    );
    assert_eq!(refusal.words(), "`9-5` is not a range like 09:00-18:00");
    let plain = FieldRefusal {
        field: "name".into(),
        text: "`name` must be 1–200 characters".into(),
        why: None,
    };
    assert_eq!(
        plain.words(),
        plain.text,
        "words without the path stay whole"
    );
    // The next save clears it; so does reading the settings again.
    s.update(Action::Site(SiteIntent::Save(Box::new(changes()))));
    assert_eq!(s.site.invalid, None);
    s.update(Action::SiteAnswer(SiteAnswer::Invalid(refusal)));
    s.update(Action::SelectTab(Tab::Mine));
    s.update(Action::SelectTab(Tab::Site));
    assert_eq!(s.site.invalid, None);
}

#[test]
fn hours_are_sent_per_day_as_typed_and_categories_get_ids() {
    let mut s = owner();
    s.update(Action::SelectTab(Tab::Site));
    s.update(Action::SiteAnswer(SiteAnswer::Settings(
        Box::new(settings()),
        false,
    )));
    let mut hours: [String; 7] = Default::default();
    hours[0] = " 09:00-12:00, 13:00–18:00 ".into();
    hours[4] = "9:00 - 17:00；".into();
    let typed = SiteChanges {
        always_open: false,
        timezone: "  ".into(),
        hours,
        categories: vec![
            ("sales".into(), " Sales ".into()),
            (String::new(), "After-sales Help".into()),
            (String::new(), "售后".into()),
            (" ".into(), " ".into()),
        ],
        ..changes()
    };
    let body = put(&s.update(Action::Site(SiteIntent::Save(Box::new(typed)))));
    assert_eq!(
        body["businessHours"],
        json!({"timezone": "UTC", "weekly": {
            "mon": ["09:00-12:00", "13:00-18:00"], "fri": ["9:00-17:00"]}}),
        "days left empty are closed; dashes as people type them"
    );
    assert_eq!(
        body["categories"],
        json!([{"id": "sales", "name": "Sales"},
               {"id": "after-sales-help", "name": "After-sales Help"},
               {"id": "category-3", "name": "售后"}])
    );
}

#[test]
fn the_form_is_filled_from_the_saved_settings() {
    use kefu_protocol::site::BusinessHours;
    let mut saved = settings();
    let form = SiteChanges::of(&saved, "Europe/Paris".into());
    assert!(
        form.cobrowse,
        "a server that does not say: co-browsing allowed"
    );
    saved.cobrowse = false;
    assert!(!SiteChanges::of(&saved, "UTC".into()).cobrowse);
    saved.cobrowse = true;
    assert_eq!(
        (form.always_open, form.timezone.as_str(), form.hours.clone()),
        (true, "Europe/Paris", Default::default()),
        "no hours: open around the clock in the browser's zone"
    );
    saved.business_hours = Some(BusinessHours::always("Asia/Shanghai"));
    let form = SiteChanges::of(&saved, "Europe/Paris".into());
    assert!(form.always_open && form.hours.iter().all(String::is_empty));
    assert_eq!(form.timezone, "Asia/Shanghai");
    saved.business_hours = Some(BusinessHours {
        timezone: "Asia/Shanghai".into(),
        weekly: [(
            "tue".to_owned(),
            vec!["09:00-12:00".to_owned(), "13:00-18:00".to_owned()],
        )]
        .into(),
    });
    saved.categories = vec![kefu_protocol::Category {
        id: "sales".into(),
        name: "Sales".into(),
    }];
    let form = SiteChanges::of(&saved, "Europe/Paris".into());
    assert!(!form.always_open);
    assert_eq!(form.hours[1], "09:00-12:00, 13:00-18:00");
    assert_eq!(
        form.categories,
        vec![("sales".to_owned(), "Sales".to_owned())]
    );
    // Saved again unchanged, it asks for the same hours.
    let mut s = owner();
    s.update(Action::SelectTab(Tab::Site));
    s.update(Action::SiteAnswer(SiteAnswer::Settings(
        Box::new(saved.clone()),
        false,
    )));
    let body = put(&s.update(Action::Site(SiteIntent::Save(Box::new(form)))));
    assert_eq!(
        serde_json::from_value::<BusinessHours>(body["businessHours"].clone()).ok(),
        saved.business_hours
    );
}

#[test]
fn the_sites_own_texts_are_sent_by_language_and_read_back() {
    let mut s = owner();
    s.update(Action::SelectTab(Tab::Site));
    let mut saved = settings();
    saved.texts.offline.insert("zh-CN".into(), "请留言".into());
    s.update(Action::SiteAnswer(SiteAnswer::Settings(
        Box::new(saved.clone()),
        false,
    )));
    let mut form = SiteChanges::of(&saved, "UTC".into());
    assert_eq!(form.offline, [String::new(), "请留言".to_owned()]);
    form.welcome = [" Hello from the shop! ".into(), "  ".into()];
    let body = put(&s.update(Action::Site(SiteIntent::Save(Box::new(form)))));
    assert_eq!(
        body["texts"],
        json!({"welcome": {"en": "Hello from the shop!"}, "offline": {"zh-CN": "请留言"}}),
        "trimmed; empty ones left to the built-in text"
    );
}

#[test]
fn the_look_is_read_into_the_form_and_sent_whole() {
    let mut s = owner();
    s.update(Action::SelectTab(Tab::Site));
    let mut saved = settings();
    saved.look = serde_json::from_value(json!({"primary": "#0a7d5a", "position": "left"}))
        .expect("the server's shape");
    let form = SiteChanges::of(&saved, "UTC".into());
    assert_eq!(form.look, saved.look);
    s.update(Action::SiteAnswer(SiteAnswer::Settings(
        Box::new(saved),
        false,
    )));
    let reset = SiteChanges {
        look: Default::default(),
        ..form
    };
    let body = put(&s.update(Action::Site(SiteIntent::Save(Box::new(reset)))));
    assert_eq!(
        body["look"],
        json!({"position": "right"}),
        "Kefu's colour again"
    );
}

#[test]
fn notifications_and_retention_are_read_into_the_form_and_sent() {
    let mut s = owner();
    s.update(Action::SelectTab(Tab::Site));
    let mut saved = settings();
    saved.notifications = serde_json::from_value(
        json!({"emails": ["a@shop.example", "b@shop.example"], "queueWaitMinutes": 10, "transcripts": true}),
    )
    .expect("the server's shape");
    saved.retention_days = Some(90);
    let form = SiteChanges::of(&saved, "UTC".into());
    assert_eq!(
        (
            form.notify_emails.as_str(),
            form.queue_wait_minutes.as_str(),
            form.transcripts,
            form.retention_days.as_str()
        ),
        ("a@shop.example\nb@shop.example", "10", true, "90")
    );
    s.update(Action::SiteAnswer(SiteAnswer::Settings(
        Box::new(saved),
        false,
    )));
    let typed = SiteChanges {
        notify_emails: " a@shop.example \n\n c@shop.example".into(),
        queue_wait_minutes: String::new(),
        transcripts: false,
        retention_days: "soon".into(),
        ..form
    };
    let body = put(&s.update(Action::Site(SiteIntent::Save(Box::new(typed)))));
    assert_eq!(
        body["notifications"],
        json!({"emails": ["a@shop.example", "c@shop.example"], "queueWaitMinutes": null, "transcripts": false})
    );
    assert_eq!(
        body["retentionDays"], "soon",
        "as typed: the server says what is wrong"
    );
}
