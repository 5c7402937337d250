//! Retention for received-event tables (syslog messages, trap events): rows
//! older than a cutoff go, then the oldest beyond a row cap, `batch` rows
//! per statement so neither backend holds one long transaction (and the one
//! PGlite connection is shared between batches). One implementation; each
//! caller names its table.

use chrono::{DateTime, Utc};

use crate::error::StoreError;
use crate::store::Store;

/// A table that is purged: its name, its time column and the column that
/// orders rows oldest first. Constants, never user input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Purgeable {
    pub table: &'static str,
    pub time: &'static str,
    pub order: &'static str,
}

/// What one purge pass removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    /// Older than the retention cutoff.
    pub expired: u64,
    /// Beyond the row cap (oldest first).
    pub over_cap: u64,
}

impl Store {
    pub(crate) async fn count_rows(&self, t: Purgeable) -> Result<i64, StoreError> {
        let sql = format!("SELECT count(*) FROM {}", t.table);
        Ok(sqlx::query_scalar(&sql).fetch_one(&mut *self.conn().await?).await?)
    }

    pub(crate) async fn purge(
        &self,
        t: Purgeable,
        cutoff: DateTime<Utc>,
        max_rows: u64,
        batch: u32,
    ) -> Result<Purged, StoreError> {
        let batch = i64::from(batch.max(1));
        let mut out = Purged::default();
        let expired = format!(
            "DELETE FROM {table} WHERE {order} IN (SELECT {order} FROM {table} WHERE {time} < $1 ORDER BY {order} LIMIT $2)",
            table = t.table,
            order = t.order,
            time = t.time
        );
        loop {
            let done = sqlx::query(&expired).bind(cutoff).bind(batch).execute(&mut *self.conn().await?).await?;
            out.expired += done.rows_affected();
            if done.rows_affected() < batch as u64 {
                break;
            }
        }
        let oldest = format!(
            "DELETE FROM {table} WHERE {order} IN (SELECT {order} FROM {table} ORDER BY {order} LIMIT $1)",
            table = t.table,
            order = t.order
        );
        let max_rows = i64::try_from(max_rows).unwrap_or(i64::MAX);
        let mut excess = (self.count_rows(t).await? - max_rows).max(0);
        while excess > 0 {
            let done = sqlx::query(&oldest).bind(excess.min(batch)).execute(&mut *self.conn().await?).await?;
            if done.rows_affected() == 0 {
                break;
            }
            out.over_cap += done.rows_affected();
            excess -= done.rows_affected() as i64;
        }
        Ok(out)
    }
}
