//! Device availability per tier bucket (`state_rollups`), built beside the
//! series rollups in the same transaction: the 5-minute tier from the
//! monitor's `device.state` changes (split into buckets by
//! `meridian_core::rollup::state`), coarser tiers as sums of the finer one.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use meridian_core::report::availability::Timeline;
use meridian_core::rollup::state::{state_buckets, StateTime};
use meridian_core::rollup::Tier;
use meridian_core::DeviceId;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::error::StoreError;
use crate::history::state;
use crate::store::Store;

/// Rebuilds the state buckets of `tier` starting in `[from, to)`; returns
/// rows written. Devices removed from the inventory are left out (their log
/// entries stay, and their last state would otherwise last for ever).
pub(crate) async fn rebuild(
    conn: &mut PgConnection,
    tier: Tier,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let (Some(width), Some(source)) = (tier.width_secs(), tier.source()) else { return Ok(0) };
    if let Some(finer) = source.width_secs() {
        let done = sqlx::query(
            "INSERT INTO state_rollups (width_secs, device_id, bucket, up_secs, known_secs) \
             SELECT $3, device_id, date_bin(make_interval(secs => $3), bucket, 'epoch'::timestamptz), \
                    sum(up_secs)::int8, sum(known_secs)::int8 \
             FROM state_rollups WHERE width_secs = $4 AND bucket >= $1 AND bucket < $2 GROUP BY 2, 3 \
             ON CONFLICT (width_secs, device_id, bucket) DO UPDATE \
             SET up_secs = EXCLUDED.up_secs, known_secs = EXCLUDED.known_secs",
        )
        .bind(from)
        .bind(to)
        .bind(width as i32)
        .bind(finer as i32)
        .execute(&mut *conn)
        .await?;
        return Ok(done.rows_affected());
    }
    let devices = timelines(&mut *conn, from, to, None).await?;
    let (mut ids, mut buckets, mut up, mut known) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (id, t) in &devices {
        for (bucket, t) in state_buckets(t.before, &t.changes, from, to, width) {
            ids.push(id.0);
            buckets.push(bucket);
            up.push(t.up_secs);
            known.push(t.known_secs);
        }
    }
    if ids.is_empty() {
        return Ok(0);
    }
    let done = sqlx::query(
        "INSERT INTO state_rollups (width_secs, device_id, bucket, up_secs, known_secs) \
         SELECT $1, * FROM UNNEST($2::uuid[], $3::timestamptz[], $4::int8[], $5::int8[]) \
         ON CONFLICT (width_secs, device_id, bucket) DO UPDATE \
         SET up_secs = EXCLUDED.up_secs, known_secs = EXCLUDED.known_secs",
    )
    .bind(width as i32)
    .bind(ids)
    .bind(buckets)
    .bind(up)
    .bind(known)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Each device's state at `from` and its changes in `[from, to)` from the
/// monitor's log, for `only` these devices or all. Devices removed from the
/// inventory are left out (their log entries stay, and their last state
/// would otherwise last for ever); a device with no entry has no timeline.
pub(crate) async fn timelines(
    conn: &mut PgConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    only: Option<&[DeviceId]>,
) -> Result<HashMap<DeviceId, Timeline>, StoreError> {
    let only: Option<Vec<String>> = only.map(|d| d.iter().map(|d| d.to_string()).collect());
    let before = sqlx::query(
        "SELECT DISTINCT ON (entity_id) entity_id, detail->>'to' AS to_state FROM event_log \
         WHERE action = 'device.state' AND entity = 'device' AND at < $1 \
           AND entity_id IN (SELECT id::text FROM devices) AND ($2::text[] IS NULL OR entity_id = ANY($2)) \
         ORDER BY entity_id, at DESC, id DESC",
    )
    .bind(from)
    .bind(&only)
    .fetch_all(&mut *conn)
    .await?;
    let changes = sqlx::query(
        "SELECT entity_id, at, detail->>'to' AS to_state FROM event_log \
         WHERE action = 'device.state' AND entity = 'device' AND at >= $1 AND at < $2 \
           AND entity_id IN (SELECT id::text FROM devices) AND ($3::text[] IS NULL OR entity_id = ANY($3)) \
         ORDER BY at, id",
    )
    .bind(from)
    .bind(to)
    .bind(&only)
    .fetch_all(&mut *conn)
    .await?;
    let mut devices: HashMap<DeviceId, Timeline> = HashMap::new();
    for r in &before {
        if let (Ok(id), Some(s)) = (r.try_get::<String, _>("entity_id")?.parse::<Uuid>(), state(r, "to_state")?) {
            devices.entry(DeviceId(id)).or_default().before = Some(s);
        }
    }
    for r in &changes {
        if let (Ok(id), Some(s)) = (r.try_get::<String, _>("entity_id")?.parse::<Uuid>(), state(r, "to_state")?) {
            devices.entry(DeviceId(id)).or_default().changes.push((r.try_get("at")?, s));
        }
    }
    Ok(devices)
}

/// Deletes at most `limit` state rows of `tier` older than `before`.
pub(crate) async fn purge(
    conn: &mut PgConnection,
    tier: Tier,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<u64, StoreError> {
    let Some(width) = tier.width_secs() else { return Ok(0) };
    let done = sqlx::query(
        "DELETE FROM state_rollups WHERE ctid = ANY(ARRAY(SELECT ctid FROM state_rollups \
         WHERE width_secs = $1 AND bucket < $2 LIMIT $3))",
    )
    .bind(width as i32)
    .bind(before)
    .bind(limit.max(1))
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

impl Store {
    /// A device's time up and known in `tier`'s buckets starting in
    /// `[from, to)` (only what the rollup job has built).
    pub async fn state_time(
        &self,
        device: DeviceId,
        tier: Tier,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<StateTime, StoreError> {
        let Some(width) = tier.width_secs() else { return Ok(StateTime::default()) };
        let r = sqlx::query(
            "SELECT coalesce(sum(up_secs), 0)::int8 AS up, coalesce(sum(known_secs), 0)::int8 AS known \
             FROM state_rollups WHERE width_secs = $1 AND device_id = $2 AND bucket >= $3 AND bucket < $4",
        )
        .bind(width as i32)
        .bind(device.0)
        .bind(from)
        .bind(to)
        .fetch_one(&mut *self.conn().await?)
        .await?;
        Ok(StateTime { up_secs: r.try_get("up")?, known_secs: r.try_get("known")? })
    }

    /// The state timelines of `devices` over `[from, to)` (see
    /// [`timelines`]): what reports count availability from.
    pub async fn state_timelines(
        &self,
        devices: &[DeviceId],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<HashMap<DeviceId, Timeline>, StoreError> {
        timelines(&mut *self.conn().await?, from, to, Some(devices)).await
    }

    /// [`Store::state_time`] of many devices at once; a device with no built
    /// bucket in the range is absent.
    pub async fn state_times(
        &self,
        devices: &[DeviceId],
        tier: Tier,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<HashMap<DeviceId, StateTime>, StoreError> {
        let Some(width) = tier.width_secs() else { return Ok(HashMap::new()) };
        let ids: Vec<Uuid> = devices.iter().map(|d| d.0).collect();
        let rows = sqlx::query(
            "SELECT device_id, sum(up_secs)::int8 AS up, sum(known_secs)::int8 AS known FROM state_rollups \
             WHERE width_secs = $1 AND device_id = ANY($2) AND bucket >= $3 AND bucket < $4 GROUP BY device_id",
        )
        .bind(width as i32)
        .bind(ids)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    DeviceId(r.try_get("device_id")?),
                    StateTime { up_secs: r.try_get("up")?, known_secs: r.try_get("known")? },
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
