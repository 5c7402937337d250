//! What a device last said about itself over SNMP (sysName, sysDescr,
//! sysObjectID), as discovery and the inventory pass stored it, for the
//! device page's identity.

use chrono::{DateTime, Utc};
use meridian_core::DeviceId;
use sqlx::Row;

use crate::error::StoreError;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIdentity {
    pub sys_name: Option<String>,
    pub sys_descr: Option<String>,
    pub sys_object_id: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl Store {
    /// `None` when the device never answered an identity query.
    pub async fn device_identity(&self, device: DeviceId) -> Result<Option<StoredIdentity>, StoreError> {
        let row = sqlx::query(
            "SELECT sys_name, sys_descr, sys_object_id, updated_at FROM device_identity \
             WHERE device_id = $1 AND (sys_name IS NOT NULL OR sys_descr IS NOT NULL OR sys_object_id IS NOT NULL)",
        )
        .bind(device.0)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.map(|r| {
            Ok(StoredIdentity {
                sys_name: r.try_get("sys_name")?,
                sys_descr: r.try_get("sys_descr")?,
                sys_object_id: r.try_get("sys_object_id")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .transpose()
        .map_err(|e: sqlx::Error| StoreError::from(e))
    }
}
