//! The reports screen, for a site's owners and admins (opened from the
//! header): a range of days (`from`, `to`; empty for the server's default, the
//! last 30 days in the site's time zone) and the site's report for it (`GET
//! /api/v1/sites/{site}/reports`, a [`Report`]), drawn by the component; the
//! same range as a CSV file to download. Requests go out as
//! [`ReportsRequest`]s, answers come back as [`ReportsAnswer`]s; the server
//! checks the role and the dates.

use super::action::{Effect, Tab};
use super::console::ConsoleState;
use kefu_protocol::report::Report;

/// What the reports screen shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportsScreen {
    /// The range asked for, as `YYYY-MM-DD` (empty: the server's default);
    /// after a refusal, the range of the report on show.
    pub range: DayRange,
    /// A request is in flight.
    pub busy: bool,
    /// The last refusal, in the server's words (`.kc-reports-error`).
    pub error: Option<String>,
    /// The last report the server sent.
    pub report: Option<Report>,
}

/// A range of days as the date inputs hold them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayRange {
    /// The first day, `YYYY-MM-DD`, or empty.
    pub from: String,
    /// The last day, `YYYY-MM-DD`, or empty.
    pub to: String,
}

/// The agent's intents on the reports screen.
#[derive(Clone, Debug, PartialEq)]
pub enum ReportsIntent {
    /// Show these days.
    Range(DayRange),
    /// Download the shown range as CSV.
    DownloadCsv,
}

/// An HTTP request for the controller (`Effect::Reports`).
#[derive(Clone, Debug, PartialEq)]
pub enum ReportsRequest {
    /// `GET …/reports?from&to`.
    Get(DayRange),
    /// `GET …/reports?from&to&format=csv`, handed to the browser as a file.
    Csv(DayRange),
}

/// What the server answered (`Action::ReportsAnswer`).
#[derive(Clone, Debug, PartialEq)]
pub enum ReportsAnswer {
    /// The report.
    Loaded(Box<Report>),
    /// The CSV went to the browser.
    Downloaded,
    /// Refused or failed: the words to show.
    Failed(String),
}

impl ConsoleState {
    /// The reports screen opened: read the report of the range shown.
    pub(super) fn reports_opened(&mut self) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        self.reports.busy = true;
        vec![Effect::Reports(ReportsRequest::Get(
            self.reports.range.clone(),
        ))]
    }

    pub(super) fn reports_intent(&mut self, intent: ReportsIntent) -> Vec<Effect> {
        if !self.team.administers() {
            return vec![];
        }
        let request = match intent {
            ReportsIntent::Range(range) => {
                self.reports.range = range.clone();
                ReportsRequest::Get(range)
            }
            ReportsIntent::DownloadCsv => ReportsRequest::Csv(self.reports.range.clone()),
        };
        self.reports.busy = true;
        self.reports.error = None;
        vec![Effect::Reports(request)]
    }

    pub(super) fn reports_answer(&mut self, answer: ReportsAnswer) -> Vec<Effect> {
        self.reports.busy = false;
        match answer {
            ReportsAnswer::Loaded(report) => self.reports.report = Some(*report),
            ReportsAnswer::Downloaded => {}
            ReportsAnswer::Failed(text) => {
                self.reports.error = Some(text);
                // A refused range is not kept: reopening shows the report on show.
                self.reports.range = match &self.reports.report {
                    Some(r) => DayRange {
                        from: r.from.clone(),
                        to: r.to.clone(),
                    },
                    None => DayRange::default(),
                };
            }
        }
        if self.tab == Tab::Reports && !self.team.administers() {
            self.tab = Tab::Mine;
        }
        vec![]
    }
}
