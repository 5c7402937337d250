//! The timing half's rows: each device's timing role
//! (`device_timing_roles`), and the raw points of one device series over a
//! window, which the wander analysis turns into a phase series.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use meridian_core::clock::role::TimingRole;
use meridian_core::DeviceId;
use sqlx::Row;

use crate::error::StoreError;
use crate::store::Store;

impl Store {
    /// Sets (`Some`) or removes (`None`) a device's timing role.
    pub async fn set_timing_role(
        &self,
        device: DeviceId,
        role: Option<TimingRole>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        match role {
            Some(r) => {
                sqlx::query(
                    "INSERT INTO device_timing_roles (device_id, role, updated_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (device_id) DO UPDATE SET role = EXCLUDED.role, updated_at = EXCLUDED.updated_at",
                )
                .bind(device.0)
                .bind(r.as_str())
                .bind(at)
                .execute(&mut *conn)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM device_timing_roles WHERE device_id = $1")
                    .bind(device.0)
                    .execute(&mut *conn)
                    .await?;
            }
        }
        Ok(())
    }

    /// Every device's timing role. A role this build does not know (a newer
    /// schema's) is logged and left out.
    pub async fn timing_roles(&self) -> Result<BTreeMap<DeviceId, TimingRole>, StoreError> {
        let rows =
            sqlx::query("SELECT device_id, role FROM device_timing_roles").fetch_all(&mut *self.conn().await?).await?;
        let mut out = BTreeMap::new();
        for r in rows {
            let id = DeviceId(r.try_get("device_id")?);
            let text: String = r.try_get("role")?;
            match text.parse::<TimingRole>() {
                Ok(role) => {
                    out.insert(id, role);
                }
                Err(e) => tracing::warn!(device = %id, role = text, error = %e, "unknown stored timing role"),
            }
        }
        Ok(out)
    }

    /// The raw points of the device's series `metric` (no interface) in
    /// `[from, to)`, oldest first, at most `limit`.
    pub async fn device_series_points(
        &self,
        device: DeviceId,
        metric: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<(DateTime<Utc>, f64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.at, p.value FROM samples p JOIN series s ON s.id = p.series_id \
             WHERE s.device_id = $1 AND s.interface_id IS NULL AND s.metric = $2 AND p.at >= $3 AND p.at < $4 \
             ORDER BY p.at LIMIT $5",
        )
        .bind(device.0)
        .bind(metric)
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(|r| Ok((r.try_get("at")?, r.try_get("value")?))).collect()
    }
}
