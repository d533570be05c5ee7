//! Conversation search on a real database (SQLite, or PostgreSQL with
//! `KEFU_TEST_BACKEND=postgres`): by a word, a Chinese substring (long enough
//! for the trigram index and shorter), a visitor's name and e-mail, a date
//! range; never another site's conversations, a revoked text or one the
//! asking agent deleted; pages that cover every hit once; the messages stored
//! before migration 0025 indexed by it.

use super::*;
use crate::store::{args, new_id, test_store, unsaved, Conversation, NewMessage, StoredMessage};
use kefu_protocol::search::SEARCH_PAGE_SIZE;
use kefu_protocol::{ClientMsgId, LeftMessage, MessageBody, MessageId, ProfileUser};

const AGENT: &str = "agent:a_1";

async fn setup() -> (tempfile::TempDir, Store, SiteId) {
    let (dir, store) = test_store().await;
    let site = SiteId::from("s");
    store.upsert_site(&site, "S", None).await.expect("site");
    (dir, store, site)
}

/// A new conversation of `site`.
async fn conversation(store: &Store, site: &SiteId) -> Conversation {
    store.create_visitor(site).await.expect("visitor")
}

/// The visitor of `c` says `text`, stored at `time` (ms).
async fn say(store: &Store, c: &Conversation, text: &str, time: i64) -> StoredMessage {
    let me = format!("visitor:{}", c.visitor_id);
    let body = MessageBody::text(text);
    let key = ClientMsgId(new_id("k"));
    let new = NewMessage {
        sender: &me,
        recipient: format!("site:{}", c.site),
        nick: None,
        client_msg_id: &key,
        body: &body,
    };
    let mut row = unsaved(&c.id, &new);
    row.time_ms = time;
    store.append_row(row).await.expect("appended").message
}

fn search(query: &str) -> Search {
    Search {
        term: SearchTerm::parse(query).expect("a valid query"),
        from: None,
        to: None,
        before: None,
        page: SEARCH_PAGE_SIZE,
    }
}

/// The conversations `s` finds in `site` as [`AGENT`], all pages.
async fn found(store: &Store, site: &SiteId, s: &Search) -> Vec<Found> {
    let (hits, completed) = store
        .search_conversations(site, AGENT, s)
        .await
        .expect("searched");
    assert!(completed, "one page");
    hits
}

fn ids(hits: &[Found]) -> Vec<&str> {
    hits.iter().map(|h| h.conversation_id.as_str()).collect()
}

#[tokio::test]
async fn finds_a_word_in_this_site_only_case_insensitively() {
    let (_dir, store, site) = setup().await;
    let other = SiteId::from("other");
    store.upsert_site(&other, "O", None).await.expect("site");
    let mine = conversation(&store, &site).await;
    let theirs = conversation(&store, &other).await;
    let unrelated = conversation(&store, &site).await;
    say(&store, &mine, "Where is my Refund, please?", 1_000).await;
    say(&store, &theirs, "refund now", 2_000).await;
    say(&store, &unrelated, "hello there", 3_000).await;

    for query in ["refund", "REFUND", "is my ref", "ef"] {
        let hits = found(&store, &site, &search(query)).await;
        assert_eq!(ids(&hits), [mine.id.as_str()], "{query}");
        let hit = &hits[0];
        assert_eq!(hit.field, SearchField::Text);
        assert_eq!(hit.value, "Where is my Refund, please?");
        assert_eq!(hit.time, 1_000);
        assert_eq!(hit.visitor_id, mine.visitor_id);
    }
    let theirs_found = store
        .search_conversations(&other, AGENT, &search("refund"))
        .await
        .expect("searched");
    assert_eq!(ids(&theirs_found.0), [theirs.id.as_str()]);
    assert!(found(&store, &site, &search("refunds")).await.is_empty());
    // LIKE's wildcards are plain characters in a query.
    assert!(found(&store, &site, &search("%")).await.is_empty());
    assert!(found(&store, &site, &search("r_fund")).await.is_empty());
}

#[tokio::test]
async fn finds_chinese_substrings_long_and_short() {
    let (_dir, store, site) = setup().await;
    let c = conversation(&store, &site).await;
    let other = conversation(&store, &site).await;
    say(&store, &c, "我想申请退款，订单号是42", 1_000).await;
    say(&store, &other, "我想退货", 2_000).await;
    // Four characters: the trigram index; two: the LIKE scan.
    for query in ["申请退款", "退款", "款"] {
        let hits = found(&store, &site, &search(query)).await;
        assert_eq!(ids(&hits), [c.id.as_str()], "{query}");
    }
    let both = found(&store, &site, &search("我想")).await;
    assert_eq!(
        ids(&both),
        [other.id.as_str(), c.id.as_str()],
        "newest first"
    );
    assert!(found(&store, &site, &search("退钱")).await.is_empty());
}

#[tokio::test]
async fn finds_the_visitor_by_name_and_email() {
    let (_dir, store, site) = setup().await;
    let left = conversation(&store, &site).await;
    let identified = conversation(&store, &site).await;
    say(&store, &left, "hi", 1_000).await;
    say(&store, &identified, "hi", 2_000).await;
    let message = LeftMessage {
        id: "lm_1".into(),
        conversation_id: left.id.clone(),
        visitor: format!("visitor:{}", left.visitor_id),
        name: "Ann Lee".into(),
        contact: "ann@example.com".into(),
        message: "call me back".into(),
        time: 1_500,
    };
    store
        .insert_left_message(&site, &message)
        .await
        .expect("left");
    let user = ProfileUser {
        id: Some("u1".into()),
        name: Some("Bob Stone".into()),
        email: Some("bob@corp.example".into()),
        avatar: None,
        verified: false,
    };
    store
        .set_visitor_identity(&identified.visitor_id, Some(&user), &Default::default())
        .await
        .expect("identified");

    let cases = [
        ("ann lee", &left, SearchField::Name, "Ann Lee"),
        ("ann@ex", &left, SearchField::Email, "ann@example.com"),
        ("Stone", &identified, SearchField::Name, "Bob Stone"),
        (
            "corp.example",
            &identified,
            SearchField::Email,
            "bob@corp.example",
        ),
    ];
    for (query, c, field, value) in cases {
        let hits = found(&store, &site, &search(query)).await;
        assert_eq!(ids(&hits), [c.id.as_str()], "{query}");
        assert_eq!((hits[0].field, hits[0].value.as_str()), (field, value));
    }
    // The left message's own text is no visitor name: not searched.
    assert!(found(&store, &site, &search("call me")).await.is_empty());
}

#[tokio::test]
async fn never_finds_revoked_or_deleted_text() {
    let (_dir, store, site) = setup().await;
    let c = conversation(&store, &site).await;
    let revoked = say(&store, &c, "secret code 7781", 1_000).await;
    let hidden = say(&store, &c, "private words 5566", 2_000).await;
    assert_eq!(found(&store, &site, &search("7781")).await.len(), 1);
    assert!(store
        .revoke_message(&c.id, &MessageId(revoked.id.clone()))
        .await
        .expect("revoked"));
    assert!(found(&store, &site, &search("7781")).await.is_empty());
    assert!(found(&store, &site, &search("secret code"))
        .await
        .is_empty());

    store
        .hide_message(AGENT, &MessageId(hidden.id.clone()))
        .await
        .expect("hidden");
    assert!(found(&store, &site, &search("private words"))
        .await
        .is_empty());
    let (others, _) = store
        .search_conversations(&site, "agent:a_2", &search("private words"))
        .await
        .expect("searched");
    assert_eq!(
        ids(&others),
        [c.id.as_str()],
        "another agent still finds it"
    );
}

/// The triggers keep the SQLite index in step with the messages: the
/// revoked and the deleted leave it.
#[tokio::test]
async fn the_sqlite_index_follows_revokes_and_deletes() {
    let (_dir, store, site) = setup().await;
    if store.backend() != Backend::Sqlite {
        return;
    }
    let c = conversation(&store, &site).await;
    let kept = say(&store, &c, "kept text", 1_000).await;
    let revoked = say(&store, &c, "revoked text", 2_000).await;
    let deleted = say(&store, &c, "deleted text", 3_000).await;
    store
        .revoke_message(&c.id, &MessageId(revoked.id.clone()))
        .await
        .expect("revoked");
    store
        .execute(
            "DELETE FROM messages WHERE id = $1",
            args![deleted.id.clone()],
        )
        .await
        .expect("deleted");
    let indexed: Vec<(String, String)> =
        sqlx::query_as("SELECT message_id, text FROM message_search ORDER BY rowid")
            .fetch_all(store.reads())
            .await
            .expect("read");
    assert_eq!(indexed, [(kept.id, "kept text".to_owned())]);
}

/// Migration 0025 indexes the text messages stored before it (not the
/// revoked, not other kinds): an upgraded SQLite database finds them.
#[tokio::test]
async fn the_migration_indexes_the_messages_stored_before_it() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("opens");
    let mut before = sqlx::migrate!("./migrations/sqlite");
    before.migrations = before
        .migrations
        .iter()
        .filter(|m| m.version < 25)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    before.run(&mut conn).await.expect("migrated to 0024");
    let rows = [
        "INSERT INTO sites (id, name, created_at, updated_at) VALUES ('s', 'S', 1, 1)",
        "INSERT INTO visitors (id, site_id, created_at) VALUES ('v_1', 's', 1)",
        "INSERT INTO conversations (id, site_id, visitor_id, created_at, updated_at, \
         last_sequence) VALUES ('c_1', 's', 'v_1', 1, 3000, 3)",
        "INSERT INTO messages (id, conversation_id, sequence, sender, recipient, \
         client_msg_id, time_ms, kind, payload, is_revoked) VALUES \
         ('m_1', 'c_1', 1, 'visitor:v_1', 'site:s', 'k1', 1000, 'text', \
          '{\"text\":\"an old refund question\"}', 0), \
         ('m_2', 'c_1', 2, 'visitor:v_1', 'site:s', 'k2', 2000, 'text', \
          '{\"text\":\"\"}', 1), \
         ('m_3', 'c_1', 3, 'visitor:v_1', 'site:s', 'k3', 3000, 'file', \
          '{\"name\":\"refund.pdf\"}', 0)",
    ];
    for sql in rows {
        sqlx::query(sql).execute(&mut conn).await.expect("stored");
    }
    conn.close().await.expect("closed");

    let store = Store::open(&url).await.expect("migrated to 0025");
    let site = SiteId::from("s");
    let hits = found(&store, &site, &search("old refund")).await;
    assert_eq!(ids(&hits), ["c_1"]);
    assert_eq!(hits[0].time, 1_000);
    let indexed: Vec<String> = sqlx::query_scalar("SELECT message_id FROM message_search")
        .fetch_all(store.reads())
        .await
        .expect("read");
    assert_eq!(indexed, ["m_1"]);
}

#[tokio::test]
async fn filters_by_date() {
    let (_dir, store, site) = setup().await;
    let early = conversation(&store, &site).await;
    let late = conversation(&store, &site).await;
    say(&store, &early, "parcel late", 1_000).await;
    say(&store, &late, "parcel lost", 5_000).await;
    let ranged = |from, to| Search {
        from,
        to,
        ..search("parcel")
    };
    let cases = [
        ((None, None), vec![late.id.as_str(), early.id.as_str()]),
        ((Some(2_000), None), vec![late.id.as_str()]),
        ((None, Some(2_000)), vec![early.id.as_str()]),
        ((Some(1_000), Some(1_000)), vec![early.id.as_str()]),
        ((Some(5_000), Some(5_000)), vec![late.id.as_str()]),
        ((Some(1_001), Some(4_999)), vec![]),
    ];
    for ((from, to), want) in cases {
        let hits = found(&store, &site, &ranged(from, to)).await;
        assert_eq!(ids(&hits), want, "{from:?}–{to:?}");
    }
}

#[tokio::test]
async fn one_hit_per_conversation_its_newest() {
    let (_dir, store, site) = setup().await;
    let c = conversation(&store, &site).await;
    say(&store, &c, "invoice one", 1_000).await;
    say(&store, &c, "invoice two", 2_000).await;
    say(&store, &c, "nothing", 3_000).await;
    let hits = found(&store, &site, &search("invoice")).await;
    assert_eq!(hits.len(), 1);
    assert_eq!(
        (hits[0].value.as_str(), hits[0].time),
        ("invoice two", 2_000)
    );
    let before = Search {
        to: Some(1_500),
        ..search("invoice")
    };
    let hits = found(&store, &site, &before).await;
    assert_eq!(hits[0].value, "invoice one", "the newest in the range");
}

#[tokio::test]
async fn pages_cover_every_hit_once_newest_first() {
    let (_dir, store, site) = setup().await;
    // Seven conversations, three of them matching in the same millisecond.
    let mut want = Vec::new();
    for time in [100, 200, 300, 300, 300, 400, 500] {
        let c = conversation(&store, &site).await;
        say(&store, &c, "about my invoice", time).await;
        want.push((time, c.id));
    }
    want.sort_by(|a, b| b.cmp(a));
    let mut s = search("invoice");
    s.page = 2;
    let mut got = Vec::new();
    let mut pages = 0;
    loop {
        let (hits, completed) = store
            .search_conversations(&site, AGENT, &s)
            .await
            .expect("searched");
        pages += 1;
        assert!(hits.len() <= 2);
        got.extend(hits.iter().map(|h| (h.time, h.conversation_id.clone())));
        if completed {
            break;
        }
        s.before = Some(hits.last().expect("a full page").cursor());
    }
    assert_eq!(got, want);
    assert_eq!(pages, 4);
}

#[test]
fn queries_are_trimmed_and_bounded() {
    assert_eq!(SearchTerm::parse("  a b ").map(|t| t.0), Ok("a b".into()));
    assert_eq!(SearchTerm::parse(" \t "), Err(TermError::Empty));
    let long = "好".repeat(MAX_QUERY_CHARS + 1);
    assert_eq!(SearchTerm::parse(&long), Err(TermError::TooLong));
    assert!(SearchTerm::parse(&long[3..]).is_ok(), "100 characters");
}

#[test]
fn snippets_show_the_match() {
    let term = SearchTerm::parse("REFUND").expect("valid");
    assert_eq!(snippet("my refund", &term), "my refund");
    let long = format!("{}refund{}", "a".repeat(200), "b".repeat(200));
    let s = snippet(&long, &term);
    assert_eq!(s.chars().count(), SNIPPET_CHARS);
    assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    assert!(s.contains("refund"), "{s}");
    let head = format!("refund{}", "c".repeat(200));
    let s = snippet(&head, &term);
    assert!(s.starts_with("refund") && s.ends_with('…'), "{s}");
    let tail = format!("{}refund", "d".repeat(200));
    let s = snippet(&tail, &term);
    assert!(s.starts_with('…') && s.ends_with("refund"), "{s}");
    assert_eq!(s.chars().count(), SNIPPET_CHARS);
}
