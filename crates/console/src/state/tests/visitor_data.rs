//! A visitor's data from the panel: only owners and admins send the export
//! or the erasure, one at a time; a refusal is shown until the next try.

use super::*;
use crate::state::team::TeamAnswer;
use crate::state::visitor_data::{VisitorDataAnswer, VisitorDataRequest};
use kefu_protocol::TeamRole;

#[test]
fn only_owners_and_admins_export_or_erase_one_request_at_a_time() {
    let mut s = online();
    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Agent)));
    let export = VisitorDataRequest::Export("visitor:v_1".into());
    assert!(s.update(Action::VisitorData(export.clone())).is_empty());

    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Owner)));
    let fx = s.update(Action::VisitorData(export.clone()));
    assert_eq!(fx, vec![Effect::VisitorData(export)]);
    let erase = VisitorDataRequest::Erase("visitor:v_1".into());
    assert!(
        s.update(Action::VisitorData(erase.clone())).is_empty(),
        "one at a time"
    );

    let words = "visitor not found".to_owned();
    s.update(Action::VisitorDataAnswer(VisitorDataAnswer::Failed(
        words.clone(),
    )));
    assert_eq!(
        (s.visitor_data.busy, s.visitor_data.error.clone()),
        (false, Some(words))
    );
    let fx = s.update(Action::VisitorData(erase.clone()));
    assert_eq!(fx, vec![Effect::VisitorData(erase)]);
    assert_eq!(s.visitor_data.error, None);
    s.update(Action::VisitorDataAnswer(VisitorDataAnswer::Done));
    assert!(!s.visitor_data.busy);
}
