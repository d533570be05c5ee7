//! Recording what both kinds of actor see: acks, send errors, messages,
//! `synced`, `peerRead`, error frames that answer no send; the syncs both send
//! for a hole below a held message; and the last sync both make once
//! everything is acked.

use crate::chaos::record::{digest, Log, Via, What};
use crate::client::{wait, ClientError, Connection, Incoming, Observed, Peer};
use kefu_protocol::{ClientFrame, ConversationId, Message, ServerFrame, WireName};

/// Sync `c` from its watermark and wait for its `synced`,
/// recording everything that arrives meanwhile (messages only where `keep`
/// says, as [`record`]); returns the `synced` sequence.
pub async fn last_sync(
    conn: &mut Connection,
    peer: &mut Peer,
    log: &mut Log,
    c: &ConversationId,
    keep: impl Fn(&str) -> bool,
) -> Result<u64, ClientError> {
    log.push(What::SyncSent {
        conversation: c.to_string(),
        after: peer.through(c),
    });
    conn.send(&peer.sync(c)).await?;
    let synced = |f: &Incoming, _: &Observed| match f {
        Incoming::Server(ServerFrame::Synced {
            conversation_id,
            last_sequence,
        }) if conversation_id == c => Some(*last_sequence),
        _ => None,
    };
    let mut seen = Vec::new();
    let last = wait::until(conn, peer, synced, |f, _| seen.push(f)).await?;
    for f in &seen {
        record(log, f, &keep);
    }
    log.push(What::Synced {
        conversation: c.to_string(),
        last,
    });
    Ok(last)
}

/// Send (and record) a `sync` for each followed conversation holding a
/// message above a missing one ([`Peer::gap_syncs`]).
pub async fn fill_gaps(
    conn: &mut Connection,
    peer: &mut Peer,
    log: &mut Log,
) -> Result<(), ClientError> {
    for frame in peer.gap_syncs() {
        if let ClientFrame::Sync {
            conversation_id,
            after_sequence,
        } = &frame
        {
            log.push(What::SyncSent {
                conversation: conversation_id.to_string(),
                after: *after_sequence,
            });
        }
        conn.send(&frame).await?;
    }
    Ok(())
}

/// The `received` event of a message.
pub fn received(m: &Message, via: Via) -> What {
    What::Received {
        conversation: m.conversation_id.to_string(),
        id: m.id.to_string(),
        seq: m.sequence,
        from: m.from.clone(),
        cmid: m.client_msg_id.to_string(),
        digest: digest(&m.body),
        via,
    }
}

/// Record `frame` if it is one every actor records; `keep` decides whether a
/// message of that conversation is recorded (agents record only the
/// conversations they follow). Returns whether the frame was an ack.
pub fn record(log: &mut Log, frame: &Incoming, keep: impl Fn(&str) -> bool) -> bool {
    let Incoming::Server(frame) = frame else {
        return false;
    };
    let what = match frame {
        ServerFrame::Ack {
            conversation_id,
            client_msg_id,
            id,
            sequence,
            ..
        } => What::Ack {
            conversation: conversation_id.to_string(),
            cmid: client_msg_id.to_string(),
            id: id.to_string(),
            seq: *sequence,
        },
        ServerFrame::Error {
            code,
            message,
            client_msg_id,
        } => match client_msg_id {
            Some(id) => What::SendError {
                cmid: id.to_string(),
                code: code.as_str().to_owned(),
                retried: matches!(
                    code,
                    kefu_protocol::ErrorCode::Internal | kefu_protocol::ErrorCode::RateLimited
                ),
            },
            None => What::Refused {
                code: code.as_str().to_owned(),
                message: message.clone(),
            },
        },
        ServerFrame::Message { message } if keep(message.conversation_id.as_str()) => {
            received(message, Via::Push)
        }
        ServerFrame::Synced {
            conversation_id,
            last_sequence,
        } => What::Synced {
            conversation: conversation_id.to_string(),
            last: *last_sequence,
        },
        ServerFrame::PeerRead {
            conversation_id,
            sequence,
            ..
        } if keep(conversation_id.as_str()) => What::PeerRead {
            conversation: conversation_id.to_string(),
            seq: *sequence,
        },
        _ => return false,
    };
    let ack = matches!(what, What::Ack { .. });
    log.push(what);
    ack
}
