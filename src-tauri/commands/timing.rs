//! The timing view: timing roles, NTP servers, masks and the wander of a
//! clock's stored offset; one call into `App` each.

use chrono::{DateTime, Utc};
use meridian_service::timing::MaskInfo;
use meridian_service::{
    ApiError, DeviceKey, DeviceTimingRole, NtpServerView, SynceSourceView, TimingRole, WanderReport, WanderSettings,
    WanderSettingsView,
};
use tauri::State;

use crate::service::Service;

#[tauri::command]
pub async fn timing_roles(app: State<'_, Service>) -> Result<Vec<DeviceTimingRole>, ApiError> {
    app.get().await?.timing_roles().await
}

/// A role, or null to remove it.
#[tauri::command]
pub async fn set_timing_role(
    app: State<'_, Service>,
    key: DeviceKey,
    role: Option<TimingRole>,
) -> Result<(), ApiError> {
    app.get().await?.set_timing_role(&key, role).await
}

#[tauri::command]
pub async fn ntp_servers(app: State<'_, Service>) -> Result<Vec<NtpServerView>, ApiError> {
    app.get().await?.ntp_servers().await
}

#[tauri::command]
pub async fn synce_sources(app: State<'_, Service>) -> Result<Vec<SynceSourceView>, ApiError> {
    app.get().await?.synce_sources().await
}

#[tauri::command]
pub async fn wander_masks(app: State<'_, Service>) -> Result<Vec<MaskInfo>, ApiError> {
    Ok(app.get().await?.wander_masks())
}

/// `from`/`to` are RFC 3339 instants; no masks takes the default.
#[tauri::command]
pub async fn wander(
    app: State<'_, Service>,
    key: DeviceKey,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    masks: Vec<String>,
) -> Result<WanderReport, ApiError> {
    app.get().await?.wander(&key, from, to, &masks).await
}

#[tauri::command]
pub async fn wander_settings(app: State<'_, Service>, key: DeviceKey) -> Result<WanderSettingsView, ApiError> {
    app.get().await?.wander_settings(&key).await
}

/// The device's own settings, or null to follow the monitor's.
#[tauri::command]
pub async fn set_wander_settings(
    app: State<'_, Service>,
    key: DeviceKey,
    settings: Option<WanderSettings>,
) -> Result<WanderSettingsView, ApiError> {
    app.get().await?.set_wander_settings(&key, settings).await
}
