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
use meridian_service::{Alarm, AlarmComment, Device, DeviceInput, DeviceKey, DevicePatch, Site};

use crate::error::HttpError;
use crate::extract::session_cookie;
use crate::extract::{Body, Query, Source, Who};
use crate::routes::{set_cookie, ServerState};

type St = State<Arc<ServerState>>;
type R<T> = Result<Json<T>, HttpError>;

#[derive(serde::Serialize)]
pub struct Health {
    status: &'static str,
}

pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

pub async fn login(
    State(st): St,
    Source(src): Source,
    Body(req): Body<LoginRequest>,
) -> Result<(AppendHeaders<[(axum::http::HeaderName, String); 1]>, Json<LoginOutcome>), HttpError> {
    let out = st.app.login(req, &src, &st.policy).await?;
    Ok((AppendHeaders([(SET_COOKIE, set_cookie(&out.session, st.policy.session_ttl))]), Json(out)))
}

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

pub async fn me(State(st): St, Who(c): Who) -> Json<Actor> {
    Json(st.app.whoami(&c))
}

pub async fn devices(State(st): St, Who(c): Who) -> R<Vec<Device>> {
    Ok(Json(st.app.devices_for(&c).await?))
}

pub async fn device(State(st): St, Who(c): Who, Path(key): Path<String>) -> R<Device> {
    Ok(Json(st.app.device_for(&c, &DeviceKey::parse(&key)).await?))
}

pub async fn add_device(State(st): St, Who(c): Who, Body(input): Body<DeviceInput>) -> R<Device> {
    Ok(Json(st.app.add_device_for(&c, input).await?))
}

pub async fn edit_device(State(st): St, Who(c): Who, Path(key): Path<String>, Body(p): Body<DevicePatch>) -> R<Device> {
    Ok(Json(st.app.update_device_for(&c, &DeviceKey::parse(&key), p).await?))
}

pub async fn remove_device(State(st): St, Who(c): Who, Path(key): Path<String>) -> R<Device> {
    Ok(Json(st.app.remove_device_for(&c, &DeviceKey::parse(&key)).await?))
}

pub async fn sites(State(st): St, Who(c): Who) -> R<Vec<Site>> {
    Ok(Json(st.app.sites_for(&c).await?))
}

pub async fn alarms(State(st): St, Who(c): Who, Query(q): Query<AlarmQuery>) -> R<Vec<Alarm>> {
    Ok(Json(st.app.alarms_for(&c, q).await?))
}

pub async fn ack_alarm(State(st): St, Who(c): Who, Path(id): Path<String>, Body(b): Body<AckInput>) -> R<Alarm> {
    Ok(Json(st.app.ack_alarm_for(&c, &id, b).await?))
}

pub async fn clear_alarm(State(st): St, Who(c): Who, Path(id): Path<String>) -> R<Alarm> {
    Ok(Json(st.app.clear_alarm_for(&c, &id).await?))
}

pub async fn comment_alarm(
    State(st): St,
    Who(c): Who,
    Path(id): Path<String>,
    Body(b): Body<CommentInput>,
) -> R<AlarmComment> {
    Ok(Json(st.app.comment_alarm_for(&c, &id, b).await?))
}

pub async fn users(State(st): St, Who(c): Who) -> R<Vec<UserView>> {
    Ok(Json(st.app.list_users(&c).await?))
}

pub async fn user(State(st): St, Who(c): Who, Path(id): Path<String>) -> R<UserView> {
    Ok(Json(st.app.get_user(&c, &id).await?))
}

pub async fn add_user(State(st): St, Who(c): Who, Body(input): Body<UserInput>) -> R<UserView> {
    Ok(Json(st.app.create_user(&c, input).await?))
}

pub async fn edit_user(State(st): St, Who(c): Who, Path(id): Path<String>, Body(p): Body<UserPatch>) -> R<UserView> {
    Ok(Json(st.app.update_user(&c, &id, p).await?))
}

pub async fn remove_user(State(st): St, Who(c): Who, Path(id): Path<String>) -> R<UserView> {
    Ok(Json(st.app.delete_user(&c, &id).await?))
}

pub async fn tokens(State(st): St, Who(c): Who) -> R<Vec<TokenView>> {
    Ok(Json(st.app.list_tokens(&c).await?))
}

pub async fn add_token(State(st): St, Who(c): Who, Body(input): Body<TokenInput>) -> R<TokenCreated> {
    Ok(Json(st.app.create_token(&c, input, &st.policy).await?))
}

pub async fn revoke_token(State(st): St, Who(c): Who, Path(id): Path<String>) -> R<TokenView> {
    Ok(Json(st.app.revoke_token(&c, &id).await?))
}

/// `GET /api/v1/events`, upgraded to a WebSocket of site-filtered core events.
pub async fn events(
    State(st): St,
    Who(c): Who,
    ws: axum::extract::WebSocketUpgrade,
) -> Result<axum::response::Response, HttpError> {
    let feed = st.app.events_for(&c).await?;
    let recheck = st.policy.recheck;
    Ok(ws.on_upgrade(move |socket| crate::ws::forward(st.app.clone(), feed, socket, recheck)))
}

pub async fn audit(State(st): St, Who(c): Who, Query(f): Query<AuditFilter>) -> R<Vec<AuditEntry>> {
    Ok(Json(st.app.audit_list(&c, f).await?))
}
