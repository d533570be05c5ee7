//! Endpoints and the delivery queue on a real database (SQLite, or PostgreSQL
//! with `KEFU_TEST_BACKEND=postgres`): subscriptions and their cache, queueing
//! to subscribed endpoints only, one claim per due row, retries, the log's
//! pages, pruning, deletion.

use super::*;
use crate::store::test_store;
use kefu_protocol::DeliveryStatus;

async fn setup() -> (tempfile::TempDir, Store, SiteId) {
    let (dir, store) = test_store().await;
    let site = SiteId::from("s");
    store.upsert_site(&site, "S", None).await.expect("site");
    (dir, store, site)
}

/// An endpoint of `site` subscribed to `message.left`.
async fn left_hook(store: &Store, site: &SiteId) -> Endpoint {
    store
        .create_webhook(site, "https://a.example/", &[EventType::MessageLeft], "k")
        .await
        .expect("created")
}

/// Queue a `message.left` event with an empty body.
async fn left(store: &Store, site: &SiteId, event_id: &str) {
    store
        .queue_deliveries(site, EventType::MessageLeft, event_id, "{}", None, None)
        .await
        .expect("queued");
}

#[tokio::test]
async fn events_are_queued_for_subscribed_enabled_endpoints_only() {
    let (_dir, store, site) = setup().await;
    assert_eq!(store.subscribed(&site).await.expect("ok"), 0);
    assert_eq!(store.cached_subscriptions(&site), Some(0));
    let msgs = store
        .create_webhook(
            &site,
            "https://a.example/",
            &[EventType::MessageCreated],
            "k1",
        )
        .await
        .expect("created");
    assert_eq!(
        store.cached_subscriptions(&site),
        None,
        "forgotten on create"
    );
    let ends = store
        .create_webhook(
            &site,
            "https://b.example/",
            &[EventType::SessionEnded],
            "k2",
        )
        .await
        .expect("created");
    let mask = store.subscribed(&site).await.expect("ok");
    assert_eq!(
        mask,
        event_bit(EventType::MessageCreated) | event_bit(EventType::SessionEnded)
    );
    let n = store
        .queue_deliveries(&site, EventType::MessageCreated, "evt_1", "{}", None, None)
        .await
        .expect("queued");
    assert_eq!(n, 1);
    let change = EndpointChange {
        enabled: Some(false),
        ..EndpointChange::default()
    };
    let off = store
        .update_webhook(&site, &msgs.id, change)
        .await
        .expect("ok");
    assert!(!off.expect("exists").enabled);
    assert_eq!(
        store.subscribed(&site).await.expect("ok"),
        event_bit(EventType::SessionEnded)
    );
    let n = store
        .queue_deliveries(&site, EventType::MessageCreated, "evt_2", "{}", None, None)
        .await
        .expect("queued");
    assert_eq!(n, 0, "a disabled endpoint gets nothing");
    // The test event goes to the one endpoint named, whatever it subscribes to.
    let n = store
        .queue_deliveries(
            &site,
            EventType::WebhookTest,
            "evt_3",
            "{}",
            None,
            Some(&ends.id),
        )
        .await
        .expect("queued");
    assert_eq!(n, 1);
    let other = SiteId::from("other");
    store.upsert_site(&other, "O", None).await.expect("site");
    assert!(store.webhook(&other, &ends.id).await.expect("ok").is_none());
    assert!(!store.delete_webhook(&other, &ends.id).await.expect("ok"));
}

#[tokio::test]
async fn a_due_delivery_is_claimed_once_retried_and_settled() {
    let (_dir, store, site) = setup().await;
    let hook = left_hook(&store, &site).await;
    store
        .queue_deliveries(
            &site,
            EventType::MessageLeft,
            "evt_1",
            r#"{"a":1}"#,
            None,
            None,
        )
        .await
        .expect("queued");
    let now = now_ms() + 1;
    let due = store.claim_delivery(now, now + 30_000).await.expect("ok");
    let due = due.expect("due");
    assert_eq!(
        (due.event_id.as_str(), due.body.as_str()),
        ("evt_1", r#"{"a":1}"#)
    );
    assert_eq!(
        due.endpoint,
        Some(("https://a.example/".into(), "k".into(), true))
    );
    assert!(
        store
            .claim_delivery(now, now + 30_000)
            .await
            .expect("ok")
            .is_none(),
        "claimed: no second claim while the lease runs"
    );
    let failed = Attempt::Failed {
        status: Some(500),
        error: "HTTP 500".into(),
        retry_at: Some(now + 10),
    };
    store
        .settle_delivery(&due.id, failed, now)
        .await
        .expect("ok");
    assert!(store
        .claim_delivery(now, now + 30_000)
        .await
        .expect("ok")
        .is_none());
    let again = store
        .claim_delivery(now + 10, now + 30_000)
        .await
        .expect("ok");
    let again = again.expect("due again");
    assert_eq!(again.attempts, 1);
    store
        .settle_delivery(&again.id, Attempt::Delivered(204), now + 11)
        .await
        .expect("ok");
    let log = store
        .deliveries(&site, &hook.id, None, 10)
        .await
        .expect("ok");
    assert_eq!(log.len(), 1);
    let d = &log[0];
    assert_eq!((d.status, d.attempts), (DeliveryStatus::Delivered, 2));
    assert_eq!((d.last_status, d.next_attempt_at), (Some(204), None));
    assert!(store
        .claim_delivery(now + 10_000_000, i64::MAX)
        .await
        .expect("ok")
        .is_none());
}

#[tokio::test]
async fn claims_at_once_never_take_the_same_delivery() {
    let (_dir, store, site) = setup().await;
    left_hook(&store, &site).await;
    for i in 0..20 {
        left(&store, &site, &format!("evt_{i}")).await;
    }
    let now = now_ms() + 1;
    let claims: Vec<_> = (0..40)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.claim_delivery(now, now + 60_000).await })
        })
        .collect();
    let mut claimed = Vec::new();
    for claim in claims {
        if let Some(due) = claim.await.expect("joined").expect("ok") {
            claimed.push(due.id);
        }
    }
    let total = claimed.len();
    claimed.sort();
    claimed.dedup();
    assert_eq!(claimed.len(), total, "a delivery claimed twice");
    // Claims that lost a race got nothing; the rest are still there to claim.
    while let Some(due) = store.claim_delivery(now, now + 60_000).await.expect("ok") {
        assert!(!claimed.contains(&due.id), "claimed under a live lease");
        claimed.push(due.id);
    }
    assert_eq!(claimed.len(), 20);
}

#[tokio::test]
async fn an_expired_lease_is_claimed_again_and_giving_up_fails_it() {
    let (_dir, store, site) = setup().await;
    let hook = left_hook(&store, &site).await;
    left(&store, &site, "evt_1").await;
    let now = now_ms() + 1;
    let first = store
        .claim_delivery(now, now + 100)
        .await
        .expect("ok")
        .expect("due");
    let taken_over = store
        .claim_delivery(now + 100, now + 200)
        .await
        .expect("ok");
    assert_eq!(taken_over.expect("lease ran out").id, first.id);
    let give_up = Attempt::Failed {
        status: None,
        error: "timed out".into(),
        retry_at: None,
    };
    store
        .settle_delivery(&first.id, give_up, now)
        .await
        .expect("ok");
    let log = store
        .deliveries(&site, &hook.id, None, 10)
        .await
        .expect("ok");
    assert_eq!(log[0].status, DeliveryStatus::Failed);
    assert_eq!(log[0].last_error.as_deref(), Some("timed out"));
    assert!(store
        .claim_delivery(i64::MAX - 1, i64::MAX)
        .await
        .expect("ok")
        .is_none());
}

#[tokio::test]
async fn the_log_pages_newest_first_and_deleting_takes_it_along() {
    let (_dir, store, site) = setup().await;
    let hook = left_hook(&store, &site).await;
    for i in 0..5 {
        left(&store, &site, &format!("evt_{i}")).await;
    }
    let first = store
        .deliveries(&site, &hook.id, None, 3)
        .await
        .expect("ok");
    let events: Vec<&str> = first.iter().map(|d| d.event_id.as_str()).collect();
    assert_eq!(events.len(), 3);
    let rest = store
        .deliveries(&site, &hook.id, Some(&first[2].id), 3)
        .await
        .expect("ok");
    assert_eq!(rest.len(), 2);
    let mut all: Vec<String> = first.iter().chain(&rest).map(|d| d.id.clone()).collect();
    let before = all.clone();
    all.sort_by(|a, b| b.cmp(a));
    all.dedup();
    assert_eq!(all.len(), 5, "every delivery once: {before:?}");
    assert!(store.delete_webhook(&site, &hook.id).await.expect("ok"));
    assert!(store
        .deliveries(&site, &hook.id, None, 10)
        .await
        .expect("ok")
        .is_empty());
    assert!(store
        .claim_delivery(i64::MAX - 1, i64::MAX)
        .await
        .expect("ok")
        .is_none());
}

#[tokio::test]
async fn settled_deliveries_beyond_the_cap_are_pruned() {
    let (_dir, store, site) = setup().await;
    let hook = left_hook(&store, &site).await;
    let cap = usize::try_from(MAX_DELIVERIES_PER_SITE).expect("small");
    for i in 0..=cap {
        left(&store, &site, &format!("evt_{i:05}")).await;
        let now = now_ms() + 1;
        let due = store
            .claim_delivery(now, now + 1)
            .await
            .expect("ok")
            .expect("due");
        store
            .settle_delivery(&due.id, Attempt::Delivered(200), now)
            .await
            .expect("ok");
    }
    left(&store, &site, "evt_last").await;
    let mut kept = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let page = store
            .deliveries(&site, &hook.id, before.as_deref(), 100)
            .await
            .expect("ok");
        let Some(last) = page.last() else { break };
        before = Some(last.id.clone());
        kept.extend(page);
    }
    assert_eq!(kept.len(), cap, "the cap, the pending one included");
    assert_eq!(kept[0].event_id, "evt_last");
    assert!(
        !kept
            .iter()
            .any(|d| d.event_id == "evt_00000" || d.event_id == "evt_00001"),
        "the oldest settled went first"
    );
}
