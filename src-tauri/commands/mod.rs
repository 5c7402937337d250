//! Tauri commands. Each is one call into `meridian_service::App`, so the
//! desktop, the CLI and the server share one behaviour.

pub mod alarms;
pub mod device;
pub mod discovery;
pub mod events;
pub mod history;
pub mod inventory;
pub mod items;
pub mod maintenance;
pub mod map;
pub mod metrics;
pub mod mib;
pub mod notify;
pub mod reports;
pub mod rules;
pub mod system;
pub mod timing;

use meridian_service::monitor::DeviceLive;
use meridian_service::{Alarm, ApiError, Device, DeviceInput, DeviceKey, EventLogEntry, Site};
use tauri::State;

use crate::service::{Phase, Service};

/// Why the service failed to open, or `null`; the UI asks this before
/// anything else, and the answer waits until the store has opened.
#[tauri::command]
pub async fn startup_error(app: State<'_, Service>) -> Result<Option<serde_json::Value>, ()> {
    Ok(match app.settled().await {
        Phase::Failed(e) => Some(crate::api_error_json(&e)),
        _ => None,
    })
}

/// Why the monitor is not running (e.g. no permission for ICMP), or `null`.
#[tauri::command]
pub async fn monitor_error(app: State<'_, Service>) -> Result<Option<serde_json::Value>, ()> {
    Ok(match app.settled().await {
        Phase::Ready { monitor, .. } => monitor,
        _ => None,
    })
}

#[tauri::command]
pub async fn list_devices(app: State<'_, Service>) -> Result<Vec<Device>, ApiError> {
    let devices = app.get().await?.list_devices().await?;
    tracing::info!(count = devices.len(), "list_devices");
    Ok(devices)
}

#[tauri::command]
pub async fn list_sites(app: State<'_, Service>) -> Result<Vec<Site>, ApiError> {
    app.get().await?.list_sites().await
}

#[tauri::command]
pub async fn device_live(app: State<'_, Service>) -> Result<Vec<DeviceLive>, ApiError> {
    Ok(app.get().await?.device_live().await)
}

#[tauri::command]
pub async fn list_alarms(app: State<'_, Service>, active_only: bool, limit: i64) -> Result<Vec<Alarm>, ApiError> {
    app.get().await?.list_alarms(active_only, limit).await
}

#[tauri::command]
pub async fn ack_alarm(app: State<'_, Service>, id: String, comment: Option<String>) -> Result<Alarm, ApiError> {
    app.get().await?.ack_alarm(&id, comment.as_deref()).await
}

#[tauri::command]
pub async fn clear_alarm(app: State<'_, Service>, id: String) -> Result<Alarm, ApiError> {
    app.get().await?.clear_alarm(&id).await
}

#[tauri::command]
pub async fn event_log(app: State<'_, Service>, limit: i64) -> Result<Vec<EventLogEntry>, ApiError> {
    app.get().await?.event_log(limit).await
}

#[tauri::command]
pub async fn add_device(app: State<'_, Service>, input: DeviceInput) -> Result<Device, ApiError> {
    app.get().await?.add_device(input).await
}

#[tauri::command]
pub async fn remove_device(app: State<'_, Service>, key: DeviceKey) -> Result<Device, ApiError> {
    app.get().await?.remove_device(&key).await
}

/// Test hook: the UI reports what it has drawn (counts only, no user data),
/// so the desktop test can wait for the rendered state in the log. Debug
/// level: `RUST_LOG=info,meridian_desktop=debug` shows it.
#[tauri::command]
pub fn ui_rendered(summary: String) {
    let summary: String =
        summary.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '=' | ' ' | '_' | '-')).take(200).collect();
    tracing::debug!("ui rendered {summary}");
}
