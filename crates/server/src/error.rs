//! The server's one error type, [`Error`], and how it answers over HTTP.
//!
//! Every HTTP error is JSON `{"error": "<message>"}` with a fitting status;
//! refusals a client reacts to by kind (the upload limits) add a machine-readable
//! `"code"`, and those worth retrying a `Retry-After` in whole seconds. Store
//! and internal failures are logged here with their details and answered with a
//! bare "internal error": details never leave the server. The gateway maps the
//! same type to `ErrorCode::Internal` error frames.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Result alias for the server.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a request or a store call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is malformed or a field is out of range (400).
    #[error("{0}")]
    BadRequest(String),
    /// One field of a body is out of range (400, code `invalidField`, with
    /// `field`: its JSON path, e.g. `businessHours.mon`), so a form can show
    /// the words beside it.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// A knowledge base (or a change to one) that breaks a rule (400, code
    /// `invalidKnowledgeBase`, with `kb`: the refusal typed, so the console
    /// says it in the agent's language).
    #[error(transparent)]
    Kb(#[from] kefu_protocol::kb::KbError),
    /// JSON of the right syntax but the wrong shape (422).
    #[error("{0}")]
    Unprocessable(String),
    /// Missing or wrong admin bearer token (401).
    #[error("missing or invalid admin token")]
    Unauthorized,
    /// An agent route without a live agent token: missing, invalid, expired or
    /// signed out (401).
    #[error("missing, invalid or expired agent token")]
    AgentUnauthorized,
    /// Agent sign-in failed; one message for unknown user and wrong password (401).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many sign-in attempts for the username or from the address (429,
    /// with `Retry-After` in whole seconds).
    #[error("too many attempts, try again later")]
    TooManyAttempts(std::time::Duration),
    /// A route open to visitors and agents without a valid token or signature (401).
    #[error("missing or invalid token")]
    Unauthenticated,
    /// The body is over the configured limit (413).
    #[error("{0}")]
    TooLarge(String),
    /// Content of a type the server refuses (415).
    #[error("{0}")]
    UnsupportedMedia(String),
    /// An upload over a quota, the burst limit or the site's storage (429
    /// with `Retry-After`, or 507), with its `code`.
    #[error(transparent)]
    UploadRefused(#[from] crate::uploads::limits::Refusal),
    /// A visitor's request from a page whose `Origin` is not in the site's
    /// allowed origins (403, code `forbiddenOrigin`).
    #[error("the page's origin is not allowed for this site")]
    ForbiddenOrigin,
    /// The caller is who they say but may not do this (an agent on an admin
    /// route, an admin changing an owner, a disabled agent signing in: 403,
    /// code `forbidden`), or it cannot be done now (the last owner, a taken
    /// username: 409, code `conflict`); typed in the answer's `denied`.
    #[error("{}", .0.english())]
    Denied(kefu_protocol::Denial),
    /// A webhook URL that may not be registered (400, code `invalidWebhookUrl`).
    #[error(transparent)]
    InvalidWebhookUrl(#[from] crate::webhooks::target::UrlError),
    /// The admin API has no token configured (503).
    #[error("admin API disabled: set KEFU_ADMIN_TOKEN")]
    AdminDisabled,
    /// The named thing does not exist (404, code `notFound`, with `missing`).
    #[error("{} not found", .0.english())]
    NotFound(kefu_protocol::Missing),
    /// The database failed (500, logged).
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// A write's transaction did not commit (disk full, I/O error): nothing of
    /// it is stored, so the client may retry (500, logged where it happened).
    #[error("the write was not committed")]
    CommitFailed,
    /// The store is shutting down or its writer stopped (500).
    #[error("the store is closed")]
    StoreClosed,
    /// Anything else that should not happen (500, logged).
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl Error {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_)
            | Error::Invalid(_)
            | Error::Kb(_)
            | Error::InvalidWebhookUrl(_) => StatusCode::BAD_REQUEST,
            Error::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Unauthorized
            | Error::InvalidCredentials
            | Error::AgentUnauthorized
            | Error::Unauthenticated => StatusCode::UNAUTHORIZED,
            Error::AdminDisabled => StatusCode::SERVICE_UNAVAILABLE,
            Error::Denied(denial) if denial.is_conflict() => StatusCode::CONFLICT,
            Error::ForbiddenOrigin | Error::Denied(_) => StatusCode::FORBIDDEN,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::UnsupportedMedia(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::UploadRefused(refusal) => refusal.status(),
            Error::Sqlx(_) | Error::Other(_) | Error::CommitFailed | Error::StoreClosed => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// The message a client may see; internal failures are logged instead.
    pub fn public_message(&self) -> String {
        match self {
            Error::Sqlx(_) | Error::Other(_) | Error::CommitFailed | Error::StoreClosed => {
                tracing::error!(error = %self, "internal error");
                "internal error".to_owned()
            }
            other => other.to_string(),
        }
    }

    /// The machine-readable `code` of the answer, for the errors that have one.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Error::UploadRefused(refusal) => Some(refusal.code()),
            Error::ForbiddenOrigin => Some("forbiddenOrigin"),
            Error::Denied(denial) if denial.is_conflict() => Some("conflict"),
            Error::Denied(_) => Some("forbidden"),
            Error::InvalidWebhookUrl(_) => Some("invalidWebhookUrl"),
            Error::Invalid(_) => Some("invalidField"),
            Error::NotFound(_) => Some("notFound"),
            Error::Kb(_) => Some("invalidKnowledgeBase"),
            _ => None,
        }
    }

    /// How long the client should wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Error::TooManyAttempts(wait) => Some(*wait),
            Error::UploadRefused(refusal) => refusal.retry_after(),
            _ => None,
        }
    }

    /// Whether this is the database refusing a duplicate in a UNIQUE column.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            Error::Sqlx(sqlx::Error::Database(db)) => db.is_unique_violation(),
            _ => false,
        }
    }
}

/// A field of a request body that is out of range: where, and the words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    /// The field's JSON path, e.g. `businessHours.mon` or `texts.welcome.en`.
    pub field: String,
    /// What is wrong, naming the value.
    pub message: String,
    /// What is wrong, typed, for clients to say in their language (the
    /// answer's `why`).
    pub why: kefu_protocol::FieldWhy,
}

impl Invalid {
    /// `field` is wrong for the typed reason `why` (the words are made from it).
    pub fn because(field: impl Into<String>, why: kefu_protocol::FieldWhy) -> Invalid {
        let field = field.into();
        Invalid {
            message: format!("{field}: {}", why.english()),
            field,
            why,
        }
    }

    /// Whether the words mention `needle` (for tests and logs).
    pub fn contains(&self, needle: &str) -> bool {
        self.message.contains(needle)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let mut body = match self.code() {
            Some(code) => serde_json::json!({ "error": self.public_message(), "code": code }),
            None => serde_json::json!({ "error": self.public_message() }),
        };
        if let Error::Invalid(invalid) = &self {
            body["field"] = serde_json::Value::from(invalid.field.clone());
            body["why"] = serde_json::to_value(&invalid.why).unwrap_or_default();
        }
        if let Error::InvalidWebhookUrl(refusal) = &self {
            body["field"] = serde_json::Value::from("url");
            body["why"] = serde_json::to_value(refusal.why()).unwrap_or_default();
        }
        if let Error::NotFound(missing) = &self {
            body["missing"] = serde_json::to_value(missing).unwrap_or_default();
        }
        if let Error::Denied(denial) = &self {
            body["denied"] = serde_json::to_value(denial).unwrap_or_default();
        }
        if let Error::Kb(refusal) = &self {
            body["kb"] = serde_json::to_value(refusal).unwrap_or_default();
        }
        let mut res = (self.status(), Json(body)).into_response();
        if let Some(wait) = self.retry_after() {
            // Whole seconds, rounded up, at least one: never "retry now".
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_are_not_returned() {
        let err = Error::Other(anyhow::anyhow!("disk /secret/path is full"));
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(err.public_message(), "internal error");
    }
}
