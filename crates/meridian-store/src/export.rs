//! Reads for exports: alarms and raw samples over a range.

use chrono::{DateTime, Utc};
use meridian_core::alarm::Alarm;
use meridian_core::export::SampleRow;
use meridian_core::DeviceId;
use sqlx::Row;

use crate::alarms;
use crate::error::StoreError;
use crate::store::Store;

impl Store {
    /// Alarms open at any time in `[from, to)`: raised before `to` and not
    /// cleared before `from` (so both active and cleared ones), oldest first.
    pub async fn alarms_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        device: Option<DeviceId>,
    ) -> Result<Vec<Alarm>, StoreError> {
        let rows = sqlx::query(&format!(
            "{} WHERE raised_at < $2 AND (cleared_at IS NULL OR cleared_at >= $1) \
             AND ($3::uuid IS NULL OR device_id = $3) ORDER BY raised_at, id",
            alarms::SELECT
        ))
        .bind(from)
        .bind(to)
        .bind(device.map(|d| d.0))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(alarms::from_row).collect()
    }

    /// Raw samples in `[from, to)` in time order, at most `limit` (the caller
    /// asks for one more than it allows, to tell a cut-off apart).
    pub async fn samples_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        device: Option<DeviceId>,
        limit: i64,
    ) -> Result<Vec<SampleRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.at, d.name AS device, s.metric, i.if_index, s.unit, m.value \
             FROM samples m JOIN series s ON s.id = m.series_id JOIN devices d ON d.id = s.device_id \
             LEFT JOIN interfaces i ON i.id = s.interface_id \
             WHERE m.at >= $1 AND m.at < $2 AND ($3::uuid IS NULL OR s.device_id = $3) \
             ORDER BY m.at, m.series_id LIMIT $4",
        )
        .bind(from)
        .bind(to)
        .bind(device.map(|d| d.0))
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SampleRow {
                    at: r.try_get("at")?,
                    device: r.try_get("device")?,
                    metric: r.try_get("metric")?,
                    if_index: r.try_get::<Option<i32>, _>("if_index")?.and_then(|i| u32::try_from(i).ok()),
                    unit: r.try_get("unit")?,
                    value: r.try_get("value")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
