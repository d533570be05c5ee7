//! Avatars: the roster's pictures by sender (this agent's own too), and the
//! steps of setting one — the account screen's or the team screen's busy
//! flag and error, and the team list asked again after a member's change.

use super::{agent, online, ME};
use crate::state::avatar::{AvatarOf, AvatarStep};
use crate::state::team::{TeamAnswer, TeamRequest};
use crate::state::{Action, Effect};
use kefu_protocol::{AgentFrame, TeamRole};
use serde_json::json;

const LIN: &str = "/api/v1/uploads/avatars/a_01/0123456789abcdef.jpg";

fn presence() -> Action {
    let frame: AgentFrame = serde_json::from_value(json!({
        "type": "presence", "agents": [
            {"id": ME, "name": "Lin", "avatar": LIN, "presence": "online", "active": 0},
            {"id": "agent:a_02", "name": "Mei", "presence": "away", "active": 1},
        ],
    }))
    .expect("a valid presence frame");
    agent(frame)
}

fn step(s: AvatarStep) -> Action {
    Action::Avatar(s)
}

#[test]
fn pictures_come_from_the_roster_by_sender() {
    let mut s = online();
    assert_eq!(s.my_avatar(), None, "no roster yet");
    s.update(presence());
    assert_eq!(s.my_avatar(), Some(LIN));
    assert_eq!(s.avatar_of(ME), Some(LIN));
    assert_eq!(s.avatar_of("agent:a_02"), None, "Mei has none");
    assert_eq!(s.avatar_of("visitor:v_1"), None);
    assert_eq!(s.avatar_of("bot"), None);
}

#[test]
fn ones_own_picture_marks_the_account_screen_busy_and_shows_a_refusal() {
    let mut s = online();
    s.account.changed = true;
    assert!(s.update(step(AvatarStep::Started(AvatarOf::Me))).is_empty());
    assert!(s.account.busy && !s.account.changed && s.account.error.is_none());
    s.update(step(AvatarStep::Failed(
        AvatarOf::Me,
        "an avatar must be an image".into(),
    )));
    assert!(!s.account.busy);
    assert_eq!(
        s.account.error.as_deref(),
        Some("an avatar must be an image")
    );
    s.update(step(AvatarStep::Started(AvatarOf::Me)));
    assert!(s.account.error.is_none(), "a new try clears the refusal");
    assert!(s.update(step(AvatarStep::Done(AvatarOf::Me))).is_empty());
    assert!(!s.account.busy && s.account.error.is_none());
}

#[test]
fn a_members_picture_asks_for_the_team_again_and_shows_a_refusal() {
    let mut s = online();
    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Owner)));
    let mei = AvatarOf::Member("mei".into());
    s.update(step(AvatarStep::Started(mei.clone())));
    assert!(s.team.busy && s.team.error.is_none());
    let fx = s.update(step(AvatarStep::Done(mei.clone())));
    assert_eq!(
        fx.first(),
        Some(&Effect::Team(TeamRequest::List)),
        "the list shows the new picture"
    );
    s.update(step(AvatarStep::Failed(
        mei,
        "only an owner may change an owner".into(),
    )));
    assert!(!s.team.busy);
    assert_eq!(
        s.team.error.as_deref(),
        Some("only an owner may change an owner")
    );
    // The account screen is untouched by a member's picture.
    assert!(!s.account.busy && s.account.error.is_none());
}
