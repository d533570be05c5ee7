//! The conversation pane (`.kc-pane[data-conversation-id]`): who and where the
//! session stands, the [`super::actions`] this agent may take, the messages
//! (older pages with `button.kc-load-older`) and this agent's uploads, "Visitor
//! is typing…" (`.kc-typing`, a polite live region), the composer while this
//! agent serves (files dropped on the pane upload then, with `.kc-drop-hint`
//! while dragging), and the [`super::visitor`] panel.

use super::actions::Actions;
use super::composer::Composer;
use super::conv_list::visitor_label;
use super::message_item::MessageItem;
use super::uploads::{attach_files, upload_rows};
use super::visitor::VisitorPanel;
use crate::hooks::use_console;
use crate::i18n;
use crate::state::{Action, Conv, Rating, Thread};
use kefu_protocol::{ConversationId, Flow, SessionState};
use kefu_widget::history_scroll::use_history_scroll;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The pane of the selected conversation, or a hint when none is.
#[component]
pub fn Pane() -> Html {
    let console = use_console();
    let s = &console.state;
    let Some(id) = s.selected.clone() else {
        return html! { <p class="kc-pane-empty">{i18n::t().no_selection}</p> };
    };
    let conv = s.convs.get(&id);
    let queued = s.convs.queue().iter().any(|r| r.conversation_id == &id);
    let state = conv.map(|c| &c.item.session);
    let mine = conv.is_some_and(|c| c.is_served_by(s.me_id()));
    let profile = s.threads.get(&id).and_then(|t| t.visitor.as_ref());
    let name = visitor_label(
        conv.and_then(|c| c.visitor_name())
            .or_else(|| profile.and_then(|p| p.name.as_deref())),
        conv.map_or_else(
            || profile.map_or("", |p| p.id.as_str()),
            |c| c.item.visitor.id.as_str(),
        ),
    );
    let line = match state {
        _ if queued => i18n::t().state_queued.to_owned(),
        Some(st) => match (st.state, &st.agent) {
            (SessionState::Serving, Some(a)) => format!("{} {}", i18n::t().state_serving, a.name),
            (SessionState::Serving, None) => i18n::t().state_serving.to_owned(),
            (SessionState::Queued, _) => i18n::t().state_queued.to_owned(),
            (SessionState::Bot, _) => i18n::t().state_bot.to_owned(),
            (SessionState::Ended, _) => i18n::t().state_ended.to_owned(),
        },
        None => String::new(),
    };
    let rating = conv.map_or(Rating::None, Conv::rating);
    let thread = s.threads.get(&id);
    let remote = super::cobrowse::phase_of(thread);
    let control = thread.is_some_and(|t| t.control);
    let viewing = (mine && remote == kefu_protocol::RcPhase::Live).then(|| {
        html! { <super::cobrowse::RemoteView id={id.clone()} {control} /> }
    });
    let dragging = use_state(|| false);
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            if mine {
                e.prevent_default();
                if !*dragging {
                    dragging.set(true);
                }
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            let to = e
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            let from = e
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            if !from.is_some_and(|f| f.contains(to.as_ref())) {
                dragging.set(false);
            }
        })
    };
    let ondrop = {
        let (console, dragging, id) = (console.clone(), dragging.clone(), id.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if mine {
                attach_files(&console, &id, e.data_transfer().and_then(|d| d.files()));
            }
        })
    };
    html! {
        <section class="kc-pane" data-conversation-id={id.to_string()}>
            <div class="kc-pane-main" {ondragover} {ondragleave} {ondrop}>
                <header class="kc-pane-head">
                    <div class="kc-pane-who">
                        <strong class="kc-pane-name">{name}</strong>
                        <span class="kc-pane-state">
                            {line}
                            { for conv.and_then(|c| c.item.category.as_deref())
                                .map(|c| html! { <span class="kc-category">{s.category_name(c).to_owned()}</span> }) }
                        </span>
                    </div>
                    <Actions id={id.clone()} {queued} {mine} {rating} {remote} />
                </header>
                { for viewing }
                <Messages key={id.to_string()} id={id.clone()} />
                <div class="kc-typing" aria-live="polite">
                    { for s.threads.get(&id).and_then(|t| t.im.typist.as_ref()).map(|_| i18n::t().visitor_typing) }
                </div>
                { for mine.then(|| html! { <Composer key={id.to_string()} /> }) }
                if *dragging {
                    <div class="kc-drop-hint" aria-hidden="true">{i18n::t().drop_hint}</div>
                }
            </div>
            <VisitorPanel id={id} />
        </section>
    }
}

/// Props of [`Messages`].
#[derive(Properties, PartialEq)]
pub struct MessagesProps {
    /// The conversation.
    pub id: ConversationId,
}

/// `div.kc-messages`: the thread, newest at the bottom, scrolled like the
/// widget's list ([`use_history_scroll`]: paging on scrolling up with the place
/// kept, a rendered window, and `button.kc-new-messages` for the visitor's new
/// messages while the agent reads older ones). Keyed by conversation, so each
/// conversation starts at its bottom.
#[component]
pub fn Messages(props: &MessagesProps) -> Html {
    let console = use_console();
    let s = &console.state;
    let empty = Thread::default();
    let thread = s.threads.get(&props.id).unwrap_or(&empty);
    let me = s.me_id().to_owned();
    let all = thread.timeline.items();
    let newest = |incoming: bool| {
        all.iter()
            .filter(|m| !incoming || m.from != me)
            .filter_map(|m| m.sequence)
            .max()
            .unwrap_or(0)
    };
    let h = &thread.history;
    let can_load = h.next_req_message_id.is_some() && !h.is_completed;
    let load = {
        let console = console.clone();
        use_callback((), move |(), _| console.dispatch(Action::LoadOlder))
    };
    let scroll = use_history_scroll(
        all,
        newest(false),
        newest(true),
        can_load && !h.loading,
        load,
    );
    let (start, end) = (scroll.start, scroll.end);
    let jump = scroll.unseen.then(|| {
        html! {
            <div class="kc-jump">
                <button type="button" class="kc-new-messages" onclick={scroll.jump.clone()}>
                    {i18n::t().new_messages}
                </button>
            </div>
        }
    });
    let older = (start > 0 || can_load).then(|| {
        html! {
            <button type="button" class="kc-load-older" disabled={h.loading}
                onclick={scroll.older.clone()}>
                { if h.loading { i18n::t().loading } else { i18n::t().load_older } }
            </button>
        }
    });
    let me_attr = AttrValue::from(me.clone());
    let peer_read = thread.im.peer_read;
    let on_act = {
        let console = console.clone();
        use_callback((), move |a: Action, _| console.dispatch(a))
    };
    let now = js_sys::Date::now();
    let revoke_ms = s.revoke_secs.checked_mul(1000);
    let rows = all[start..end].iter().map(|m| {
        let read = m.flow == Flow::Out && m.sequence.is_some_and(|q| q <= peer_read);
        let draft =
            m.id.as_ref()
                .and_then(|id| thread.im.draft(id))
                .map(|d| AttrValue::from(d.to_owned()));
        let revocable =
            m.flow == Flow::Out && revoke_ms.is_some_and(|w| now - (m.time as f64) < f64::from(w));
        let from = if m.from.is_empty() {
            me.as_str()
        } else {
            m.from.as_str()
        };
        let avatar = s.avatar_of(from).map(|a| AttrValue::from(a.to_owned()));
        html! {
            <MessageItem key={m.key()} msg={m.clone()} me={me_attr.clone()} {read} {draft}
                {revocable} {avatar} on_act={on_act.clone()} />
        }
    });
    html! {
        <div class="kc-messages" ref={scroll.list} role="log" aria-live="polite"
            onscroll={scroll.onscroll}>
            { jump }
            // One child per slot, the messages one keyed fragment: a message
            // arriving or a window moving patches only what changed.
            <div class="kc-track">
                { older }
                { rows.collect::<Html>() }
                { upload_rows(&console, &props.id, thread) }
            </div>
        </div>
    }
}
