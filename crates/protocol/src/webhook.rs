//! Webhook events: what the server POSTs to a site's registered URLs
//! (`docs/webhooks.md`). Owns the event types, the JSON body of each event and
//! the endpoint's ID; signing, storage and delivery are the server's.
//!
//! A body is one [`WebhookEvent`]: an envelope (`id`, `type`, `createdAt`,
//! `siteID`) and the event's `data`, whose shape the `type` names.

use crate::{ConversationId, LeftMessage, Message, SessionId, SiteId, WebhookId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The kinds of event an endpoint may subscribe to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    /// A visitor or an agent sent a message.
    #[serde(rename = "message.created")]
    MessageCreated,
    /// A session joined the queue for a human agent.
    #[serde(rename = "session.queued")]
    SessionQueued,
    /// An agent ended a session.
    #[serde(rename = "session.ended")]
    SessionEnded,
    /// A visitor rated a session.
    #[serde(rename = "rating.created")]
    RatingCreated,
    /// A visitor left a message through the leave-a-message form.
    #[serde(rename = "message.left")]
    MessageLeft,
    /// The admin API's "send test" (never subscribed to: sent to one endpoint).
    #[serde(rename = "webhook.test")]
    WebhookTest,
}

impl EventType {
    /// The types an endpoint may subscribe to (every one but the test).
    pub const SUBSCRIBABLE: [EventType; 5] = [
        EventType::MessageCreated,
        EventType::SessionQueued,
        EventType::SessionEnded,
        EventType::RatingCreated,
        EventType::MessageLeft,
    ];

    /// The wire name, e.g. `message.created`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::MessageCreated => "message.created",
            EventType::SessionQueued => "session.queued",
            EventType::SessionEnded => "session.ended",
            EventType::RatingCreated => "rating.created",
            EventType::MessageLeft => "message.left",
            EventType::WebhookTest => "webhook.test",
        }
    }

    /// The type a wire name names.
    pub fn parse(name: &str) -> Option<EventType> {
        [EventType::WebhookTest]
            .into_iter()
            .chain(EventType::SUBSCRIBABLE)
            .find(|t| t.as_str() == name)
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One webhook body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEvent {
    /// `evt_…`: the same in every attempt (and the `Kefu-Webhook-Id` header),
    /// so a receiver can drop a delivery it already handled.
    pub id: String,
    /// When the event happened, ms since the epoch.
    pub created_at: i64,
    /// The site it happened on.
    #[serde(rename = "siteID")]
    pub site_id: SiteId,
    /// `type` and `data`.
    #[serde(flatten)]
    pub event: EventData,
}

/// The event's type and its data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum EventData {
    /// `message.created`: the stored message as clients receive it.
    #[serde(rename = "message.created")]
    MessageCreated {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The message.
        message: Box<Message>,
    },
    /// `session.queued`: a session waits for an agent.
    #[serde(rename = "session.queued")]
    SessionQueued(SessionEvent),
    /// `session.ended`: an agent ended the session.
    #[serde(rename = "session.ended")]
    SessionEnded(SessionEvent),
    /// `rating.created`: the visitor rated the session.
    #[serde(rename = "rating.created", rename_all = "camelCase")]
    RatingCreated {
        /// The conversation.
        #[serde(rename = "conversationID")]
        conversation_id: ConversationId,
        /// The session rated.
        #[serde(rename = "sessionID")]
        session_id: SessionId,
        /// 1–5.
        stars: u8,
        /// The visitor's comment, trimmed, if any.
        comment: Option<String>,
    },
    /// `message.left`: the form's fields.
    #[serde(rename = "message.left")]
    MessageLeft {
        /// The left message.
        left: LeftMessage,
    },
    /// `webhook.test`: sent by the admin API's test route.
    #[serde(rename = "webhook.test")]
    WebhookTest {
        /// The endpoint tested.
        #[serde(rename = "webhookID")]
        webhook_id: WebhookId,
    },
}

/// A session's change of state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionEvent {
    /// The conversation.
    #[serde(rename = "conversationID")]
    pub conversation_id: ConversationId,
    /// The session.
    #[serde(rename = "sessionID")]
    pub session_id: SessionId,
    /// The service category it waits in (`session.queued`; `null`: the general queue).
    pub category: Option<String>,
    /// The agent who served it (`agent:<id>`), if any.
    pub agent: Option<String>,
}

impl EventData {
    /// Its type.
    pub fn event_type(&self) -> EventType {
        match self {
            EventData::MessageCreated { .. } => EventType::MessageCreated,
            EventData::SessionQueued(_) => EventType::SessionQueued,
            EventData::SessionEnded(_) => EventType::SessionEnded,
            EventData::RatingCreated { .. } => EventType::RatingCreated,
            EventData::MessageLeft { .. } => EventType::MessageLeft,
            EventData::WebhookTest { .. } => EventType::WebhookTest,
        }
    }

    /// The conversation it is about (`None`: `webhook.test`).
    pub fn conversation_id(&self) -> Option<&ConversationId> {
        match self {
            EventData::MessageCreated {
                conversation_id, ..
            }
            | EventData::RatingCreated {
                conversation_id, ..
            } => Some(conversation_id),
            EventData::SessionQueued(s) | EventData::SessionEnded(s) => Some(&s.conversation_id),
            EventData::MessageLeft { left } => Some(&left.conversation_id),
            EventData::WebhookTest { .. } => None,
        }
    }
}

/// A site's endpoint as the admin API shows it (never with its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEndpoint {
    /// `wh_…`.
    pub id: WebhookId,
    /// Where events are POSTed.
    pub url: String,
    /// The event types it receives.
    pub events: Vec<EventType>,
    /// Disabled endpoints receive nothing (their queued deliveries fail).
    pub enabled: bool,
    /// Unix ms.
    pub created_at: i64,
}

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Not answered with a 2xx yet; another attempt is due.
    Pending,
    /// A 2xx answered it.
    Delivered,
    /// Given up (retries spent, or the endpoint is disabled).
    Failed,
}

impl DeliveryStatus {
    /// The wire (and column) name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    /// The status a wire name names.
    pub fn parse(name: &str) -> Option<DeliveryStatus> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Delivered,
            DeliveryStatus::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// One delivery in an endpoint's log (`GET …/webhooks/{id}/deliveries`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDelivery {
    /// `<eventId>.<webhookId>`.
    pub id: String,
    /// The event's type name (kept as sent: a newer server's type reads too).
    pub event_type: String,
    /// `evt_…`, the `Kefu-Webhook-Id` header.
    pub event_id: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: i64,
    /// When the next attempt is due (pending only), Unix ms.
    pub next_attempt_at: Option<i64>,
    /// The receiver's last HTTP status.
    pub last_status: Option<i64>,
    /// The last failure, in words.
    pub last_error: Option<String>,
    /// When a 2xx answered it, Unix ms.
    pub delivered_at: Option<i64>,
    /// When the event was queued, Unix ms.
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_round_trip() {
        for t in EventType::SUBSCRIBABLE
            .into_iter()
            .chain([EventType::WebhookTest])
        {
            let json = serde_json::to_string(&t).expect("serialises");
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
        assert_eq!(EventType::parse("message.deleted"), None);
    }

    #[test]
    fn events_name_their_conversation_where_the_outbox_migration_looks() {
        let c = ConversationId::from("c_1");
        let session = SessionEvent {
            conversation_id: c.clone(),
            session_id: SessionId::from("s_1"),
            category: None,
            agent: None,
        };
        let left = LeftMessage {
            id: "lm_1".into(),
            conversation_id: c.clone(),
            visitor: "visitor:v_1".into(),
            name: "Ann".into(),
            contact: "ann@example.com".into(),
            message: "hi".into(),
            time: 1,
        };
        let rating = EventData::RatingCreated {
            conversation_id: c.clone(),
            session_id: SessionId::from("s_1"),
            stars: 5,
            comment: None,
        };
        // migrations/*/0024: `data.conversationID`, or `data.left.conversationID`.
        for (event, path) in [
            (EventData::SessionQueued(session), "/data/conversationID"),
            (rating, "/data/conversationID"),
            (EventData::MessageLeft { left }, "/data/left/conversationID"),
        ] {
            assert_eq!(event.conversation_id(), Some(&c));
            let body = serde_json::to_value(WebhookEvent {
                id: "evt_1".into(),
                created_at: 1,
                site_id: SiteId::from("shop"),
                event,
            })
            .expect("serialises");
            assert_eq!(
                body.pointer(path),
                Some(&serde_json::json!("c_1")),
                "{body}"
            );
        }
        let test = EventData::WebhookTest {
            webhook_id: WebhookId::from("wh_1"),
        };
        assert_eq!(test.conversation_id(), None);
    }
}
