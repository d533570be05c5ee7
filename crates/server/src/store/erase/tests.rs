//! Erasure, export and retention on the store (SQLite, or PostgreSQL with
//! `KEFU_TEST_BACKEND=postgres`): a visitor with a row in every table that
//! holds visitor data, erased or exported; another visitor beside them.

use super::*;
use crate::store::{test_store, Conversation, NewMessage, NewVisitor, SiteSetting};
use kefu_bot::Decision;
use kefu_protocol::{ClientMsgId, LeftMessage, MessageBody, MessageId, SessionId, TextPayload};

/// The tables that hold a visitor's data, and how a row names them (`$1`:
/// the conversation, `$2`: the visitor; both bound for every table).
const WHERE_THEIRS: [(&str, &str); 11] = [
    ("visitors", "id = $2 AND $1 <> ''"),
    ("conversations", "id = $1 OR visitor_id = $2"),
    (
        "messages",
        "conversation_id = $1 OR sender = 'visitor:' || $2",
    ),
    (
        "hidden_messages",
        "identity = 'visitor:' || $2 AND $1 <> ''",
    ),
    ("sessions", "conversation_id = $1 AND $2 <> ''"),
    ("left_messages", "conversation_id = $1 OR visitor_id = $2"),
    ("bot_misses", "conversation_id = $1 AND $2 <> ''"),
    ("agent_reads", "conversation_id = $1 AND $2 <> ''"),
    ("uploads", "conversation_id = $1 OR uploader = $2"),
    ("webhook_deliveries", "conversation_id = $1 AND $2 <> ''"),
    ("mail_outbox", "conversation_id = $1 AND $2 <> ''"),
];

/// How many rows of each table of [`WHERE_THEIRS`] name the conversation `c`
/// or its visitor, and whether the visitor is marked erased.
async fn rows_of(store: &Store, c: &Conversation) -> (Vec<(&'static str, i64)>, bool) {
    let mut counts = Vec::new();
    for (table, theirs) in WHERE_THEIRS {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {theirs}"))
            .bind(c.id.as_str())
            .bind(&c.visitor_id)
            .fetch_one(store.reads())
            .await
            .expect("counts");
        counts.push((table, n));
    }
    let erased = store.is_visitor_erased(&c.visitor_id).await.expect("ok");
    (counts, erased)
}

/// A visitor of `site` with a row in every table of [`WHERE_THEIRS`], and
/// an upload `up_<n>`.
async fn fill(store: &Store, site: &SiteId, n: u32) -> Conversation {
    let c = store.create_visitor(site).await.expect("visitor");
    let me = format!("visitor:{}", c.visitor_id);
    let body = MessageBody::Text(TextPayload {
        text: "my order 42".into(),
    });
    let key = ClientMsgId::from("k1");
    let new = NewMessage {
        sender: &me,
        recipient: format!("site:{site}"),
        nick: None,
        client_msg_id: &key,
        body: &body,
    };
    let sent = store.append(&c.id, new).await.expect("appended").message;
    store
        .hide_message(&me, &MessageId(sent.id.clone()))
        .await
        .expect("hidden");
    let session = SessionId(format!("s_{n}"));
    store
        .open_session(&c.id, site, &session, Vec::new())
        .await
        .expect("session");
    assert!(store
        .rate_session(&session.0, 4, Some("quick"))
        .await
        .expect("rated"));
    let left = LeftMessage {
        id: format!("lm_{n}"),
        conversation_id: c.id.clone(),
        visitor: me.clone(),
        name: "Ann".into(),
        contact: "ann@example.com".into(),
        message: "call me".into(),
        time: now_ms(),
    };
    store.insert_left_message(site, &left).await.expect("left");
    let question = format!("where is parcel {n}");
    store
        .record_miss(site, &c.id, &question, Decision::None, &[])
        .await
        .expect("miss");
    store.mark_agent_read(&c.id, "a_1", 1).await.expect("read");
    store
        .execute(
            "INSERT INTO uploads (id, conversation_id, site_id, uploader, kind, mime, size, \
             name, sha256, created_at) VALUES ($1, $2, $3, $4, 'file', 'text/plain', 3, \
             'a.txt', 'abc', $5)",
            args![
                format!("up_{n}"),
                c.id.as_str().to_owned(),
                site.as_str().to_owned(),
                c.visitor_id.clone(),
                now_ms()
            ],
        )
        .await
        .expect("upload");
    let hooks = store.webhooks(site).await.expect("hooks");
    if hooks.is_empty() {
        let events = [kefu_protocol::EventType::MessageCreated];
        let url = "https://hooks.example/in";
        store
            .create_webhook(site, url, &events, "secret")
            .await
            .expect("hook");
    }
    let event = format!("evt_{n}");
    let kind = kefu_protocol::EventType::MessageCreated;
    let queued = store
        .queue_deliveries(site, kind, &event, "{}", Some(&c.id), None)
        .await
        .expect("queued");
    assert_eq!(queued, 1);
    let mail = crate::store::mail::OutboxMail {
        kind: crate::store::mail::MailKind::Transcript,
        dedupe: None,
        conversation: Some(c.id.clone()),
        to: "li@example.com".into(),
        reply_to: None,
        subject: "Your conversation".into(),
        text: "my order 42".into(),
    };
    let mailed = store
        .queue_mails(site, vec![mail], 1)
        .await
        .expect("mailed");
    assert_eq!(mailed, 1);
    c
}

async fn site(store: &Store, id: &str) -> SiteId {
    let site = SiteId::from(id);
    store.upsert_site(&site, "S", None).await.expect("site");
    site
}

fn visitor(c: &Conversation) -> VisitorId {
    VisitorId(c.visitor_id.clone())
}

#[tokio::test]
async fn erasing_a_visitor_deletes_every_row_of_theirs_and_nothing_else() {
    let (_dir, store) = test_store().await;
    let shop = site(&store, "shop").await;
    let other_site = site(&store, "other").await;
    let (ann, bob) = (fill(&store, &shop, 1).await, fill(&store, &shop, 2).await);
    let full = rows_of(&store, &ann).await;
    assert!(
        full.0.iter().all(|(_, n)| *n > 0) && !full.1,
        "the fixture fills every table: {full:?}"
    );
    let bob_before = rows_of(&store, &bob).await;

    // Another site's ID for the visitor, or an unknown visitor: nothing happens.
    let until = now_ms() + 1000;
    for (s, v) in [
        (&other_site, visitor(&ann)),
        (&shop, VisitorId("v_nobody".into())),
    ] {
        assert_eq!(store.erase_visitor(s, &v, until).await.expect("ok"), None);
    }
    assert_eq!(rows_of(&store, &ann).await, full);

    let erased = store.erase_visitor(&shop, &visitor(&ann), until).await;
    let erased = erased.expect("ok").expect("found");
    assert_eq!(erased.uploads, vec!["up_1".to_owned()]);
    assert_eq!(erased.conversations.len(), 1);
    assert_eq!(erased.conversations[0].id, ann.id);
    let (after, marked) = rows_of(&store, &ann).await;
    assert!(after.iter().all(|(_, n)| *n == 0), "{after:?}");
    assert!(marked, "remembered as erased");
    // The mark is a digest: the visitor's ID is nowhere.
    let digest: String = sqlx::query_scalar("SELECT digest FROM erased_visitors")
        .fetch_one(store.reads())
        .await
        .expect("one mark");
    assert_eq!(digest, erased_digest(&ann.visitor_id));
    assert!(!digest.contains(ann.visitor_id.trim_start_matches("v_")));
    assert_eq!(rows_of(&store, &bob).await, bob_before, "the other visitor");
    assert_eq!(store.upload_removals(10).await.expect("ok"), vec!["up_1"]);
    store.forget_upload_removal("up_1").await.expect("ok");
    assert!(store.upload_removals(10).await.expect("ok").is_empty());

    // Erased: the token's visitor is never made again.
    let again = store
        .ensure_visitor(&shop, &ann.visitor_id, NewVisitor::default())
        .await;
    assert!(again.is_err(), "{again:?}");
    assert_eq!(store.count_visitors().await.expect("ok"), 1);
    assert_eq!(
        store
            .erase_visitor(&shop, &visitor(&ann), until)
            .await
            .expect("ok"),
        None
    );
}

#[tokio::test]
async fn an_export_holds_every_row_of_the_visitor_and_only_theirs() {
    let (_dir, store) = test_store().await;
    let shop = site(&store, "shop").await;
    let other_site = site(&store, "other").await;
    let ann = fill(&store, &shop, 1).await;
    let _bob = fill(&store, &shop, 2).await;
    let url = |id: &str| format!("/u/{id}");
    let export = store.visitor_export(&shop, &visitor(&ann), url).await;
    let export = export.expect("ok").expect("found");
    assert_eq!(export.visitor.id, visitor(&ann));
    assert_eq!(export.conversation.id, ann.id.as_str());
    assert_eq!(export.messages.len(), 1);
    assert_eq!(export.messages[0].payload["text"], "my order 42");
    assert_eq!(export.hidden_messages.len(), 1);
    assert_eq!(export.sessions.len(), 1);
    assert_eq!(export.sessions[0].stars, Some(4));
    assert_eq!(export.sessions[0].comment.as_deref(), Some("quick"));
    assert_eq!(export.left_messages.len(), 1);
    assert_eq!(export.left_messages[0].contact, "ann@example.com");
    assert_eq!(export.bot_misses.len(), 1);
    assert_eq!(export.bot_misses[0].question, "where is parcel 1");
    assert_eq!(export.uploads.len(), 1);
    assert_eq!(export.uploads[0].url, "/u/up_1");
    let json = serde_json::to_value(&export).expect("serialises");
    assert_eq!(json["uploads"][0]["id"], "up_1");
    assert_eq!(json["messages"][0]["clientMsgID"], "k1");
    let text = json.to_string();
    assert!(
        !text.contains("parcel 2") && !text.contains("up_2"),
        "{text}"
    );
    // Another site's ID for the visitor, and an unknown visitor: nothing.
    let none = store.visitor_export(&other_site, &visitor(&ann), url).await;
    assert_eq!(none.expect("ok"), None);
    let nobody = VisitorId("v_nobody".into());
    let none = store.visitor_export(&shop, &nobody, url).await;
    assert_eq!(none.expect("ok"), None);
}

/// Set a conversation's last message and its visitor's last `hello` to `at`.
async fn last_active(store: &Store, c: &Conversation, at: i64) {
    let id = c.id.as_str().to_owned();
    let sql = "UPDATE conversations SET updated_at = $1 WHERE id = $2";
    store.execute(sql, args![at, id]).await.expect("ok");
    let sql = "UPDATE visitors SET last_seen = $1, created_at = $1 WHERE id = $2";
    let args = args![at, c.visitor_id.clone()];
    store.execute(sql, args).await.expect("ok");
}

#[tokio::test]
async fn retention_deletes_what_is_still_expired_once_even_on_two_nodes() {
    let (_dir, store) = test_store().await;
    let shop = site(&store, "shop").await;
    assert!(store.retention_periods().await.expect("ok").is_empty());
    store
        .set_site_setting(&shop, SiteSetting::RetentionDays, Some("30"))
        .await
        .expect("set");
    assert_eq!(
        store.retention_periods().await.expect("ok"),
        vec![(shop.clone(), 30)]
    );
    let (old, recent, seen) = (
        fill(&store, &shop, 1).await,
        fill(&store, &shop, 2).await,
        fill(&store, &shop, 3).await,
    );
    let now = now_ms();
    let cutoff = now - 30 * 86_400_000;
    last_active(&store, &old, cutoff - 1).await;
    last_active(&store, &seen, cutoff - 1).await;
    // Its last message is old, but the visitor came back (a hello) since.
    let sql = "UPDATE visitors SET last_seen = $1 WHERE id = $2";
    store
        .execute(sql, args![now, seen.visitor_id.clone()])
        .await
        .expect("ok");
    let expired = store.expired_conversations(&shop, cutoff, 10).await;
    assert_eq!(expired.expect("ok"), vec![old.id.clone()]);
    // A forged candidate that is not expired is checked again and kept; two
    // nodes deleting at once delete the old one once.
    let candidates = vec![old.id.clone(), recent.id.clone()];
    let (a, b) = tokio::join!(
        store.erase_expired(candidates.clone(), cutoff),
        store.erase_expired(candidates, cutoff)
    );
    let (a, b) = (a.expect("ok"), b.expect("ok"));
    assert_eq!(a.conversations.len() + b.conversations.len(), 1);
    assert_eq!(a.uploads.len() + b.uploads.len(), 1);
    let (gone, marked) = rows_of(&store, &old).await;
    assert!(gone.iter().all(|(_, n)| *n == 0) && !marked, "{gone:?}");
    for kept in [&recent, &seen] {
        let (rows, _) = rows_of(&store, kept).await;
        assert!(rows.iter().all(|(_, n)| *n > 0), "{rows:?}");
    }
    // Retention marks no one erased: the visitor may come back afresh.
    let (back, made) = store
        .ensure_visitor(&shop, &old.visitor_id, NewVisitor::default())
        .await
        .expect("comes back");
    assert!(made && back.last_sequence == 0);
}
