//! The device page's read path: series listing, raw samples bucketed on the
//! fly, state history and interfaces. Charts read through the history tiers
//! (`rollups`); raw reads use the `(series_id, at)` index to bound the scan
//! to the asked series and range.

use chrono::{DateTime, Utc};
use meridian_core::history::{InterfaceView, StateChange};
use meridian_core::metric::{Builtin, SeriesKey};
use meridian_core::rollup::Tier;
use meridian_core::state::DeviceState;
use meridian_core::DeviceId;
use sqlx::postgres::PgRow;
use sqlx::Row;

use crate::error::StoreError;
use crate::store::Store;

/// What one series measures, with its interface resolved for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesInfo {
    pub id: i64,
    pub key: SeriesKey,
    pub unit: String,
    /// The interface's name, else its description.
    pub interface: Option<String>,
}

/// One bucket of one series; `t` is the bucket start in unix seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub series_id: i64,
    pub t: i64,
    pub avg: f64,
    pub min: f64,
    pub max: f64,
}

impl Store {
    /// Every series of a device, device metrics first, then by ifIndex.
    pub async fn list_series(&self, device: DeviceId) -> Result<Vec<SeriesInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, s.metric, s.unit, i.if_index, COALESCE(i.name, i.descr) AS iface \
             FROM series s LEFT JOIN interfaces i ON i.id = s.interface_id \
             WHERE s.device_id = $1 ORDER BY i.if_index NULLS FIRST, s.metric",
        )
        .bind(device.0)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                let if_index = r.try_get::<Option<i32>, _>("if_index")?.and_then(|i| u32::try_from(i).ok());
                Ok(SeriesInfo {
                    id: r.try_get("id")?,
                    key: SeriesKey::from_stored(r.try_get("metric")?, if_index),
                    unit: r.try_get("unit")?,
                    interface: r.try_get("iface")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Samples of `series` in `[from, to)` aggregated into buckets of
    /// `bucket_secs` (aligned to the unix epoch), ordered by series then
    /// time. Empty buckets are absent. Raw samples only; charts read through
    /// the tiers (see `rollups`).
    pub async fn bucketed_samples(
        &self,
        series: &[i64],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        bucket_secs: i64,
    ) -> Result<Vec<Bucket>, StoreError> {
        let aggs = self.tier_aggregates(Tier::Raw, series, from, to, bucket_secs).await?;
        Ok(aggs
            .into_iter()
            .map(|a| Bucket { series_id: a.series_id, t: a.t, avg: a.agg.avg(), min: a.agg.min, max: a.agg.max })
            .collect())
    }

    /// The device's state changes in `[from, to)`, newest first, at most
    /// `limit`. Entries whose detail is not a pair of states are skipped.
    pub async fn state_changes(
        &self,
        device: DeviceId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<StateChange>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, detail->>'from' AS from_state, detail->>'to' AS to_state FROM event_log \
             WHERE action = 'device.state' AND entity = 'device' AND entity_id = $1 AND at >= $2 AND at < $3 \
             ORDER BY at DESC, id DESC LIMIT $4",
        )
        .bind(device.to_string())
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let at: DateTime<Utc> = r.try_get("at")?;
            match (state(r, "from_state")?, state(r, "to_state")?) {
                (Some(from), Some(to)) => out.push(StateChange { at, from, to }),
                _ => tracing::warn!(device = %device, %at, "state change with an unreadable detail"),
            }
        }
        Ok(out)
    }

    /// Every device's newest readable state change: (device, state it
    /// changed to, when). What the monitor shows, marked stale, between its start and a
    /// device's first poll.
    pub async fn last_device_states(&self) -> Result<Vec<(DeviceId, DeviceState, DateTime<Utc>)>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT ON (entity_id) entity_id, at, detail->>'to' AS to_state FROM event_log \
             WHERE action = 'device.state' AND entity = 'device' \
             AND detail->>'to' IN ('up', 'down', 'degraded', 'unknown') \
             ORDER BY entity_id, at DESC, id DESC",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("entity_id")?;
            let (Ok(id), Some(to)) = (id.parse::<uuid::Uuid>(), state(r, "to_state")?) else { continue };
            out.push((DeviceId(id), to, r.try_get("at")?));
        }
        Ok(out)
    }

    /// A device's interfaces as last polled, by ifIndex, each with its
    /// newest in/out rate sampled at or after `since` (older ones would be
    /// presented as current when the device has stopped answering).
    pub async fn interface_views(
        &self,
        device: DeviceId,
        since: DateTime<Utc>,
    ) -> Result<Vec<InterfaceView>, StoreError> {
        let rows = sqlx::query(
            "SELECT i.if_index, i.name, i.descr, i.alias, i.speed_bps, i.admin_status, i.oper_status, \
                    i.updated_at, rin.value AS in_bps, rout.value AS out_bps \
             FROM interfaces i \
             LEFT JOIN series sin ON sin.device_id = i.device_id AND sin.interface_id = i.id \
                  AND sin.metric = $3 \
             LEFT JOIN series sout ON sout.device_id = i.device_id AND sout.interface_id = i.id \
                  AND sout.metric = $4 \
             LEFT JOIN LATERAL (SELECT value FROM samples WHERE series_id = sin.id AND at >= $2 \
                  ORDER BY at DESC LIMIT 1) rin ON true \
             LEFT JOIN LATERAL (SELECT value FROM samples WHERE series_id = sout.id AND at >= $2 \
                  ORDER BY at DESC LIMIT 1) rout ON true \
             WHERE i.device_id = $1 ORDER BY i.if_index",
        )
        .bind(device.0)
        .bind(since)
        .bind(Builtin::IfInBps.name())
        .bind(Builtin::IfOutBps.name())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InterfaceView {
                    if_index: u32::try_from(r.try_get::<i32, _>("if_index")?).unwrap_or(0),
                    name: r.try_get("name")?,
                    descr: r.try_get("descr")?,
                    alias: r.try_get("alias")?,
                    speed_bps: r.try_get::<Option<i64>, _>("speed_bps")?.and_then(|s| u64::try_from(s).ok()),
                    admin_status: r.try_get("admin_status")?,
                    oper_status: r.try_get("oper_status")?,
                    in_bps: r.try_get("in_bps")?,
                    out_bps: r.try_get("out_bps")?,
                    updated_at: r.try_get("updated_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}

/// A logged state name, parsed the way the monitor serialised it.
pub(crate) fn state(r: &PgRow, column: &str) -> Result<Option<DeviceState>, sqlx::Error> {
    let text: Option<String> = r.try_get(column)?;
    Ok(text.and_then(|s| serde_json::from_value(serde_json::Value::String(s)).ok()))
}
