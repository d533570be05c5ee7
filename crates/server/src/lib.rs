//! Kefu IM backend (being assembled): configuration, the error type,
//! authentication and the SQLite store. The gateway and the HTTP API follow.

pub mod auth;
pub mod config;
pub mod error;
pub mod store;

pub use error::{Error, Result};
