//! One line each: take the caller and the input, call the use case.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::response::AppendHeaders;
use axum::Json;
use meridian_service::auth::{
    AckInput, Actor, AlarmQuery, AuditEntry, AuditFilter, CommentInput, LoginOutcome, LoginRequest, TokenCreated,
    TokenInput, TokenView, UserInput, UserPatch, UserView,
};
use meridian_service::{
    Alarm, AlarmComment, ApiError, Device, DeviceInput, DeviceKey, DevicePatch, Report, ReportRequest, Site,
};

use crate::error::HttpError;
use crate::extract::session_cookie;
use crate::extract::{Body, Query, Source, Who};
use crate::routes::{set_cookie, ServerState};

type St = State<Arc<ServerState>>;
type R<T> = Result<Json<T>, HttpError>;

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
}

#[utoipa::path(get, path = "/health", security(()), responses((status = 200, description = "OK", body = Health), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

#[utoipa::path(post, path = "/api/v1/login", request_body = LoginRequest, security(()), responses((status = 200, description = "Logged in: the session is in the Set-Cookie header (HttpOnly, Secure, SameSite=Strict)", body = LoginOutcome), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn login(
    State(st): St,
    Source(src): Source,
    Body(req): Body<LoginRequest>,
) -> Result<(AppendHeaders<[(axum::http::HeaderName, String); 1]>, Json<LoginOutcome>), HttpError> {
    let out = st.app.login(req, &src, &st.policy).await?;
    Ok((AppendHeaders([(SET_COOKIE, set_cookie(&out.session, st.policy.session_ttl))]), Json(out)))
}

#[utoipa::path(post, path = "/api/v1/logout", responses((status = 200, description = "Logged out; the body is null and the cookie is cleared"), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn logout(
    State(st): St,
    Who(_): Who,
    Source(src): Source,
    parts: axum::http::HeaderMap,
) -> Result<(AppendHeaders<[(axum::http::HeaderName, String); 1]>, Json<()>), HttpError> {
    let secret = session_cookie(&parts).unwrap_or_default();
    st.app.logout(&secret, &src).await?;
    Ok((AppendHeaders([(SET_COOKIE, set_cookie("", chrono::Duration::zero()))]), Json(())))
}

#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, description = "OK", body = Actor), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn me(State(st): St, Who(c): Who) -> Json<Actor> {
    Json(st.app.whoami(&c))
}

#[utoipa::path(get, path = "/api/v1/devices", responses((status = 200, description = "OK", body = Vec<Device>), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn devices(State(st): St, Who(c): Who) -> R<Vec<Device>> {
    Ok(Json(st.app.devices_for(&c).await?))
}

#[utoipa::path(get, path = "/api/v1/devices/{key}", params(("key" = String, Path, description = "device id or name")), responses((status = 200, description = "OK", body = Device), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn device(State(st): St, Who(c): Who, Path(key): Path<String>) -> R<Device> {
    Ok(Json(st.app.device_for(&c, &DeviceKey::parse(&key)).await?))
}

#[utoipa::path(post, path = "/api/v1/devices", request_body = DeviceInput, responses((status = 200, description = "OK", body = Device), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn add_device(State(st): St, Who(c): Who, Body(input): Body<DeviceInput>) -> R<Device> {
    Ok(Json(st.app.add_device_for(&c, input).await?))
}

#[utoipa::path(patch, path = "/api/v1/devices/{key}", params(("key" = String, Path, description = "device id or name")), request_body = DevicePatch, responses((status = 200, description = "OK", body = Device), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn edit_device(State(st): St, Who(c): Who, Path(key): Path<String>, Body(p): Body<DevicePatch>) -> R<Device> {
    Ok(Json(st.app.update_device_for(&c, &DeviceKey::parse(&key), p).await?))
}

#[utoipa::path(delete, path = "/api/v1/devices/{key}", params(("key" = String, Path, description = "device id or name")), responses((status = 200, description = "OK", body = Device), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn remove_device(State(st): St, Who(c): Who, Path(key): Path<String>) -> R<Device> {
    Ok(Json(st.app.remove_device_for(&c, &DeviceKey::parse(&key)).await?))
}

#[utoipa::path(get, path = "/api/v1/sites", responses((status = 200, description = "OK", body = Vec<Site>), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn sites(State(st): St, Who(c): Who) -> R<Vec<Site>> {
    Ok(Json(st.app.sites_for(&c).await?))
}

#[utoipa::path(get, path = "/api/v1/alarms", params(("active" = Option<bool>, Query, description = "active alarms only (default true)"), ("limit" = Option<i64>, Query, description = "at most this many (default 1000)")), responses((status = 200, description = "OK", body = Vec<Alarm>), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn alarms(State(st): St, Who(c): Who, Query(q): Query<AlarmQuery>) -> R<Vec<Alarm>> {
    Ok(Json(st.app.alarms_for(&c, q).await?))
}

#[utoipa::path(post, path = "/api/v1/alarms/{id}/ack", params(("id" = String, Path, description = "alarm id")), request_body = AckInput, responses((status = 200, description = "OK", body = Alarm), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn ack_alarm(State(st): St, Who(c): Who, Path(id): Path<String>, Body(b): Body<AckInput>) -> R<Alarm> {
    Ok(Json(st.app.ack_alarm_for(&c, &id, b).await?))
}

#[utoipa::path(post, path = "/api/v1/alarms/{id}/clear", params(("id" = String, Path, description = "alarm id")), responses((status = 200, description = "OK", body = Alarm), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn clear_alarm(State(st): St, Who(c): Who, Path(id): Path<String>) -> R<Alarm> {
    Ok(Json(st.app.clear_alarm_for(&c, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/alarms/{id}/comments", params(("id" = String, Path, description = "alarm id")), request_body = CommentInput, responses((status = 200, description = "OK", body = AlarmComment), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn comment_alarm(
    State(st): St,
    Who(c): Who,
    Path(id): Path<String>,
    Body(b): Body<CommentInput>,
) -> R<AlarmComment> {
    Ok(Json(st.app.comment_alarm_for(&c, &id, b).await?))
}

#[utoipa::path(post, path = "/api/v1/reports", request_body = ReportRequest, responses((status = 200, description = "The report over the caller's sites: tables, chart data and notes (e.g. that the period holds no data)", body = Report), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn report(State(st): St, Who(c): Who, Body(req): Body<ReportRequest>) -> R<Report> {
    Ok(Json(st.app.report_for(&c, req).await?))
}

/// The same report as a file; `Content-Type` says which.
#[utoipa::path(post, path = "/api/v1/reports/{format}", params(("format" = String, Path, description = "pdf, csv, svg (the chart), png (the chart) or json")), request_body = ReportRequest, responses((status = 200, description = "The report file (application/pdf, text/csv, image/svg+xml, image/png or application/json)"), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn report_file(
    State(st): St,
    Who(c): Who,
    Path(format): Path<String>,
    Body(req): Body<ReportRequest>,
) -> Result<([(axum::http::HeaderName, &'static str); 1], Vec<u8>), HttpError> {
    let (media_type, bytes) = st.app.report_file_named(&c, req, &format).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, media_type)], bytes))
}

#[utoipa::path(get, path = "/api/v1/users", responses((status = 200, description = "OK", body = Vec<UserView>), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn users(State(st): St, Who(c): Who) -> R<Vec<UserView>> {
    Ok(Json(st.app.list_users(&c).await?))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", params(("id" = String, Path, description = "user id")), responses((status = 200, description = "OK", body = UserView), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn user(State(st): St, Who(c): Who, Path(id): Path<String>) -> R<UserView> {
    Ok(Json(st.app.get_user(&c, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/users", request_body = UserInput, responses((status = 200, description = "OK", body = UserView), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn add_user(State(st): St, Who(c): Who, Body(input): Body<UserInput>) -> R<UserView> {
    Ok(Json(st.app.create_user(&c, input).await?))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", params(("id" = String, Path, description = "user id")), request_body = UserPatch, responses((status = 200, description = "OK", body = UserView), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn edit_user(State(st): St, Who(c): Who, Path(id): Path<String>, Body(p): Body<UserPatch>) -> R<UserView> {
    Ok(Json(st.app.update_user(&c, &id, p).await?))
}

#[utoipa::path(delete, path = "/api/v1/users/{id}", params(("id" = String, Path, description = "user id")), responses((status = 200, description = "OK", body = UserView), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn remove_user(State(st): St, Who(c): Who, Path(id): Path<String>) -> R<UserView> {
    Ok(Json(st.app.delete_user(&c, &id).await?))
}

#[utoipa::path(get, path = "/api/v1/tokens", responses((status = 200, description = "OK", body = Vec<TokenView>), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn tokens(State(st): St, Who(c): Who) -> R<Vec<TokenView>> {
    Ok(Json(st.app.list_tokens(&c).await?))
}

#[utoipa::path(post, path = "/api/v1/tokens", request_body = TokenInput, responses((status = 200, description = "The new token; its secret is shown this once", body = TokenCreated), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn add_token(State(st): St, Who(c): Who, Body(input): Body<TokenInput>) -> R<TokenCreated> {
    Ok(Json(st.app.create_token(&c, input, &st.policy).await?))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", params(("id" = String, Path, description = "token id")), responses((status = 200, description = "OK", body = TokenView), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn revoke_token(State(st): St, Who(c): Who, Path(id): Path<String>) -> R<TokenView> {
    Ok(Json(st.app.revoke_token(&c, &id).await?))
}

/// `GET /api/v1/events`, upgraded to a WebSocket of site-filtered core events.
#[utoipa::path(get, path = "/api/v1/events", responses((status = 101, description = "Upgraded to a WebSocket. Each text message is one CoreEvent as JSON (this schema), of the caller's sites; the upgrade itself has no body", body = meridian_service::CoreEvent), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn events(
    State(st): St,
    Who(c): Who,
    ws: axum::extract::WebSocketUpgrade,
) -> Result<axum::response::Response, HttpError> {
    let feed = st.app.events_for(&c).await?;
    let recheck = st.policy.recheck;
    Ok(ws.on_upgrade(move |socket| crate::ws::forward(st.app.clone(), feed, socket, recheck)))
}

#[utoipa::path(get, path = "/api/v1/audit", params(("actor" = Option<String>, Query), ("action" = Option<String>, Query), ("entity" = Option<String>, Query), ("entityId" = Option<String>, Query), ("since" = Option<String>, Query, format = DateTime), ("until" = Option<String>, Query, format = DateTime), ("limit" = Option<i64>, Query, description = "1 to 1000, default 100")), responses((status = 200, description = "OK", body = Vec<AuditEntry>), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn audit(State(st): St, Who(c): Who, Query(f): Query<AuditFilter>) -> R<Vec<AuditEntry>> {
    Ok(Json(st.app.audit_list(&c, f).await?))
}

#[utoipa::path(get, path = "/api/openapi.json", responses((status = 200, description = "This document (OpenAPI 3.1)"), (status = "4XX", description = "ApiError: validation 400, unauthorized 401, forbidden 403, not_found 404, conflict 409, locked 423, throttled 429", body = ApiError), (status = "5XX", description = "ApiError", body = ApiError)))]
pub async fn openapi(Who(_): Who) -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}
