//! What agents' consoles see of conversations and visitors: the list items
//! (`conversations`, and the `conversation` push after every stored message and
//! session change), the visitor profile (`visitor`), and the canned replies
//! push. Builds [`AgentFrame`]s from the store; the gateway checks access first.

use super::{agent_card, rules::State, session_info};
use crate::hub::{Push, Topic, NOBODY};
use crate::store::{Conversation, Listed, StoredMessage};
use crate::{AppState, Result};
use axum::extract::ws::Utf8Bytes;
use kefu_protocol::agent::{ENDED_PAGE_SIZE, PROFILE_SESSIONS};
use kefu_protocol::{
    encode, preview::Preview, AgentCard, AgentFrame, ConversationFilter, ConversationId,
    ConversationItem, CustomKind, LastMessage, MessageBody, Party, PastSession, SessionRating,
    SiteId, VisitorProfile, VisitorRef,
};
use std::collections::HashMap;

/// The list item of `c`; `reader` (an agent ID) adds that agent's own read
/// mark (lists, not pushes). `None` when the conversation has no session yet
/// (the service is off).
pub async fn conversation_item(
    state: &AppState,
    c: &Conversation,
    reader: Option<&str>,
) -> Result<Option<ConversationItem>> {
    let (updated_at, last) = state.store.conversation_tail(c).await?;
    let sequence = u64::try_from(c.last_sequence).unwrap_or(0);
    let Some(mut item) = item_with(state, c, sequence, updated_at, last.as_ref()).await? else {
        return Ok(None);
    };
    if let Some(agent) = reader {
        item.read_sequence = Some(state.store.agent_read(&c.id, agent).await?);
    }
    Ok(Some(item))
}

/// The list item of `c` whose newest message (if any) is `last`, stored at
/// `updated_at` with sequence `last_sequence`: the rest (session, the name a
/// left message gave) comes from the caches, so a push after an append reads
/// nothing from the database in the common case.
async fn item_with(
    state: &AppState,
    c: &Conversation,
    last_sequence: u64,
    updated_at: i64,
    last: Option<&StoredMessage>,
) -> Result<Option<ConversationItem>> {
    let Some(session) = state.store.current_session(&c.id).await? else {
        return Ok(None);
    };
    let name = state.store.left_name(&c.id).await?;
    let rated = session.stars.and_then(|s| u8::try_from(s).ok());
    Ok(Some(ConversationItem {
        conversation_id: c.id.clone(),
        visitor: VisitorRef {
            id: Party::visitor(c.visitor_id.as_str()).wire(),
            name,
        },
        session: session_info(state, &session).await?,
        category: session.category.clone(),
        last_message: last.map(|m| last_message(m, rated)),
        last_sequence,
        read_sequence: None,
        updated_at,
    }))
}

/// A row's newest message, previewed for agents ([`Preview::of`]); once
/// the visitor `rated` the current session, its closing line ("Session ended",
/// "Rating requested") previews as the rating ("Rated ★★★★☆").
fn last_message(m: &StoredMessage, rated: Option<u8>) -> LastMessage {
    let wire = m.to_wire("", None);
    let closing = matches!(
        &wire.body,
        MessageBody::Custom(c) if matches!(c.kind, CustomKind::StopSession { .. } | CustomKind::InviteEvaluate { .. })
    );
    let preview = match rated {
        Some(stars) if closing => Preview::Rated { stars },
        _ if m.is_revoked => Preview::Text {
            text: String::new(),
        },
        _ => Preview::of(&wire.body),
    };
    LastMessage {
        preview,
        from: wire.from,
        time: wire.time,
        sequence: wire.sequence,
    }
}

/// Push `c` to every agent of the site after `m` was appended to it: the
/// item is built from `m` (its newest message), not read back.
pub async fn push_appended(state: &AppState, c: &Conversation, m: &StoredMessage) -> Result<()> {
    let sequence = u64::try_from(m.sequence).unwrap_or(0);
    if let Some(item) = item_with(state, c, sequence, m.time_ms, Some(m)).await? {
        publish_site(state, &c.site, &AgentFrame::Conversation { item });
    }
    Ok(())
}

/// Push `conversation` (without a read mark) to every agent of the site.
pub async fn push_conversation(state: &AppState, c: &Conversation) -> Result<()> {
    // Re-read: the caller's copy predates the message or change just stored.
    let Some(c) = state.store.get_conversation(&c.id).await? else {
        return Ok(());
    };
    if let Some(item) = conversation_item(state, &c, None).await? {
        publish_site(state, &c.site, &AgentFrame::Conversation { item });
    }
    Ok(())
}

/// The answer to `getConversations`.
pub async fn conversations(
    state: &AppState,
    site: &SiteId,
    agent_id: &str,
    filter: ConversationFilter,
    before: Option<i64>,
) -> Result<AgentFrame> {
    let (listed, is_completed) = match filter {
        ConversationFilter::Mine => {
            let sessions = state.store.serving_sessions(agent_id).await?;
            let ids = sessions.into_iter().map(|s| s.conversation_id);
            (conversations_by_id(state, site, ids).await?, true)
        }
        ConversationFilter::Queue => {
            let queue = state.store.queue(site).await?;
            let ids = queue.into_iter().map(|(s, _)| s.conversation_id);
            (conversations_by_id(state, site, ids).await?, true)
        }
        ConversationFilter::Ended => {
            let (page, done) = state
                .store
                .ended_conversations(site, before, ENDED_PAGE_SIZE)
                .await?;
            (
                page.into_iter().map(|l: Listed| l.conversation).collect(),
                done,
            )
        }
    };
    let mut items = Vec::with_capacity(listed.len());
    for c in &listed {
        items.extend(conversation_item(state, c, Some(agent_id)).await?);
    }
    Ok(AgentFrame::Conversations {
        filter,
        items,
        is_completed,
    })
}

async fn conversations_by_id(
    state: &AppState,
    site: &SiteId,
    ids: impl Iterator<Item = String>,
) -> Result<Vec<Conversation>> {
    let mut out = Vec::new();
    for id in ids {
        let c = state.store.get_conversation(&ConversationId(id)).await?;
        out.extend(c.filter(|c| &c.site == site));
    }
    Ok(out)
}

/// The profile of the conversation's visitor.
pub async fn visitor_profile(state: &AppState, c: &Conversation) -> Result<VisitorProfile> {
    let row = state.store.visitor_row(c).await?;
    let row = row.ok_or(crate::Error::NotFound(kefu_protocol::Missing::Conversation))?;
    let left = state.store.left_identity(&c.id).await?;
    let mut cards: HashMap<String, Option<AgentCard>> = HashMap::new();
    let mut sessions = Vec::new();
    for s in state.store.session_history(&c.id, PROFILE_SESSIONS).await? {
        let agent = match &s.agent_id {
            Some(id) => match cards.get(id) {
                Some(card) => card.clone(),
                None => {
                    let card = agent_card(state, id).await?;
                    cards.insert(id.clone(), card.clone());
                    card
                }
            },
            None => None,
        };
        sessions.push(PastSession {
            session_id: s.id.into(),
            state: State::parse(&s.state).wire(),
            agent,
            started_at: s.created_at,
            ended_at: s.ended_at,
            rating: s.stars.map(|stars| SessionRating {
                stars: u8::try_from(stars).unwrap_or(0),
                comment: s.comment,
            }),
        });
    }
    let (name, contact) = left.unzip();
    Ok(VisitorProfile {
        id: Party::visitor(c.visitor_id.as_str()).wire(),
        name,
        contact,
        first_seen: row.first_seen,
        last_seen: row.last_seen,
        visits: row.visits,
        context: row.context,
        user: row.user,
        attributes: row.attributes,
        sessions,
    })
}

/// Push a fresh `visitor` to the site's agents when the conversation is queued
/// or served (the visitor opened another page).
pub async fn push_visitor_if_live(state: &AppState, c: &Conversation) -> Result<()> {
    let Some(s) = state.store.current_session(&c.id).await? else {
        return Ok(());
    };
    if !matches!(s.state, State::Queued | State::Serving) {
        return Ok(());
    }
    let frame = AgentFrame::Visitor {
        conversation_id: c.id.clone(),
        visitor: visitor_profile(state, c).await?,
    };
    publish_site(state, &c.site, &frame);
    Ok(())
}

/// Push the site's canned replies to every agent of the site.
pub async fn push_canned_replies(state: &AppState, site: &SiteId) -> Result<()> {
    let items = state.store.canned_replies(site).await?;
    publish_site(state, site, &AgentFrame::CannedReplies { items });
    Ok(())
}

/// Tell every agent of `site` that conversation `id` was deleted.
pub fn removed(state: &AppState, site: &SiteId, id: &ConversationId) {
    let frame = AgentFrame::ConversationRemoved {
        conversation_id: id.clone(),
    };
    publish_site(state, site, &frame);
}

/// Push `frame` to every agent of `site`, on every node.
pub(super) fn publish_site(state: &AppState, site: &SiteId, frame: &AgentFrame) {
    let bytes: Utf8Bytes = encode(frame).into();
    state
        .hub
        .publish(&[Topic::Site(site.clone())], NOBODY, Push::All(bytes));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::REVOKED_PAYLOAD;
    use kefu_protocol::Locale;

    fn stored(kind: &str, payload: &str, is_revoked: bool) -> StoredMessage {
        StoredMessage {
            id: "msg_1".into(),
            conversation_id: "c_1".into(),
            sequence: 7,
            sender: "visitor:v_1".into(),
            recipient: "site:s".into(),
            nick: None,
            client_msg_id: "k".into(),
            time_ms: 1,
            kind: kind.into(),
            payload: payload.into(),
            is_revoked,
        }
    }

    #[test]
    fn a_revoked_message_previews_empty_and_media_by_kind() {
        let revoked = last_message(&stored("text", REVOKED_PAYLOAD, true), None);
        assert_eq!(
            (
                revoked.preview.render(Locale::En).as_str(),
                revoked.sequence
            ),
            ("", 7)
        );
        let image = last_message(&stored("image", r#"{"uploadID":"up_1"}"#, false), None);
        assert_eq!(image.preview.render(Locale::En), "Image");
        let text = last_message(&stored("text", r#"{"text":"hello"}"#, false), None);
        assert_eq!(text.preview.render(Locale::En), "hello");
    }

    #[test]
    fn previews_are_written_for_agents_and_a_rated_session_shows_its_stars() {
        let custom = |sub: &str, fields: &str, text: &str| {
            let payload = format!(
                r#"{{"subMsgType":"{sub}","msgText":"{text}","sendType":"automatic"{fields}}}"#
            );
            stored("custom", &payload, false)
        };
        let reception = custom(
            "reception",
            r#","sessionId":"s_1","agent":{"id":"agent:a_1","name":"Demo Agent"}"#,
            "Demo Agent is now serving you",
        );
        assert_eq!(
            last_message(&reception, None).preview.render(Locale::En),
            "Served by Demo Agent"
        );
        let invite = custom(
            "inviteevaluate",
            r#","sessionId":"s_1""#,
            "Please rate this session",
        );
        assert_eq!(
            last_message(&invite, None).preview.render(Locale::En),
            "Rating requested"
        );
        assert_eq!(
            last_message(&invite, Some(4)).preview.render(Locale::En),
            "Rated ★★★★☆"
        );
        let stop = custom(
            "stopsession",
            r#","sessionId":"s_1""#,
            "The session has ended",
        );
        assert_eq!(
            last_message(&stop, Some(5)).preview.render(Locale::En),
            "Rated ★★★★★"
        );
        // A rating only stands for the session's closing lines.
        let text = stored("text", r#"{"text":"thanks!"}"#, false);
        assert_eq!(
            last_message(&text, Some(5)).preview.render(Locale::En),
            "thanks!"
        );
    }
}
