//! [`ApiJson`]: the JSON body extractor of the HTTP API. Unlike axum's `Json`, it
//! answers a bad body in the API's own error shape (`{"error": …}`): 400 for
//! syntax errors and a missing content type, 422 for the wrong fields.

use crate::Error;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::Json;

/// A JSON request body whose rejection is an [`Error`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::JsonDataError(e)) => Err(Error::Unprocessable(e.body_text())),
            Err(e) => Err(Error::BadRequest(e.body_text())),
        }
    }
}
