//! `kefu-server agent add`, the real binary against a running server's data
//! dir: the added agent signs in; bad input exits 1 with a clear message.

use crate::admin_api::call;
use crate::support::TestServer;
use axum::http::{Method, StatusCode};
use serde_json::json;
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Run `agent add` with `args` on the server's database, feeding `stdin` when given.
fn agent_add(server: &TestServer, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu-server"))
        .args(["agent", "add"])
        .args(args)
        .arg("--data-dir")
        .arg(server.data_dir())
        .env("DATABASE_URL", server.database_url())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(input) = stdin {
        pipe.write_all(input.as_bytes()).expect("write stdin");
    }
    drop(pipe);
    child.wait_with_output().expect("output")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn signs_in(server: &TestServer, username: &str, password: &str) -> StatusCode {
    let body = json!({"username": username, "password": password}).to_string();
    let uri = "/api/v1/agent/login";
    call(&server.state, Method::POST, uri, None, Some(&body))
        .await
        .0
}

#[tokio::test]
async fn agent_add_with_a_given_or_a_random_password() {
    let server = TestServer::start().await;
    server.site("shop").await;

    let given = ["--site", "shop", "--username", "lin", "--name", "Lin"];
    let out = agent_add(
        &server,
        &[&given[..], &["--password-stdin"]].concat(),
        Some("correct horse\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("added agent `lin` (Lin) to site `shop` as agent: id "),
        "{stdout}"
    );
    assert!(!stdout.contains("password"), "{stdout}");
    assert_eq!(
        signs_in(&server, "lin", "correct horse").await,
        StatusCode::OK
    );

    let out = agent_add(
        &server,
        &["--site", "shop", "--username", "mei", "--name", "Mei"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let password = stdout
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .expect("the random password is printed");
    assert_eq!(password.len(), 20);
    assert_eq!(signs_in(&server, "mei", password).await, StatusCode::OK);
}

#[tokio::test]
async fn agent_add_refuses_bad_input_with_exit_1() {
    let server = TestServer::start().await;
    server.site("shop").await;
    server.agent(&server.site("other").await, "taken").await;
    let cases: [(&[&str], &str, &str); 4] = [
        (
            &["--site", "nowhere", "--username", "a", "--name", "A"],
            "pass word 1",
            "unknown site `nowhere`",
        ),
        (
            &["--site", "shop", "--username", "taken", "--name", "T"],
            "pass word 1",
            "username `taken` is taken",
        ),
        (
            &["--site", "shop", "--username", "b", "--name", "B"],
            "short",
            "password: must be 8–1024 characters",
        ),
        (
            &["--site", "shop", "--username", "no spaces", "--name", "C"],
            "pass word 1",
            "username: must be",
        ),
    ];
    for (args, password, message) in cases {
        let args = [args, &["--password-stdin"]].concat();
        let out = agent_add(&server, &args, Some(password));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!("kefu-server: {message}")),
            "{stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // A usage error is clap's exit 2.
    let out = agent_add(&server, &["--site", "shop"], None);
    assert_eq!(out.status.code(), Some(2));
}
