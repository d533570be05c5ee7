//! The session state machine as pure functions: which role may send which
//! service frame, and in which state. No I/O, so every rule is unit-tested here;
//! the gateway applies them before touching the store.

use crate::store::{SessionRow, Side};
use kefu_protocol::ErrorCode;

pub use crate::store::State;

/// A service frame, for the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Visitor: join the queue.
    RequestHuman,
    /// Visitor: leave the queue.
    CancelQueue,
    /// Visitor: rate.
    Rate,
    /// Visitor: leave a message.
    LeaveMessage,
    /// Agent: take a queued conversation.
    Accept,
    /// Agent: hand over.
    Transfer,
    /// Agent: end.
    EndSession,
    /// Agent: ask for a rating.
    InviteEvaluate,
    /// Agent: read the queue.
    GetQueue,
    /// Agent: the inbox of left messages (read, mark, assign, reply).
    Inbox,
    /// Agent: online or away.
    SetPresence,
    /// Agent: console lists, visitor profiles and canned replies.
    Console,
}

/// Whether `side` may send `action` at all (`notPermitted` otherwise).
pub fn role_allows(action: Action, side: Side) -> bool {
    let visitor = matches!(
        action,
        Action::RequestHuman | Action::CancelQueue | Action::Rate | Action::LeaveMessage
    );
    visitor == (side == Side::Visitor)
}

/// Whether `action` is allowed in `state` (`invalidState` otherwise). Rating has
/// its own rule, [`can_rate`]; leaving a message is allowed in any state.
pub fn state_allows(action: Action, state: State) -> bool {
    match action {
        Action::RequestHuman => state == State::Bot,
        Action::CancelQueue | Action::Accept => state == State::Queued,
        Action::Transfer | Action::EndSession => state == State::Serving,
        Action::InviteEvaluate => matches!(state, State::Serving | State::Ended),
        Action::Rate
        | Action::LeaveMessage
        | Action::GetQueue
        | Action::Inbox
        | Action::SetPresence
        | Action::Console => true,
    }
}

/// Whether an agent acting on a session must be its serving agent, and is not:
/// only the serving agent may write to, transfer, end or invite on a served
/// conversation (and invite on the session they ended).
pub fn foreign_agent(session: &SessionRow, agent_id: &str) -> bool {
    let st = session.state;
    matches!(st, State::Serving | State::Ended)
        && session.agent_id.as_deref().is_some_and(|a| a != agent_id)
}

/// Whether the visitor may rate the session now: ended or invited, not yet rated.
pub fn can_rate(session: &SessionRow) -> bool {
    session.stars.is_none() && (session.invited || session.state == State::Ended)
}

/// The rating checks after the session was found and is the visitor's.
pub fn check_rating(
    session: &SessionRow,
    stars: u8,
    comment: Option<&str>,
) -> Result<(), (ErrorCode, String)> {
    if !can_rate(session) {
        let why = if session.stars.is_some() {
            "already rated"
        } else {
            "the session has not ended"
        };
        return Err((ErrorCode::InvalidState, why.to_owned()));
    }
    if !(1..=5).contains(&stars) {
        return Err((ErrorCode::InvalidRating, "stars must be 1–5".to_owned()));
    }
    let max = kefu_protocol::service::MAX_RATING_COMMENT_CHARS;
    if comment.is_some_and(|c| c.chars().count() > max) {
        return Err((
            ErrorCode::InvalidField,
            format!("comment: at most {max} characters"),
        ));
    }
    Ok(())
}

/// A leave-a-message field: trimmed, non-empty, at most `max` characters.
pub fn check_field<'a>(field: &str, value: &'a str, max: usize) -> Result<&'a str, String> {
    let v = value.trim();
    let n = v.chars().count();
    if n == 0 || n > max {
        return Err(format!("{field}: must be 1–{max} characters"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(state: &str, agent: Option<&str>, invited: bool, stars: Option<i64>) -> SessionRow {
        SessionRow {
            id: "s_1".into(),
            conversation_id: "c_1".into(),
            site_id: "x".into(),
            state: State::parse(state),
            agent_id: agent.map(str::to_owned),
            queued_at: None,
            invited,
            stars,
            category: None,
            version: 1,
        }
    }

    #[test]
    fn roles() {
        assert!(role_allows(Action::RequestHuman, Side::Visitor));
        assert!(!role_allows(Action::Accept, Side::Visitor));
        assert!(!role_allows(Action::Rate, Side::Agent));
        assert!(role_allows(Action::Transfer, Side::Agent));
    }

    #[test]
    fn states() {
        assert!(state_allows(Action::RequestHuman, State::Bot));
        assert!(!state_allows(Action::RequestHuman, State::Queued));
        assert!(state_allows(Action::CancelQueue, State::Queued));
        assert!(!state_allows(Action::Accept, State::Serving));
        assert!(state_allows(Action::InviteEvaluate, State::Ended));
        assert!(!state_allows(Action::EndSession, State::Ended));
        for s in ["bot", "queued", "serving", "ended"] {
            assert_eq!(State::parse(s).column(), s);
        }
    }

    #[test]
    fn serving_agent_only() {
        let s = session("serving", Some("a_1"), false, None);
        assert!(!foreign_agent(&s, "a_1"));
        assert!(foreign_agent(&s, "a_2"));
        assert!(!foreign_agent(&session("queued", None, false, None), "a_2"));
    }

    #[test]
    fn rating() {
        let ended = session("ended", Some("a"), true, None);
        assert!(check_rating(&ended, 5, Some("great")).is_ok());
        assert_eq!(
            check_rating(&ended, 0, None).err().map(|e| e.0),
            Some(ErrorCode::InvalidRating)
        );
        assert_eq!(
            check_rating(&ended, 6, None).err().map(|e| e.0),
            Some(ErrorCode::InvalidRating)
        );
        let long = "x".repeat(1001);
        assert_eq!(
            check_rating(&ended, 3, Some(&long)).err().map(|e| e.0),
            Some(ErrorCode::InvalidField)
        );
        let rated = session("ended", Some("a"), true, Some(4));
        assert_eq!(
            check_rating(&rated, 3, None).err().map(|e| e.0),
            Some(ErrorCode::InvalidState)
        );
        let serving = session("serving", Some("a"), false, None);
        assert_eq!(
            check_rating(&serving, 3, None).err().map(|e| e.0),
            Some(ErrorCode::InvalidState)
        );
        assert!(can_rate(&session("serving", Some("a"), true, None)));
    }

    #[test]
    fn fields() {
        assert_eq!(check_field("name", "  Li ", 200), Ok("Li"));
        assert!(check_field("name", "  ", 200).is_err());
        assert!(check_field("name", &"x".repeat(201), 200)
            .unwrap_err()
            .starts_with("name"));
    }
}
