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
        self.insert_trap_events(std::slice::from_ref(e)).await
    }

    /// Stores a batch in one statement (a flood is written at the rate
    /// PGlite takes batches, not single rows).
    pub async fn insert_trap_events(&self, batch: &[TrapEvent]) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let varbinds = batch
            .iter()
            .map(|e| serde_json::to_string(&e.varbinds))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| StoreError::Encode { what: "trap varbinds", detail: err.to_string() })?;
        let col = |f: &dyn Fn(&TrapEvent) -> Option<String>| batch.iter().map(f).collect::<Vec<_>>();
        sqlx::query(
            "INSERT INTO trap_events (id, received_at, source_addr, source_port, version, pdu, user_name, \
             community_matched, engine_id, trap_oid, trap_name, uptime, varbinds, device_id, raw_hex, error) \
             SELECT u.id, u.at, u.src, u.port, u.version, u.pdu, u.usr, u.matched, u.engine, u.oid, u.name, \
             u.uptime, u.vb::jsonb, u.dev, u.raw, u.err \
             FROM UNNEST($1::uuid[], $2::timestamptz[], $3::text[], $4::int4[], $5::text[], $6::text[], \
             $7::text[], $8::bool[], $9::text[], $10::text[], $11::text[], $12::int8[], $13::text[], $14::uuid[], \
             $15::text[], $16::text[]) \
             AS u(id, at, src, port, version, pdu, usr, matched, engine, oid, name, uptime, vb, dev, raw, err)",
        )
        .bind(batch.iter().map(|e| e.id).collect::<Vec<_>>())
        .bind(batch.iter().map(|e| e.received_at).collect::<Vec<_>>())
        .bind(batch.iter().map(|e| e.source_addr.clone()).collect::<Vec<_>>())
        .bind(batch.iter().map(|e| i32::from(e.source_port)).collect::<Vec<_>>())
        .bind(col(&|e| e.version.map(|v| v.as_str().to_owned())))
        .bind(batch.iter().map(|e| e.pdu.as_str()).collect::<Vec<_>>())
        .bind(col(&|e| e.user.clone()))
        .bind(batch.iter().map(|e| e.community_matched).collect::<Vec<_>>())
        .bind(col(&|e| e.engine_id.clone()))
        .bind(col(&|e| e.trap_oid.clone()))
        .bind(col(&|e| e.trap_name.clone()))
        .bind(batch.iter().map(|e| e.uptime.map(i64::from)).collect::<Vec<_>>())
        .bind(varbinds)
        .bind(batch.iter().map(|e| e.device_id.map(|d| d.0)).collect::<Vec<_>>())
        .bind(col(&|e| e.raw_hex.clone()))
        .bind(col(&|e| e.error.clone()))
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

    /// Every enabled device's address (as stored), id and name: what the
    /// trap intake matches sources against without a query per event.
    pub async fn device_addresses(&self) -> Result<Vec<(String, DeviceId, String)>, StoreError> {
        let rows: Vec<(String, uuid::Uuid, String)> =
            sqlx::query_as("SELECT address, id, name FROM devices WHERE enabled")
                .fetch_all(&mut *self.conn().await?)
                .await?;
        Ok(rows.into_iter().map(|(a, id, n)| (a, DeviceId::from_uuid(id), n)).collect())
    }

    /// (snmpEngineID hex, id, name) of every enabled device whose identity
    /// reported one: v3 traps name their sender by it, whatever its address.
    pub async fn device_engine_ids(&self) -> Result<Vec<(String, DeviceId, String)>, StoreError> {
        let rows: Vec<(String, uuid::Uuid, String)> = sqlx::query_as(
            "SELECT i.engine_id, d.id, d.name FROM devices d JOIN device_identity i ON i.device_id = d.id \
             WHERE d.enabled AND i.engine_id IS NOT NULL",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        Ok(rows.into_iter().map(|(e, id, n)| (e, DeviceId::from_uuid(id), n)).collect())
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
