//! The reports screen: only for owners and admins, the report read when it
//! opens (the server's default range until the agent picks days), a range
//! kept for the CSV, the report and refusals shown, the screen left on
//! demotion.

use super::*;
use crate::state::reports::{DayRange, ReportsAnswer, ReportsIntent, ReportsRequest};
use crate::state::team::TeamAnswer;
use crate::state::Tab;
use kefu_protocol::report::Report;
use kefu_protocol::TeamRole;

fn as_role(role: TeamRole) -> ConsoleState {
    let mut s = online();
    s.update(Action::TeamAnswer(TeamAnswer::Me(role)));
    s
}

/// A report as the server writes it (the wire shape, read with the protocol's type).
fn report() -> Report {
    serde_json::from_value(json!({
        "from": "2026-12-01", "to": "2026-12-02", "timeZone": "Europe/Berlin",
        "days": [
            {"date": "2026-12-01", "conversations": 3, "queued": 2, "served": 1, "leftMessages": 1,
             "ratings": 1, "firstResponseMedianMs": 4000, "averageStars": 5.0},
            {"date": "2026-12-02", "conversations": 0, "queued": 0, "served": 0, "leftMessages": 0,
             "ratings": 0, "firstResponseMedianMs": null, "averageStars": null},
        ],
        "totals": {"conversations": 3, "queued": 2, "served": 1, "leftMessages": 1, "ratings": 1},
        "firstResponse": {"count": 1, "medianMs": 4000, "p90Ms": 4000},
        "resolution": {"count": 0, "medianMs": null, "p90Ms": null},
        "csat": {"count": 1, "average": 5.0, "distribution": [0, 0, 0, 0, 1],
                 "comments": [{"stars": 5, "comment": "quick!", "time": 1, "conversationID": "c1"}]},
        "bot": {"replies": 2, "answered": 1, "suggested": 0, "unanswered": 1, "answerRate": 0.5,
                "missed": [{"question": "gift wrap?", "times": 2, "lastAt": 5}]},
    }))
    .expect("the server's shape")
}

#[test]
fn an_agent_gets_no_reports_and_sends_nothing() {
    let mut s = as_role(TeamRole::Agent);
    assert!(s.update(Action::SelectTab(Tab::Reports)).is_empty());
    assert_eq!(s.tab, Tab::Mine);
    let range = ReportsIntent::Range(DayRange::default());
    assert!(s.update(Action::Reports(range)).is_empty());
    assert!(s
        .update(Action::Reports(ReportsIntent::DownloadCsv))
        .is_empty());
}

#[test]
fn opening_reads_the_default_range_and_a_picked_range_is_kept_for_the_csv() {
    let mut s = as_role(TeamRole::Admin);
    let fx = s.update(Action::SelectTab(Tab::Reports));
    let default = ReportsRequest::Get(DayRange::default());
    assert_eq!(fx, vec![Effect::Reports(default)]);
    assert!(s.reports.busy);
    s.update(Action::ReportsAnswer(ReportsAnswer::Loaded(Box::new(
        report(),
    ))));
    assert!(!s.reports.busy);
    assert_eq!(
        s.reports.report.as_ref().map(|r| r.csat.distribution),
        Some([0, 0, 0, 0, 1])
    );

    let days = DayRange {
        from: "2026-11-01".into(),
        to: "2026-11-30".into(),
    };
    let fx = s.update(Action::Reports(ReportsIntent::Range(days.clone())));
    assert_eq!(fx, vec![Effect::Reports(ReportsRequest::Get(days.clone()))]);
    let fx = s.update(Action::Reports(ReportsIntent::DownloadCsv));
    assert_eq!(fx, vec![Effect::Reports(ReportsRequest::Csv(days.clone()))]);
    // Reopening the screen shows the same days again.
    s.update(Action::SelectTab(Tab::Mine));
    let fx = s.update(Action::SelectTab(Tab::Reports));
    assert_eq!(fx, vec![Effect::Reports(ReportsRequest::Get(days))]);
}

#[test]
fn a_refusal_is_shown_until_the_next_request_and_the_report_stays() {
    let mut s = as_role(TeamRole::Owner);
    s.update(Action::SelectTab(Tab::Reports));
    s.update(Action::ReportsAnswer(ReportsAnswer::Loaded(Box::new(
        report(),
    ))));
    let bad = DayRange {
        from: "2026-12-02".into(),
        to: "2026-11-01".into(),
    };
    s.update(Action::Reports(ReportsIntent::Range(bad)));
    let words = "from must not be after to".to_owned();
    s.update(Action::ReportsAnswer(ReportsAnswer::Failed(words.clone())));
    assert_eq!(s.reports.error, Some(words));
    assert!(s.reports.report.is_some(), "the last report stays");
    let shown = DayRange {
        from: "2026-12-01".into(),
        to: "2026-12-02".into(),
    };
    assert_eq!(s.reports.range, shown, "the refused range is not kept");
    s.update(Action::SelectTab(Tab::Mine));
    let fx = s.update(Action::SelectTab(Tab::Reports));
    assert_eq!(fx, vec![Effect::Reports(ReportsRequest::Get(shown))]);
    s.update(Action::Reports(ReportsIntent::DownloadCsv));
    assert_eq!(s.reports.error, None);
}

#[test]
fn a_demoted_agent_leaves_the_reports() {
    let mut s = as_role(TeamRole::Admin);
    s.update(Action::SelectTab(Tab::Reports));
    s.update(Action::TeamAnswer(TeamAnswer::Me(TeamRole::Agent)));
    s.update(Action::ReportsAnswer(ReportsAnswer::Failed(
        "forbidden".into(),
    )));
    assert_eq!(s.tab, Tab::Mine);
}
