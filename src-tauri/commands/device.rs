//! Device page commands: identity, charts and state history, interfaces.
//! A device `key` arrives as a string and is parsed into a [`DeviceKey`] by
//! deserialisation: an id when it is a UUID, else a name.

use chrono::{DateTime, Utc};
use meridian_service::diag::{DeviceWalk, PingResult};
use meridian_service::{
    ApiError, CountOverride, Device, DeviceCounts, DeviceHistory, DeviceKey, InterfaceView, NtpWatchConfig, PtpTree,
    PtpWatchConfig, SnmpIdentityView,
};
use tauri::State;

use crate::service::Service;

#[tauri::command]
pub async fn show_device(app: State<'_, Service>, key: DeviceKey) -> Result<Device, ApiError> {
    app.get().await?.show_device(&key).await
}

/// `from`/`to` are RFC 3339 instants; `ifIndex` picks the traffic chart's
/// interface (default: the busiest).
#[tauri::command]
pub async fn device_history(
    app: State<'_, Service>,
    key: DeviceKey,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    max_points: u32,
    if_index: Option<u32>,
) -> Result<DeviceHistory, ApiError> {
    app.get().await?.device_history(&key, from, to, max_points, if_index).await
}

#[tauri::command]
pub async fn device_interfaces(app: State<'_, Service>, key: DeviceKey) -> Result<Vec<InterfaceView>, ApiError> {
    app.get().await?.device_interface_views(&key).await
}

/// The device's counts for the built-in alarms, defaults filled in.
#[tauri::command]
pub async fn device_counts(app: State<'_, Service>, key: DeviceKey) -> Result<DeviceCounts, ApiError> {
    app.get().await?.device_counts(&key).await
}

/// Sets them (an empty override returns to the defaults); field errors refuse it.
#[tauri::command]
pub async fn set_device_counts(
    app: State<'_, Service>,
    key: DeviceKey,
    counts: CountOverride,
) -> Result<DeviceCounts, ApiError> {
    app.get().await?.set_device_counts(&key, counts).await
}

#[tauri::command]
pub async fn ntp_watch(app: State<'_, Service>, key: DeviceKey) -> Result<Option<NtpWatchConfig>, ApiError> {
    app.get().await?.ntp_watch(&key).await
}

/// Starts (a port) or stops (null) watching the device's NTP server.
#[tauri::command]
pub async fn set_ntp_watch(
    app: State<'_, Service>,
    key: DeviceKey,
    watch: Option<NtpWatchConfig>,
) -> Result<(), ApiError> {
    app.get().await?.set_ntp_watch(&key, watch).await
}

#[tauri::command]
pub async fn ptp_watch(app: State<'_, Service>, key: DeviceKey) -> Result<Option<PtpWatchConfig>, ApiError> {
    app.get().await?.ptp_watch(&key).await
}

/// Starts (an endpoint) or stops (null) watching the device's PTP clock.
#[tauri::command]
pub async fn set_ptp_watch(
    app: State<'_, Service>,
    key: DeviceKey,
    watch: Option<PtpWatchConfig>,
) -> Result<(), ApiError> {
    app.get().await?.set_ptp_watch(&key, watch).await
}

/// The hierarchy of the watched PTP clocks, asked now.
#[tauri::command]
pub async fn ptp_tree(app: State<'_, Service>) -> Result<PtpTree, ApiError> {
    app.get().await?.ptp_tree().await
}

/// Asks the running monitor to poll the device now (ICMP, and SNMP when it has a credential).
#[tauri::command]
pub async fn poll_device_now(app: State<'_, Service>, key: DeviceKey) -> Result<(), ApiError> {
    app.get().await?.poll_device_now(&key).await
}

/// Four echo requests to the device's address (the device menu's Ping).
#[tauri::command]
pub async fn ping_device(app: State<'_, Service>, key: DeviceKey) -> Result<PingResult, ApiError> {
    app.get().await?.ping_device(&key).await
}

/// Walks a subtree of the device's agent with its stored credential (the
/// device menu's SNMP walk); `root` is numeric, `.1` for the whole tree.
#[tauri::command]
pub async fn walk_device(app: State<'_, Service>, key: DeviceKey, root: String) -> Result<DeviceWalk, ApiError> {
    app.get().await?.walk_device(&key, &root).await
}

/// What the device last said about itself over SNMP, or `null`.
#[tauri::command]
pub async fn device_identity(app: State<'_, Service>, key: DeviceKey) -> Result<Option<SnmpIdentityView>, ApiError> {
    app.get().await?.device_identity(&key).await
}
