//! The bot learns from its site: questions it could not answer are kept, with
//! the agent's answer that followed; an admin lists them and turns one into a
//! similar phrasing in one step (the bot answers it from then on); a clicked
//! "did you mean" is not a miss. Also `kefu-server kb eval`.

use crate::admin_api::call;
use crate::bot_flow::{click, send_body};
use crate::human::request;
use crate::support::{ack, TestServer, ADMIN_TOKEN};
use axum::http::{Method, StatusCode};
use kefu_protocol::{ClientFrame, CustomKind, ServerFrame, SessionState};
use serde_json::{json, Value};

const MISSES: &str = "/api/v1/sites/shop/bot/misses";
const UNKNOWN: &str = "zzqx quantum chromodynamics";
const AMBIGUOUS: &str = "return or refund";

async fn misses(server: &TestServer) -> Vec<Value> {
    let (status, body) = call(&server.state, Method::GET, MISSES, Some(ADMIN_TOKEN), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["misses"].as_array().expect("a list").clone()
}

async fn learn(server: &TestServer, id: &str, entry: &str) -> (StatusCode, Value) {
    let uri = format!("{MISSES}/{id}/learn");
    let body = json!({ "entryId": entry }).to_string();
    call(
        &server.state,
        Method::POST,
        &uri,
        Some(ADMIN_TOKEN),
        Some(&body),
    )
    .await
}

#[tokio::test]
async fn misses_are_kept_with_the_agents_answer_and_learnt_in_one_step() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (_agent, token) = server.agent(&site, "lin").await;
    let (mut a, _) = server.agent_client(&token).await;
    let (mut v, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    v.session().await;
    ack(&v.say(&conv, "t1", AMBIGUOUS).await);
    v.custom("similarquestion").await;
    ack(&v.say(&conv, "t2", UNKNOWN).await);
    v.custom("prompts").await;

    v.send(&request(&conv)).await;
    assert_eq!(v.session().await.state, SessionState::Queued);
    a.send(&ClientFrame::Accept {
        conversation_id: conv.clone(),
    })
    .await;
    v.recv_until(|f| matches!(f, ServerFrame::Session { session, .. } if session.state == SessionState::Serving))
        .await;
    a.send_text(&conv, "a1", "We only sell headphones, sorry.")
        .await;
    a.recv_until(|f| matches!(f, ServerFrame::Ack { .. })).await;
    v.recv_until(
        |f| matches!(f, ServerFrame::Message { message } if message.from.starts_with("agent:")),
    )
    .await;

    let listed = misses(&server).await;
    let questions: Vec<&str> = listed
        .iter()
        .map(|m| m["question"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(questions, [UNKNOWN, AMBIGUOUS], "most recent first");
    assert_eq!(listed[0]["decision"], "none");
    assert_eq!(listed[0]["agentAnswer"], "We only sell headphones, sorry.");
    assert_eq!(
        (
            listed[0]["times"].clone(),
            listed[0]["conversationId"].clone()
        ),
        (json!(1), json!(conv.as_str()))
    );
    assert_eq!(listed[1]["decision"], "similar");
    let offered = listed[1]["offered"].as_array().expect("offered");
    assert!(offered.contains(&json!("refund-timing-en")), "{offered:?}");
    assert!(
        listed[1]["agentAnswer"].is_null(),
        "the answer goes with the latest miss"
    );

    let ambiguous = listed[1]["id"].as_str().expect("id").to_owned();
    let (status, body) = learn(&server, &ambiguous, "refund-timing-en").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"entryId": "refund-timing-en", "added": true, "version": 2})
    );
    let q = json!({ "q": AMBIGUOUS }).to_string();
    let uri = "/api/v1/sites/shop/bot/match";
    let (_, matched) = call(
        &server.state,
        Method::POST,
        uri,
        Some(ADMIN_TOKEN),
        Some(&q),
    )
    .await;
    assert_eq!(
        (
            matched["decision"].clone(),
            matched["candidates"][0]["id"].clone()
        ),
        (json!("answer"), json!("refund-timing-en"))
    );
    let (_, kb) = call(
        &server.state,
        Method::GET,
        "/api/v1/sites/shop/knowledge-base",
        Some(ADMIN_TOKEN),
        None,
    )
    .await;
    let entry = kb["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["id"] == "refund-timing-en")
        .cloned();
    assert!(entry.expect("entry")["similar"]
        .as_array()
        .expect("similar")
        .contains(&json!(AMBIGUOUS)));
    assert_eq!(misses(&server).await.len(), 1, "a learnt miss is forgotten");
    assert_eq!(
        learn(&server, &ambiguous, "refund-timing-en").await.0,
        StatusCode::NOT_FOUND
    );

    // A new visitor asking it now gets the answer, and no miss is kept.
    let (mut w, ready) = server.visitor(&site, None).await;
    w.session().await;
    ack(&w.say(&ready.conversation(), "t1", AMBIGUOUS).await);
    let CustomKind::Repository { question_id, .. } = w.custom("repository").await else {
        panic!("repository")
    };
    assert_eq!(question_id, "refund-timing-en");
    assert_eq!(misses(&server).await.len(), 1);
}

#[tokio::test]
async fn learning_and_forgetting_refuse_what_does_not_fit() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    v.session().await;
    ack(&v.say(&conv, "t1", UNKNOWN).await);
    v.custom("prompts").await;
    ack(&v.say(&conv, "t2", "What is your return policy???").await);
    v.custom("repository").await;
    let listed = misses(&server).await;
    assert_eq!(listed.len(), 1, "a direct answer is not a miss: {listed:?}");
    let id = listed[0]["id"].as_str().expect("id").to_owned();

    let (status, body) = learn(&server, &id, "no-such-entry").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]
            .as_str()
            .unwrap_or("")
            .contains("no-such-entry"),
        "{body}"
    );
    let uri = format!("{MISSES}/{id}/learn");
    let (status, _) = call(
        &server.state,
        Method::POST,
        &uri,
        Some(ADMIN_TOKEN),
        Some(r#"{"entry":"x"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = call(&server.state, Method::GET, MISSES, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for bad in ["?limit=0", "?limit=501", "?limit=many", "?offset=3"] {
        let uri = format!("{MISSES}{bad}");
        let (status, _) = call(&server.state, Method::GET, &uri, Some(ADMIN_TOKEN), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let (status, _) = call(
        &server.state,
        Method::GET,
        "/api/v1/sites/nope/bot/misses",
        Some(ADMIN_TOKEN),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(misses(&server).await.len(), 1, "nothing changed");

    // Learnt: the question is answered from now on.
    let (status, body) = learn(&server, &id, "return-policy-en").await;
    assert_eq!(
        (status, body["added"].clone(), body["version"].clone()),
        (StatusCode::OK, json!(true), json!(2))
    );
    ack(&v.say(&conv, "t3", UNKNOWN).await);
    let CustomKind::Repository { question_id, .. } = v.custom("repository").await else {
        panic!("repository")
    };
    assert_eq!(question_id, "return-policy-en");

    // The entry got the phrasing meanwhile (a hand edit): the miss goes, the
    // knowledge base stays as it is.
    ack(&v.say(&conv, "t4", "qqzx").await);
    v.custom("prompts").await;
    let id = misses(&server).await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let mut kb: Value =
        serde_json::from_str(&kefu_bot::KnowledgeBase::sample().to_json()).expect("json");
    let entries = kb["entries"].as_array_mut().expect("entries");
    let entry = entries
        .iter_mut()
        .find(|e| e["id"] == "return-policy-en")
        .expect("entry");
    entry["similar"]
        .as_array_mut()
        .expect("similar")
        .push(json!("QQZX"));
    let uri = "/api/v1/sites/shop/knowledge-base";
    let (status, body) = call(
        &server.state,
        Method::PUT,
        uri,
        Some(ADMIN_TOKEN),
        Some(&kb.to_string()),
    )
    .await;
    assert_eq!(
        (status, body["version"].clone()),
        (StatusCode::OK, json!(3))
    );
    let (status, body) = learn(&server, &id, "return-policy-en").await;
    assert_eq!(
        (status, body["added"].clone(), body["version"].clone()),
        (StatusCode::OK, json!(false), json!(3))
    );
    assert!(misses(&server).await.is_empty());

    // Forgetting.
    ack(&v.say(&conv, "t5", "zzzq").await);
    v.custom("prompts").await;
    let id = misses(&server).await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let uri = format!("{MISSES}/{id}");
    let (status, _) = call(&server.state, Method::DELETE, &uri, Some(ADMIN_TOKEN), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&server.state, Method::DELETE, &uri, Some(ADMIN_TOKEN), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(misses(&server).await.is_empty());
}

#[tokio::test]
async fn a_clicked_did_you_mean_is_not_a_miss() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    v.session().await;
    ack(&v.say(&conv, "t1", AMBIGUOUS).await);
    v.custom("similarquestion").await;
    assert_eq!(misses(&server).await.len(), 1);
    send_body(&mut v, &conv, "k1", click("return-policy-en")).await;
    v.custom("repository").await;
    assert!(misses(&server).await.is_empty());
}

#[tokio::test]
async fn kb_eval_prints_the_figures_of_a_sites_question_list() {
    let server = TestServer::start_service(|_| {}).await;
    server.kb_site("shop").await;
    server.site("bare").await;
    let dir = server.data_dir().to_owned();
    let database = server.database_url().to_owned();
    let run = |site: &str, file: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kefu-server"))
            .args(["kb", "eval", "--site", site])
            .arg(file)
            .arg("--data-dir")
            .arg(&dir)
            .env("DATABASE_URL", &database)
            .output()
            .expect("runs")
    };
    let list = dir.join("questions.tsv");
    let lines = "# mine\nreturn-policy-en\tWhat is your return policy?\ninvoice-zh\t可以开发票吗？\n-\tzzqx quantum chromodynamics\n";
    std::fs::write(&list, lines).expect("write");
    let out = run("shop", &list);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.starts_with("3 questions from "), "{stdout}");
    assert!(
        stdout.contains("| all | en | 1 | 1.000 | 1.000 | 1.000 | 0.000 | 1 | 1.000 |"),
        "{stdout}"
    );
    assert!(stdout.contains("| all | zh | 1 | 1.000 |"), "{stdout}");
    assert!(stdout.contains("Calibrated on the whole list"), "{stdout}");

    let bad = dir.join("bad.tsv");
    std::fs::write(&bad, "invoice-en\tinvoice\nno-such-entry\tq\n").expect("write");
    let out = run("shop", &bad);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 2") && stderr.contains("no-such-entry"),
        "{stderr}"
    );
    std::fs::write(&bad, "only-one-field\n").expect("write");
    let stderr = String::from_utf8_lossy(&run("shop", &bad).stderr).into_owned();
    assert!(
        stderr.contains("line 1: expected 2 to 4 tab-separated fields"),
        "{stderr}"
    );
    let out = run("bare", &list);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no knowledge base"));
}
