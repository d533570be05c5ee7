//! The bot screen: only for owners and admins, the switch read when it opens
//! and sent with the site's name, questions tried (blank ones not sent), the
//! answers and refusals shown, and the screen left when the agent is demoted.

use super::*;
use crate::state::bot::{BotAnswer, BotIntent, BotRequest};
use crate::state::team::TeamAnswer;
use crate::state::Tab;
use kefu_protocol::trial::{Trial, TrialDecision, TrialReason};
use kefu_protocol::TeamRole;

fn admin() -> ConsoleState {
    let mut s = online();
    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Admin)));
    s
}

/// A trial as the server writes it (the wire shape, read with the protocol's
/// types).
fn trial() -> Trial {
    serde_json::from_value(json!({
        "decision": "similar", "reason": "runnerUpTooClose", "best": 0.61, "runnerUp": 0.6,
        "config": {"answer_threshold": 0.32, "similar_threshold": 0.32, "margin": 0.05, "max_similar": 5},
        "nearest": [{"id": "a", "question": "A?", "score": 0.61, "details": "query words: a"}],
    }))
    .expect("the server's shape")
}

#[test]
fn an_agent_gets_no_bot_screen_and_sends_nothing() {
    let mut s = online();
    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Agent)));
    assert!(s.update(Action::SelectTab(Tab::Bot)).is_empty());
    assert_eq!(s.tab, Tab::Mine);
    assert!(s
        .update(Action::Bot(BotIntent::Try("hi".into())))
        .is_empty());
    assert!(s
        .update(Action::Bot(BotIntent::SetEnabled(false)))
        .is_empty());
}

#[test]
fn the_switch_is_read_on_opening_and_sent_with_the_sites_name() {
    let mut s = admin();
    let fx = s.update(Action::SelectTab(Tab::Bot));
    assert_eq!((s.tab, fx), (Tab::Bot, vec![Effect::Bot(BotRequest::Site)]));
    assert!(s.bot.busy);
    // Not known yet: nothing to send the name with.
    assert!(s
        .update(Action::Bot(BotIntent::SetEnabled(false)))
        .is_empty());
    s.update(Action::BotAnswer(BotAnswer::Site("Demo shop".into(), true)));
    assert_eq!((s.bot.enabled(), s.bot.busy), (Some(true), false));
    let fx = s.update(Action::Bot(BotIntent::SetEnabled(false)));
    let off = BotRequest::SetEnabled {
        name: "Demo shop".into(),
        enabled: false,
    };
    assert_eq!(fx, vec![Effect::Bot(off)]);
    s.update(Action::BotAnswer(BotAnswer::Site(
        "Demo shop".into(),
        false,
    )));
    assert_eq!(s.bot.enabled(), Some(false));
    // A refusal shows the server's words, and the next request clears them.
    s.update(Action::BotAnswer(BotAnswer::Failed("forbidden".into())));
    assert_eq!(s.bot.error.as_deref(), Some("forbidden"));
    s.update(Action::Bot(BotIntent::SetEnabled(true)));
    assert_eq!(s.bot.error, None);
}

#[test]
fn a_tried_question_shows_the_bots_decision_and_why() {
    let mut s = admin();
    s.update(Action::SelectTab(Tab::Bot));
    assert!(s
        .update(Action::Bot(BotIntent::Try("   ".into())))
        .is_empty());
    let fx = s.update(Action::Bot(BotIntent::Try(
        "  how long is shipping ".into(),
    )));
    assert_eq!(
        fx,
        vec![Effect::Bot(BotRequest::Try("how long is shipping".into()))]
    );
    let t = trial();
    s.update(Action::BotAnswer(BotAnswer::Tried(
        "how long is shipping".into(),
        t.clone(),
    )));
    let (question, shown) = s.bot.trial.as_ref().expect("shown");
    assert_eq!(question, "how long is shipping");
    assert_eq!(
        (shown.decision, shown.reason),
        (TrialDecision::Similar, TrialReason::RunnerUpTooClose)
    );
    let said = crate::i18n::bot_reason(shown.reason, shown);
    assert!(
        said.contains("0.61") && said.contains("0.60") && said.contains("0.05"),
        "{said}"
    );
    // A reason from a newer server still reads.
    let newer: TrialReason = serde_json::from_value(json!("somethingNew")).expect("read");
    assert_eq!(newer, TrialReason::Other);
}

#[test]
fn a_demoted_admin_leaves_the_bot_screen() {
    let mut s = admin();
    s.update(Action::SelectTab(Tab::Bot));
    let fx = s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Admin)));
    assert_eq!(
        fx,
        vec![Effect::Bot(BotRequest::Site)],
        "still an admin: read again"
    );
    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Agent)));
    assert_eq!(s.tab, Tab::Mine);
}
