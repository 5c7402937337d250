//! Received SNMP notifications (`trap_events`, migration 0011). The
//! receiver writes them as they come; `list_trap_events` reads them back
//! newest first, with the matched device's name.

use meridian_core::ids::DeviceId;
use meridian_core::trap::{TrapEvent, TrapPdu, TrapVarbind, TrapVersion};
use sqlx::Row;

use crate::error::StoreError;
use crate::purge::{Purgeable, Purged};
use crate::store::Store;

/// Ids are UUIDv7, so ordering by id is ordering by arrival.
const TRAPS: Purgeable = Purgeable { table: "trap_events", time: "received_at", order: "id" };

impl Store {
    pub async fn count_trap_events(&self) -> Result<i64, StoreError> {
        self.count_rows(TRAPS).await
    }

    /// Removes events received before `cutoff`, then the oldest beyond
    /// `max_rows`, `batch` rows per statement.
    pub async fn purge_trap_events(
        &self,
        cutoff: chrono::DateTime<chrono::Utc>,
        max_rows: u64,
        batch: u32,
    ) -> Result<Purged, StoreError> {
        self.purge(TRAPS, cutoff, max_rows, batch).await
    }

    /// Stores one event.
    pub async fn insert_trap_event(&self, e: &TrapEvent) -> Result<(), StoreError> {
        let varbinds = serde_json::to_value(&e.varbinds)
            .map_err(|err| StoreError::Encode { what: "trap varbinds", detail: err.to_string() })?;
        sqlx::query(
            "INSERT INTO trap_events (id, received_at, source_addr, source_port, version, pdu, user_name, \
             community_matched, engine_id, trap_oid, trap_name, uptime, varbinds, device_id, raw_hex, error) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(e.id)
        .bind(e.received_at)
        .bind(&e.source_addr)
        .bind(i32::from(e.source_port))
        .bind(e.version.map(TrapVersion::as_str))
        .bind(e.pdu.as_str())
        .bind(&e.user)
        .bind(e.community_matched)
        .bind(&e.engine_id)
        .bind(&e.trap_oid)
        .bind(&e.trap_name)
        .bind(e.uptime.map(i64::from))
        .bind(varbinds)
        .bind(e.device_id.map(|d| d.0))
        .bind(&e.raw_hex)
        .bind(&e.error)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    /// The newest `limit` events, newest first.
    pub async fn list_trap_events(&self, limit: i64) -> Result<Vec<TrapEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.*, d.name AS device_name FROM trap_events t LEFT JOIN devices d ON d.id = t.device_id \
             ORDER BY t.received_at DESC, t.id DESC LIMIT $1",
        )
        .bind(limit.max(0))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(row_to_event).collect()
    }

    /// The enabled device at `address` (canonical IP text), if any.
    pub async fn device_at_address(&self, address: &str) -> Result<Option<DeviceId>, StoreError> {
        let id: Option<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM devices WHERE address = $1 AND enabled")
            .bind(address)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        Ok(id.map(DeviceId::from_uuid))
    }
}

fn row_to_event(r: &sqlx::postgres::PgRow) -> Result<TrapEvent, StoreError> {
    let corrupt = |what: &str| StoreError::Config(format!("stored trap event field {what} is not known to this build"));
    let version: Option<String> = r.try_get("version")?;
    let pdu: String = r.try_get("pdu")?;
    let port: i32 = r.try_get("source_port")?;
    let uptime: Option<i64> = r.try_get("uptime")?;
    let varbinds: serde_json::Value = r.try_get("varbinds")?;
    Ok(TrapEvent {
        id: r.try_get("id")?,
        received_at: r.try_get("received_at")?,
        source_addr: r.try_get("source_addr")?,
        source_port: u16::try_from(port).map_err(|_| corrupt("source_port"))?,
        version: match version {
            Some(v) => Some(TrapVersion::parse(&v).ok_or_else(|| corrupt("version"))?),
            None => None,
        },
        pdu: TrapPdu::parse(&pdu).ok_or_else(|| corrupt("pdu"))?,
        user: r.try_get("user_name")?,
        community_matched: r.try_get("community_matched")?,
        engine_id: r.try_get("engine_id")?,
        trap_oid: r.try_get("trap_oid")?,
        trap_name: r.try_get("trap_name")?,
        uptime: uptime.map(|u| u32::try_from(u).map_err(|_| corrupt("uptime"))).transpose()?,
        varbinds: serde_json::from_value::<Vec<TrapVarbind>>(varbinds).map_err(|_| corrupt("varbinds"))?,
        device_id: r.try_get::<Option<uuid::Uuid>, _>("device_id")?.map(DeviceId::from_uuid),
        device_name: r.try_get("device_name")?,
        raw_hex: r.try_get("raw_hex")?,
        error: r.try_get("error")?,
    })
}
