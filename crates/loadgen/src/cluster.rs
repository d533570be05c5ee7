//! What the capacity benchmark and the crash harness both need to run Kefu on
//! several nodes: the rule that more than one node takes PostgreSQL and a
//! NATS server, the environment that joins a node to the others (the bus,
//! `KEFU_NATS_URL`, and the secret their tokens are signed with,
//! `KEFU_SECRET`), a data dir of each node's own and a free port to listen on.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};

/// The secret every node of a test cluster shares (tokens one node signs
/// must verify on the others).
const SECRET: &str = "the secret every node of a kefu-loadgen cluster shares";

/// The extra environment of each of `count` nodes: none for one node; for
/// more, the bus at `nats_url` and the shared secret. Several nodes need
/// PostgreSQL (`on_postgres`) and NATS, else an error says which is missing.
pub fn join_env(
    count: usize,
    nats_url: Option<&str>,
    on_postgres: bool,
) -> Result<Vec<(String, String)>, String> {
    if count <= 1 {
        return Ok(Vec::new());
    }
    let nats = nats_url.ok_or("several nodes need a NATS server (--nats-url)")?;
    if !on_postgres {
        return Err("several nodes need a PostgreSQL database (--database-url)".into());
    }
    Ok(vec![
        ("KEFU_NATS_URL".into(), nats.to_owned()),
        ("KEFU_SECRET".into(), SECRET.into()),
    ])
}

/// A fresh, empty data dir `name` under `parent` (a leftover is removed).
pub fn data_dir(parent: &Path, name: &str) -> Result<PathBuf, String> {
    let dir = parent.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

/// A port free now on 127.0.0.1 (a node binds it at every start; tokio sets
/// SO_REUSEADDR, so a restart after SIGKILL gets it back).
pub fn free_port() -> Result<SocketAddr, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("finding a free port: {e}"))
}

#[cfg(test)]
mod tests {
    use super::join_env;

    #[test]
    fn one_node_needs_nothing_several_need_postgres_and_nats() {
        assert_eq!(join_env(1, None, false), Ok(Vec::new()));
        assert!(join_env(2, None, true).unwrap_err().contains("NATS"));
        assert!(join_env(2, Some("nats://x"), false)
            .unwrap_err()
            .contains("PostgreSQL"));
        let env = join_env(2, Some("nats://x"), true).expect("both given");
        let keys: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["KEFU_NATS_URL", "KEFU_SECRET"]);
    }
}
