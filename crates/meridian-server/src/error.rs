//! `ApiError` as an HTTP response: the same `{kind, detail, fields}` JSON
//! the desktop gets, with the status its kind implies.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use meridian_service::{ApiError, ApiErrorKind};

#[derive(Debug)]
pub struct HttpError(pub ApiError, pub Option<StatusCode>);

impl From<ApiError> for HttpError {
    fn from(e: ApiError) -> Self {
        Self(e, None)
    }
}

pub fn status_of(kind: ApiErrorKind) -> StatusCode {
    match kind {
        ApiErrorKind::Validation => StatusCode::BAD_REQUEST,
        ApiErrorKind::NotFound => StatusCode::NOT_FOUND,
        ApiErrorKind::Conflict => StatusCode::CONFLICT,
        ApiErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
        ApiErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ApiErrorKind::Locked => StatusCode::LOCKED,
        ApiErrorKind::Throttled => StatusCode::TOO_MANY_REQUESTS,
        ApiErrorKind::Network => StatusCode::BAD_GATEWAY,
        ApiErrorKind::Unsupported => StatusCode::NOT_IMPLEMENTED,
        // The server was started without its vault key: it cannot read or
        // store a secret until it is given one.
        ApiErrorKind::InUse | ApiErrorKind::VaultLocked => StatusCode::SERVICE_UNAVAILABLE,
        ApiErrorKind::Schema
        | ApiErrorKind::Store
        | ApiErrorKind::Vault
        | ApiErrorKind::Permission
        | ApiErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = self.1.unwrap_or_else(|| status_of(self.0.kind));
        if status.is_server_error() {
            tracing::error!(kind = ?self.0.kind, detail = %self.0.detail, "request failed");
        }
        let retry = self.0.retry_after_secs;
        let mut r = (status, Json(self.0)).into_response();
        if let Some(v) = retry.and_then(|s| axum::http::HeaderValue::from_str(&s.to_string()).ok()) {
            r.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        r
    }
}
