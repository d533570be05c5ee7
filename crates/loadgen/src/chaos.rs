//! The crash-safety harness (`cargo xtask chaos`): does Kefu keep the
//! delivery promises of `docs/protocol.md` while its server is killed,
//! paused, cut off from its clients and starved of disk?
//!
//! A run ([`run::run`]) starts the real `kefu-server` binary on SQLite in a
//! small tmpfs data dir (or on PostgreSQL) ([`cluster`], [`disk`]), drives visitors and agents
//! over the real protocol ([`actors`], built on [`crate::client`]): each sends
//! numbered messages and resends the unacked ones with the same `clientMsgID`
//! after every reconnect, syncing from the highest sequence it holds. The
//! injector ([`faults`]) meanwhile SIGKILLs and restarts the server, resets
//! connections, SIGSTOPs it for longer than the clients' timeouts and fills
//! the disk until writes fail, at moments drawn from the seed. Everything is
//! recorded ([`record`]); afterwards the database is read directly
//! ([`stored`]) and [`check::check`], a pure function of the two, judges
//! every promise. [`report`] prints the numbers, one line per promise, and for
//! a failure the seed and the history needed to replay it.
//!
//! With `--nodes 2` the run starts two server nodes on one fresh PostgreSQL
//! database, sharing a NATS server and `KEFU_SECRET` ([`crate::cluster`]).
//! Visitors and agents are spread over both; each fault SIGKILLs or SIGSTOPs
//! one node while the other keeps serving, and a client whose connection
//! fails or is lost tries the next node's address, resending its unacked
//! messages with the same `clientMsgID` and syncing ([`actors::drive`]). A
//! killed node comes back only once the clients it cut off are on the other
//! node ([`placement`]). The checker judges every promise on the history of
//! both nodes, and two more ([`check`]): those clients did fail over, and
//! messages stored through one node reached clients on the other live.
//!
//! # Layout
//! - [`profile`]: the short and the long run.
//! - [`cluster`]: server processes (one or several nodes) and the database
//!   backend.
//! - [`placement`]: which node each client is on; what a killed node waits for.
//! - [`disk`]: the tmpfs data dir and the disk-full fault.
//! - [`actors`]: visitors and agents.
//! - [`faults`]: the fault injector.
//! - [`record`]: the history.
//! - [`stored`]: what the database holds, read back.
//! - [`check`]: the checker.
//! - [`report`]: numbers, verdict lines, BENCHMARKS.md section, post-mortem.
//! - [`run`]: one run from start to verdict.

pub mod actors;
pub mod check;
pub mod cluster;
pub mod disk;
pub mod faults;
pub mod placement;
pub mod profile;
pub mod record;
pub mod report;
pub mod run;
pub mod stored;
