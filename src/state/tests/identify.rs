//! The host page's `setUser` / `setAttributes`: kept, sent as `identify` at
//! once when online, and again after every `ready` (a reconnect keeps them).

use super::*;
use kefu_protocol::VisitorUser;
use serde_json::{json, Map, Value};

fn identify_frames(fx: &[Effect]) -> Vec<ClientFrame> {
    sent_frames(fx)
        .into_iter()
        .filter(|f| matches!(f, ClientFrame::Identify { .. }))
        .collect()
}

fn mei() -> VisitorUser {
    VisitorUser {
        id: Some("u_1".into()),
        name: Some("Mei".into()),
        hash: Some("abc".into()),
        ..VisitorUser::default()
    }
}

fn plan(value: &str) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("plan".into(), json!(value));
    map
}

#[test]
fn set_before_connecting_is_sent_after_ready_and_after_every_reconnect() {
    let mut s = ChatState::new(SiteId::from("demo"), None);
    assert!(identify_frames(&s.update(Action::SetUser(mei()))).is_empty());
    assert!(identify_frames(&s.update(Action::SetAttributes(plan("pro")))).is_empty());
    let expected = ClientFrame::Identify {
        user: Some(mei()),
        attributes: Some(plan("pro")),
    };
    for _ in 0..2 {
        let hello = s.update(socket_open());
        assert!(identify_frames(&hello).is_empty(), "not before ready");
        let fx = frame(&mut s, ready(CONV, 0, 0));
        assert_eq!(identify_frames(&fx), vec![expected.clone()]);
        s.update(Action::SocketClosed { code: 1006 });
    }
}

#[test]
fn set_while_online_is_sent_now_and_replaces() {
    let mut s = online();
    let fx = s.update(Action::SetAttributes(plan("pro")));
    assert_eq!(
        identify_frames(&fx),
        vec![ClientFrame::Identify {
            user: None,
            attributes: Some(plan("pro")),
        }]
    );
    s.update(Action::SetUser(mei()));
    let fx = s.update(Action::SetAttributes(plan("free")));
    assert_eq!(
        identify_frames(&fx),
        vec![ClientFrame::Identify {
            user: Some(mei()),
            attributes: Some(plan("free")),
        }]
    );
    // Clearing both: one last `identify` with nothing, then none after `ready`.
    s.update(Action::SetUser(VisitorUser::default()));
    let fx = s.update(Action::SetAttributes(Map::new()));
    assert_eq!(
        identify_frames(&fx),
        vec![ClientFrame::Identify {
            user: None,
            attributes: None,
        }]
    );
    s.update(Action::SocketClosed { code: 1006 });
    s.update(socket_open());
    assert!(identify_frames(&frame(&mut s, ready(CONV, 0, 0))).is_empty());
}

#[test]
fn an_anonymous_widget_never_identifies() {
    let mut s = ChatState::new(SiteId::from("demo"), None);
    s.update(socket_open());
    assert!(identify_frames(&frame(&mut s, ready(CONV, 0, 0))).is_empty());
}
