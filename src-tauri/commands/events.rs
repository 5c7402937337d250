//! Received events (traps, syslog) and the rules that turn them into
//! alarms: each command is one call into `meridian_service::App`.

use meridian_service::{
    ApiError, EventRule, EventRuleView, ForwardTarget, ForwardTargetView, SyslogEntry, SyslogQuery, TrapEvent,
    TrapSettings,
};
use tauri::State;

use crate::service::Service;

/// The newest stored traps and informs (malformed datagrams included).
#[tauri::command]
pub async fn list_trap_events(app: State<'_, Service>, limit: i64) -> Result<Vec<TrapEvent>, ApiError> {
    app.get().await?.list_trap_events(limit).await
}

/// Stored syslog messages matching every filter, newest first.
#[tauri::command]
pub async fn search_syslog(app: State<'_, Service>, query: SyslogQuery) -> Result<Vec<SyslogEntry>, ApiError> {
    app.get().await?.search_syslog(query, None).await
}

#[tauri::command]
pub async fn trap_settings(app: State<'_, Service>) -> Result<TrapSettings, ApiError> {
    app.get().await?.trap_settings().await
}

/// The monitor's trap port and accepted credentials; field errors refuse it.
#[tauri::command]
pub async fn set_trap_settings(app: State<'_, Service>, settings: TrapSettings) -> Result<(), ApiError> {
    app.get().await?.set_trap_settings(settings).await
}

#[tauri::command]
pub async fn list_event_rules(app: State<'_, Service>) -> Result<Vec<EventRuleView>, ApiError> {
    app.get().await?.list_event_rules().await
}

/// Adds the event rule, or replaces the one with its name; field errors refuse it.
#[tauri::command]
pub async fn put_event_rule(app: State<'_, Service>, rule: EventRule) -> Result<EventRuleView, ApiError> {
    app.get().await?.put_event_rule(rule).await
}

#[tauri::command]
pub async fn remove_event_rule(app: State<'_, Service>, key: String) -> Result<(), ApiError> {
    app.get().await?.remove_event_rule(&key).await
}

/// Northbound forwarding targets (the community is never shown).
#[tauri::command]
pub async fn list_forward_targets(app: State<'_, Service>) -> Result<Vec<ForwardTargetView>, ApiError> {
    app.get().await?.list_forward_targets().await
}

/// Adds or replaces a target; `community` (trap targets) goes to the vault.
#[tauri::command]
pub async fn put_forward_target(
    app: State<'_, Service>,
    target: ForwardTarget,
    community: Option<String>,
) -> Result<ForwardTargetView, ApiError> {
    app.get().await?.put_forward_target(target, community).await
}

#[tauri::command]
pub async fn remove_forward_target(app: State<'_, Service>, key: String) -> Result<(), ApiError> {
    app.get().await?.remove_forward_target(&key).await
}
