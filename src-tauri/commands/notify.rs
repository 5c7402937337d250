//! Notification mute and the active alarm counts; one call into `App` each.

use meridian_service::{AlarmCounts, ApiError, NotificationSettings};
use tauri::State;

use crate::service::Service;

#[tauri::command]
pub async fn mute_notifications(app: State<'_, Service>, hours: i64) -> Result<NotificationSettings, ApiError> {
    app.get().await?.mute_notifications(hours, chrono::Utc::now()).await
}

#[tauri::command]
pub async fn unmute_notifications(app: State<'_, Service>) -> Result<NotificationSettings, ApiError> {
    app.get().await?.unmute_notifications().await
}

#[tauri::command]
pub async fn notification_settings(app: State<'_, Service>) -> Result<NotificationSettings, ApiError> {
    app.get().await?.notification_settings().await
}

#[tauri::command]
pub async fn active_alarm_counts(app: State<'_, Service>) -> Result<AlarmCounts, ApiError> {
    app.get().await?.active_alarm_counts().await
}
