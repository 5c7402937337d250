//! Watching a device's NTP server: which UDP port to query. The monitor
//! polls it (`PollKind::Ntp`), stores offset, delay and stratum, and raises
//! the `core::clock::ntp_alarms` (unreachable, unsynchronised, offset, leap).

use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::{CoreError, DeviceKey};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::App;
use crate::devicemap;
use crate::error::ApiError;

const SETTINGS_KEY: &str = "ntp_watch";
pub const NTP_PORT: u16 = 123;

/// How a device's NTP service is watched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NtpWatchConfig {
    pub port: u16,
}

impl App {
    /// The device's NTP watch, if it has one.
    pub async fn ntp_watch(&self, key: &DeviceKey) -> Result<Option<NtpWatchConfig>, ApiError> {
        let d = self.store.get_device(key).await?;
        Ok(devicemap::load::<NtpWatchConfig>(&self.store, SETTINGS_KEY).await.remove(&d.id))
    }

    /// Starts (`Some`) or stops (`None`) watching the device's NTP server.
    pub async fn set_ntp_watch(&self, key: &DeviceKey, watch: Option<NtpWatchConfig>) -> Result<(), ApiError> {
        if watch.is_some_and(|w| w.port == 0) {
            return Err(CoreError::field("port", "must be 1 to 65535").into());
        }
        let d = self.store.get_device(key).await?;
        devicemap::put(&self.store, SETTINGS_KEY, d.id, watch).await?;
        tracing::info!(device = %d.name, ?watch, "NTP watch set");
        self.changed(InventoryEntity::Device, &d.id.to_string(), ChangeAction::Updated);
        Ok(())
    }
}

/// Every device's NTP port.
pub(crate) async fn load(store: &meridian_store::Store) -> std::collections::BTreeMap<meridian_core::DeviceId, u16> {
    devicemap::load::<NtpWatchConfig>(store, SETTINGS_KEY).await.into_iter().map(|(d, w)| (d, w.port)).collect()
}
