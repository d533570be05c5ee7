//! [`ConsoleContext`]: what the root `App` provides to every component: the
//! current snapshot and the controller to send intents to.

use crate::controller::Controller;
use crate::state::{Action, ConsoleState};
use std::rc::Rc;
use yew::prelude::*;

/// The console as components see it.
#[derive(Clone)]
pub struct ConsoleContext {
    /// The state to render.
    pub state: Rc<ConsoleState>,
    /// Where intents go.
    pub controller: Rc<Controller>,
}

impl PartialEq for ConsoleContext {
    /// Snapshots are replaced, never mutated: pointer equality is exact and cheap.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && Rc::ptr_eq(&self.controller, &other.controller)
    }
}

impl ConsoleContext {
    /// Run an intent through the reducer.
    pub fn dispatch(&self, action: Action) {
        self.controller.dispatch(action);
    }

    /// A callback that dispatches `action` whatever the event.
    pub fn on<E>(&self, action: Action) -> Callback<E> {
        let controller = self.controller.clone();
        Callback::from(move |_| controller.dispatch(action.clone()))
    }

    /// Send a text in the shown conversation.
    pub fn send(&self, text: String) {
        self.controller.send_text(text);
    }
}

/// The console context provided by `App`.
#[hook]
pub fn use_console() -> ConsoleContext {
    use_context::<ConsoleContext>().expect("components are rendered inside App's ConsoleContext")
}
