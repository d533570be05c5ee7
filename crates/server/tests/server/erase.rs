//! A visitor's data exported and erased through the admin API, and the
//! retention period's rounds, over a real server: after an erasure no table
//! of the database holds the visitor's IDs anywhere in its text and the
//! upload store has none of their files; another visitor's data is untouched;
//! the export holds what was sent; forged IDs and other sites read as unknown;
//! the erased visitor's sockets close and their token is refused.

use crate::access::assert_refused;
use crate::admin_api::call;
use crate::conversations::list;
use crate::human::request;
use crate::support::{Client, TestServer, ADMIN_TOKEN};
use crate::uploads::{get, json, png, upload};
use crate::webhooks::register;
use axum::http::{Method, StatusCode};
use kefu_protocol::{
    AgentFrame, ClientFrame, ClientMsgId, ConversationFilter, ConversationId, ErrorCode,
    MessageBody, ServerFrame, SessionState, SiteId, UploadRef, VisitorUser,
};
use kefu_server::erase::retention;
use serde_json::{json, Value};
use sqlx::{Column, Row};
use std::time::Duration;

/// A visitor who chatted: their socket, IDs, token and upload.
struct Chatted {
    client: Client,
    visitor: String,
    conversation: ConversationId,
    token: String,
    upload: String,
    image: Vec<u8>,
}

impl Chatted {
    /// The strings that name this visitor's data.
    fn needles(&self) -> [&str; 3] {
        [&self.visitor, self.conversation.as_str(), &self.upload]
    }
}

/// A visitor of `site` who says `text`, sends an image (with a thumbnail)
/// and waits in the queue.
async fn chatted(server: &TestServer, site: &SiteId, text: &str) -> Chatted {
    let (mut client, ready) = server.visitor(site, None).await;
    client.session().await;
    let conversation = ready.conversation();
    let visitor = ready.identity.trim_start_matches("visitor:").to_owned();
    client.send_text(&conversation, "k1", text).await;
    client
        .recv_until(|f| matches!(f, ServerFrame::Ack { .. }))
        .await;
    let image = png(960, 720);
    let res = upload(
        &server.state,
        conversation.as_str(),
        Some(&ready.token),
        "p.png",
        &image,
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let upload = json(res).await["id"].as_str().expect("id").to_owned();
    client
        .send(&ClientFrame::Send {
            conversation_id: conversation.clone(),
            client_msg_id: ClientMsgId::from("k2"),
            body: MessageBody::Image(UploadRef::new(upload.clone())),
        })
        .await;
    client
        .recv_until(|f| matches!(f, ServerFrame::Ack { .. }))
        .await;
    client.send(&request(&conversation)).await;
    let queued = client
        .session_where(|s| s.state == SessionState::Queued)
        .await;
    assert_eq!(queued.state, SessionState::Queued);
    Chatted {
        client,
        visitor,
        conversation,
        token: ready.token,
        upload,
        image,
    }
}

/// Every `table.column` of the database whose text holds one of `needles`
/// (every table the migrations made, whatever it is).
async fn traces(server: &TestServer, needles: &[&str]) -> Vec<String> {
    let mut conn = server.db().await;
    let tables = match server.on_postgres() {
        true => "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = 'public'",
        false => "SELECT name FROM sqlite_master WHERE type = 'table'",
    };
    let tables: Vec<String> = sqlx::query_scalar(tables)
        .fetch_all(&mut conn)
        .await
        .expect("tables");
    // The migrations' own bookkeeping and SQLite's are no data.
    let tables: Vec<String> = tables
        .into_iter()
        .filter(|t| !t.starts_with("_sqlx") && !t.starts_with("sqlite_"))
        .collect();
    assert!(tables.len() >= 18, "{tables:?}");
    let mut found = Vec::new();
    for table in tables {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(&mut conn)
            .await
            .expect("rows");
        for row in rows {
            for (i, column) in row.columns().iter().enumerate() {
                // Numbers do not read as text; they hold no IDs.
                let Ok(Some(text)) = row.try_get::<Option<String>, _>(i) else {
                    continue;
                };
                if needles.iter().any(|n| text.contains(n)) {
                    found.push(format!("{table}.{}", column.name()));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The names of the upload store's files.
fn stored_files(server: &TestServer) -> Vec<String> {
    let dir = std::fs::read_dir(server.data_dir().join("uploads")).expect("uploads dir");
    dir.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

fn files_of(server: &TestServer, upload: &str) -> usize {
    let files = stored_files(server);
    files.iter().filter(|f| f.starts_with(upload)).count()
}

async fn admin(server: &TestServer, method: Method, uri: &str) -> (StatusCode, Value) {
    call(&server.state, method, uri, Some(ADMIN_TOKEN), None).await
}

fn export_uri(site: &str, visitor: &str) -> String {
    format!("/api/v1/sites/{site}/visitors/{visitor}/export")
}

fn visitor_uri(site: &str, visitor: &str) -> String {
    format!("/api/v1/sites/{site}/visitors/{visitor}")
}

/// Wait until the webhook outbox holds an event about each of `needles`.
async fn queued_events(server: &TestServer, needles: &[&str]) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let mut conn = server.db().await;
        let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM webhook_deliveries")
            .fetch_all(&mut conn)
            .await
            .expect("bodies");
        if needles.iter().all(|n| bodies.iter().any(|b| b.contains(n))) {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "{bodies:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_export_holds_what_the_visitor_sent_and_an_erasure_leaves_nothing_of_them() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (lin, token) = server.agent(&site, "lin").await;
    let (mut agent, _) = server.agent_client(&token).await;
    // The outbox keeps the events (nothing listens on port 9).
    register(
        &server,
        &site,
        "http://127.0.0.1:9/hook",
        &["message.created"],
    )
    .await;
    let mut ann = chatted(&server, &site, "my parcel 42 is late").await;
    ann.client
        .send(&ClientFrame::Identify {
            user: Some(VisitorUser {
                id: Some("u_1".into()),
                name: Some("Ann".into()),
                email: Some("ann@example.com".into()),
                avatar: None,
                hash: None,
            }),
            attributes: Some(json!({"plan": "gold"}).as_object().expect("map").clone()),
        })
        .await;
    // Stored once the agents hear of it.
    agent
        .agent_frame(|f| matches!(f, AgentFrame::Visitor { conversation_id, .. } if conversation_id == &ann.conversation))
        .await;
    let bob = chatted(&server, &site, "hello from bob").await;
    queued_events(&server, &[&ann.visitor, &bob.visitor]).await;
    // The agent's console lists both in the queue.
    let (queue, _) = list(&mut agent, ConversationFilter::Queue, None).await;
    let listed = |items: &[kefu_protocol::ConversationItem], c: &ConversationId| {
        items.iter().any(|i| &i.conversation_id == c)
    };
    assert!(listed(&queue, &ann.conversation) && listed(&queue, &bob.conversation));

    // The export: everything Ann sent, nothing of Bob's.
    let (status, export) = admin(&server, Method::GET, &export_uri("shop", &ann.visitor)).await;
    assert_eq!(status, StatusCode::OK, "{export}");
    assert_eq!(export["visitor"]["id"], ann.visitor.as_str());
    assert_eq!(export["visitor"]["attributes"]["plan"], "gold");
    assert_eq!(export["visitor"]["user"]["email"], "ann@example.com");
    assert_eq!(export["conversation"]["id"], ann.conversation.as_str());
    let messages = export["messages"].as_array().expect("messages");
    let texts: Vec<&str> = messages
        .iter()
        .filter_map(|m| m["payload"]["text"].as_str())
        .collect();
    assert!(texts.contains(&"my parcel 42 is late"), "{texts:?}");
    let image = messages
        .iter()
        .find(|m| m["kind"] == "image")
        .expect("the image");
    assert_eq!(image["from"], format!("visitor:{}", ann.visitor));
    assert_eq!(image["isRevoked"], false);
    let sessions = export["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.last().expect("a session")["state"], "queued");
    let uploads = export["uploads"].as_array().expect("uploads");
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0]["id"], ann.upload.as_str());
    assert_eq!(uploads[0]["mime"], "image/png");
    let url = uploads[0]["url"].as_str().expect("a url");
    let res = get(&server.state, url, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 22)
        .await
        .expect("body");
    assert_eq!(&bytes[..], &ann.image[..], "the URL serves the upload");
    assert!(export["exportedAt"].is_i64());
    let text = export.to_string();
    assert!(!text.contains(&bob.visitor) && !text.contains("hello from bob"));

    // Ann's data is everywhere it should be before the erasure (the check below can fail).
    let before = traces(&server, &ann.needles()).await;
    for place in [
        "visitors.id",
        "conversations.visitor_id",
        "messages.sender",
        "messages.payload",
        "sessions.conversation_id",
        "uploads.uploader",
        "webhook_deliveries.body",
    ] {
        assert!(before.contains(&place.to_owned()), "{place} in {before:?}");
    }
    assert_eq!(
        files_of(&server, &ann.upload),
        2,
        "the image and its thumbnail"
    );
    let bob_before = traces(&server, &bob.needles()).await;

    let uri = visitor_uri("shop", &format!("visitor:{}", ann.visitor));
    let (status, _) = admin(&server, Method::DELETE, &uri).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // Open consoles are told at once, to drop her conversation from the screen.
    agent
        .agent_frame(|f| matches!(f, AgentFrame::ConversationRemoved { conversation_id } if conversation_id == &ann.conversation))
        .await;

    // Nothing of Ann in any table, nor in the upload store; Bob untouched.
    assert_eq!(traces(&server, &ann.needles()).await, Vec::<String>::new());
    assert_eq!(
        files_of(&server, &ann.upload),
        0,
        "{:?}",
        stored_files(&server)
    );
    assert_eq!(traces(&server, &bob.needles()).await, bob_before);
    assert_eq!(files_of(&server, &bob.upload), 2);
    let (status, _) = admin(&server, Method::GET, &export_uri("shop", &bob.visitor)).await;
    assert_eq!(status, StatusCode::OK);

    // Ann's socket is closed as with a dead token, and the token is refused.
    let (code, _) = ann.client.closed().await;
    assert_eq!(code, 4500);
    assert_refused(
        &server,
        Some(site.clone()),
        &ann.token,
        ErrorCode::InvalidToken,
        4500,
    )
    .await;
    let res = upload(
        &server.state,
        ann.conversation.as_str(),
        Some(&ann.token),
        "p.png",
        &ann.image,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // The widget then starts over as somebody new.
    let (_fresh, ready) = server.page_view(&site, None).await;
    assert_ne!(ready.identity, format!("visitor:{}", ann.visitor));
    // The console's lists no longer show her; Bob waits on.
    let (queue, _) = list(&mut agent, ConversationFilter::Queue, None).await;
    assert!(!listed(&queue, &ann.conversation) && listed(&queue, &bob.conversation));
    // Gone: a second erasure and an export find nobody.
    let (status, _) = admin(&server, Method::DELETE, &uri).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = admin(&server, Method::GET, &export_uri("shop", &ann.visitor)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!traces(&server, &[&lin.id]).await.is_empty(), "agents stay");
    server.stop().await;
}

#[tokio::test]
async fn forged_and_foreign_visitor_ids_find_nobody_and_change_nothing() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    server.site("other").await;
    let (_agent, token) = server.agent(&site, "lin").await;
    let (_a, _) = server.agent_client(&token).await;
    let ann = chatted(&server, &site, "zebra-quartz").await;
    let before = traces(&server, &ann.needles()).await;
    let v = ann.visitor.as_str();
    let c = ann.conversation.as_str();
    let cases: Vec<(String, Option<&str>, StatusCode)> = vec![
        // Another site's admin path with Ann's ID, IDs that are not hers.
        (
            visitor_uri("other", v),
            Some(ADMIN_TOKEN),
            StatusCode::NOT_FOUND,
        ),
        (
            visitor_uri("nosuchsite", v),
            Some(ADMIN_TOKEN),
            StatusCode::NOT_FOUND,
        ),
        (
            visitor_uri("shop", c),
            Some(ADMIN_TOKEN),
            StatusCode::NOT_FOUND,
        ),
        (
            visitor_uri("shop", "v_0000"),
            Some(ADMIN_TOKEN),
            StatusCode::NOT_FOUND,
        ),
        (
            visitor_uri("shop", "v_1%27%20OR%201=1"),
            Some(ADMIN_TOKEN),
            StatusCode::NOT_FOUND,
        ),
        // Without the admin token: her own visitor token, or none.
        (
            visitor_uri("shop", v),
            Some(ann.token.as_str()),
            StatusCode::UNAUTHORIZED,
        ),
        (visitor_uri("shop", v), None, StatusCode::UNAUTHORIZED),
    ];
    for (uri, bearer, expected) in &cases {
        for method in [Method::DELETE, Method::GET] {
            let uri = if method == Method::GET {
                format!("{uri}/export")
            } else {
                uri.clone()
            };
            let (status, body) = call(&server.state, method, &uri, *bearer, None).await;
            assert_eq!(status, *expected, "{uri}: {body}");
            assert!(!body.to_string().contains("zebra-quartz"), "{body}");
        }
    }
    assert_eq!(
        traces(&server, &ann.needles()).await,
        before,
        "nothing changed"
    );
    assert_eq!(files_of(&server, &ann.upload), 2);
    server.stop().await;
}

/// Move a conversation's last message and its visitor's last `hello` `days` back.
async fn backdate(server: &TestServer, who: &Chatted, days: i64) {
    let at = kefu_server::store::now_ms() - days * 24 * 3600 * 1000;
    let mut conn = server.db().await;
    sqlx::query("UPDATE conversations SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(who.conversation.as_str())
        .execute(&mut conn)
        .await
        .expect("backdated");
    sqlx::query("UPDATE visitors SET last_seen = $1, created_at = $1 WHERE id = $2")
        .bind(at)
        .bind(&who.visitor)
        .execute(&mut conn)
        .await
        .expect("backdated");
}

#[tokio::test]
async fn the_retention_period_deletes_old_conversations_and_keeps_recent_ones() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let (_agent, token) = server.agent(&site, "lin").await;
    let (mut console, _) = server.agent_client(&token).await;
    let put = |body: Value| {
        let body = body.to_string();
        let state = server.state.clone();
        async move {
            call(
                &state,
                Method::PUT,
                "/api/v1/sites/shop",
                Some(ADMIN_TOKEN),
                Some(&body),
            )
            .await
        }
    };
    // The setting: validated, shown, cleared with 0.
    let (status, body) = put(json!({"name": "Shop", "retentionDays": 36501})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = put(json!({"name": "Shop", "retentionDays": 0})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("retentionDays").is_none(), "{body}");
    let (old, recent) = (
        chatted(&server, &site, "an old question").await,
        chatted(&server, &site, "a new question").await,
    );
    backdate(&server, &old, 31).await;
    // No period: nothing expires however old.
    assert_eq!(retention::round(&server.state).await.expect("round"), 0);
    let (status, body) = put(json!({"name": "Shop", "retentionDays": 30})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["retentionDays"], 30);
    let (_, shown) = admin(&server, Method::GET, "/api/v1/sites/shop").await;
    assert_eq!(shown["retentionDays"], 30);
    let old_before = traces(&server, &old.needles()).await;
    assert!(
        old_before.contains(&"messages.payload".to_owned()),
        "{old_before:?}"
    );
    let recent_before = traces(&server, &recent.needles()).await;

    // Two nodes' rounds at once delete the old conversation once.
    let (a, b) = tokio::join!(
        retention::round(&server.state),
        retention::round(&server.state)
    );
    assert_eq!(a.expect("round") + b.expect("round"), 1);
    console
        .agent_frame(|f| matches!(f, AgentFrame::ConversationRemoved { conversation_id } if conversation_id == &old.conversation))
        .await;
    assert_eq!(traces(&server, &old.needles()).await, Vec::<String>::new());
    assert_eq!(files_of(&server, &old.upload), 0);
    assert_eq!(traces(&server, &recent.needles()).await, recent_before);
    assert_eq!(files_of(&server, &recent.upload), 2);
    assert_eq!(retention::round(&server.state).await.expect("round"), 0);
    // Not erased on request: the old visitor's token still says hello, to an
    // empty conversation.
    let (_back, ready) = server.page_view(&site, Some(old.token.clone())).await;
    assert_eq!(ready.identity, format!("visitor:{}", old.visitor));
    assert_eq!(ready.conversations[0].last_sequence, 0);
    server.stop().await;
}
