//! How many alarms are active, by severity: the tray icon and the header
//! need the numbers, not the rows. Served by the `alarms_active_key`
//! partial index (active alarms only).

use meridian_core::alarm::Severity;
use meridian_core::notify::AlarmCounts;
use sqlx::Row;

use crate::error::StoreError;
use crate::store::Store;

impl Store {
    pub async fn active_alarm_counts(&self) -> Result<AlarmCounts, StoreError> {
        let rows = sqlx::query(
            "SELECT perceived_severity, count(*) AS n FROM alarms WHERE cleared_at IS NULL GROUP BY perceived_severity",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut counts = AlarmCounts::default();
        for r in &rows {
            let name: String = r.try_get("perceived_severity")?;
            let n: i64 = r.try_get("n")?;
            // The schema's CHECK lists the severities serde knows, spelled the same.
            let severity: Severity = serde_json::from_value(serde_json::Value::String(name.clone())).map_err(|_| {
                StoreError::Config(format!("stored alarm severity '{name}' is not known to this build"))
            })?;
            counts.add(severity, u32::try_from(n).unwrap_or(u32::MAX));
        }
        Ok(counts)
    }
}
