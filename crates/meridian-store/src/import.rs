//! Bulk inventory writes: an import file lands whole or not at all.

use chrono::{DateTime, Utc};
use meridian_core::inventory::{ValidDevice, ValidSite};
use meridian_core::{DeviceId, SiteId};
use sqlx::Connection;

use crate::error::StoreError;
use crate::inventory::{insert_device_row, insert_site_row};
use crate::store::Store;

impl Store {
    /// Sites first (devices name them), then devices, each with its audit
    /// entry, in one transaction: a clash on any row (say a device added
    /// since the file was checked) rolls everything back.
    pub async fn import_inventory(
        &self,
        sites: &[(SiteId, ValidSite)],
        devices: &[(DeviceId, ValidDevice)],
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        for (id, s) in sites {
            insert_site_row(&mut tx, s, *id, now, actor).await?;
        }
        for (id, d) in devices {
            insert_device_row(&mut tx, d, *id, now, actor).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
