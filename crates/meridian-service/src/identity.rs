//! A device's SNMP identity for the device page: what it last said about
//! itself (sysName, sysDescr, sysObjectID) and when.

use chrono::{DateTime, Utc};
use meridian_core::DeviceKey;
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::error::ApiError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnmpIdentityView {
    pub sys_name: Option<String>,
    pub sys_descr: Option<String>,
    pub sys_object_id: Option<String>,
    #[ts(type = "string")]
    pub identified_at: DateTime<Utc>,
}

impl App {
    /// `None` when the device has never answered an SNMP identity query.
    pub async fn device_identity(&self, key: &DeviceKey) -> Result<Option<SnmpIdentityView>, ApiError> {
        let d = self.store.get_device(key).await?;
        Ok(self.store.device_identity(d.id).await?.map(|i| SnmpIdentityView {
            sys_name: i.sys_name.filter(|s| !s.is_empty()),
            sys_descr: i.sys_descr.filter(|s| !s.is_empty()),
            sys_object_id: i.sys_object_id.filter(|s| !s.is_empty()),
            identified_at: i.updated_at,
        }))
    }
}
