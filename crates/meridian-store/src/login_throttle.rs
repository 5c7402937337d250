//! Failed logins per source (`login_throttle`, migration 0023). The rules
//! (which key, how many, how long) are `meridian_core::throttle`'s.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

use crate::error::StoreError;
use crate::store::Store;

impl Store {
    /// Until when `source` is refused, if it is at `now`.
    pub async fn throttled_until(&self, source: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(sqlx::query_scalar("SELECT blocked_until FROM login_throttle WHERE source = $1 AND blocked_until > $2")
            .bind(source)
            .bind(now)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .flatten())
    }

    /// Counts one failure of `source` in its window (a window older than
    /// `window` starts again) and returns the window's count. Forgets
    /// sources whose window and block have passed, and the stalest beyond
    /// `max_sources` (blocked ones last, so a flood of new addresses does
    /// not unblock one).
    pub async fn count_source_failure(
        &self,
        source: &str,
        now: DateTime<Utc>,
        window: Duration,
        max_sources: i64,
    ) -> Result<i64, StoreError> {
        let mut c = self.conn().await?;
        let since = now - window;
        let row = sqlx::query(
            "INSERT INTO login_throttle AS t (source, window_start, failures) VALUES ($1, $2, 1) \
             ON CONFLICT (source) DO UPDATE SET \
               failures = CASE WHEN t.window_start <= $3 THEN 1 ELSE t.failures + 1 END, \
               window_start = CASE WHEN t.window_start <= $3 THEN $2 ELSE t.window_start END \
             RETURNING failures, (xmax = 0) AS inserted",
        )
        .bind(source)
        .bind(now)
        .bind(since)
        .fetch_one(&mut *c)
        .await?;
        let failures: i32 = row.try_get("failures")?;
        if row.try_get::<bool, _>("inserted")? {
            // A new source: the moment to keep the table bounded.
            sqlx::query(
                "DELETE FROM login_throttle WHERE window_start <= $1 AND (blocked_until IS NULL OR blocked_until <= $2)",
            )
            .bind(since)
            .bind(now)
            .execute(&mut *c)
            .await?;
            sqlx::query(
                "DELETE FROM login_throttle WHERE source IN \
                 (SELECT source FROM login_throttle \
                  ORDER BY (blocked_until > $2) IS TRUE DESC, window_start DESC OFFSET $1)",
            )
            .bind(max_sources.max(1))
            .bind(now)
            .execute(&mut *c)
            .await?;
        }
        Ok(i64::from(failures))
    }

    pub async fn block_source(&self, source: &str, until: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE login_throttle SET blocked_until = $2 WHERE source = $1")
            .bind(source)
            .bind(until)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }
}
