//! What the pollers write besides samples: series identities, the interface
//! table, and state-change entries in the event log.

use chrono::{DateTime, Utc};
use meridian_core::DeviceId;
use sqlx::Row;
use uuid::Uuid;

use crate::audit::{record, AuditEntry};
use crate::error::StoreError;
use crate::store::Store;

/// One ifTable/ifXTable row as the SNMP poller read it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InterfaceRow {
    pub if_index: u32,
    pub name: Option<String>,
    pub descr: Option<String>,
    /// ifAlias, the operator's description of the port.
    pub alias: Option<String>,
    pub speed_bps: Option<u64>,
    pub admin_status: Option<String>,
    pub oper_status: Option<String>,
}

impl Store {
    /// The id of the series (device, interface, metric), created on first use.
    pub async fn ensure_series(
        &self,
        device: DeviceId,
        interface: Option<Uuid>,
        metric: &str,
        unit: &str,
    ) -> Result<i64, StoreError> {
        let mut conn = self.conn().await?;
        sqlx::query(
            "INSERT INTO series (device_id, interface_id, metric, unit) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(device.0)
        .bind(interface)
        .bind(metric)
        .bind(unit)
        .execute(&mut *conn)
        .await?;
        Ok(sqlx::query_scalar(
            "SELECT id FROM series WHERE device_id = $1 AND interface_id IS NOT DISTINCT FROM $2 AND metric = $3",
        )
        .bind(device.0)
        .bind(interface)
        .bind(metric)
        .fetch_one(&mut *conn)
        .await?)
    }

    /// Inserts or refreshes interface rows; returns their ids in input order.
    pub async fn upsert_interfaces(
        &self,
        device: DeviceId,
        rows: &[InterfaceRow],
        now: DateTime<Utc>,
    ) -> Result<Vec<Uuid>, StoreError> {
        let mut conn = self.conn().await?;
        let mut ids = Vec::with_capacity(rows.len());
        for r in rows {
            let id: Uuid = sqlx::query_scalar(
                "INSERT INTO interfaces (id, device_id, if_index, name, descr, speed_bps, admin_status, oper_status, updated_at, alias) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (device_id, if_index) DO UPDATE SET name = EXCLUDED.name, descr = EXCLUDED.descr, \
                 alias = EXCLUDED.alias, speed_bps = EXCLUDED.speed_bps, admin_status = EXCLUDED.admin_status, \
                 oper_status = EXCLUDED.oper_status, updated_at = EXCLUDED.updated_at RETURNING id",
            )
            .bind(Uuid::now_v7())
            .bind(device.0)
            .bind(i32::try_from(r.if_index).unwrap_or(i32::MAX))
            .bind(&r.name)
            .bind(&r.descr)
            .bind(r.speed_bps.and_then(|s| i64::try_from(s).ok()))
            .bind(&r.admin_status)
            .bind(&r.oper_status)
            .bind(now)
            .bind(&r.alias)
            .fetch_one(&mut *conn)
            .await?;
            ids.push(id);
        }
        Ok(ids)
    }

    /// A device's interfaces as last polled, by ifIndex.
    pub async fn list_interfaces(&self, device: DeviceId) -> Result<Vec<InterfaceRow>, StoreError> {
        let mut conn = self.conn().await?;
        let rows = sqlx::query(
            "SELECT if_index, name, descr, alias, speed_bps, admin_status, oper_status FROM interfaces \
             WHERE device_id = $1 ORDER BY if_index",
        )
        .bind(device.0)
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InterfaceRow {
                    if_index: u32::try_from(r.try_get::<i32, _>("if_index")?).unwrap_or(0),
                    name: r.try_get("name")?,
                    descr: r.try_get("descr")?,
                    alias: r.try_get("alias")?,
                    speed_bps: r.try_get::<Option<i64>, _>("speed_bps")?.and_then(|s| u64::try_from(s).ok()),
                    admin_status: r.try_get("admin_status")?,
                    oper_status: r.try_get("oper_status")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// A non-inventory event (state change, alarm operation) in the log.
    pub async fn log_event(
        &self,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        entity: &str,
        entity_id: String,
        detail: serde_json::Value,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        record(&mut conn, AuditEntry { at, actor, action, entity, entity_id, detail }).await?;
        Ok(())
    }
}
