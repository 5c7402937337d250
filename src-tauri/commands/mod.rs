//! Tauri commands. Each is one call into `meridian_service::App`, so the
//! desktop, the CLI and the server share one behaviour.

use meridian_service::{ApiError, App, Device};
use tauri::State;

use crate::StartupError;

/// Why the service failed to open, or `null`; the UI asks this before anything else.
#[tauri::command]
pub fn startup_error(state: State<'_, StartupError>) -> Option<serde_json::Value> {
    state.0.clone()
}

#[tauri::command]
pub async fn list_devices(app: State<'_, App>) -> Result<Vec<Device>, ApiError> {
    let devices = app.list_devices().await?;
    tracing::info!(count = devices.len(), "list_devices");
    Ok(devices)
}
