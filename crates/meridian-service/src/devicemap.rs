//! Per-device monitoring settings kept as one map (device id → value) in the
//! settings store: the device record and its forms stay as they are, and
//! the monitor reads each map once when it (re)loads devices.

use std::collections::BTreeMap;

use chrono::Utc;
use meridian_core::DeviceId;
use meridian_store::Store;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{ApiError, ApiErrorKind};

/// Every device's value under `key`. A map this build cannot read is logged
/// and taken as empty: a bad setting must never stop the monitor.
pub(crate) async fn load<T: DeserializeOwned>(store: &Store, key: &str) -> BTreeMap<DeviceId, T> {
    match store.get_setting(key).await {
        Ok(None) => BTreeMap::new(),
        Ok(Some(v)) => serde_json::from_value(v).unwrap_or_else(|e| {
            tracing::warn!(key, error = %e, "stored per-device settings unreadable; using none");
            BTreeMap::new()
        }),
        Err(e) => {
            tracing::warn!(key, error = %e, "cannot read per-device settings; using none");
            BTreeMap::new()
        }
    }
}

/// Sets (`Some`) or removes (`None`) one device's value under `key`.
pub(crate) async fn put<T: Serialize + DeserializeOwned>(
    store: &Store,
    key: &str,
    device: DeviceId,
    value: Option<T>,
) -> Result<(), ApiError> {
    let mut all: BTreeMap<DeviceId, T> = load(store, key).await;
    match value {
        Some(v) => all.insert(device, v),
        None => all.remove(&device),
    };
    let json = serde_json::to_value(&all).map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("{key}: {e}")))?;
    Ok(store.set_setting(key, &json, Utc::now()).await?)
}
