//! [`App`]: the widget's root component: subscribes to the controller's snapshots,
//! provides them as [`ChatContext`], and lays out the launcher and the window.
//! Mounted by `mount()` on the container inside the loader's shadow root.

use crate::components::{ChatWindow, Launcher};
use crate::controller::Controller;
use crate::hooks::ChatContext;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`App`].
#[derive(Properties, Clone)]
pub struct AppProps {
    /// The runtime this app renders.
    pub controller: Rc<Controller>,
}

impl PartialEq for AppProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.controller, &other.controller)
    }
}

/// The widget.
#[component]
pub fn App(props: &AppProps) -> Html {
    let state = use_state(|| props.controller.state());
    {
        let setter = state.setter();
        let controller = props.controller.clone();
        use_effect_with((), move |_| {
            let publish = setter.clone();
            controller.subscribe(Some(Callback::from(move |s| publish.set(s))));
            // Catch up with anything dispatched between the first render and now.
            setter.set(controller.state());
            move || controller.subscribe(None)
        });
    }
    let context = ChatContext {
        state: (*state).clone(),
        controller: props.controller.clone(),
    };
    let s = &context.state;
    html! {
        <ContextProvider<ChatContext> context={context.clone()}>
            <div class="kefu-app" lang={context.strings().lang}
                data-conn={s.conn.as_str()} data-open={if s.open { "true" } else { "false" }}>
                <ChatWindow />
                <Launcher />
            </div>
        </ContextProvider<ChatContext>>
    }
}
