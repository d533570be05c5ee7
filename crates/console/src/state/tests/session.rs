//! Sign-in, sign-out, expired tokens, reconnects, presence and the inbox.

use super::{online, sent, server};
use crate::i18n;
use crate::state::{Action, Conn, ConsoleState, Effect};
use kefu_protocol::{Availability, ClientFrame, CloseCode, ErrorCode, Locale, ServerFrame};

#[test]
fn signing_in_saves_the_token_and_connects() {
    let mut s = ConsoleState::new(None);
    assert_eq!(s.conn, Conn::SignedOut);
    let fx = s.update(Action::SignIn {
        username: "lin".into(),
        password: "pw".into(),
    });
    assert_eq!(
        fx,
        vec![Effect::Login {
            username: "lin".into(),
            password: "pw".into()
        }]
    );
    assert!(
        s.update(Action::SignIn {
            username: "lin".into(),
            password: "pw".into()
        })
        .is_empty(),
        "one request at a time"
    );
    s.update(Action::SignInFailed(i18n::t().bad_credentials));
    assert_eq!(s.login_error, Some(i18n::t().bad_credentials));
    s.update(Action::SignIn {
        username: "lin".into(),
        password: "pw2".into(),
    });
    let fx = s.update(Action::SignedIn {
        token: "tok".into(),
    });
    assert_eq!(fx, vec![Effect::SaveToken("tok".into()), Effect::Connect]);
    assert_eq!(s.conn, Conn::Connecting);
    assert_eq!(s.login_error, None);
}

#[test]
fn signing_out_revokes_the_token_and_forgets_everything() {
    let mut s = online();
    let fx = s.update(Action::SignOut);
    assert_eq!(
        fx,
        vec![
            Effect::Disconnect,
            Effect::ClearToken,
            Effect::Logout("tok2".into())
        ]
    );
    assert_eq!(s.conn, Conn::SignedOut);
    assert_eq!(s.me, None);
}

#[test]
fn an_expired_token_goes_back_to_the_sign_in_form_with_a_message() {
    let mut s = online();
    s.update(server(ServerFrame::Error {
        code: ErrorCode::TokenExpired,
        message: "token expired".into(),
        client_msg_id: None,
    }));
    assert_eq!(s.conn, Conn::SignedOut);
    assert_eq!(s.login_error, Some(i18n::t().session_expired));
    assert!(
        s.update(Action::SocketClosed { code: 4500 }).is_empty(),
        "already signed out"
    );

    let mut s = online();
    let fx = s.update(Action::SocketClosed { code: 4500 });
    assert!(fx.contains(&Effect::ClearToken));
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Logout(_))),
        "nothing to revoke"
    );
    assert_eq!(s.login_error, Some(i18n::t().session_expired));
}

#[test]
fn other_closes_reconnect_unless_terminal_and_wake_up_reconnects_at_once() {
    let mut s = online();
    assert_eq!(
        s.update(Action::SocketClosed { code: 1001 }),
        vec![Effect::ScheduleReconnect]
    );
    assert_eq!(s.conn, Conn::Offline);
    assert_eq!(s.update(Action::WakeUp), vec![Effect::Connect]);
    assert!(s.update(Action::WakeUp).is_empty(), "already connecting");
    s.update(Action::SocketClosed { code: 1006 });
    assert_eq!(s.update(Action::PageVisible(true)), vec![Effect::Connect]);
    let mut s = online();
    assert!(s.update(Action::SocketClosed { code: 4501 }).is_empty());
    assert_eq!(s.conn, Conn::Refused);
}

#[test]
fn away_is_re_applied_after_a_reconnect_and_left_messages_arrive_live() {
    let mut s = online();
    s.update(Action::SetPresence(Availability::Away));
    s.update(Action::SocketClosed { code: 1006 });
    s.update(Action::SocketOpen);
    let fx = s.update(super::ready("t"));
    assert!(sent(&fx).contains(&&ClientFrame::SetPresence {
        presence: Availability::Away
    }));
    let left = super::left_message;
    s.update(super::new_left_page(vec![left("lm_1")]));
    s.update(server(ServerFrame::MessageLeft { left: left("lm_2") }));
    s.update(server(ServerFrame::MessageLeft { left: left("lm_2") }));
    let ids: Vec<&str> = s.inbox.items.iter().map(|l| l.left.id.as_str()).collect();
    assert_eq!(ids, vec!["lm_2", "lm_1"]);
    assert_eq!(s.inbox.new_count, 2, "the echo counts once");
}

#[test]
fn category_names_come_from_ready_and_unknown_ids_show_as_they_are() {
    let mut s = ConsoleState::new(Some("tok".into()));
    s.update(Action::SocketOpen);
    let v = serde_json::json!({
        "type": "ready", "protocolVersion": 1, "token": "tok2", "conversations": [],
        "identity": {"role": "agent", "id": super::ME, "name": "Lin", "site": "demo"},
        "categories": [{"id": "sales", "name": "Sales & offers"}],
    });
    s.update(server(serde_json::from_value(v).expect("ready")));
    assert_eq!(s.category_name("sales"), "Sales & offers");
    assert_eq!(s.category_name("gone"), "gone");
}

#[test]
fn the_language_picked_is_kept_and_outlives_signing_out() {
    let mut s = online();
    assert_eq!(s.locale, Locale::En);
    let fx = s.update(Action::SetLocale(Locale::ZhCn));
    assert_eq!(fx, vec![Effect::SaveLocale(Locale::ZhCn)]);
    assert_eq!(s.locale, Locale::ZhCn);
    s.update(Action::SignOut);
    assert_eq!((s.conn, s.locale), (Conn::SignedOut, Locale::ZhCn));
    // An expired session signs out too, and keeps the language.
    s.update(Action::SignedIn { token: "t".into() });
    s.update(Action::SocketClosed {
        code: CloseCode::InvalidToken.code(),
    });
    assert_eq!((s.conn, s.locale), (Conn::SignedOut, Locale::ZhCn));
}
