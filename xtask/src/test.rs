//! `cargo xtask test`: installs what is missing, reaches (or starts) PostgreSQL
//! and NATS, then runs every suite — native unit and server integration tests
//! (property tests included; the server's on SQLite, then again on PostgreSQL;
//! the cluster tests on PostgreSQL + NATS), every fuzz target for a short run,
//! wasm-bindgen-test in headless Chromium, the size budgets, the end-to-end
//! Playwright tests against the real server, and a short crash-safety run
//! (`crate::chaos`) — and ends with one summary line,
//! `kefu: N passed, N failed, N skipped`, naming the backends that ran.

use crate::cmd::{self, run_tests, Tally};
use crate::setup::{self, path_with_tools};
use crate::{fuzz, root, sizes, target_dir, trunk, Result};
use std::process::Command;

/// The suites, in the order they run.
pub const SUITES: [&str; 8] = [
    "native", "postgres", "fuzz", "wasm", "sizes", "e2e", "chaos", "capacity",
];

/// Run every suite, or only the `only` ones (`cargo xtask test e2e wasm`, while
/// working on one part; CI and the README run them all); fails when any test or
/// suite failed.
pub fn run(only: &[String]) -> Result<()> {
    if let Some(unknown) = only.iter().find(|s| !SUITES.contains(&s.as_str())) {
        return Err(format!(
            "no suite `{unknown}`; the suites are {}",
            SUITES.join(", ")
        ));
    }
    let wanted = |suite: &str| only.is_empty() || only.iter().any(|s| s == suite);
    setup::run(setup::Needs::all())?;
    let services = crate::services::ensure()?;
    for note in &services.notes {
        println!("xtask: {note}");
    }
    let mut tally = Tally::default();
    let mut broken: Vec<&str> = Vec::new();
    // Suites run one after another: the time since the last record is this one's.
    let mut since = std::time::Instant::now();
    let mut record = |name: &'static str, result: Result<(Tally, bool)>| {
        println!("xtask: {name} took {:.0} s", since.elapsed().as_secs_f64());
        since = std::time::Instant::now();
        match result {
            Ok((t, ok)) => {
                tally = tally.plus(t);
                if !ok {
                    broken.push(name);
                }
            }
            Err(e) => {
                eprintln!("xtask: {name}: {e}");
                tally.failed += 1;
                broken.push(name);
            }
        }
    };

    if wanted("native") {
        println!("\n== native tests: protocol, server (SQLite; cluster on PostgreSQL + NATS), widget state, xtask");
        record(
            "native",
            run_tests(
                Command::new("cargo")
                    .args(["test", "--workspace", "--no-fail-fast"])
                    .env("KEFU_TEST_PYTHON", setup::test_python())
                    .env("KEFU_TEST_POSTGRES", &services.postgres)
                    .env("KEFU_TEST_NATS", &services.nats)
                    .current_dir(root()),
            ),
        );
    }

    if wanted("postgres") {
        println!("\n== the server's store and integration tests again, on PostgreSQL");
        record("postgres", postgres_rerun(&services));
        services.drop_test_databases();
    }

    if wanted("fuzz") {
        println!(
            "\n== fuzz targets, {} s each (cargo-fuzz; one test per target)",
            fuzz::SUITE_SECONDS
        );
        record("fuzz", fuzz::suite());
    }

    if wanted("wasm") {
        println!("\n== widget tests in headless Chromium (wasm-bindgen-test)");
        record("wasm", run_tests(&mut wasm_tests()));
    }

    if wanted("sizes") {
        println!("\n== widget release build and size budgets");
        record("sizes", trunk::build_widget().and_then(|()| size_budgets()));
    }

    if wanted("e2e") {
        println!("\n== end-to-end tests (Playwright + Chromium + the real server and console)");
        record(
            "e2e",
            // The widget's release build is the sizes suite's; alone, e2e makes it.
            (if wanted("sizes") {
                Ok(())
            } else {
                trunk::build_widget()
            })
            .and_then(|()| trunk::build_console())
            .and_then(|()| debug_binaries())
            .and_then(|()| run_tests(&mut e2e_tests(&services))),
        );
    }

    if wanted("chaos") {
        println!("\n== crash safety: a short chaos run (kills, pauses, drops, full disk), SQLite, PostgreSQL, then two nodes");
        record("chaos", crate::chaos::suite(&services));
    }

    if wanted("capacity") {
        println!("\n== the capacity benchmark's tool, its quick profile (kefu-loadgen)");
        record("capacity", capacity_quick(&services));
    }

    if !broken.is_empty() {
        eprintln!("xtask: failing suites: {}", broken.join(", "));
        if tally.failed == 0 {
            tally.failed = broken.len() as u64;
        }
    }
    println!(
        "\nkefu: {} passed, {} failed, {} skipped (store: SQLite and PostgreSQL; bus: NATS)",
        tally.passed, tally.failed, tally.skipped
    );
    if tally.failed == 0 {
        Ok(())
    } else {
        Err(format!("{} test(s) failed", tally.failed))
    }
}

/// The debug `kefu-server`, `kefu-chaos` and `kefu-loadgen` as
/// `cargo test --workspace` builds them (for the integration tests): one
/// feature set for every suite, so none of them compiles the server again
/// (`cargo build -p …` would unify features differently and rebuild it).
pub fn debug_binaries() -> Result<()> {
    cmd::run(
        Command::new("cargo")
            .args(["test", "--workspace", "--no-run", "--quiet"])
            .current_dir(root()),
    )
}

/// The release `kefu-server`, `kefu-loadgen` and `kefu-chaos` (the benchmark
/// and the long chaos run).
pub fn release_binaries() -> Result<()> {
    cmd::run(
        Command::new("cargo")
            .args([
                "build",
                "--release",
                "-p",
                "kefu-server",
                "-p",
                "kefu-loadgen",
            ])
            .current_dir(root()),
    )
}

/// The server's store (unit) and integration tests again, on PostgreSQL,
/// without the cluster tests (they ran on PostgreSQL already). It runs the
/// native run's own test binaries: `cargo test -p kefu-server` would unify
/// features differently and compile everything again.
fn postgres_rerun(services: &crate::services::Services) -> Result<(Tally, bool)> {
    let mut tally = Tally::default();
    let mut ok = true;
    for binary in server_test_binaries()? {
        let (t, passed) = run_tests(
            Command::new(binary)
                .args(["--skip", "cluster::"])
                .env("KEFU_TEST_BACKEND", "postgres")
                .env("KEFU_TEST_PYTHON", setup::test_python())
                .env("KEFU_TEST_POSTGRES", &services.postgres)
                .env("KEFU_TEST_NATS", &services.nats)
                .current_dir(root().join("crates/server")),
        )?;
        tally = tally.plus(t);
        ok &= passed;
    }
    Ok((tally, ok))
}

/// kefu-server's unit-test and integration-test (`tests/server`) binaries,
/// as the workspace's test build made them.
fn server_test_binaries() -> Result<Vec<std::path::PathBuf>> {
    let out = Command::new("cargo")
        .args(["test", "--workspace", "--no-run", "--message-format=json"])
        .current_dir(root())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("running cargo: {e}"))?;
    let wanted = |m: &serde_json::Value| {
        let kind = &m["target"]["kind"];
        m["package_id"]
            .as_str()
            .is_some_and(|p| p.contains("#kefu-server@"))
            && (*kind == serde_json::json!(["lib"])
                || (*kind == serde_json::json!(["test"]) && m["target"]["name"] == "server"))
    };
    let binaries: Vec<std::path::PathBuf> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| wanted(m))
        .filter_map(|m| m["executable"].as_str().map(std::path::PathBuf::from))
        .collect();
    match binaries.len() {
        2 => Ok(binaries),
        n => Err(format!(
            "expected kefu-server's unit and integration test binaries, cargo built {n}"
        )),
    }
}

/// `kefu-loadgen --profile quick` against the debug server: every capacity
/// scenario runs end to end on one node (SQLite), and the message runs on two
/// nodes sharing PostgreSQL and NATS (a test each; the numbers are the
/// benchmark's job).
fn capacity_quick(services: &crate::services::Services) -> Result<(Tally, bool)> {
    debug_binaries()?;
    let debug = target_dir().join("debug");
    let loadgen = || {
        let mut c = Command::new(debug.join("kefu-loadgen"));
        c.args(["--profile", "quick", "--server-bin"])
            .arg(debug.join("kefu-server"))
            .current_dir(root());
        c
    };
    let database = services.fresh_database("capacity")?;
    let mut tally = Tally::default();
    for mut c in [loadgen(), {
        let mut c = loadgen();
        c.args([
            "--nodes",
            "2",
            "--only",
            "messages",
            "--database-url",
            &database,
        ])
        .args(["--nats-url", &services.nats]);
        c
    }] {
        let ok = c
            .status()
            .map_err(|e| format!("running kefu-loadgen: {e}"))?
            .success();
        tally = tally.plus(Tally {
            passed: u64::from(ok),
            failed: u64::from(!ok),
            skipped: 0,
        });
    }
    services.drop_test_databases();
    Ok((tally, tally.failed == 0))
}

fn wasm_tests() -> Command {
    let mut c = Command::new("cargo");
    c.args([
        "test",
        "-p",
        "kefu-widget",
        "--target",
        "wasm32-unknown-unknown",
        "--tests",
        "--no-fail-fast",
    ])
    .env("CHROMEDRIVER", "/usr/bin/chromedriver")
    .env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    )
    .env("PATH", path_with_tools());
    c
}

fn size_budgets() -> Result<(Tally, bool)> {
    let files = sizes::measure()?;
    print!("{}", sizes::table(&files));
    let capture = sizes::measure_capture()?;
    println!(
        "co-browsing capture chunk (loaded after consent): {} B raw, {} B brotli (budget {} B)",
        capture.raw,
        capture.brotli,
        sizes::CAPTURE_BROTLI_BUDGET
    );
    let result = sizes::check_budgets(&files).and_then(|()| sizes::check_capture(&capture));
    if let Err(e) = &result {
        eprintln!("xtask: size budget: {e}");
    }
    let ok = result.is_ok();
    let tally = Tally {
        passed: u64::from(ok),
        failed: u64::from(!ok),
        skipped: 0,
    };
    Ok((tally, ok))
}

/// The Playwright tests; the cluster test gets PostgreSQL and NATS.
fn e2e_tests(services: &crate::services::Services) -> Command {
    let mut c = Command::new("node");
    c.args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
        .current_dir(root().join("tests/e2e"))
        .env("KEFU_SERVER_BIN", target_dir().join("debug/kefu-server"))
        .env("KEFU_ASSETS_DIR", root())
        .env("KEFU_TEST_POSTGRES", &services.postgres)
        .env("KEFU_TEST_NATS", &services.nats)
        .env("KEFU_TEST_PYTHON", setup::test_python());
    c
}
