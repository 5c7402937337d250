//! Request extractors: the caller (bearer token, or session cookie plus
//! CSRF header on state changes), the peer address, and JSON bodies and
//! queries whose rejections are `ApiError`s with field errors.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use meridian_service::auth::Caller;
use meridian_service::{ApiError, ApiErrorKind};

use crate::error::HttpError;
use crate::routes::{ServerState, SESSION_COOKIE};

/// The TCP peer, set per connection by the accept loop.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

pub const CSRF_HEADER: &str = "x-csrf-token";

pub fn source(parts: &Parts) -> String {
    parts.extensions.get::<Peer>().map(|p| p.0.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// The session cookie's value, if the request has one.
pub fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|line| {
        line.split(';').find_map(|c| c.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('=').map(str::to_owned))
    })
}

/// An authenticated caller.
pub struct Who(pub Caller);

impl FromRequestParts<Arc<ServerState>> for Who {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, st: &Arc<ServerState>) -> Result<Self, HttpError> {
        let src = source(parts);
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if let Some(secret) = bearer {
            return Ok(Who(st.app.token_caller(secret.trim(), &src).await?));
        }
        let Some(session) = session_cookie(&parts.headers) else {
            return Err(ApiError::new(ApiErrorKind::Unauthorized, "log in, or send an API token").into());
        };
        let changes = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        let csrf = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        Ok(Who(st.app.session_caller(&session, csrf, changes, &src).await?))
    }
}

/// The peer's address, for handlers that run before authentication.
pub struct Source(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Source {
    type Rejection = HttpError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HttpError> {
        Ok(Source(source(parts)))
    }
}

/// A JSON body; malformed, mistyped or over-long bodies are `validation`
/// errors on `body` (413 for the size limit, 415 without a JSON type).
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = HttpError;
    async fn from_request(req: Request, st: &S) -> Result<Self, HttpError> {
        match axum::Json::<T>::from_request(req, st).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(r) => Err(json_rejection(r)),
        }
    }
}

fn json_rejection(r: JsonRejection) -> HttpError {
    let status = match &r {
        JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        JsonRejection::BytesRejection(_) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            StatusCode::PAYLOAD_TOO_LARGE
        }
        _ => StatusCode::BAD_REQUEST,
    };
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => format!("the body is over {} bytes", crate::routes::MAX_BODY),
        _ => r.body_text(),
    };
    HttpError(ApiError::field("body", message), Some(status))
}

/// Query parameters, with the same kind of errors on `query`.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = HttpError;
    async fn from_request_parts(parts: &mut Parts, st: &S) -> Result<Self, HttpError> {
        match axum::extract::Query::<T>::from_request_parts(parts, st).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(r) => Err(query_rejection(r)),
        }
    }
}

fn query_rejection(r: QueryRejection) -> HttpError {
    HttpError(ApiError::field("query", r.body_text()), Some(StatusCode::BAD_REQUEST))
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::session_cookie;

    fn headers(values: &[&[u8]]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            if let Ok(v) = HeaderValue::from_bytes(v) {
                h.append(axum::http::header::COOKIE, v);
            }
        }
        h
    }

    #[test]
    fn finds_the_session_among_other_cookies() {
        let h = headers(&[b"a=1; meridian_session=abc; b=2"]);
        assert_eq!(session_cookie(&h).as_deref(), Some("abc"));
        let h = headers(&[b"x=y", b"meridian_session=second"]);
        assert_eq!(session_cookie(&h).as_deref(), Some("second"));
        assert_eq!(session_cookie(&headers(&[b"meridian_sessionX=1; other=2"])), None);
    }

    /// Garbage never panics and never yields a session by accident.
    #[test]
    fn garbage_cookie_headers() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for len in 0..2000usize {
            let bytes: Vec<u8> = (0..len % 300)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % 256) as u8
                })
                .collect();
            let found = session_cookie(&headers(&[&bytes, b";;==;", b"\xff\xfe"]));
            if let Some(v) = found {
                assert!(bytes.windows(17).any(|w| w == b"meridian_session="), "{v:?} from {bytes:?}");
            }
        }
        assert_eq!(session_cookie(&headers(&[b";;;=", b"=meridian_session", b""])), None);
    }
}
