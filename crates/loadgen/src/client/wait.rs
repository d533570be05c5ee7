//! Request / answer helpers over one connection: read frames until the answer
//! comes, letting the [`Peer`] account for every frame on the way and handing
//! the others to the caller (they may be live pushes it must not lose). The
//! caller bounds them with `tokio::time::timeout`.

use super::conn::{ClientError, Connection, Incoming};
use super::peer::{Observed, Peer};
use kefu_protocol::{
    ClientFrame, ClientMsgId, ConversationId, ErrorCode, Message, MessageBody, MessageId,
    ServerFrame,
};

/// How long to wait after a `rateLimited` answer before asking again.
const RATE_LIMITED_PAUSE: std::time::Duration = std::time::Duration::from_millis(500);

/// Read until `pick` returns `Some`; every frame is observed by `peer` first,
/// and the frames not picked go to `other` with what they meant.
pub async fn until<T>(
    conn: &mut Connection,
    peer: &mut Peer,
    mut pick: impl FnMut(&Incoming, &Observed) -> Option<T>,
    mut other: impl FnMut(Incoming, Observed),
) -> Result<T, ClientError> {
    loop {
        let frame = conn.recv().await?;
        let observed = peer.observe(&frame);
        match pick(&frame, &observed) {
            Some(answer) => return Ok(answer),
            None => other(frame, observed),
        }
    }
}

/// How a send ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendOutcome {
    /// Stored: the server's ID and sequence.
    Acked(MessageId, u64),
    /// Refused with this error code (`retried`: still in the outbox).
    Failed(ErrorCode),
}

/// Send one message now and wait for its `ack` (or its error). Messages
/// queued earlier go out first, in order.
pub async fn send_and_wait(
    conn: &mut Connection,
    peer: &mut Peer,
    conversation: ConversationId,
    id: ClientMsgId,
    body: MessageBody,
) -> Result<SendOutcome, ClientError> {
    peer.outbox.push(conversation, id.clone(), body);
    peer.pump(conn, usize::MAX, |_| {}).await?;
    let pick = |_: &Incoming, o: &Observed| match o {
        Observed::Acked {
            pending,
            id: mid,
            sequence,
        } if pending.client_msg_id == id => Some(SendOutcome::Acked(mid.clone(), *sequence)),
        Observed::SendFailed {
            client_msg_id,
            code,
            ..
        } if *client_msg_id == id => Some(SendOutcome::Failed(*code)),
        _ => None,
    };
    until(conn, peer, pick, |_, _| {}).await
}

/// The whole history of `conversation`, oldest first, paged backwards with
/// `getHistory` until `isCompleted`. Frames that are not the pages go to `other`.
pub async fn full_history(
    conn: &mut Connection,
    peer: &mut Peer,
    conversation: &ConversationId,
    mut other: impl FnMut(Incoming, Observed),
) -> Result<Vec<Message>, ClientError> {
    let mut pages: Vec<Vec<Message>> = Vec::new();
    let mut before: Option<MessageId> = None;
    loop {
        let ask = ClientFrame::GetHistory {
            conversation_id: conversation.clone(),
            next_req_message_id: before.clone(),
        };
        conn.send(&ask).await?;
        let pick = |f: &Incoming, _: &Observed| match f {
            Incoming::Server(ServerFrame::HistoryPage {
                conversation_id,
                messages,
                next_req_message_id,
                is_completed,
            }) if conversation_id == conversation => Some(Ok((
                messages.clone(),
                next_req_message_id.clone(),
                *is_completed,
            ))),
            Incoming::Server(ServerFrame::Error {
                code,
                message,
                client_msg_id: None,
            }) => Some(Err((*code, message.clone()))),
            _ => None,
        };
        let (messages, next, done) = match until(conn, peer, pick, &mut other).await? {
            Ok(page) => page,
            Err((ErrorCode::RateLimited, _)) => {
                // The frame was dropped: ask again once the limiter refilled.
                tokio::time::sleep(RATE_LIMITED_PAUSE).await;
                continue;
            }
            Err((code, message)) => return Err(ClientError::Rejected { code, message }),
        };
        pages.push(messages);
        match next {
            Some(next) if !done => before = Some(next),
            _ => break,
        }
    }
    Ok(pages.into_iter().rev().flatten().collect())
}
