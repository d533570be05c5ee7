//! [`App`]: the widget's root component: subscribes to the controller's snapshots,
//! provides them as [`ChatContext`], and lays out the launcher and the window.
//! Mounted by `mount()` on the container inside the loader's shadow root.

use crate::components::{ChatWindow, Launcher};
use crate::controller::Controller;
use crate::hooks::ChatContext;
use crate::runtime::{use_snapshot, RootProps};
use yew::prelude::*;

/// Props of [`App`].
pub type AppProps = RootProps<Controller>;

/// The widget.
#[component]
pub fn App(props: &AppProps) -> Html {
    let state = use_snapshot(&props.controller);
    let context = ChatContext {
        state,
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
