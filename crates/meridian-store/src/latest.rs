//! The newest sample of every series of one metric, for the rule editor's
//! preview ("which devices would this rule fire on now"). One query: the
//! metric's series (a row metric's series are stored as `metric:row` or
//! `template.row`), each with its newest sample through the `(series_id,
//! at)` index, so the cost is one index probe per series.

use chrono::{DateTime, Utc};
use meridian_core::metric::SeriesKey;
use meridian_core::DeviceId;
use sqlx::Row;

use crate::error::StoreError;
use crate::store::Store;

/// The newest sample of one series, with its interface's name.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestSample {
    pub device: DeviceId,
    pub key: SeriesKey,
    /// The interface's name, else its description (interface series only).
    pub interface: Option<String>,
    pub at: DateTime<Utc>,
    pub value: f64,
}

impl Store {
    /// Every series of `metric` (its stored name, e.g. `cpu_pct` or
    /// `storage_used_pct`) that has a sample, with the newest one; by device
    /// then series.
    pub async fn latest_samples(&self, metric: &str) -> Result<Vec<LatestSample>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.device_id, s.metric, i.if_index, COALESCE(i.name, i.descr) AS iface, l.at, l.value \
             FROM series s LEFT JOIN interfaces i ON i.id = s.interface_id \
             CROSS JOIN LATERAL (SELECT at, value FROM samples WHERE series_id = s.id ORDER BY at DESC LIMIT 1) l \
             WHERE s.metric = $1 OR left(s.metric, length($1) + 1) IN ($1 || ':', $1 || '.') \
             ORDER BY s.device_id, s.id",
        )
        .bind(metric)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                let if_index = r.try_get::<Option<i32>, _>("if_index")?.and_then(|i| u32::try_from(i).ok());
                Ok(LatestSample {
                    device: DeviceId(r.try_get("device_id")?),
                    key: SeriesKey::from_stored(r.try_get("metric")?, if_index),
                    interface: r.try_get("iface")?,
                    at: r.try_get("at")?,
                    value: r.try_get("value")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
