//! Inventory use cases: sites and devices.

use chrono::Utc;
use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::inventory::{validate_device, validate_site, Device, DeviceInput, DevicePatch, Site, SiteInput};
use meridian_core::{DeviceId, DeviceKey, SiteId};
use uuid::Uuid;

use crate::app::App;
use crate::error::{reference_error, ApiError};
use crate::events::CoreEvent;

impl App {
    pub async fn list_devices(&self) -> Result<Vec<Device>, ApiError> {
        Ok(self.store.list_devices().await?)
    }

    pub async fn show_device(&self, key: &DeviceKey) -> Result<Device, ApiError> {
        Ok(self.store.get_device(key).await?)
    }

    pub async fn add_device(&self, input: DeviceInput) -> Result<Device, ApiError> {
        self.add_device_by(&self.cfg.actor, input).await
    }

    /// `actor` is the name the event log records.
    pub(crate) async fn add_device_by(&self, actor: &str, input: DeviceInput) -> Result<Device, ApiError> {
        let valid = validate_device(&input)?;
        let id = DeviceId(Uuid::now_v7());
        let d = self.store.insert_device(&valid, id, Utc::now(), actor).await.map_err(reference_error)?;
        tracing::info!(device = %d.name, address = %d.address, "device added");
        self.changed(InventoryEntity::Device, &d.id.to_string(), ChangeAction::Added);
        Ok(d)
    }

    /// Applies the patch to the current record and validates the result as a
    /// whole, so an edit obeys exactly the rules an add does.
    pub async fn update_device(&self, key: &DeviceKey, patch: DevicePatch) -> Result<Device, ApiError> {
        self.update_device_by(&self.cfg.actor, key, patch).await
    }

    pub(crate) async fn update_device_by(
        &self,
        actor: &str,
        key: &DeviceKey,
        patch: DevicePatch,
    ) -> Result<Device, ApiError> {
        let current = self.store.get_device(key).await?;
        let valid = validate_device(&current.apply(&patch))?;
        let d = self
            .store
            .update_device(current.id, current.version, &valid, Utc::now(), actor)
            .await
            .map_err(reference_error)?;
        tracing::info!(device = %d.name, "device updated");
        self.changed(InventoryEntity::Device, &d.id.to_string(), ChangeAction::Updated);
        Ok(d)
    }

    pub async fn remove_device(&self, key: &DeviceKey) -> Result<Device, ApiError> {
        self.remove_device_by(&self.cfg.actor, key).await
    }

    pub(crate) async fn remove_device_by(&self, actor: &str, key: &DeviceKey) -> Result<Device, ApiError> {
        let d = self.store.delete_device(key, Utc::now(), actor).await?;
        tracing::info!(device = %d.name, "device removed");
        self.changed(InventoryEntity::Device, &d.id.to_string(), ChangeAction::Removed);
        Ok(d)
    }

    pub async fn list_sites(&self) -> Result<Vec<Site>, ApiError> {
        Ok(self.store.list_sites().await?)
    }

    pub async fn show_site(&self, key: &str) -> Result<Site, ApiError> {
        Ok(self.store.get_site(key).await?)
    }

    pub async fn add_site(&self, input: SiteInput) -> Result<Site, ApiError> {
        let valid = validate_site(&input)?;
        let s = self.store.insert_site(&valid, SiteId(Uuid::now_v7()), Utc::now(), &self.cfg.actor).await?;
        self.changed(InventoryEntity::Site, &s.id.to_string(), ChangeAction::Added);
        Ok(s)
    }

    pub async fn update_site(&self, key: &str, input: SiteInput) -> Result<Site, ApiError> {
        let valid = validate_site(&input)?;
        let current = self.store.get_site(key).await?;
        let s = self.store.update_site(current.id, &valid, Utc::now(), &self.cfg.actor).await?;
        self.changed(InventoryEntity::Site, &s.id.to_string(), ChangeAction::Updated);
        Ok(s)
    }

    pub async fn remove_site(&self, key: &str) -> Result<Site, ApiError> {
        let s = self.store.delete_site(key, Utc::now(), &self.cfg.actor).await?;
        self.changed(InventoryEntity::Site, &s.id.to_string(), ChangeAction::Removed);
        Ok(s)
    }

    pub(crate) fn changed(&self, entity: InventoryEntity, id: &str, action: ChangeAction) {
        self.publish(CoreEvent::InventoryChanged { entity, id: id.into(), action });
    }
}
