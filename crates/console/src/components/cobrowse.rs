//! Co-browsing in the pane of a conversation this agent serves:
//! [`RemoteButtons`] in the actions row — "View the visitor's screen"
//! (`button.kc-cobrowse-ask`), then "Waiting for the visitor…" with
//! `button.kc-cobrowse-cancel`, then `button.kc-cobrowse-stop` while viewing —
//! and [`RemoteView`] (`section.kc-cobrowse`) while the page is shared: the
//! visitor's page redrawn in an `<iframe sandbox="allow-same-origin">` (no
//! script of theirs runs here), scaled to fit, under a transparent layer that
//! turns the agent's clicks into pointing (a ring the visitor sees) or, once
//! the visitor allowed it, clicks on their page.

use crate::hooks::use_console;
use crate::i18n;
use crate::state::cobrowse::{phase, RemoteIntent};
use crate::state::{Action, Thread};
use kefu_protocol::{ConversationId, RcPhase};
use web_sys::{HtmlElement, HtmlIFrameElement};
use yew::prelude::*;

/// Where co-browsing of `thread` stands (off for a thread not loaded).
pub fn phase_of(thread: Option<&Thread>) -> RcPhase {
    thread.map_or(RcPhase::Off, |t| phase(&t.timeline))
}

/// Props of [`RemoteButtons`].
#[derive(Properties, PartialEq)]
pub struct RemoteButtonsProps {
    /// Where it stands.
    pub phase: RcPhase,
}

/// The co-browsing buttons of the actions row (this agent serves).
#[component]
pub fn RemoteButtons(props: &RemoteButtonsProps) -> Html {
    let console = use_console();
    let t = i18n::t();
    let on = |what| console.on(Action::Remote(what));
    match props.phase {
        RcPhase::Off => html! {
            <button type="button" class="kc-cobrowse-ask" onclick={on(RemoteIntent::Ask)}>
                {t.cobrowse_ask}
            </button>
        },
        RcPhase::Asked => html! {
            <>
                <span class="kc-cobrowse-waiting" role="status">{t.cobrowse_waiting}</span>
                <button type="button" class="kc-cobrowse-cancel" onclick={on(RemoteIntent::Cancel)}>
                    {t.cobrowse_cancel}
                </button>
            </>
        },
        RcPhase::Live => html! {
            <button type="button" class="kc-cobrowse-stop" onclick={on(RemoteIntent::Stop)}>
                {t.cobrowse_stop}
            </button>
        },
    }
}

/// Props of [`RemoteView`].
#[derive(Properties, PartialEq)]
pub struct RemoteViewProps {
    /// The conversation whose page is shown.
    pub id: ConversationId,
    /// Whether the visitor lets this agent click and type.
    pub control: bool,
}

/// `section.kc-cobrowse`: the view, and whether a click points or clicks
/// (`button.kc-cobrowse-point`, `button.kc-cobrowse-click`).
#[component]
pub fn RemoteView(props: &RemoteViewProps) -> Html {
    let console = use_console();
    let t = i18n::t();
    let frame = use_node_ref();
    let clicking = use_state(|| false);
    {
        let (controller, frame) = (console.controller.clone(), frame.clone());
        use_effect_with(props.id.clone(), move |id| {
            if let Some(iframe) = frame.cast::<HtmlIFrameElement>() {
                controller.open_viewer(id.clone(), iframe);
            }
            let controller = controller.clone();
            move || controller.close_viewer()
        });
    }
    let clicking_now = *clicking && props.control;
    let onclick = {
        let (console, frame) = (console.clone(), frame.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(iframe) = frame.cast::<HtmlElement>() else {
                return;
            };
            // Where in the frame as drawn (scaled); the viewer scales back.
            let rect = iframe.get_bounding_client_rect();
            let x = f64::from(e.client_x()) - rect.left();
            let y = f64::from(e.client_y()) - rect.top();
            if let Some(node) = console.controller.node_at(x, y) {
                let what = match clicking_now {
                    true => RemoteIntent::Click(node),
                    false => RemoteIntent::Point(node),
                };
                console.dispatch(Action::Remote(what));
            }
        })
    };
    let mode = |on: bool, class: &'static str, label: &'static str, enabled: bool| {
        let clicking = clicking.clone();
        let onclick = Callback::from(move |_: MouseEvent| clicking.set(on));
        html! {
            <button type="button" {class} aria-pressed={(clicking_now == on).to_string()}
                disabled={!enabled} {onclick}>{label}</button>
        }
    };
    html! {
        <section class="kc-cobrowse" aria-label={t.cobrowse_title}>
            <div class="kc-cobrowse-bar">
                <strong>{t.cobrowse_title}</strong>
                { mode(false, "kc-cobrowse-point", t.cobrowse_point, true) }
                { mode(true, "kc-cobrowse-click", t.cobrowse_click, props.control) }
                <span class="kc-cobrowse-control" data-control={props.control.to_string()}>
                    { if props.control { t.cobrowse_control_on } else { t.cobrowse_control_off } }
                </span>
            </div>
            <div class="kc-cobrowse-stage">
                <iframe ref={frame} class="kc-cobrowse-frame" src="/cobrowse/frame.html"
                    sandbox="allow-same-origin" title={t.cobrowse_title} tabindex="-1"></iframe>
                <div class="kc-cobrowse-layer" {onclick}></div>
            </div>
        </section>
    }
}
