//! One live session per conversation, enforced by the store (SQLite, or
//! PostgreSQL with `KEFU_TEST_BACKEND=postgres`): racing openers, a stale
//! transition, and migration 0026 repairing a database that holds duplicates.

use super::*;
use crate::store::{test_store, test_store_url, Conversation};

async fn conversation(store: &Store) -> Conversation {
    let site = SiteId::from("s1");
    store.upsert_site(&site, "S", None).await.expect("site");
    store.create_visitor(&site).await.expect("visitor")
}

/// The conversation's sessions that are not ended, straight from the table.
async fn live(store: &Store, c: &Conversation) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT id FROM sessions WHERE conversation_id = $1 AND state <> 'ended' ORDER BY id",
    )
    .bind(c.id.as_str())
    .fetch_all(store.reads())
    .await
    .expect("reads")
}

fn fresh_id() -> SessionId {
    SessionId(new_id("s"))
}

#[tokio::test]
async fn two_openers_at_once_leave_one_live_session_and_the_loser_gets_it() {
    let (_dir, store) = test_store().await;
    let c = conversation(&store).await;
    let (a, b) = (fresh_id(), fresh_id());
    let (opened_a, opened_b) = tokio::join!(
        store.open_session(&c.id, &c.site, &a, Vec::new()),
        store.open_session(&c.id, &c.site, &b, Vec::new()),
    );
    let (sa, _) = opened_a.expect("opens or finds");
    let (sb, _) = opened_b.expect("opens or finds");
    assert_eq!(sa, sb, "both openers answer with the same session");
    assert_eq!(live(&store, &c).await, vec![sa.id.clone()]);
    let current = store.current_session(&c.id).await.expect("reads");
    assert_eq!(current.map(|s| s.id), Some(sa.id.clone()));

    // A later opener, while that one is queued, still gets it.
    assert!(store.enqueue(&sa.id, sa.version, None).await.expect("ok"));
    let (again, appended) = store
        .open_session(&c.id, &c.site, &fresh_id(), Vec::new())
        .await
        .expect("finds");
    assert_eq!(
        (again.id.as_str(), again.state.column()),
        (sa.id.as_str(), "queued")
    );
    assert!(appended.is_empty());
    assert_eq!(live(&store, &c).await, vec![sa.id.clone()]);

    // Once it ended, a new one opens.
    assert!(store
        .change_state(&sa.id, State::Queued, State::Ended, None)
        .await
        .expect("ok"));
    let (next, _) = store
        .open_session(&c.id, &c.site, &fresh_id(), Vec::new())
        .await
        .expect("opens");
    assert_ne!(next.id, sa.id);
    assert!(next.version > again.version);
    assert_eq!(live(&store, &c).await, vec![next.id]);
}

#[tokio::test]
async fn the_database_refuses_a_second_live_session() {
    let (_dir, store) = test_store().await;
    let c = conversation(&store).await;
    store
        .open_session(&c.id, &c.site, &fresh_id(), Vec::new())
        .await
        .expect("opens");
    let second = store
        .execute(
            "INSERT INTO sessions (id, conversation_id, site_id, state, created_at, version) \
             VALUES ($1, $2, $3, 'queued', 1, 9)",
            args![
                new_id("s"),
                c.id.as_str().to_owned(),
                c.site.as_str().to_owned()
            ],
        )
        .await;
    assert!(
        second.as_ref().is_err_and(|e| e.is_unique_violation()),
        "{second:?}"
    );
}

#[tokio::test]
async fn a_stale_enqueue_changes_nothing() {
    let (_dir, store) = test_store().await;
    let c = conversation(&store).await;
    let (s, _) = store
        .open_session(&c.id, &c.site, &fresh_id(), Vec::new())
        .await
        .expect("opens");
    // The session is queued and leaves the queue again: back in `bot`, as a
    // stale `requestHuman` read it, but at a newer version.
    assert!(store.enqueue(&s.id, s.version, None).await.expect("ok"));
    assert!(store
        .change_state(&s.id, State::Queued, State::Bot, None)
        .await
        .expect("ok"));
    let before = store.get_session(&s.session_id()).await.expect("ok");
    assert!(!store
        .enqueue(&s.id, s.version, Some("k"))
        .await
        .expect("ok"));
    let after = store.get_session(&s.session_id()).await.expect("ok");
    assert_eq!(before, after);
    assert_eq!(after.map(|a| a.state), Some(State::Bot));
}

#[tokio::test]
async fn migration_0026_ends_all_but_the_newest_live_session() {
    let (_dir, url) = test_store_url().await;
    let store = Store::open(&url).await.expect("opens");
    let c = conversation(&store).await;
    let other = store.create_visitor(&c.site).await.expect("visitor");
    // A database from before 0026, holding duplicates: no index, and the
    // migration not applied.
    store
        .execute("DROP INDEX sessions_one_live", args![])
        .await
        .expect("drops");
    store
        .execute("DELETE FROM _sqlx_migrations WHERE version = 26", args![])
        .await
        .expect("forgets");
    let rows = [
        ("s_old_ended", &c, "ended", 1),
        ("s_old_serving", &c, "serving", 2),
        ("s_new_bot", &c, "bot", 3),
        ("s_same_time_a", &other, "queued", 5),
        ("s_same_time_b", &other, "bot", 5),
    ];
    for (id, conv, state, at) in rows {
        store
            .execute(
                "INSERT INTO sessions (id, conversation_id, site_id, state, created_at, version) \
                 VALUES ($1, $2, $3, $4, $5, $5)",
                args![
                    id.to_owned(),
                    conv.id.as_str().to_owned(),
                    conv.site.as_str().to_owned(),
                    state.to_owned(),
                    i64::from(at)
                ],
            )
            .await
            .expect("inserts");
    }
    assert_eq!(live(&store, &c).await.len(), 2);
    store.close().await;
    drop(store);

    let store = Store::open(&url).await.expect("migrates");
    assert_eq!(live(&store, &c).await, vec!["s_new_bot".to_owned()]);
    assert_eq!(live(&store, &other).await, vec!["s_same_time_b".to_owned()]);
    let ended = store
        .get_session(&SessionId("s_old_serving".into()))
        .await
        .expect("reads")
        .expect("kept");
    assert_eq!((ended.state.column(), ended.version), ("ended", 3));
    // And the index is back: a second live session is refused.
    let (s, _) = store
        .open_session(&c.id, &c.site, &fresh_id(), Vec::new())
        .await
        .expect("finds");
    assert_eq!(s.id, "s_new_bot");
    assert_eq!(live(&store, &c).await, vec!["s_new_bot".to_owned()]);
}
