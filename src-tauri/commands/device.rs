//! Device page commands: identity, charts and state history, interfaces.

use chrono::{DateTime, Utc};
use meridian_service::{ApiError, App, Device, DeviceHistory, InterfaceView};
use tauri::State;

#[tauri::command]
pub async fn show_device(app: State<'_, App>, key: String) -> Result<Device, ApiError> {
    app.show_device(&key).await
}

/// `from`/`to` are RFC 3339 instants; `ifIndex` picks the traffic chart's
/// interface (default: the busiest).
#[tauri::command]
pub async fn device_history(
    app: State<'_, App>,
    key: String,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    max_points: u32,
    if_index: Option<u32>,
) -> Result<DeviceHistory, ApiError> {
    app.device_history(&key, from, to, max_points, if_index).await
}

#[tauri::command]
pub async fn device_interfaces(app: State<'_, App>, key: String) -> Result<Vec<InterfaceView>, ApiError> {
    app.device_interface_views(&key).await
}
