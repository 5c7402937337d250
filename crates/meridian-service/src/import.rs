//! Importing devices and sites from CSV: the whole file is checked by
//! `meridian_core::inventory_csv` against the store's inventory, then
//! written in one transaction, or (dry run) only reported.

use chrono::Utc;
use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::inventory_csv::{plan_device_import, Existing, ImportReport};
use meridian_core::{DeviceId, SiteId};
use uuid::Uuid;

use crate::app::App;
use crate::error::{reference_error, ApiError};

impl App {
    /// `csv` is the file's bytes (its encoding is checked here). Any bad row
    /// refuses the file: a validation error with one field error per
    /// problem, named `row N: FIELD`, and nothing written. A dry run checks
    /// the same way and never writes.
    pub async fn import_devices(&self, csv: &[u8], dry_run: bool) -> Result<ImportReport, ApiError> {
        let devices = self.store.list_devices().await?;
        let existing = Existing {
            device_names: devices.iter().map(|d| d.name.clone()).collect(),
            addresses: devices.into_iter().map(|d| d.address).collect(),
            sites: self.store.list_sites().await?.into_iter().map(|s| s.name).collect(),
        };
        let plan = plan_device_import(csv, &existing).map_err(|e| {
            let mut err = ApiError::from(e);
            err.detail = format!("nothing imported: {}", err.detail);
            err
        })?;
        let report = plan.report(dry_run);
        if dry_run {
            return Ok(report);
        }
        let sites: Vec<_> = plan.new_sites.into_iter().map(|s| (SiteId(Uuid::now_v7()), s)).collect();
        let devices: Vec<_> = plan.devices.into_iter().map(|d| (DeviceId(Uuid::now_v7()), d)).collect();
        self.store.import_inventory(&sites, &devices, Utc::now(), &self.cfg.actor).await.map_err(reference_error)?;
        tracing::info!(devices = devices.len(), sites = sites.len(), "inventory imported");
        for (id, _) in &sites {
            self.changed(InventoryEntity::Site, &id.to_string(), ChangeAction::Added);
        }
        for (id, _) in &devices {
            self.changed(InventoryEntity::Device, &id.to_string(), ChangeAction::Added);
        }
        Ok(report)
    }
}
