//! The time-series write path. One statement per batch: three arrays unnested
//! server-side, which is the fastest portable path short of COPY (and PGlite's
//! COPY needs its blob device, which a wire client cannot feed).

use chrono::{DateTime, Utc};
use meridian_core::sample::Sample;

use crate::error::StoreError;
use crate::store::Store;

impl Store {
    /// Inserts a batch in one round trip; returns rows written.
    pub async fn insert_samples(&self, batch: &[Sample]) -> Result<u64, StoreError> {
        if batch.is_empty() {
            return Ok(0);
        }
        let mut at: Vec<DateTime<Utc>> = Vec::with_capacity(batch.len());
        let mut series = Vec::with_capacity(batch.len());
        let mut value = Vec::with_capacity(batch.len());
        for s in batch {
            at.push(s.at);
            series.push(s.series);
            value.push(s.value);
        }
        let done = sqlx::query(
            "INSERT INTO samples (at, series_id, value) \
             SELECT * FROM UNNEST($1::timestamptz[], $2::int8[], $3::float8[])",
        )
        .bind(at)
        .bind(series)
        .bind(value)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(done.rows_affected())
    }

    pub async fn count_samples(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM samples").fetch_one(&mut *self.conn().await?).await?)
    }
}
