//! The admin API of per-category queues: a site's `categories` on
//! `PUT /api/v1/sites/{site}` and an agent's on `POST /api/v1/sites/{site}/agents`
//! and `PUT /api/v1/sites/{site}/agents/{username}`, with their validation.

use crate::admin_api::call;
use crate::categories::{put_agent, put_site, ready_categories, shop};
use crate::support::{TestServer, ADMIN_TOKEN};
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn the_admin_api_validates_categories() {
    let server = TestServer::start_service(|_| {}).await;
    let site = shop(&server).await;
    let (_, json) = call(
        &server.state,
        Method::GET,
        "/api/v1/sites/shop",
        Some(ADMIN_TOKEN),
        None,
    )
    .await;
    assert_eq!(
        json["categories"],
        json!([{"id":"sales","name":"Sales"},{"id":"support","name":"Support"}])
    );
    let too_many: Vec<Value> = (0..21)
        .map(|i| json!({"id": format!("c{i}"), "name": "C"}))
        .collect();
    let long = "x".repeat(61);
    for bad in [
        json!({"name":"Shop","categories":[{"id":"Sales","name":"Sales"}]}),
        json!({"name":"Shop","categories":[{"id":"sales","name":" "}]}),
        json!({"name":"Shop","categories":[{"id":"sales","name":long}]}),
        json!({"name":"Shop","categories":[{"id":"a","name":"A"},{"id":"a","name":"B"}]}),
        json!({"name":"Shop","categories":too_many}),
    ] {
        let (status, json) = put_site(&server, &bad.to_string()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {json}");
        assert!(json["error"].is_string(), "{json}");
    }
    // Omitted: unchanged.
    let (status, json) = put_site(&server, r#"{"name":"Shop 2"}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["categories"][1]["id"], "support", "{json}");
    // Agents: only the site's categories; unknown ones are named.
    let (_, _) = server.agent(&site, "lin").await;
    let (status, json) = put_agent(&server, "lin", json!(["sales", "billing"])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        json["error"].as_str().expect("error").contains("billing"),
        "{json}"
    );
    let (status, json) = put_agent(&server, "lin", json!(["support", "sales"])).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["categories"], json!(["support", "sales"]));
    let (status, _) = put_agent(&server, "nobody", json!([])).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let new =
        r#"{"username":"mei","name":"Mei","password":"correct horse","categories":["refunds"]}"#;
    let uri = "/api/v1/sites/shop/agents";
    let (status, json) = call(
        &server.state,
        Method::POST,
        uri,
        Some(ADMIN_TOKEN),
        Some(new),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        json["error"].as_str().expect("error").contains("refunds"),
        "{json}"
    );
    // Dropping a category drops it from the agents; `[]` clears them all.
    let only_sales = r#"{"name":"Shop","categories":[{"id":"sales","name":"Sales"}]}"#;
    assert_eq!(put_site(&server, only_sales).await.0, StatusCode::OK);
    let lin = server
        .state
        .store
        .agent_login("lin")
        .await
        .expect("ok")
        .expect("lin")
        .0;
    assert_eq!(lin.categories, ["sales"]);
    let (status, json) = put_site(&server, r#"{"name":"Shop","categories":[]}"#).await;
    assert_eq!(status, StatusCode::OK);
    assert!(json.get("categories").is_none(), "{json}");
    let lin = server
        .state
        .store
        .agent_login("lin")
        .await
        .expect("ok")
        .expect("lin")
        .0;
    assert!(lin.categories.is_empty());
    assert!(ready_categories(&server, &site, None).await.is_empty());
}
