//! The account screen: changing one's own password. The server refuses every
//! older token and closes this agent's sockets, this tab's too; the console
//! holds that refusal while the change runs and reconnects with the new token,
//! in whichever order the answer and the close arrive. A refusal of the token
//! in use still signs out.

use super::{online, sent};
use crate::i18n;
use crate::state::account::{AccountAnswer, AccountIntent, AccountRequest};
use crate::state::{Action, Conn, Effect, Tab};
use kefu_protocol::{ClientFrame, CloseCode};

fn change(current: &str, new: &str, repeat: &str) -> Action {
    Action::Account(AccountIntent::ChangePassword {
        current: current.into(),
        new: new.into(),
        repeat: repeat.into(),
    })
}

fn refused() -> Action {
    Action::SocketClosed {
        code: CloseCode::InvalidToken.code(),
    }
}

fn hello_token(fx: &[Effect]) -> Option<String> {
    sent(fx).into_iter().find_map(|f| match f {
        ClientFrame::Hello { token, .. } => token.clone(),
        _ => None,
    })
}

#[test]
fn every_agent_opens_the_account_screen() {
    let mut s = online();
    assert!(!s.team.administers());
    s.update(Action::SelectTab(Tab::Account));
    assert_eq!(s.tab, Tab::Account);
}

#[test]
fn two_different_new_passwords_are_refused_here() {
    let mut s = online();
    let fx = s.update(change("old-password", "new-password-1", "new-password-2"));
    assert_eq!(fx, vec![]);
    assert_eq!(s.account.error.as_deref(), Some(i18n::t().account_mismatch));
    assert!(!s.account.busy);
}

#[test]
fn the_close_before_the_answer_is_held_then_the_new_token_connects() {
    let mut s = online();
    let fx = s.update(change("old-password", "new-password-1", "new-password-1"));
    assert_eq!(
        fx,
        vec![Effect::Account(AccountRequest::ChangePassword {
            current: "old-password".into(),
            new: "new-password-1".into(),
        })]
    );
    assert!(s.account.busy);
    // The server closes this tab's socket: not signed out.
    assert_eq!(s.update(refused()), vec![]);
    assert_eq!(s.conn, Conn::Connecting);
    assert!(s.token.is_some());
    let fx = s.update(Action::AccountAnswer(AccountAnswer::Renewed("tok3".into())));
    assert_eq!(fx, vec![Effect::SaveToken("tok3".into()), Effect::Connect]);
    assert!(s.account.changed && !s.account.busy);
    let fx = s.update(Action::SocketOpen);
    assert_eq!(hello_token(&fx).as_deref(), Some("tok3"));
}

#[test]
fn the_answer_before_the_close_reconnects_with_the_new_token() {
    let mut s = online();
    s.update(change("old-password", "new-password-1", "new-password-1"));
    let fx = s.update(Action::AccountAnswer(AccountAnswer::Renewed("tok3".into())));
    assert_eq!(fx, vec![Effect::SaveToken("tok3".into())]);
    // The old socket's refusal arrives now: it said hello with the old token.
    assert_eq!(s.update(refused()), vec![Effect::Connect]);
    assert_eq!(
        (s.conn, s.token.as_deref()),
        (Conn::Connecting, Some("tok3"))
    );
    let fx = s.update(Action::SocketOpen);
    assert_eq!(hello_token(&fx).as_deref(), Some("tok3"));
    // That socket refused too: signed out (the token is really refused).
    s.update(refused());
    assert_eq!(s.conn, Conn::SignedOut);
    assert_eq!(s.login_error, Some(i18n::t().session_expired));
}

#[test]
fn a_refused_change_shows_why_and_a_held_socket_tries_again() {
    let mut s = online();
    s.update(change("wrong", "new-password-1", "new-password-1"));
    let fx = s.update(Action::AccountAnswer(AccountAnswer::Failed("nope".into())));
    assert_eq!(fx, vec![]);
    assert_eq!(s.account.error.as_deref(), Some("nope"));
    assert_eq!(s.conn, Conn::Online);
    // A socket refused during a change that then failed: reconnect; a real
    // refusal of the token then signs out.
    s.update(change("old-password", "new-password-1", "new-password-1"));
    s.update(refused());
    let fx = s.update(Action::AccountAnswer(AccountAnswer::Failed("later".into())));
    assert_eq!(fx, vec![Effect::Connect]);
    s.update(Action::SocketOpen);
    s.update(refused());
    assert_eq!(s.conn, Conn::SignedOut);
}

#[test]
fn without_a_change_a_refused_token_still_signs_out() {
    let mut s = online();
    s.update(refused());
    assert_eq!(s.conn, Conn::SignedOut);
    assert_eq!(s.login_error, Some(i18n::t().session_expired));
}
