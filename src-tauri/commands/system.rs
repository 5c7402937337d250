//! The System tab: Meridian's own figures and self-alarms, and the
//! thresholds of those alarms.

use chrono::Utc;
use meridian_service::{ApiError, SelfWatchSettings, SystemStatus};
use tauri::State;

use crate::service::Service;

#[tauri::command]
pub async fn system_status(app: State<'_, Service>) -> Result<SystemStatus, ApiError> {
    app.get().await?.system_status(Utc::now()).await
}

#[tauri::command]
pub async fn self_watch_settings(app: State<'_, Service>) -> Result<SelfWatchSettings, ApiError> {
    app.get().await?.self_watch_settings().await
}

#[tauri::command]
pub async fn set_self_watch_settings(
    app: State<'_, Service>,
    settings: SelfWatchSettings,
) -> Result<SelfWatchSettings, ApiError> {
    app.get().await?.set_self_watch_settings(settings, Utc::now()).await
}
