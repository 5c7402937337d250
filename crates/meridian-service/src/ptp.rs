//! Watching a device's PTP clock through the management protocol: where its
//! agent is reached (a local ptp4l's UNIX socket, or UDP port 320). The
//! monitor polls it (`PollKind::Ptp`, `monitor::ptp`), stores offset, path
//! delay, steps removed and the grandmaster's class, raises the
//! `core::clock::ptp_alarms` and announces grandmaster changes.

use meridian_core::clock::ptp_watch::{PtpWatchConfig, PtpWatchEndpoint};
use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::{CoreError, DeviceKey};

use crate::app::App;
use crate::devicemap;
use crate::error::ApiError;

const SETTINGS_KEY: &str = "ptp_watch";

impl App {
    /// The device's PTP watch, if it has one.
    pub async fn ptp_watch(&self, key: &DeviceKey) -> Result<Option<PtpWatchConfig>, ApiError> {
        let d = self.store.get_device(key).await?;
        Ok(devicemap::load::<PtpWatchConfig>(&self.store, SETTINGS_KEY).await.remove(&d.id))
    }

    /// Starts (`Some`) or stops (`None`) watching the device's PTP clock.
    /// A refused setting writes nothing.
    pub async fn set_ptp_watch(&self, key: &DeviceKey, watch: Option<PtpWatchConfig>) -> Result<(), ApiError> {
        if let Some(w) = &watch {
            w.validate()?;
        }
        let d = self.store.get_device(key).await?;
        // UDP to the device's own address: management over UDP is IPv4 here.
        if let Some(PtpWatchEndpoint::Udp { address: None }) = watch.as_ref().map(|w| &w.endpoint) {
            if d.address.parse::<std::net::Ipv6Addr>().is_ok() {
                return Err(CoreError::field("address", "the device's address is IPv6; give an IPv4 address").into());
            }
        }
        devicemap::put(&self.store, SETTINGS_KEY, d.id, watch.clone()).await?;
        tracing::info!(device = %d.name, ?watch, "PTP watch set");
        self.changed(InventoryEntity::Device, &d.id.to_string(), ChangeAction::Updated);
        Ok(())
    }
}

/// Every device's PTP watch.
pub(crate) async fn load(
    store: &meridian_store::Store,
) -> std::collections::BTreeMap<meridian_core::DeviceId, PtpWatchConfig> {
    devicemap::load::<PtpWatchConfig>(store, SETTINGS_KEY).await
}
