//! A visitor's data, for a site's owners and admins, from the visitor panel:
//! everything stored about them downloaded as JSON (`GET
//! /api/v1/sites/{site}/visitors/{visitor}/export`) or erased (`DELETE …`,
//! after a second click). An erasure reaches every console as
//! `conversationRemoved`, which closes the pane; this holds only the request
//! in flight and the last refusal. Requests go out as
//! [`VisitorDataRequest`]s, answers come back as [`VisitorDataAnswer`]s.

use super::action::Effect;
use super::console::ConsoleState;

/// The panel's data controls.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VisitorData {
    /// A request is in flight.
    pub busy: bool,
    /// The last refusal, in the server's words (`.kc-visitor-data-error`).
    pub error: Option<String>,
}

/// An HTTP request for the controller (`Effect::VisitorData`), naming the
/// visitor as the profile does (`visitor:<id>`).
#[derive(Clone, Debug, PartialEq)]
pub enum VisitorDataRequest {
    /// Download what is stored about them.
    Export(String),
    /// Erase them and everything stored about them.
    Erase(String),
}

/// What the server answered (`Action::VisitorDataAnswer`).
#[derive(Clone, Debug, PartialEq)]
pub enum VisitorDataAnswer {
    /// The JSON went to the browser, or the visitor is gone.
    Done,
    /// Refused or failed: the words to show.
    Failed(String),
}

impl ConsoleState {
    pub(super) fn visitor_data(&mut self, request: VisitorDataRequest) -> Vec<Effect> {
        if !self.team.administers() || self.visitor_data.busy {
            return vec![];
        }
        self.visitor_data = VisitorData {
            busy: true,
            error: None,
        };
        vec![Effect::VisitorData(request)]
    }

    pub(super) fn visitor_data_answer(&mut self, answer: VisitorDataAnswer) -> Vec<Effect> {
        self.visitor_data.busy = false;
        if let VisitorDataAnswer::Failed(text) = answer {
            self.visitor_data.error = Some(text);
        }
        vec![]
    }
}
