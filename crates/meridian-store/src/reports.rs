//! Reads for reports that no other screen needs: the series a top-N report
//! ranks, with their device, interface name and speed. Availability reads
//! `state_rollups`; alarms come from the export reads.

use meridian_core::metric::{Builtin, SeriesKey};
use meridian_core::DeviceId;
use sqlx::Row;
use uuid::Uuid;

use crate::error::StoreError;
use crate::store::Store;

/// One series a report ranks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSeries {
    pub id: i64,
    pub device_id: DeviceId,
    pub metric: Builtin,
    /// The interface's name, else its description, else "ifIndex N".
    pub interface: Option<String>,
    pub speed_bps: Option<u64>,
}

impl Store {
    /// The series of `metrics` on `devices`, by device then ifIndex.
    pub async fn report_series(
        &self,
        devices: &[DeviceId],
        metrics: &[Builtin],
    ) -> Result<Vec<ReportSeries>, StoreError> {
        let ids: Vec<Uuid> = devices.iter().map(|d| d.0).collect();
        let names: Vec<&str> = metrics.iter().map(|m| m.name()).collect();
        let rows = sqlx::query(
            "SELECT s.id, s.device_id, s.metric, i.if_index, COALESCE(i.name, i.descr) AS iface, i.speed_bps \
             FROM series s LEFT JOIN interfaces i ON i.id = s.interface_id \
             WHERE s.device_id = ANY($1) AND s.metric = ANY($2) ORDER BY s.device_id, i.if_index NULLS FIRST, s.id",
        )
        .bind(ids)
        .bind(names)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let if_index = r.try_get::<Option<i32>, _>("if_index")?.and_then(|i| u32::try_from(i).ok());
            let key = SeriesKey::from_stored(r.try_get("metric")?, if_index);
            let Some(metric) = key.metric.builtin() else { continue };
            let interface =
                if_index.map(|i| r.try_get::<Option<String>, _>("iface").map(|n| n.unwrap_or(format!("ifIndex {i}"))));
            out.push(ReportSeries {
                id: r.try_get("id")?,
                device_id: DeviceId(r.try_get("device_id")?),
                metric,
                interface: interface.transpose()?,
                speed_bps: r.try_get::<Option<i64>, _>("speed_bps")?.and_then(|s| u64::try_from(s).ok()),
            });
        }
        Ok(out)
    }
}
