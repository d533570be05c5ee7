//! The bot side of the customer service: a new conversation's opening, clicked
//! questions, free text (answer / similar / fallback), hostile answers.

use crate::support::{ack, custom_of, sync, Client, TestServer};
use kefu_protocol::{
    Block, ClientFrame, ClientMsgId, ConversationId, CustomElem, CustomKind, ErrorCode, Inline,
    MessageBody, SendType, ServerFrame, SessionState,
};

/// A visitor's click on a knowledge-base question.
pub fn click(id: &str) -> MessageBody {
    MessageBody::Custom(CustomElem {
        msg_text: String::new(),
        send_type: SendType::Manual,
        kind: CustomKind::SpecifiedQuestion {
            question_id: id.to_owned(),
            question: "?".to_owned(),
        },
    })
}

pub async fn send_body(c: &mut Client, conv: &ConversationId, key: &str, body: MessageBody) {
    c.send(&ClientFrame::Send {
        conversation_id: conv.clone(),
        client_msg_id: ClientMsgId::from(key),
        body,
    })
    .await;
}

#[tokio::test]
async fn a_new_conversation_opens_a_bot_session_with_hot_questions() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, ready) = server.visitor(&site, None).await;
    let session = v.session().await;
    assert_eq!(session.state, SessionState::Bot);
    assert!(!session.can_rate);
    let messages = sync(&mut v, &ready.conversation(), 0).await;
    let kinds: Vec<(&str, &str)> = messages
        .iter()
        .map(|m| match &m.body {
            MessageBody::Custom(c) => (m.from.as_str(), c.kind.sub_msg_type()),
            _ => (m.from.as_str(), "?"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("system", "createsession"),
            ("bot", "prompts"),
            ("bot", "heatquestion")
        ]
    );
    let MessageBody::Custom(CustomElem {
        kind: CustomKind::HeatQuestion { questions },
        ..
    }) = &messages[2].body
    else {
        panic!("heatquestion")
    };
    assert_eq!(questions.len(), 5);
}

/// The hot questions a visitor saying hello in `locale` is shown.
async fn hot_for(server: &TestServer, site: &kefu_protocol::SiteId, locale: &str) -> Vec<String> {
    let mut v = Client::connect(server.addr).await;
    let ready = v.hello_in(Some(site.clone()), None, Some(locale)).await;
    v.open(&ready.conversation()).await;
    v.session().await;
    let messages = sync(&mut v, &ready.conversation(), 0).await;
    let hot = messages.iter().find_map(|m| match &m.body {
        MessageBody::Custom(CustomElem {
            kind: CustomKind::HeatQuestion { questions },
            ..
        }) => Some(questions.iter().map(|q| q.id.clone()).collect()),
        _ => None,
    });
    hot.expect("a heatquestion message")
}

#[tokio::test]
async fn hot_questions_follow_the_visitors_language() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    // The bundled FAQ's hottest five mix both languages; each visitor gets
    // their own language's five hottest.
    let en = hot_for(&server, &site, "en-GB").await;
    let zh = hot_for(&server, &site, "zh-CN").await;
    assert_eq!(
        en,
        [
            "shipping-time-en",
            "order-tracking-en",
            "return-policy-en",
            "battery-life-en",
            "refund-timing-en"
        ]
    );
    assert_eq!(
        zh,
        [
            "shipping-time-zh",
            "order-tracking-zh",
            "return-policy-zh",
            "battery-life-zh",
            "refund-timing-zh"
        ]
    );
}

#[tokio::test]
async fn no_knowledge_base_means_no_hot_questions() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("bare").await;
    let (mut v, ready) = server.visitor(&site, None).await;
    v.session().await;
    assert_eq!(sync(&mut v, &ready.conversation(), 0).await.len(), 2);
}

#[tokio::test]
async fn a_clicked_question_gets_its_answer() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    send_body(&mut v, &conv, "k1", click("return-policy-en")).await;
    v.recv_until(|f| matches!(f, ServerFrame::Ack { .. })).await;
    match v.custom("repository").await {
        CustomKind::Repository {
            question_id,
            answer,
            ..
        } => {
            assert_eq!(question_id, "return-policy-en");
            assert!(!answer.is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_question_is_refused_and_nothing_is_stored() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, ready) = server.visitor(&site, None).await;
    v.session().await;
    let before = server.message_count().await;
    send_body(&mut v, &ready.conversation(), "k1", click("no-such-entry")).await;
    match v.recv().await {
        ServerFrame::Error {
            code,
            client_msg_id,
            ..
        } => {
            assert_eq!(code, ErrorCode::QuestionNotFound);
            assert_eq!(client_msg_id, Some(ClientMsgId::from("k1")));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.message_count().await, before);
}

#[tokio::test]
async fn free_text_gets_an_answer_a_choice_or_the_fallback() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, ready) = server.visitor(&site, None).await;
    let conv = ready.conversation();
    v.session().await;
    ack(&v.say(&conv, "t1", "What is your return policy?").await);
    match v.custom("repository").await {
        CustomKind::Repository { question_id, .. } => assert_eq!(question_id, "return-policy-en"),
        other => panic!("{other:?}"),
    }
    ack(&v.say(&conv, "t2", "return or refund").await);
    match v.custom("similarquestion").await {
        CustomKind::SimilarQuestion { questions } => {
            assert!((2..=5).contains(&questions.len()), "{questions:?}")
        }
        other => panic!("{other:?}"),
    }
    ack(&v.say(&conv, "t3", "zzqx quantum chromodynamics").await);
    let frame = v.recv().await;
    assert_eq!(
        custom_of(&frame).map(CustomKind::sub_msg_type),
        Some("prompts"),
        "{frame:?}"
    );
}

#[tokio::test]
async fn clients_may_not_send_service_customs() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;
    let (mut v, ready) = server.visitor(&site, None).await;
    v.session().await;
    let body = MessageBody::Custom(CustomElem::automatic(CustomKind::Prompts, "fake"));
    send_body(&mut v, &ready.conversation(), "k", body).await;
    assert_eq!(v.error().await, ErrorCode::NotPermitted);
}

#[tokio::test]
async fn hostile_markdown_comes_out_as_text() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.site("shop").await;
    let kb = r#"{"entries":[{"id":"evil","question":"evil question",
        "answer":"<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>"}]}"#;
    let kb = kefu_bot::KnowledgeBase::from_json(kb).expect("valid");
    server
        .state
        .store
        .save_kb(&site, &kb.to_json())
        .await
        .expect("saved");
    let (mut v, ready) = server.visitor(&site, None).await;
    send_body(&mut v, &ready.conversation(), "k", click("evil")).await;
    let CustomKind::Repository { answer, .. } = v.custom("repository").await else {
        panic!("repository")
    };
    let mut text = String::new();
    for block in &answer {
        let Block::Paragraph(inlines) = block else {
            panic!("{block:?}")
        };
        for inline in inlines {
            match inline {
                Inline::Text(t) => text.push_str(t),
                other => panic!("only text expected, got {other:?}"),
            }
        }
    }
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    assert!(text.contains("onerror=alert(1)"), "{text}");
}
