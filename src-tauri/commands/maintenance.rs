//! Maintenance windows: each command is one call into `meridian_service::App`.

use meridian_service::{ApiError, MaintenanceView, MaintenanceWindow};
use tauri::State;

use crate::service::Service;

#[tauri::command]
pub async fn list_maintenance(app: State<'_, Service>) -> Result<Vec<MaintenanceView>, ApiError> {
    app.get().await?.list_maintenance().await
}

/// Adds the window, or replaces the one with its name; field errors refuse it.
#[tauri::command]
pub async fn put_maintenance(app: State<'_, Service>, window: MaintenanceWindow) -> Result<MaintenanceView, ApiError> {
    app.get().await?.put_maintenance(window).await
}

#[tauri::command]
pub async fn remove_maintenance(app: State<'_, Service>, key: String) -> Result<(), ApiError> {
    app.get().await?.remove_maintenance(&key).await
}
