//! The team screen: the role asked after every `ready`, the tab only for
//! owners and admins, the list asked when it opens, intents as requests,
//! answers into the list, the new password shown once.

use super::*;
use crate::state::site::{SiteAnswer, SiteRequest};
use crate::state::team::{TeamAnswer, TeamIntent, TeamRequest};
use crate::state::Tab;
use kefu_protocol::{TeamMember, TeamRole};

fn member(username: &str, role: TeamRole) -> TeamMember {
    serde_json::from_value(json!({
        "id": format!("a_{username}"), "username": username, "name": username,
        "role": role, "presence": "online", "active": 1,
    }))
    .expect("a valid member")
}

fn answer(a: TeamAnswer) -> Action {
    Action::TeamAnswer(a)
}

#[test]
fn every_ready_asks_for_this_agents_role() {
    let mut s = ConsoleState::new(Some("tok".into()));
    s.update(Action::SocketOpen);
    let fx = s.update(ready("tok2"));
    assert!(fx.contains(&Effect::Team(TeamRequest::Me)), "{fx:?}");
}

#[test]
fn an_agent_never_gets_the_team_tab() {
    let mut s = online();
    assert!(!s.team.administers(), "unknown until the server says");
    assert!(s.update(Action::SelectTab(Tab::Team)).is_empty());
    s.update(answer(TeamAnswer::Me(TeamRole::Agent)));
    assert!(s.update(Action::SelectTab(Tab::Team)).is_empty());
    assert_eq!(s.tab, Tab::Mine);
    let fx = s.update(Action::Team(TeamIntent::Delete("lin".into())));
    assert!(fx.is_empty(), "no request from a plain agent");
}

#[test]
fn an_admin_opens_the_team_and_changes_it() {
    let mut s = online();
    s.update(answer(TeamAnswer::Me(TeamRole::Admin)));
    assert!(s.team.administers());
    let fx = s.update(Action::SelectTab(Tab::Team));
    assert_eq!(
        (s.tab, fx),
        (
            Tab::Team,
            vec![
                Effect::Team(TeamRequest::List),
                Effect::Site(SiteRequest::Get)
            ]
        ),
        "the list, and the site's categories the first time"
    );
    assert!(s.team.busy);
    let team = vec![
        member("boss", TeamRole::Owner),
        member("lin", TeamRole::Agent),
    ];
    s.update(answer(TeamAnswer::List(team.clone())));
    assert_eq!((s.team.members.as_ref(), s.team.busy), (Some(&team), false));
    // What an admin may give: not an owner's role, not to an owner.
    assert!(s.team.may_change(&team[1], TeamRole::Admin));
    assert!(!s.team.may_change(&team[1], TeamRole::Owner));
    assert!(!s.team.may_change(&team[0], TeamRole::Owner));

    let fx = s.update(Action::Team(TeamIntent::SetDisabled("lin".into(), true)));
    assert_eq!(
        fx,
        vec![Effect::Team(TeamRequest::Patch(
            "lin".into(),
            json!({"disabled": true})
        ))]
    );
    let fx = s.update(Action::Team(TeamIntent::Edit {
        username: "lin".into(),
        name: " Lin Wei ".into(),
        categories: vec!["sales".into()],
    }));
    assert_eq!(
        fx,
        vec![Effect::Team(TeamRequest::Patch(
            "lin".into(),
            json!({"name": "Lin Wei", "categories": ["sales"]})
        ))]
    );
    // A change makes the list be asked again (presence and load move too);
    // the site's categories, once known, are not.
    let site = serde_json::from_value(json!({
        "id": "demo", "name": "Demo", "allowedOrigins": [], "botEnabled": true,
        "autoAssign": true, "maxActivePerAgent": 5, "identitySecretSet": false,
        "categories": [{"id": "sales", "name": "Sales"}]
    }))
    .expect("site settings");
    s.update(Action::SiteAnswer(SiteAnswer::Settings(
        Box::new(site),
        false,
    )));
    let fx = s.update(answer(TeamAnswer::Changed));
    assert_eq!(fx, vec![Effect::Team(TeamRequest::List)]);
    let fx = s.update(Action::Team(TeamIntent::Add {
        username: " mei ".into(),
        name: "Mei".into(),
        password: "a-long-password".into(),
        role: TeamRole::Agent,
    }));
    let body =
        json!({"username": "mei", "name": "Mei", "password": "a-long-password", "role": "agent"});
    assert_eq!(fx, vec![Effect::Team(TeamRequest::Add(body))]);
    // A refusal shows the server's words, and goes with the next intent.
    s.update(answer(TeamAnswer::Failed(
        "only an owner may change an owner".into(),
    )));
    assert_eq!(
        s.team.error.as_deref(),
        Some("only an owner may change an owner")
    );
    s.update(Action::Team(TeamIntent::ResetPassword("lin".into())));
    assert_eq!(s.team.error, None);
    s.update(answer(TeamAnswer::Password(
        "lin".into(),
        "N3wPassw0rd".into(),
    )));
    assert_eq!(s.team.password, Some(("lin".into(), "N3wPassw0rd".into())));
    s.update(Action::Team(TeamIntent::DismissPassword));
    assert_eq!(s.team.password, None, "shown once");
}

#[test]
fn demoted_while_on_the_team_tab_goes_back_to_the_conversations() {
    let mut s = online();
    s.update(answer(TeamAnswer::Me(TeamRole::Owner)));
    s.update(Action::SelectTab(Tab::Team));
    s.update(ready("tok3"));
    let fx = s.update(answer(TeamAnswer::Me(TeamRole::Agent)));
    assert_eq!((s.tab, fx), (Tab::Mine, vec![]));
}

#[test]
fn signing_out_forgets_the_team() {
    let mut s = online();
    s.update(answer(TeamAnswer::Me(TeamRole::Owner)));
    s.update(answer(TeamAnswer::List(vec![member(
        "boss",
        TeamRole::Owner,
    )])));
    s.update(Action::SignOut);
    assert_eq!(s.team, Default::default());
}
