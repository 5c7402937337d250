//! Tauri commands. Each is one call into `meridian_service::App`, so the
//! desktop, the CLI and the server share one behaviour.

pub mod device;
pub mod discovery;
pub mod inventory;
pub mod map;
pub mod notify;

use meridian_service::monitor::DeviceLive;
use meridian_service::{Alarm, ApiError, App, Device, DeviceInput, Site};
use tauri::State;

use crate::{MonitorError, StartupError};

/// Why the service failed to open, or `null`; the UI asks this before anything else.
#[tauri::command]
pub fn startup_error(state: State<'_, StartupError>) -> Option<serde_json::Value> {
    state.0.clone()
}

/// Why the monitor is not running (e.g. no permission for ICMP), or `null`.
#[tauri::command]
pub fn monitor_error(state: State<'_, MonitorError>) -> Option<serde_json::Value> {
    state.0.clone()
}

#[tauri::command]
pub async fn list_devices(app: State<'_, App>) -> Result<Vec<Device>, ApiError> {
    let devices = app.list_devices().await?;
    tracing::info!(count = devices.len(), "list_devices");
    Ok(devices)
}

#[tauri::command]
pub async fn list_sites(app: State<'_, App>) -> Result<Vec<Site>, ApiError> {
    app.list_sites().await
}

#[tauri::command]
pub async fn device_live(app: State<'_, App>) -> Result<Vec<DeviceLive>, ApiError> {
    Ok(app.device_live().await)
}

#[tauri::command]
pub async fn list_alarms(app: State<'_, App>, active_only: bool, limit: i64) -> Result<Vec<Alarm>, ApiError> {
    app.list_alarms(active_only, limit).await
}

#[tauri::command]
pub async fn ack_alarm(app: State<'_, App>, id: String, comment: Option<String>) -> Result<Alarm, ApiError> {
    app.ack_alarm(&id, comment.as_deref()).await
}

#[tauri::command]
pub async fn clear_alarm(app: State<'_, App>, id: String) -> Result<Alarm, ApiError> {
    app.clear_alarm(&id).await
}

#[tauri::command]
pub async fn add_device(app: State<'_, App>, input: DeviceInput) -> Result<Device, ApiError> {
    app.add_device(input).await
}

#[tauri::command]
pub async fn remove_device(app: State<'_, App>, key: String) -> Result<Device, ApiError> {
    app.remove_device(&key).await
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
