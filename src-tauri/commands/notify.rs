//! Notifications: the mute, the active alarm counts, channels, routes,
//! "send test" and the delivery log; one call into `App` each.

use meridian_service::{
    AlarmCounts, ApiError, ChannelInput, ChannelView, DeliveryLogEntry, DeliveryLogFilter, DesktopDelivery,
    NotificationSettings, Route, RouteView,
};
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
pub async fn set_notification_delay(
    app: State<'_, Service>,
    delay_secs: i64,
) -> Result<NotificationSettings, ApiError> {
    app.get().await?.set_notification_delay(delay_secs).await
}

#[tauri::command]
pub async fn notification_settings(app: State<'_, Service>) -> Result<NotificationSettings, ApiError> {
    app.get().await?.notification_settings().await
}

#[tauri::command]
pub async fn active_alarm_counts(app: State<'_, Service>) -> Result<AlarmCounts, ApiError> {
    app.get().await?.active_alarm_counts().await
}

/// Whether the last desktop notification could be shown, and why not.
#[tauri::command]
pub async fn desktop_delivery(app: State<'_, Service>) -> Result<DesktopDelivery, ApiError> {
    app.get().await?.desktop_delivery().await
}

// E-mail and webhook channels, routes, "send test" and the delivery log.

#[tauri::command]
pub async fn list_channels(app: State<'_, Service>) -> Result<Vec<ChannelView>, ApiError> {
    app.get().await?.list_channels().await
}

/// Adds the channel or replaces the one with its name; secrets go to the vault.
#[tauri::command]
pub async fn put_channel(app: State<'_, Service>, input: ChannelInput) -> Result<ChannelView, ApiError> {
    app.get().await?.put_channel(input).await
}

#[tauri::command]
pub async fn remove_channel(app: State<'_, Service>, key: String) -> Result<(), ApiError> {
    app.get().await?.remove_channel(&key).await
}

#[tauri::command]
pub async fn list_routes(app: State<'_, Service>) -> Result<Vec<RouteView>, ApiError> {
    app.get().await?.list_routes().await
}

#[tauri::command]
pub async fn put_route(app: State<'_, Service>, route: Route) -> Result<RouteView, ApiError> {
    app.get().await?.put_route(route).await
}

#[tauri::command]
pub async fn remove_route(app: State<'_, Service>, key: String) -> Result<(), ApiError> {
    app.get().await?.remove_route(&key).await
}

#[tauri::command]
pub async fn send_test(app: State<'_, Service>, channel: String) -> Result<DeliveryLogEntry, ApiError> {
    app.get().await?.send_test(&channel).await
}

#[tauri::command]
pub async fn delivery_log(
    app: State<'_, Service>,
    filter: DeliveryLogFilter,
) -> Result<Vec<DeliveryLogEntry>, ApiError> {
    app.get().await?.delivery_log(filter).await
}
