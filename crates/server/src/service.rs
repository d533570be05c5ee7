//! The smart customer service: the session lifecycle around a conversation
//! (bot → queued → serving → ended), the bot's turns, business hours, and the
//! live views pushed on every change (`session` to the visitor, `queue` to the
//! site's agents). Every lifecycle step is a stored `custom` message from `bot`
//! or `system`, appended with the same rule as a visitor's message and pushed
//! to everyone in the conversation.
//!
//! - [`rules`]: the pure state machine (who may do what in which state).
//! - [`hours`]: business hours per site (pure, with the clock injected).
//! - [`turn`]: the bot's answer to a question click or free text.
//! - [`human`]: asking for a human (the queue, or leave-a-message).
//! - [`texts`]: the stored texts in English and zh-CN, by the visitor's locale.
//! - [`console`]: what agents' consoles see (lists, `conversation` pushes,
//!   visitor profiles, canned replies).
//! - [`delivery`]: the one path of a stored message (a person's, the bot's,
//!   the service's) to the people in its conversation.
//! - [`inbox`]: pushes of the agents' inbox of left messages.
//! - [`search`]: the answer to an agent's `searchConversations`.
//! - [`user_agent`]: browser and OS from a `User-Agent`.
//!
//! The gateway (`gateway/connection/service.rs`) calls in after its access checks.

pub mod assign;
pub mod console;
pub mod delivery;
pub mod hours;
pub mod human;
pub mod inbox;
pub mod presence;
pub mod rules;
pub mod search;
pub mod texts;
pub mod turn;
pub mod user_agent;

use crate::hub::{Push, Topic, NOBODY};
use crate::store::{Appended, Conversation, NewMessage, NewVisitor, SessionRow, StoredMessage};
use crate::{AppState, Result};
use axum::extract::ws::Utf8Bytes;
use kefu_protocol::{
    encode, AgentCard, ClientMsgId, CustomElem, CustomKind, MessageBody, Party, QuestionRef,
    QueueEntry, ServerFrame, SessionInfo,
};
use rules::State;
use texts::{Locale, Text};

/// How many hot questions a new session offers.
pub const HOT_QUESTIONS: usize = 5;

/// Who a stored service message is from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Author {
    /// The knowledge-base bot (answers, question lists).
    Bot,
    /// The service itself (session events, prompts).
    System,
}

impl Author {
    fn wire(self) -> &'static str {
        match self {
            Author::Bot => Party::BOT,
            Author::System => Party::SYSTEM,
        }
    }
}

/// Store a custom element in the conversation and push it to everyone in it.
pub async fn post(
    state: &AppState,
    conversation: &Conversation,
    author: Author,
    kind: CustomKind,
    text: &str,
) -> Result<StoredMessage> {
    let handed_to = handed_to(&kind);
    let row = automatic(conversation, author, kind, text);
    let (state, conversation) = (state.clone(), conversation.clone());
    // Run to the end even when the connection that asked goes away while the
    // write waits for its batch: a message that is committed is always pushed
    // (a client syncing from the highest sequence it holds would otherwise
    // never see it; the chaos harness found bot answers stored and never
    // pushed, `kefu-chaos --seed 11`).
    to_the_end(async move {
        let appended = state.store.append_row(row).await?;
        if let Some(agent) = handed_to {
            // A `reception` / `transfer` line: the agent's read mark starts at it
            // before anyone is told, so a list they fetch on the push never shows
            // what came before (the bot, another agent's chat) as unread. Their
            // console moves its own mark when it sees the line. The line is
            // committed: a failure here is logged, and the push still goes.
            let sequence = u64::try_from(appended.message.sequence).unwrap_or(0);
            let marked = state
                .store
                .mark_agent_read(&conversation.id, &agent, sequence);
            if let Err(e) = marked.await {
                tracing::warn!(error = %e, "moving the new agent's read mark");
            }
        }
        delivery::stored(&state, &conversation, &appended.message, NOBODY).await;
        Ok(appended.message)
    })
    .await
}

/// The agent (store ID) a `reception` or `transfer` line hands the
/// conversation to.
fn handed_to(kind: &CustomKind) -> Option<String> {
    match kind {
        CustomKind::Reception { agent, .. } | CustomKind::Transfer { agent, .. } => {
            let id = Party::agent_in(&agent.id).unwrap_or(&agent.id);
            Some(id.to_owned())
        }
        _ => None,
    }
}

/// Run `work` in a task of its own and wait for it: dropping the caller (its
/// connection went away) does not stop it, so what `work` commits it also
/// pushes.
pub async fn to_the_end<T: Send + 'static>(
    work: impl std::future::Future<Output = Result<T>> + Send + 'static,
) -> Result<T> {
    tokio::spawn(work)
        .await
        .map_err(|e| anyhow::anyhow!("a store-and-push task failed: {e}"))?
}

/// The row of an automatic message (bot or system) to the visitor, not yet
/// stored (its sequence is given by the append).
fn automatic(
    conversation: &Conversation,
    author: Author,
    kind: CustomKind,
    text: &str,
) -> StoredMessage {
    let body = MessageBody::Custom(CustomElem::automatic(kind, text));
    let key = ClientMsgId(crate::store::new_id("auto"));
    let new = NewMessage {
        sender: author.wire(),
        recipient: Party::visitor(conversation.visitor_id.as_str()).wire(),
        nick: None,
        client_msg_id: &key,
        body: &body,
    };
    crate::store::unsaved(&conversation.id, &new)
}

/// Store a service text, in the conversation visitor's locale (English when
/// they never gave one), like [`post`].
pub async fn post_text(
    state: &AppState,
    conversation: &Conversation,
    author: Author,
    kind: CustomKind,
    text: Text<'_>,
) -> Result<StoredMessage> {
    let locale = visitor_locale(state, conversation).await?;
    let rendered = if text.site_sets() {
        text.render_for(locale, &texts::of_site(state, &conversation.site).await?)
    } else {
        text.render(locale)
    };
    post(state, conversation, author, kind, &rendered).await
}

/// The language the conversation's visitor last said hello in.
pub async fn visitor_locale(state: &AppState, conversation: &Conversation) -> Result<Locale> {
    let tag = state.store.visitor_locale(&conversation.visitor_id).await?;
    Ok(tag.as_deref().map(Locale::from_tag).unwrap_or_default())
}

/// The visitor's and the site's agents' topics.
pub fn topics(conversation: &Conversation) -> [Topic; 2] {
    [
        Topic::Visitor(conversation.visitor_id.clone()),
        Topic::Site(conversation.site.clone()),
    ]
}

/// Start a session in state bot: `createsession`; with `welcome`, also the
/// welcome `prompts` and the hot questions (when the site has a knowledge
/// base) — the session and its messages in one write, then pushed.
pub async fn open_session(
    state: &AppState,
    conversation: &Conversation,
    welcome: bool,
) -> Result<SessionRow> {
    let session_id = kefu_protocol::SessionId(crate::store::new_id("s"));
    let locale = visitor_locale(state, conversation).await?;
    let rows = opening(state, conversation, &session_id, locale, welcome).await?;
    let (state, conversation) = (state.clone(), conversation.clone());
    to_the_end(async move {
        let (session, stored) = state
            .store
            .open_session(&conversation.id, &conversation.site, &session_id, rows)
            .await?;
        announce(&state, &conversation, &stored).await;
        Ok(session)
    })
    .await
}

/// A visitor starts to chat: their rows, their first session, its welcome
/// and hot questions, in one write; then pushed (the visitor gets the messages
/// and `session`, agents the conversation). Nothing happens when another
/// connection of the visitor started it first. Returns the conversation.
pub async fn start_conversation(
    state: &AppState,
    site: &kefu_protocol::SiteId,
    visitor_id: &str,
    visitor: NewVisitor,
) -> Result<Conversation> {
    let conversation = crate::gateway::hello::unstored_conversation(site, visitor_id);
    let session_id = kefu_protocol::SessionId(crate::store::new_id("s"));
    let locale = visitor
        .locale
        .as_deref()
        .map(Locale::from_tag)
        .unwrap_or_default();
    let rows = opening(state, &conversation, &session_id, locale, true).await?;
    let state = state.clone();
    to_the_end(async move {
        let started = state
            .store
            .start_visitor(&conversation, visitor, Some((session_id, rows)))
            .await?;
        let (conversation, stored) = match started {
            (conversation, Some((_, stored))) => (conversation, stored),
            (conversation, None) => return Ok(conversation),
        };
        announce(&state, &conversation, &stored).await;
        push_session(&state, &conversation).await?;
        Ok(conversation)
    })
    .await
}

/// The messages that open session `session_id`: `createsession`, and with
/// `welcome` the bot's welcome line and the hot questions in the visitor's
/// language, or on a site whose bot is off the service's welcome alone.
async fn opening(
    state: &AppState,
    conversation: &Conversation,
    session_id: &kefu_protocol::SessionId,
    locale: Locale,
    welcome: bool,
) -> Result<Vec<StoredMessage>> {
    let created = CustomKind::CreateSession {
        session_id: session_id.clone(),
    };
    let text = Text::SessionStarted.render(locale);
    let mut rows = vec![automatic(conversation, Author::System, created, &text)];
    if !welcome {
        return Ok(rows);
    }
    let own = texts::of_site(state, &conversation.site).await?;
    if !crate::bot::enabled(&state.store, &conversation.site).await? {
        let text = Text::WelcomeWithoutBot.render_for(locale, &own);
        rows.push(automatic(
            conversation,
            Author::System,
            CustomKind::Prompts,
            &text,
        ));
        return Ok(rows);
    }
    let text = Text::Welcome.render_for(locale, &own);
    rows.push(automatic(
        conversation,
        Author::Bot,
        CustomKind::Prompts,
        &text,
    ));
    if let Some(hot) = hot_questions(state, conversation, locale).await? {
        rows.push(hot);
    }
    Ok(rows)
}

/// Push newly stored service messages to the conversation, then its list
/// item to the agents (logged, not returned: the messages are stored).
async fn announce(state: &AppState, conversation: &Conversation, stored: &[Appended]) {
    for appended in stored.iter().filter(|a| !a.duplicate) {
        delivery::publish(state, conversation, &appended.message, NOBODY);
    }
    if let Err(e) = console::push_conversation(state, conversation).await {
        tracing::warn!(error = %e, "pushing a conversation to the agents");
    }
}

/// The hot questions message of a new session, when the site's knowledge
/// base has some.
async fn hot_questions(
    state: &AppState,
    conversation: &Conversation,
    locale: Locale,
) -> Result<Option<StoredMessage>> {
    let Some(index) = state.bots.index(&state.store, &conversation.site).await? else {
        return Ok(None);
    };
    let questions: Vec<QuestionRef> = index
        .knowledge_base()
        .hot_questions(HOT_QUESTIONS, Some(locale.tag()))
        .into_iter()
        .map(|e| QuestionRef {
            id: e.id.clone(),
            question: e.question.clone(),
        })
        .collect();
    if questions.is_empty() {
        return Ok(None);
    }
    let kind = CustomKind::HeatQuestion { questions };
    let text = Text::PopularQuestions.render(locale);
    Ok(Some(automatic(conversation, Author::Bot, kind, &text)))
}

/// The conversation's session, opening a fresh one (createsession only) when
/// there is none or the last one ended: a visitor's message after `stopsession`.
pub async fn live_session(state: &AppState, conversation: &Conversation) -> Result<SessionRow> {
    match state.store.current_session(&conversation.id).await? {
        Some(s) if s.state != State::Ended => Ok(s),
        _ => {
            let session = open_session(state, conversation, false).await?;
            push_session(state, conversation).await?;
            Ok(session)
        }
    }
}

/// An agent as visitors see them.
pub async fn agent_card(state: &AppState, agent_id: &str) -> Result<Option<AgentCard>> {
    Ok(state.store.get_agent(agent_id).await?.map(|a| AgentCard {
        id: Party::agent(&a.id).wire(),
        name: a.name,
        avatar: a.avatar,
    }))
}

/// The live view of a session.
pub async fn session_info(state: &AppState, s: &SessionRow) -> Result<SessionInfo> {
    let st = s.state;
    let agent = match &s.agent_id {
        Some(id) if matches!(st, State::Serving | State::Ended) => agent_card(state, id).await?,
        _ => None,
    };
    let queue_position = match st {
        State::Queued => {
            let site = kefu_protocol::SiteId(s.site_id.clone());
            let queue = state.store.queue(&site).await?;
            queue
                .iter()
                .position(|(q, _)| q.id == s.id)
                .and_then(|i| u32::try_from(i + 1).ok())
        }
        _ => None,
    };
    Ok(SessionInfo {
        session_id: s.session_id(),
        state: st.wire(),
        agent,
        queue_position,
        can_rate: rules::can_rate(s),
        version: u64::try_from(s.version).unwrap_or_default(),
    })
}

/// The `session` frame for the conversation's current session, if it has one.
pub async fn session_frame(
    state: &AppState,
    conversation: &Conversation,
) -> Result<Option<ServerFrame>> {
    let Some(s) = state.store.current_session(&conversation.id).await? else {
        return Ok(None);
    };
    Ok(Some(ServerFrame::Session {
        conversation_id: conversation.id.clone(),
        session: session_info(state, &s).await?,
    }))
}

/// Push the conversation's `session` frame to the visitor's connections.
pub async fn push_session(state: &AppState, conversation: &Conversation) -> Result<()> {
    if let Some(frame) = session_frame(state, conversation).await? {
        let bytes: Utf8Bytes = encode(&frame).into();
        let topic = Topic::Visitor(conversation.visitor_id.clone());
        state.hub.publish(&[topic], NOBODY, Push::All(bytes));
    }
    Ok(())
}

/// The site's queue as agents see it.
pub async fn queue_frame(state: &AppState, site: &kefu_protocol::SiteId) -> Result<ServerFrame> {
    let queue = state.store.queue(site).await?;
    let entries = queue
        .into_iter()
        .enumerate()
        .map(|(i, (s, visitor))| QueueEntry {
            conversation_id: kefu_protocol::ConversationId(s.conversation_id.clone()),
            session_id: s.session_id(),
            visitor: Party::visitor(&visitor).wire(),
            position: u32::try_from(i + 1).unwrap_or(u32::MAX),
            since: s.queued_at.unwrap_or_default(),
            category: s.category,
        })
        .collect();
    Ok(ServerFrame::Queue { entries })
}

/// After a queue change: the queue to every agent of the site, and fresh
/// positions to every visitor still waiting.
pub async fn push_queue(state: &AppState, site: &kefu_protocol::SiteId) -> Result<()> {
    let frame = queue_frame(state, site).await?;
    let ServerFrame::Queue { entries } = &frame else {
        unreachable!("queue_frame builds a queue frame")
    };
    crate::metrics::queue_length(site, entries.len());
    for entry in entries {
        if let Some(c) = state.store.get_conversation(&entry.conversation_id).await? {
            push_session(state, &c).await?;
        }
    }
    let bytes: Utf8Bytes = encode(&frame).into();
    state
        .hub
        .publish(&[Topic::Site(site.clone())], NOBODY, Push::All(bytes));
    Ok(())
}
