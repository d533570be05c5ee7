//! Reports over real HTTP: a day with a bot answer, a miss, a served and
//! rated session and a left message adds up in the JSON and the CSV; the
//! admin token, the dates and the zone are checked.

use crate::aftercare::{leave, rate};
use crate::human::{request, served, visitor, QUIET};
use crate::support::{ack, TestServer, ADMIN_TOKEN};
use kefu_protocol::{Availability, ClientFrame, ServerFrame};
use serde_json::Value;

/// `GET /api/v1/sites/{site}/reports?{query}` with the admin token `bearer`:
/// status, content type and body.
async fn get(server: &TestServer, query: &str, bearer: Option<&str>) -> (u16, String, String) {
    let url = format!("http://{}/api/v1/sites/shop/reports?{query}", server.addr);
    let mut req = reqwest::Client::new().get(url);
    if let Some(token) = bearer {
        req = req.bearer_auth(token);
    }
    let res = req.send().await.expect("an answer");
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, kind, res.text().await.expect("a body"))
}

#[tokio::test]
async fn a_days_sessions_ratings_left_messages_and_bot_add_up_in_json_and_csv() {
    let server = TestServer::start_service(|_| {}).await;
    let site = server.kb_site("shop").await;

    // A visitor the bot answers, then misses.
    let (mut v, conv) = visitor(&server, &site).await;
    ack(&v.say(&conv, "q1", "What is your return policy?").await);
    v.custom("repository").await;
    ack(&v.say(&conv, "q2", "zzqx quantum chromodynamics").await);
    v.custom("prompts").await;

    // A visitor served, answered, ended and rated 4 with a comment.
    let (mut w, conv2, mut a, _) = served(&server, &site, "lin").await;
    a.send_text(&conv2, "a1", "Hello, how can I help?").await;
    a.send(&ClientFrame::EndSession {
        conversation_id: conv2.clone(),
    })
    .await;
    w.custom("inviteevaluate").await;
    let session = server
        .state
        .store
        .current_session(&conv2)
        .await
        .expect("ok")
        .expect("a session")
        .session_id();
    w.send(&rate(&conv2, &session, 4)).await;
    w.recv_until(|f| matches!(f, ServerFrame::Rated { .. }))
        .await;

    // A visitor who asks for a human while the agent is away leaves a message.
    a.send(&ClientFrame::SetPresence {
        presence: Availability::Away,
    })
    .await;
    a.next_presence().await;
    let (mut x, conv3) = visitor(&server, &site).await;
    x.send(&request(&conv3)).await;
    x.custom("enterleavemessage").await;
    x.send(&leave(&conv3, "Please call me")).await;
    x.recv_until(|f| matches!(f, ServerFrame::MessageLeft { .. }))
        .await;

    let (status, kind, body) = get(&server, "timeZone=UTC", Some(ADMIN_TOKEN)).await;
    assert_eq!(status, 200, "{body}");
    assert!(kind.starts_with("application/json"), "{kind}");
    let r: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(
        r["days"].as_array().expect("days").len(),
        30,
        "the last 30 days"
    );
    let t = &r["totals"];
    assert_eq!(t["conversations"], 3, "{r}");
    assert_eq!(t["queued"], 1, "{r}");
    assert_eq!(t["served"], 1, "{r}");
    assert_eq!(t["leftMessages"], 1, "{r}");
    assert_eq!(t["ratings"], 1, "{r}");
    assert_eq!(r["firstResponse"]["count"], 1);
    assert!(r["firstResponse"]["medianMs"].as_i64().expect("a time") >= 0);
    assert_eq!(r["resolution"]["count"], 1);
    assert_eq!(r["csat"]["average"], 4.0);
    assert_eq!(
        r["csat"]["distribution"],
        serde_json::json!([0, 0, 0, 1, 0])
    );
    assert_eq!(r["csat"]["comments"][0]["comment"], "quick and kind");
    assert_eq!(r["bot"]["answered"], 1, "{r}");
    assert_eq!(r["bot"]["unanswered"], 1, "{r}");
    assert_eq!(r["bot"]["answerRate"], 0.5);
    assert_eq!(
        r["bot"]["missed"][0]["question"],
        "zzqx quantum chromodynamics"
    );
    let today = r["to"].as_str().expect("to").to_owned();
    let last = r["days"]
        .as_array()
        .expect("days")
        .last()
        .expect("today")
        .clone();
    assert_eq!(last["date"], today.as_str());
    assert_eq!(last["conversations"], 3);

    let (status, kind, csv) = get(&server, "timeZone=UTC&format=csv", Some(ADMIN_TOKEN)).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 31, "a header and 30 days");
    assert!(
        lines[30].starts_with(&format!("{today},3,1,1,1,1,4.00,")),
        "{}",
        lines[30]
    );

    // Yesterday alone holds nothing.
    let yesterday = r["days"][28]["date"].as_str().expect("a date").to_owned();
    let q = format!("from={yesterday}&to={yesterday}&timeZone=UTC");
    let (_, _, body) = get(&server, &q, Some(ADMIN_TOKEN)).await;
    let r: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(r["totals"]["conversations"], 0);
    assert_eq!(r["bot"]["replies"], 0);
    for client in [&mut v, &mut w, &mut x, &mut a] {
        client.drain(QUIET).await;
    }
}

#[tokio::test]
async fn reports_need_the_admin_token_and_sane_dates_and_zones() {
    let server = TestServer::start_service(|_| {}).await;
    server.kb_site("shop").await;
    for bearer in [None, Some("wrong")] {
        assert_eq!(get(&server, "", bearer).await.0, 401);
    }
    let days = r#"{"kind":"days","max":366}"#;
    for (bad, field, why) in [
        (
            "from=2026-13-01",
            "from",
            r#"{"kind":"date","value":"2026-13-01"}"#,
        ),
        (
            "to=yesterday",
            "to",
            r#"{"kind":"date","value":"yesterday"}"#,
        ),
        ("from=2026-12-02&to=2026-12-01", "from", days),
        ("from=2025-01-01&to=2026-12-01", "from", days),
        (
            "timeZone=Mars/Olympus",
            "timeZone",
            r#"{"kind":"timeZone","value":"Mars/Olympus"}"#,
        ),
        ("format=pdf", "", ""),
        ("colour=blue", "", ""),
    ] {
        let (status, _, body) = get(&server, bad, Some(ADMIN_TOKEN)).await;
        assert_eq!(status, 400, "{bad}: {body}");
        let json: Value = serde_json::from_str(&body).expect("JSON");
        if field.is_empty() {
            // Not a field's value but the query's shape: words only.
            assert_eq!(json.get("field"), None, "{bad}: {body}");
            continue;
        }
        let why: Value = serde_json::from_str(why).expect("JSON");
        assert_eq!(
            (json["field"].as_str(), &json["why"]),
            (Some(field), &why),
            "{bad}: {body}"
        );
    }
    let (status, _, body) = get(&server, "from=2026-01-01&to=2026-12-31", Some(ADMIN_TOKEN)).await;
    assert_eq!(status, 200, "{body}");
    let r: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(r["days"].as_array().expect("days").len(), 365);
    assert_eq!(r["timeZone"], "UTC", "no business hours: UTC");
    let url = format!("http://{}/api/v1/sites/nowhere/reports", server.addr);
    let res = reqwest::Client::new()
        .get(url)
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("an answer");
    assert_eq!(res.status().as_u16(), 404);
}
