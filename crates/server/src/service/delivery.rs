//! The one path of a stored message to the people in its conversation, for a
//! visitor's or agent's message (the gateway's `send`) and for the bot's and
//! the service's (`service::post`) alike: the wire message is built and its
//! media links signed once, encoded once per flow, pushed through the hub to
//! the visitor's tabs and the site's agents (never to the connection that sent
//! it: that one gets an `ack`), told to webhooks when a person wrote it, and
//! then the agents' conversation lists are brought up to date.

use super::console;
use crate::hub::{ConnId, Push};
use crate::store::{Conversation, StoredMessage};
use crate::{uploads, AppState};
use axum::extract::ws::Utf8Bytes;
use kefu_protocol::{encode, EventData, EventType, Flow, Message, Party, ServerFrame};

/// Push `m`, just stored in `conversation`, to everyone in it but `except`,
/// tell the webhooks, and (with the customer service on) push the
/// conversation's list item to the agents. A failure of the list push is
/// logged: the message is stored and pushed.
pub async fn stored(
    state: &AppState,
    conversation: &Conversation,
    m: &StoredMessage,
    except: ConnId,
) {
    let message = publish(state, conversation, m, except);
    if Party::is_visitor(&m.sender) || Party::is_agent(&m.sender) {
        crate::webhooks::emit(state, &conversation.site, EventType::MessageCreated, || {
            EventData::MessageCreated {
                conversation_id: conversation.id.clone(),
                message: Box::new(message),
            }
        });
    }
    if !state.gateway.service {
        return;
    }
    if let Err(e) = console::push_appended(state, conversation, m).await {
        tracing::warn!(error = %e, "pushing a conversation to the agents");
    }
}

/// Push `m` to everyone in `conversation` but `except`: the sender's other
/// tabs or consoles get it as their own (`flow: out`), everyone else as
/// incoming; a bot or service message is incoming for all, encoded once.
/// Returns the wire message (media links signed, as clients get it).
pub fn publish(
    state: &AppState,
    conversation: &Conversation,
    m: &StoredMessage,
    except: ConnId,
) -> Message {
    let mut message = m.to_wire("", None);
    uploads::links::sign(state, &mut message);
    // Encoded from the one wire message, moved in and out of the frame
    // rather than cloned (this runs for every message stored).
    let (incoming, mut message) = encoded(message);
    let push = if Party::is_visitor(&m.sender) || Party::is_agent(&m.sender) {
        let flow = std::mem::replace(&mut message.flow, Flow::Out);
        let (own, mut back) = encoded(message);
        back.flow = flow;
        message = back;
        Push::ByFlow {
            sender: m.sender.as_str().into(),
            own,
            others: incoming,
        }
    } else {
        Push::All(incoming)
    };
    state
        .hub
        .publish(&super::topics(conversation), except, push);
    message
}

/// `message` as a `message` frame's text, and the message back.
fn encoded(message: Message) -> (Utf8Bytes, Message) {
    let frame = ServerFrame::Message { message };
    let text = encode(&frame).into();
    match frame {
        ServerFrame::Message { message } => (text, message),
        _ => unreachable!("built as a message frame above"),
    }
}
