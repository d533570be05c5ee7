//! The inbox on the store (SQLite, or PostgreSQL with
//! `KEFU_TEST_BACKEND=postgres`): pages by state through ties of time, and a
//! left message's state, assignee and reply, never another site's.

use super::*;
use crate::store::test_store;

async fn left(store: &Store, site: &SiteId, n: u32, time: i64) -> String {
    let c = store.create_visitor(site).await.expect("visitor");
    let id = format!("lm_{site}_{n:02}");
    let m = LeftMessage {
        id: id.clone(),
        conversation_id: c.id.clone(),
        visitor: format!("visitor:{}", c.visitor_id),
        name: format!("Visitor {n}"),
        contact: format!("v{n}@example.com"),
        message: format!("message {n}"),
        time,
    };
    store.insert_left_message(site, &m).await.expect("left");
    id
}

/// `site`'s left message `id`, which must be there.
async fn held(store: &Store, site: &SiteId, id: &str) -> LeftItem {
    store
        .left_item(site, id)
        .await
        .expect("read")
        .expect("found")
}

fn ids(items: &[LeftItem]) -> Vec<&str> {
    items.iter().map(|i| i.left.id.as_str()).collect()
}

#[tokio::test]
async fn pages_by_state_newest_first_through_ties_of_time() {
    let (_dir, store) = test_store().await;
    let (shop, other) = (SiteId::from("shop"), SiteId::from("other"));
    for site in [&shop, &other] {
        store.upsert_site(site, "S", None).await.expect("site");
    }
    // Five at the same millisecond, then two later; one of another site.
    let mut all = Vec::new();
    for n in 0..5 {
        all.push(left(&store, &shop, n, 1_000).await);
    }
    all.push(left(&store, &shop, 5, 2_000).await);
    all.push(left(&store, &shop, 6, 3_000).await);
    left(&store, &other, 7, 5_000).await;
    // Newest first; ties by ID, descending.
    let mut want: Vec<&str> = vec![&all[6], &all[5]];
    want.extend(all[..5].iter().rev().map(String::as_str));

    let mut q = LeftQuery {
        limit: 3,
        ..LeftQuery::default()
    };
    let mut seen = Vec::new();
    loop {
        let page = store.left_page(&shop, &q).await.expect("page");
        assert!(page.items.len() <= 3);
        seen.extend(page.items.iter().map(|i| i.left.id.clone()));
        if page.is_completed {
            break;
        }
        let last = &page.items.last().expect("a full page").left;
        q.before = Some(LeftCursor {
            time: last.time,
            id: last.id.clone(),
        });
    }
    assert_eq!(seen, want);
    assert_eq!(store.count_new_left(&shop).await.expect("count"), 7);

    assert!(store
        .set_left_state(&shop, &all[5], LeftState::Done)
        .await
        .expect("set"));
    assert!(store
        .set_left_state(&shop, &all[0], LeftState::Done)
        .await
        .expect("set"));
    let done = LeftQuery {
        state: Some(LeftState::Done),
        limit: 10,
        before: None,
    };
    let page = store.left_page(&shop, &done).await.expect("page");
    assert_eq!(ids(&page.items), vec![all[5].as_str(), all[0].as_str()]);
    assert!(page.is_completed);
    let new = LeftQuery {
        state: Some(LeftState::New),
        limit: 10,
        before: None,
    };
    assert_eq!(
        store
            .left_page(&shop, &new)
            .await
            .expect("page")
            .items
            .len(),
        5
    );
    assert_eq!(store.count_new_left(&shop).await.expect("count"), 5);
    assert_eq!(store.count_new_left(&other).await.expect("count"), 1);
}

#[tokio::test]
async fn state_assignee_and_reply_are_the_sites_own() {
    let (_dir, store) = test_store().await;
    let (shop, other) = (SiteId::from("shop"), SiteId::from("other"));
    for site in [&shop, &other] {
        store.upsert_site(site, "S", None).await.expect("site");
    }
    let lin = store
        .create_agent(&shop, "lin", "Lin", "x", kefu_protocol::TeamRole::Agent)
        .await
        .expect("agent");
    let mei = store
        .create_agent(&shop, "mei", "Mei", "x", kefu_protocol::TeamRole::Agent)
        .await
        .expect("agent");
    let id = left(&store, &shop, 1, 1_000).await;
    let theirs = left(&store, &other, 2, 1_000).await;

    let fresh = held(&store, &shop, &id).await;
    assert_eq!(
        (fresh.state, &fresh.assignee, &fresh.reply),
        (LeftState::New, &None, &None)
    );
    assert_eq!(fresh.left.name, "Visitor 1");

    // Another site's message is not found, nor changed.
    assert_eq!(store.left_item(&shop, &theirs).await.expect("read"), None);
    assert!(!store
        .set_left_state(&shop, &theirs, LeftState::Done)
        .await
        .expect("ok"));
    assert!(!store
        .assign_left(&shop, &theirs, Some(&lin.id))
        .await
        .expect("ok"));
    assert!(!store
        .record_left_reply(&shop, &theirs, &lin.id, "hi", 5)
        .await
        .expect("ok"));
    let untouched = held(&store, &other, &theirs).await;
    assert_eq!(
        (untouched.state, untouched.assignee, untouched.reply),
        (LeftState::New, None, None)
    );

    assert!(store
        .assign_left(&shop, &id, Some(&mei.id))
        .await
        .expect("ok"));
    let item = held(&store, &shop, &id).await;
    let mei_card = AgentCard {
        id: format!("agent:{}", mei.id),
        name: "Mei".into(),
        avatar: None,
    };
    assert_eq!(item.assignee.as_ref(), Some(&mei_card));

    // A reply marks it done and keeps the assignee it had.
    assert!(store
        .record_left_reply(&shop, &id, &lin.id, "We ship on Monday.", 7_000)
        .await
        .expect("ok"));
    let item = held(&store, &shop, &id).await;
    assert_eq!(item.state, LeftState::Done);
    assert_eq!(item.assignee.as_ref(), Some(&mei_card));
    let reply = item.reply.expect("a reply");
    assert_eq!(
        (reply.text.as_str(), reply.time),
        ("We ship on Monday.", 7_000)
    );
    assert_eq!(reply.agent.id, format!("agent:{}", lin.id));

    // Unassigned, reopened: a reply then assigns the sender.
    assert!(store.assign_left(&shop, &id, None).await.expect("ok"));
    assert!(store
        .set_left_state(&shop, &id, LeftState::New)
        .await
        .expect("ok"));
    assert!(store
        .record_left_reply(&shop, &id, &lin.id, "And Tuesday.", 8_000)
        .await
        .expect("ok"));
    let item = held(&store, &shop, &id).await;
    assert_eq!(item.state, LeftState::Done);
    assert_eq!(item.assignee.map(|a| a.name), Some("Lin".into()));
    assert_eq!(item.reply.map(|r| r.text), Some("And Tuesday.".into()));
}
