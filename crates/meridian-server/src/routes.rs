//! The route table. Routes are added through [`Routes`], which records each
//! (method, path) as it registers it, so the list the authorisation matrix
//! test walks is the router's own.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{on, MethodFilter};
use axum::Router;
use meridian_service::auth::AuthPolicy;
use meridian_service::{ApiError, ApiErrorKind, App};

use crate::error::HttpError;
use crate::handlers as h;
use crate::static_ui::{self, UiFiles};

pub struct ServerState {
    pub app: Arc<App>,
    pub policy: AuthPolicy,
    /// The web console's files, served for every path the API does not own.
    pub ui: UiFiles,
}

pub const SESSION_COOKIE: &str = "meridian_session";
/// Request bodies above this are refused with 413.
pub const MAX_BODY: usize = 64 * 1024;

/// `Set-Cookie` for a session: HttpOnly, Secure, SameSite=Strict. An empty
/// secret with a zero age deletes it.
pub fn set_cookie(secret: &str, ttl: chrono::Duration) -> String {
    format!(
        "{SESSION_COOKIE}={secret}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={}",
        ttl.num_seconds().max(0)
    )
}

struct Routes {
    router: Router<Arc<ServerState>>,
    list: Vec<(Method, &'static str)>,
}

impl Routes {
    fn add<H, T>(mut self, method: Method, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, Arc<ServerState>>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        self.router = self.router.route(path, on(filter, handler));
        self.list.push((method, path));
        self
    }
}

/// The HTTPS router and its (method, path) list.
pub fn router(state: Arc<ServerState>) -> (Router, Vec<(Method, &'static str)>) {
    use Method as M;
    let r = Routes { router: Router::new(), list: Vec::new() }
        .add(M::GET, "/health", h::health)
        .add(M::POST, "/api/v1/login", h::login)
        .add(M::POST, "/api/v1/logout", h::logout)
        .add(M::GET, "/api/v1/me", h::me)
        .add(M::GET, "/api/v1/devices", h::devices)
        .add(M::POST, "/api/v1/devices", h::add_device)
        .add(M::GET, "/api/v1/devices/{key}", h::device)
        .add(M::PATCH, "/api/v1/devices/{key}", h::edit_device)
        .add(M::DELETE, "/api/v1/devices/{key}", h::remove_device)
        .add(M::GET, "/api/v1/sites", h::sites)
        .add(M::GET, "/api/v1/alarms", h::alarms)
        .add(M::POST, "/api/v1/alarms/{id}/ack", h::ack_alarm)
        .add(M::POST, "/api/v1/alarms/{id}/clear", h::clear_alarm)
        .add(M::POST, "/api/v1/alarms/{id}/comments", h::comment_alarm)
        .add(M::POST, "/api/v1/reports", h::report)
        .add(M::POST, "/api/v1/reports/{format}", h::report_file)
        .add(M::GET, "/api/v1/users", h::users)
        .add(M::POST, "/api/v1/users", h::add_user)
        .add(M::GET, "/api/v1/users/{id}", h::user)
        .add(M::PATCH, "/api/v1/users/{id}", h::edit_user)
        .add(M::DELETE, "/api/v1/users/{id}", h::remove_user)
        .add(M::GET, "/api/v1/tokens", h::tokens)
        .add(M::POST, "/api/v1/tokens", h::add_token)
        .add(M::DELETE, "/api/v1/tokens/{id}", h::revoke_token)
        .add(M::GET, "/api/v1/audit", h::audit)
        .add(M::GET, "/api/v1/events", h::events)
        .add(M::GET, "/api/openapi.json", h::openapi);
    let router = r
        .router
        .fallback(console)
        .method_not_allowed_fallback(not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state);
    (router, r.list)
}

/// The plaintext router for the opt-in loopback health listener: `/health` only.
pub fn health_router() -> Router {
    Router::new().route("/health", axum::routing::get(h::health)).fallback(not_found)
}

/// Everything outside the route table: the web console's files (no login),
/// or a JSON 404 under `/api`.
async fn console(
    axum::extract::State(st): axum::extract::State<Arc<ServerState>>,
    method: Method,
    uri: axum::http::Uri,
) -> axum::response::Response {
    static_ui::serve(&st.ui, &method, &uri).await
}

async fn not_found() -> HttpError {
    ApiError::new(ApiErrorKind::NotFound, "no such endpoint").into()
}

async fn not_allowed() -> HttpError {
    HttpError(
        ApiError::new(ApiErrorKind::Validation, "method not allowed on this endpoint"),
        Some(axum::http::StatusCode::METHOD_NOT_ALLOWED),
    )
}
