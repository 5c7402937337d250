//! Each device's wander analysis settings (masks and window), kept like the
//! other per-device monitoring settings (`devicemap`); no migration. The
//! monitor's periodic check reads them at every check, so a change applies
//! from the next one; the Timing tab shows and edits them.

use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::timing::settings::WanderSettings;
use meridian_core::{DeviceId, DeviceKey};
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::devicemap;
use crate::error::ApiError;
use crate::wander::{mask_ids, WanderCheckConfig};

const SETTINGS_KEY: &str = "wander_settings";

/// A device's settings in force, and whether they are its own.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WanderSettingsView {
    pub device: String,
    pub settings: WanderSettings,
    /// False: the monitor's settings, which the device follows until given its own.
    pub own: bool,
}

/// The monitor-wide settings a device without its own follows.
pub(crate) fn monitor_default(cfg: &WanderCheckConfig) -> WanderSettings {
    WanderSettings { masks: mask_ids(&cfg.masks), window_secs: u32::try_from(cfg.window.as_secs()).unwrap_or(u32::MAX) }
}

/// Every device's own settings.
pub(crate) async fn load(store: &meridian_store::Store) -> std::collections::BTreeMap<DeviceId, WanderSettings> {
    devicemap::load(store, SETTINGS_KEY).await
}

impl App {
    pub async fn wander_settings(&self, key: &DeviceKey) -> Result<WanderSettingsView, ApiError> {
        let d = self.store.get_device(key).await?;
        let own = load(&self.store).await.remove(&d.id);
        let default = monitor_default(&self.monitor_config().wander.unwrap_or_default());
        Ok(WanderSettingsView { device: d.name, own: own.is_some(), settings: own.unwrap_or(default) })
    }

    /// Gives the device its own settings (`Some`, refused field by field
    /// with nothing changed) or returns it to the monitor's (`None`).
    pub async fn set_wander_settings(
        &self,
        key: &DeviceKey,
        settings: Option<WanderSettings>,
    ) -> Result<WanderSettingsView, ApiError> {
        let settings = settings.map(|s| s.validate()).transpose()?;
        let d = self.store.get_device(key).await?;
        devicemap::put(&self.store, SETTINGS_KEY, d.id, settings.clone()).await?;
        tracing::info!(device = %d.name, ?settings, "wander settings set");
        self.changed(InventoryEntity::Device, &d.id.to_string(), ChangeAction::Updated);
        self.wander_settings(key).await
    }
}
