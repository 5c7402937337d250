//! Notification mute and the active alarm counts; one call into `App` each.

use meridian_service::{AlarmCounts, ApiError, App, NotificationSettings};
use tauri::State;

#[tauri::command]
pub async fn mute_notifications(app: State<'_, App>, hours: i64) -> Result<NotificationSettings, ApiError> {
    app.mute_notifications(hours, chrono::Utc::now()).await
}

#[tauri::command]
pub async fn unmute_notifications(app: State<'_, App>) -> Result<NotificationSettings, ApiError> {
    app.unmute_notifications().await
}

#[tauri::command]
pub async fn notification_settings(app: State<'_, App>) -> Result<NotificationSettings, ApiError> {
    app.notification_settings().await
}

#[tauri::command]
pub async fn active_alarm_counts(app: State<'_, App>) -> Result<AlarmCounts, ApiError> {
    app.active_alarm_counts().await
}
