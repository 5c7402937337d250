//! Timing roles: what a device is in the timing network (grandmaster,
//! boundary clock, client ...). Stored per device (`device_timing_roles`);
//! the monitor judges a watched PTP clock by its role
//! (`core::clock::ptp_alarms`) and checks wander only on clocks that follow
//! a master.

use chrono::Utc;
use meridian_core::clock::role::TimingRole;
use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::{DeviceId, DeviceKey};
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::error::ApiError;

/// One device's role, as the timing view lists them.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeviceTimingRole {
    pub device_id: DeviceId,
    pub device: String,
    pub role: TimingRole,
}

impl App {
    /// The device's timing role, if it has one.
    pub async fn timing_role(&self, key: &DeviceKey) -> Result<Option<TimingRole>, ApiError> {
        let d = self.store.get_device(key).await?;
        Ok(self.store.timing_roles().await?.remove(&d.id))
    }

    /// Gives the device a timing role (`Some`) or takes it away (`None`);
    /// a running monitor re-judges its PTP clock from the next poll.
    pub async fn set_timing_role(&self, key: &DeviceKey, role: Option<TimingRole>) -> Result<(), ApiError> {
        let d = self.store.get_device(key).await?;
        self.store.set_timing_role(d.id, role, Utc::now()).await?;
        tracing::info!(device = %d.name, ?role, "timing role set");
        self.changed(InventoryEntity::Device, &d.id.to_string(), ChangeAction::Updated);
        Ok(())
    }

    /// Every device that has a timing role, by device name.
    pub async fn timing_roles(&self) -> Result<Vec<DeviceTimingRole>, ApiError> {
        let roles = self.store.timing_roles().await?;
        let mut out: Vec<DeviceTimingRole> = self
            .store
            .list_devices()
            .await?
            .into_iter()
            .filter_map(|d| roles.get(&d.id).map(|r| DeviceTimingRole { device_id: d.id, device: d.name, role: *r }))
            .collect();
        out.sort_by(|a, b| a.device.cmp(&b.device));
        Ok(out)
    }
}
