//! [`App`]: the console's root component: subscribes to the controller's
//! snapshots, provides them as [`ConsoleContext`], and lays out the sign-in
//! form, or the header, the tabs with their list, and the main area (the
//! conversation pane, the inbox or the canned replies).

use crate::components::{
    BotTab, CannedTab, ConvList, Header, Inbox, Login, Notes, Pane, SearchBox, SearchResults,
    SiteTab, Tabs, TeamTab,
};
use crate::controller::Controller;
use crate::hooks::ConsoleContext;
use crate::state::{Conn, Tab};
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

/// The console.
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
    let context = ConsoleContext {
        state: (*state).clone(),
        controller: props.controller.clone(),
    };
    let s = &context.state;
    let body = if s.conn == Conn::SignedOut {
        html! { <Login /> }
    } else {
        let main = match s.tab {
            Tab::Inbox => html! { <Inbox /> },
            Tab::Canned => html! { <CannedTab /> },
            Tab::Team => html! { <TeamTab /> },
            Tab::Bot => html! { <BotTab /> },
            Tab::Site => html! { <SiteTab /> },
            Tab::Mine | Tab::Queue | Tab::Ended => html! { <Pane /> },
        };
        html! {
            <>
                <Header />
                <Notes />
                <div class="kc-body">
                    <nav class="kc-side">
                        <SearchBox />
                        <Tabs />
                        <SearchResults />
                        <ConvList />
                    </nav>
                    <main class="kc-main">{main}</main>
                </div>
            </>
        }
    };
    html! {
        <ContextProvider<ConsoleContext> context={context.clone()}>
            <div class="kc-app">{body}</div>
        </ContextProvider<ConsoleContext>>
    }
}
