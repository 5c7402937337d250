//! A device's own counts for the built-in alarms (polls before "down",
//! before "up" again, before "SNMP not responding"), kept as a per-device
//! map (`devicemap`); an edit announces the device as updated so the
//! running monitor applies it at once.

use std::collections::BTreeMap;

use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::state::{CountOverride, MonitorConfig};
use meridian_core::{DeviceId, DeviceKey};
use meridian_store::Store;
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::devicemap;
use crate::error::ApiError;

const SETTINGS_KEY: &str = "alarm_counts";

/// A device's counts: what it overrides, and what is in force with the
/// default thresholds filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCounts {
    pub device: DeviceId,
    pub overrides: CountOverride,
    pub down_after: u32,
    pub up_after: u32,
    pub snmp_fail_after: u32,
}

impl App {
    pub async fn device_counts(&self, key: &DeviceKey) -> Result<DeviceCounts, ApiError> {
        let d = self.store.get_device(key).await?;
        let overrides = load(&self.store).await.remove(&d.id).unwrap_or_default();
        Ok(view(d.id, overrides))
    }

    /// Sets the device's counts (an empty override returns it to the
    /// defaults). Field errors change nothing.
    pub async fn set_device_counts(&self, key: &DeviceKey, counts: CountOverride) -> Result<DeviceCounts, ApiError> {
        counts.validate()?;
        let d = self.store.get_device(key).await?;
        devicemap::put(&self.store, SETTINGS_KEY, d.id, Some(counts).filter(|c| !c.is_empty())).await?;
        tracing::info!(device = %d.name, ?counts, "alarm counts set");
        self.changed(InventoryEntity::Device, &d.id.to_string(), ChangeAction::Updated);
        Ok(view(d.id, counts))
    }
}

fn view(device: DeviceId, overrides: CountOverride) -> DeviceCounts {
    let c = overrides.apply(MonitorConfig::default());
    DeviceCounts {
        device,
        overrides,
        down_after: c.down_after,
        up_after: c.up_after,
        snmp_fail_after: c.snmp_fail_after,
    }
}

/// Every device's overrides.
pub(crate) async fn load(store: &Store) -> BTreeMap<DeviceId, CountOverride> {
    devicemap::load(store, SETTINGS_KEY).await
}
