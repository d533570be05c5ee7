//! [`App`]: the console's root component: subscribes to the controller's
//! snapshots, provides them as [`ConsoleContext`], and lays out the sign-in
//! form, or the header, the tabs with their list, and the main area (the
//! conversation pane, the inbox or the canned replies).

use crate::components::{
    AccountTab, BotTab, CannedTab, ConvList, Header, Inbox, KbTab, Login, Notes, Pane, ReportsTab,
    SearchBox, SearchResults, SiteTab, Tabs, TeamTab, WebhooksTab,
};
use crate::controller::Controller;
use crate::hooks::ConsoleContext;
use crate::state::{Conn, Tab};
use kefu_widget::runtime::{use_snapshot, RootProps};
use yew::prelude::*;

/// Props of [`App`].
pub type AppProps = RootProps<Controller>;

/// The console.
#[component]
pub fn App(props: &AppProps) -> Html {
    let state = use_snapshot(&props.controller);
    let context = ConsoleContext {
        state,
        controller: props.controller.clone(),
    };
    let s = &context.state;
    // Everything below renders in the agent's language; a new pick rebuilds
    // the tree (the `key`), so no component keeps text of the old one.
    crate::i18n::set(s.locale);
    lang_attribute(s.locale);
    let body = if s.conn == Conn::SignedOut {
        html! { <Login /> }
    } else {
        let main = match s.tab {
            Tab::Inbox => html! { <Inbox /> },
            Tab::Canned => html! { <CannedTab /> },
            Tab::Team => html! { <TeamTab /> },
            Tab::Bot => html! { <BotTab /> },
            Tab::Site => html! { <SiteTab /> },
            Tab::Kb => html! { <KbTab /> },
            Tab::Reports => html! { <ReportsTab /> },
            Tab::Webhooks => html! { <WebhooksTab /> },
            Tab::Account => html! { <AccountTab /> },
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
            <div class="kc-app" key={s.locale.tag()}>{body}</div>
        </ContextProvider<ConsoleContext>>
    }
}

/// `<html lang>` follows the console's language (fonts, hyphenation, screen readers).
fn lang_attribute(locale: crate::i18n::Locale) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        if root.get_attribute("lang").as_deref() != Some(locale.tag()) {
            let _ = root.set_attribute("lang", locale.tag());
        }
    }
}
