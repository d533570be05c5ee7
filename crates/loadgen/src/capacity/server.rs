//! The server under test: the real `kefu-server` binary with the demo site
//! (its sample knowledge base and its agent `demo`), in a data dir on the
//! disk, as many open files as a large test needs, and `/proc` readings of
//! its CPU time and memory.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout, Command};

/// The admin token the server is started with.
pub const ADMIN_TOKEN: &str = "capacity-admin-token";
/// The demo agent's password.
pub const DEMO_PASSWORD: &str = "capacity-demo-password";

/// How to start the server.
#[derive(Clone, Debug)]
pub struct Launch {
    /// The `kefu-server` binary.
    pub bin: PathBuf,
    /// Its data dir.
    pub data_dir: PathBuf,
    /// Extra `serve` flags (limits raised for throughput runs, …).
    pub flags: Vec<String>,
    /// Extra environment (`DATABASE_URL`, `KEFU_NATS_URL`, `KEFU_SECRET`).
    pub env: Vec<(String, String)>,
}

/// A running server.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    child: Child,
    _stdout: ChildStdout,
}

impl Server {
    /// Start it and wait until it listens.
    pub async fn start(launch: &Launch) -> Result<Server, String> {
        let port = crate::cluster::free_port()?;
        let log = std::fs::File::create(launch.data_dir.join("server.log"))
            .map_err(|e| format!("the server log: {e}"))?;
        let mut cmd = Command::new(&launch.bin);
        cmd.args(["serve", "--demo", "--listen", &port.to_string()])
            .arg("--data-dir")
            .arg(&launch.data_dir)
            .args(["--admin-token", ADMIN_TOKEN])
            // Every simulated visitor comes from 127.0.0.1: the per-address
            // cap on new visitors (an abuse limit) would measure itself.
            .args(["--new-visitors-per-minute", "1000000000"])
            // Real widgets ping every 25 s; the idle connections of the memory
            // run stay silent instead, for longer than the default idle timeout.
            .args(["--idle-timeout-secs", "86400"])
            .args(&launch.flags)
            .env("KEFU_DEMO_PASSWORD", DEMO_PASSWORD)
            .env("RUST_LOG", "warn")
            .envs(launch.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true);
        // SAFETY: `pre_exec` runs in the forked child before exec; setrlimit is
        // async-signal-safe and touches nothing of the parent.
        unsafe {
            cmd.pre_exec(|| raise_open_files().map_err(std::io::Error::other));
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("starting {}: {e}", launch.bin.display()))?;
        let stdout = child.stdout.take().expect("stdout was piped");
        let mut lines = BufReader::new(stdout).lines();
        let listening = async {
            while let Some(line) = lines.next_line().await.map_err(|e| e.to_string())? {
                if line.starts_with("kefu-server listening on") {
                    return Ok(());
                }
            }
            Err(format!(
                "the server exited before listening (see {})",
                launch.data_dir.join("server.log").display()
            ))
        };
        tokio::time::timeout(Duration::from_secs(60), listening)
            .await
            .map_err(|_| "the server did not listen within 60 s".to_owned())??;
        Ok(Server {
            addr: port,
            child,
            _stdout: lines.into_inner().into_inner(),
        })
    }

    /// Its process ID.
    pub fn pid(&self) -> u32 {
        self.child.id().expect("running")
    }

    /// CPU seconds it used so far (user + system).
    pub fn cpu(&self) -> f64 {
        cpu_seconds(self.pid()).unwrap_or(0.0)
    }

    /// Its resident memory now, bytes.
    pub fn rss(&self) -> u64 {
        rss_bytes(self.pid()).unwrap_or(0)
    }

    /// Stop it (SIGTERM, then wait).
    pub async fn stop(mut self) {
        if let Some(pid) = rustix::process::Pid::from_raw(self.pid() as i32) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        }
        let _ = tokio::time::timeout(Duration::from_secs(20), self.child.wait()).await;
    }
}

/// Raise this process's open-file limit to its hard limit (for thousands of
/// client sockets; 18,000 idle connections need a hard limit above that).
pub fn raise_open_files() -> Result<(), String> {
    let hard = rustix::process::getrlimit(rustix::process::Resource::Nofile).maximum;
    let limit = rustix::process::Rlimit {
        current: hard,
        maximum: hard,
    };
    rustix::process::setrlimit(rustix::process::Resource::Nofile, limit)
        .map_err(|e| format!("raising the open-file limit to {hard:?}: {e}"))
}

/// User + system CPU seconds of process `pid` (`/proc/<pid>/stat`).
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields after it are fixed.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / rustix::param::clock_ticks_per_second() as f64)
}

/// Resident memory of process `pid`, bytes (`/proc/<pid>/status`).
pub fn rss_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_its_own_cpu_and_memory() {
        let me = std::process::id();
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = x.wrapping_add(i * i);
        }
        assert!(x > 0);
        assert!(cpu_seconds(me).expect("stat") > 0.0);
        assert!(rss_bytes(me).expect("status") > 1 << 20);
    }
}
