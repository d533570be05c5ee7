//! Localized service texts: a visitor's `hello` locale picks the language of the
//! bot's and the service's stored texts, also for texts stored by an agent's
//! action; and per-site matching thresholds change the bot's decisions.

use crate::admin_api::call;
use crate::human::{request, QUIET};
use crate::support::{ack, custom_of, sync, Client, TestServer, ADMIN_TOKEN};
use axum::http::{Method, StatusCode};
use kefu_protocol::{
    ClientFrame, ConversationId, CustomElem, CustomKind, MessageBody, ServerFrame, SessionState,
    SiteId,
};
use serde_json::json;

/// `(subMsgType, msgText)` of a stored custom message.
fn text_of(body: &MessageBody) -> Option<(String, String)> {
    match body {
        MessageBody::Custom(CustomElem { kind, msg_text, .. }) => {
            Some((kind.sub_msg_type().to_owned(), msg_text.clone()))
        }
        _ => None,
    }
}

/// Owned `(subMsgType, msgText)` pairs.
fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, t)| ((*k).to_owned(), (*t).to_owned()))
        .collect()
}

/// The `msgText` of the next custom message of kind `sub`.
async fn next_text(c: &mut Client, sub: &str) -> String {
    let frame = c
        .recv_until(|f| match f {
            ServerFrame::Message { message } => {
                text_of(&message.body).is_some_and(|(k, _)| k == sub)
            }
            _ => false,
        })
        .await;
    let ServerFrame::Message { message } = frame else {
        unreachable!("matched a message")
    };
    text_of(&message.body).expect("custom").1
}

/// A visitor saying hello in `locale`: its opening texts, by kind, and its
/// connection (session frame read) and token.
async fn opening(
    server: &TestServer,
    site: &SiteId,
    locale: Option<&str>,
) -> (Vec<(String, String)>, Client, ConversationId, String) {
    let mut v = Client::connect(server.addr).await;
    let ready = v.hello_in(Some(site.clone()), None, locale).await;
    v.open(&ready.conversation()).await;
    v.session().await;
    let conv = ready.conversation();
    let texts = sync(&mut v, &conv, 0)
        .await
        .iter()
        .filter_map(|m| text_of(&m.body))
        .collect();

    (texts, v, conv, ready.token)
}

/// Queue the visitor, let a fresh agent (named `Lin`) accept, and return the
/// stored `queuinglocation` and `reception` texts and the agent's connection.
async fn accepted(
    server: &TestServer,
    site: &SiteId,
    v: &mut Client,
    conv: &ConversationId,
    username: &str,
) -> (String, String, Client) {
    let (_, token) = server.agent(site, username).await;
    let (mut a, _) = server.agent_client(&token).await;
    v.send(&request(conv)).await;
    let queued = next_text(v, "queuinglocation").await;
    assert_eq!(v.session().await.state, SessionState::Queued);
    a.send(&ClientFrame::Accept {
        conversation_id: conv.clone(),
    })
    .await;
    let reception = next_text(v, "reception").await;
    a.drain(QUIET).await;
    (queued, reception, a)
}

#[tokio::test]
async fn a_chinese_hello_gets_chinese_texts_also_from_agents_actions() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (texts, mut v, conv, token) = opening(&server, &site, Some("zh-CN")).await;
    assert_eq!(
        texts,
        pairs(&[
            ("createsession", "会话已开始"),
            (
                "prompts",
                "您好！我是智能助手，有什么可以帮您？也可以随时转人工客服。"
            ),
            ("heatquestion", "热门问题"),
        ])
    );
    let (queued, reception, mut a) = accepted(&server, &site, &mut v, &conv, "lin").await;
    assert_eq!(queued, "正在为您转接人工客服，请稍候");
    assert_eq!(reception, "客服 Lin 为您服务");

    // The visitor leaves; the agent ends the session: still Chinese, taken
    // from the visitor's stored locale.
    drop(v);
    a.send(&ClientFrame::EndSession {
        conversation_id: conv.clone(),
    })
    .await;
    assert_eq!(next_text(&mut a, "stopsession").await, "会话已结束");
    assert_eq!(
        next_text(&mut a, "inviteevaluate").await,
        "请为本次服务评价"
    );

    // Back without a locale: the stored one holds. With `en`: English from now on.
    let mut v = Client::connect(server.addr).await;
    let ready = v.hello_in(Some(site.clone()), Some(token), None).await;
    v.send(&request(&conv)).await;
    assert_eq!(
        next_text(&mut v, "queuinglocation").await,
        "正在为您转接人工客服，请稍候"
    );
    drop(v);
    let mut v = Client::connect(server.addr).await;
    v.hello_in(Some(site.clone()), Some(ready.token), Some("en-US"))
        .await;
    v.send(&ClientFrame::CancelQueue {
        conversation_id: conv.clone(),
    })
    .await;
    assert_eq!(
        next_text(&mut v, "prompts").await,
        "You left the queue. The assistant is here again."
    );
}

#[tokio::test]
async fn english_or_no_locale_gets_english_texts() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    for (i, locale) in [Some("en"), None, Some("fr-FR")].into_iter().enumerate() {
        let (texts, mut v, conv, _) = opening(&server, &site, locale).await;
        assert_eq!(
            texts,
            pairs(&[
                ("createsession", "Session started"),
                (
                    "prompts",
                    "Hello! I am the assistant. Ask me anything, or ask for a human."
                ),
                ("heatquestion", "Popular questions"),
            ]),
            "{locale:?}"
        );
        let username = format!("lin{i}");
        let (queued, reception, _a) = accepted(&server, &site, &mut v, &conv, &username).await;
        assert_eq!(queued, "You are number 1 in the queue", "{locale:?}");
        assert_eq!(reception, "Lin is now serving you", "{locale:?}");
    }
}

#[tokio::test]
async fn per_site_thresholds_change_the_bots_decisions() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let st = &server.state;
    let admin = Some(ADMIN_TOKEN);
    let decide = move |q: &'static str| async move {
        let body = json!({ "q": q }).to_string();
        let uri = "/api/v1/sites/shop/bot/match";
        let (status, json) = call(st, Method::POST, uri, admin, Some(&body)).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        json["decision"].as_str().unwrap_or_default().to_owned()
    };
    let set_bot = move |bot: serde_json::Value| async move {
        let body = json!({ "name": "Test Shop", "bot": bot }).to_string();
        let (status, json) = call(st, Method::PUT, "/api/v1/sites/shop", admin, Some(&body)).await;
        assert_eq!(status, StatusCode::OK, "{json}");
    };
    // Scores about 0.66 against "What is your return policy?".
    const QUERY: &str = "can I send back my order";
    assert_eq!(decide(QUERY).await, "answer");
    set_bot(json!({"answer_threshold": 0.99, "similar_threshold": 0.98})).await;
    assert_eq!(decide(QUERY).await, "none");
    // A visitor's free text follows the site's thresholds too: the fallback.
    let (_, mut v, conv, _) = opening(&server, &site, None).await;
    ack(&v.say(&conv, "t1", QUERY).await);
    let frame = v.recv().await;
    assert_eq!(
        custom_of(&frame).map(CustomKind::sub_msg_type),
        Some("prompts"),
        "{frame:?}"
    );
    set_bot(json!({"answer_threshold": 0.9, "similar_threshold": 0.5})).await;
    assert_eq!(decide(QUERY).await, "similar");
    set_bot(json!({})).await;
    assert_eq!(decide(QUERY).await, "answer");
}

#[tokio::test]
async fn a_sites_own_welcome_and_offline_texts_in_each_language() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let st = &server.state;
    let put = |body: serde_json::Value| {
        let body = body.to_string();
        async move {
            crate::admin_api::call(
                st,
                axum::http::Method::PUT,
                "/api/v1/sites/shop",
                Some(crate::support::ADMIN_TOKEN),
                Some(&body),
            )
            .await
        }
    };
    // Refused, naming the bad text: nothing stored.
    let long = "x".repeat(501);
    for (texts, named) in [
        (
            serde_json::json!({"welcome": {"fr": "Bonjour"}}),
            "language `fr`",
        ),
        (
            serde_json::json!({"offline": {"en": long}}),
            "texts.offline.en",
        ),
        (
            serde_json::json!({"welcome": {"en": "a\u{202e}b"}}),
            "control",
        ),
    ] {
        let (status, body) = put(serde_json::json!({"name": "Shop", "texts": texts})).await;
        assert_eq!(status, axum::http::StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["error"].as_str().unwrap_or_default().contains(named),
            "{body}"
        );
    }
    let (status, body) = put(serde_json::json!({"name": "Shop", "texts": {
        "welcome": {"zh-CN": "  欢迎光临小店！\n有问题随时问。 ", "en": ""},
        "offline": {"en": "We are closed. Leave a note and we write back by 10am."},
    }}))
    .await;
    assert_eq!(status, axum::http::StatusCode::OK, "{body}");
    assert_eq!(
        body["texts"],
        serde_json::json!({"welcome": {"zh-CN": "欢迎光临小店！\n有问题随时问。"},
            "offline": {"en": "We are closed. Leave a note and we write back by 10am."}}),
        "trimmed, the empty one dropped"
    );

    // A Chinese visitor gets the site's welcome; an English one the built-in.
    let (texts, _v, _, _) = opening(&server, &site, Some("zh-CN")).await;
    assert_eq!(
        texts[1],
        (
            "prompts".to_owned(),
            "欢迎光临小店！\n有问题随时问。".to_owned()
        )
    );
    let (texts, mut v, conv, _) = opening(&server, &site, Some("en")).await;
    assert_eq!(
        texts[1].1,
        "Hello! I am the assistant. Ask me anything, or ask for a human."
    );
    // Nobody online: the site's offline line in English; in Chinese, built in.
    v.send(&request(&conv)).await;
    assert_eq!(
        next_text(&mut v, "enterleavemessage").await,
        "We are closed. Leave a note and we write back by 10am."
    );
    let (_, mut zh, zh_conv, _) = opening(&server, &site, Some("zh-CN")).await;
    zh.send(&request(&zh_conv)).await;
    assert_eq!(
        next_text(&mut zh, "enterleavemessage").await,
        "当前没有客服在线，请留言，我们会尽快回复您。"
    );
    // `{}`: the built-in texts again.
    let (status, body) = put(serde_json::json!({"name": "Shop", "texts": {}})).await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert!(body.get("texts").is_none(), "{body}");
    let (texts, _, _, _) = opening(&server, &site, Some("zh-CN")).await;
    assert_eq!(
        texts[1].1,
        "您好！我是智能助手，有什么可以帮您？也可以随时转人工客服。"
    );
}
