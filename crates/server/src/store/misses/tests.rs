//! Misses on a real SQLite file: one row per question with a count, the cap,
//! a click taking a "did you mean" back, the agent's answer, learning.

use super::*;
use crate::store::test_store;

async fn setup() -> (tempfile::TempDir, Store, SiteId, ConversationId) {
    let (dir, store) = test_store().await;
    let site = SiteId::from("s");
    store.upsert_site(&site, "S", None).await.expect("site");
    let conversation = store.create_visitor(&site).await.expect("visitor").id;
    (dir, store, site, conversation)
}

#[tokio::test]
async fn the_same_question_is_one_row_with_a_count() {
    let (_dir, store, site, c) = setup().await;
    store
        .record_miss(&site, &c, "Where  is my PARCEL ", Decision::None, &[])
        .await
        .expect("ok");
    let offered = ["a".to_owned(), "b".to_owned()];
    store
        .record_miss(&site, &c, "where is my parcel", Decision::Similar, &offered)
        .await
        .expect("ok");
    let misses = store.bot_misses(&site, 10).await.expect("ok");
    assert_eq!(misses.len(), 1);
    let miss = &misses[0];
    assert_eq!(
        (miss.question.as_str(), miss.decision.as_str()),
        ("where is my parcel", "similar")
    );
    assert_eq!((miss.times, miss.offered.clone()), (2, offered.to_vec()));
    assert!(miss.id.starts_with("miss_") && miss.first_at <= miss.last_at);
    assert_eq!(
        store.bot_miss(&site, &miss.id).await.expect("ok").as_ref(),
        Some(miss)
    );
    assert_eq!(
        store
            .bot_miss(&SiteId::from("other"), &miss.id)
            .await
            .expect("ok"),
        None
    );
}

#[tokio::test]
async fn the_least_recent_go_beyond_the_cap() {
    let (_dir, store, site, c) = setup().await;
    let cap = usize::try_from(MAX_MISSES_PER_SITE).expect("small");
    for n in 0..cap + 3 {
        store
            .record_miss(&site, &c, &format!("question {n}"), Decision::None, &[])
            .await
            .expect("ok");
    }
    let misses = store.bot_misses(&site, 1000).await.expect("ok");
    assert_eq!(misses.len(), cap);
    assert_eq!(
        misses[0].question,
        format!("question {}", cap + 2),
        "newest first"
    );
    assert!(misses
        .iter()
        .all(|m| !["question 0", "question 1", "question 2"].contains(&m.question.as_str())));
}

#[tokio::test]
async fn a_click_on_an_offered_entry_takes_the_miss_back() {
    let (_dir, store, site, c) = setup().await;
    let offered = ["a".to_owned(), "b".to_owned()];
    store
        .record_miss(&site, &c, "q", Decision::Similar, &offered)
        .await
        .expect("ok");
    store.clicked_miss(&c, "zzz").await.expect("ok");
    assert_eq!(
        store.bot_misses(&site, 10).await.expect("ok").len(),
        1,
        "not offered"
    );
    store
        .record_miss(&site, &c, "q", Decision::Similar, &offered)
        .await
        .expect("ok");
    store.clicked_miss(&c, "b").await.expect("ok");
    assert_eq!(store.bot_misses(&site, 10).await.expect("ok")[0].times, 1);
    store.clicked_miss(&c, "a").await.expect("ok");
    assert!(store.bot_misses(&site, 10).await.expect("ok").is_empty());
    store
        .record_miss(&site, &c, "nothing", Decision::None, &[])
        .await
        .expect("ok");
    store.clicked_miss(&c, "a").await.expect("ok");
    assert_eq!(
        store.bot_misses(&site, 10).await.expect("ok").len(),
        1,
        "a none stays"
    );
}

#[tokio::test]
async fn the_first_agent_answer_after_the_miss_is_kept() {
    let (_dir, store, site, c) = setup().await;
    store
        .note_agent_answer(&c, "before any miss")
        .await
        .expect("ok");
    store
        .record_miss(&site, &c, "q", Decision::None, &[])
        .await
        .expect("ok");
    store
        .note_agent_answer(&c, &format!("  {}", "x".repeat(2000)))
        .await
        .expect("ok");
    store.note_agent_answer(&c, "second").await.expect("ok");
    let miss = &store.bot_misses(&site, 10).await.expect("ok")[0];
    assert_eq!(
        miss.agent_answer.as_deref().map(str::len),
        Some(MAX_AGENT_ANSWER_CHARS)
    );
}

#[tokio::test]
async fn learning_stores_the_kb_only_at_the_expected_version() {
    let (_dir, store, site, c) = setup().await;
    store.save_kb(&site, "{}").await.expect("kb");
    store
        .record_miss(&site, &c, "q", Decision::None, &[])
        .await
        .expect("ok");
    let id = store.bot_misses(&site, 10).await.expect("ok")[0].id.clone();
    assert_eq!(
        store
            .learn_miss(&site, &id, Some("{\"v\":2}"), 7)
            .await
            .expect("ok"),
        None
    );
    assert_eq!(
        store.bot_misses(&site, 10).await.expect("ok").len(),
        1,
        "nothing changed"
    );
    assert_eq!(
        store
            .learn_miss(&site, &id, Some("{\"v\":2}"), 1)
            .await
            .expect("ok"),
        Some(2)
    );
    assert_eq!(
        store.load_kb(&site).await.expect("ok"),
        Some((2, "{\"v\":2}".to_owned()))
    );
    assert!(store.bot_misses(&site, 10).await.expect("ok").is_empty());
    store
        .record_miss(&site, &c, "q2", Decision::None, &[])
        .await
        .expect("ok");
    let id = store.bot_misses(&site, 10).await.expect("ok")[0].id.clone();
    assert_eq!(
        store.learn_miss(&site, &id, None, 2).await.expect("ok"),
        Some(2)
    );
    assert!(
        !store.delete_miss(&site, &id).await.expect("ok"),
        "already gone"
    );
}
