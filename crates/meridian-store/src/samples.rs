//! The time-series write path. One statement per batch: three arrays unnested
//! server-side, which is the fastest portable path short of COPY (and PGlite's
//! COPY needs its blob device, which a wire client cannot feed).

use chrono::{DateTime, Utc};
use meridian_core::sample::Sample;
use serde::Serialize;
use sqlx::{Connection, PgConnection};

use crate::error::StoreError;
use crate::store::Store;

/// Ledger rows kept behind the newest; a day of one batch a second is
/// 86,400, so this is about a day of history at that rate.
const LEDGER_KEEP: i64 = 100_000;

/// One committed batch as the ledger (`writer_batches`) records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchRecord {
    pub seq: i64,
    pub samples: i32,
    pub first_at: DateTime<Utc>,
    pub last_at: DateTime<Utc>,
}

impl Store {
    /// Inserts a batch in one round trip; returns rows written.
    pub async fn insert_samples(&self, batch: &[Sample]) -> Result<u64, StoreError> {
        if batch.is_empty() {
            return Ok(0);
        }
        insert(&mut *self.conn().await?, batch).await
    }

    /// Inserts a batch and its ledger row `seq` in one transaction: after a
    /// crash either both are there or neither. Returns the ledger row.
    pub async fn commit_sample_batch(&self, seq: i64, batch: &[Sample]) -> Result<BatchRecord, StoreError> {
        let first_at = batch.iter().map(|s| s.at).min().unwrap_or_default();
        let last_at = batch.iter().map(|s| s.at).max().unwrap_or_default();
        let samples = i32::try_from(batch.len())
            .map_err(|_| StoreError::Encode { what: "sample batch", detail: format!("{} samples", batch.len()) })?;
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        insert(&mut tx, batch).await?;
        sqlx::query("INSERT INTO writer_batches (seq, samples, first_at, last_at) VALUES ($1, $2, $3, $4)")
            .bind(seq)
            .bind(samples)
            .bind(first_at)
            .bind(last_at)
            .execute(&mut *tx)
            .await?;
        // Pruning rides along every thousandth batch rather than a job of its own.
        if seq % 1_000 == 0 {
            sqlx::query("DELETE FROM writer_batches WHERE seq <= $1").bind(seq - LEDGER_KEEP).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(BatchRecord { seq, samples, first_at, last_at })
    }

    /// The highest committed batch sequence, 0 before the first.
    pub async fn last_batch_seq(&self) -> Result<i64, StoreError> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT MAX(seq) FROM writer_batches").fetch_one(&mut *self.conn().await?).await?;
        Ok(v.unwrap_or(0))
    }

    /// The ledger, oldest first.
    pub async fn batch_ledger(&self) -> Result<Vec<BatchRecord>, StoreError> {
        let rows: Vec<(i64, i32, DateTime<Utc>, DateTime<Utc>)> =
            sqlx::query_as("SELECT seq, samples, first_at, last_at FROM writer_batches ORDER BY seq")
                .fetch_all(&mut *self.conn().await?)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(seq, samples, first_at, last_at)| BatchRecord { seq, samples, first_at, last_at })
            .collect())
    }

    pub async fn count_samples(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM samples").fetch_one(&mut *self.conn().await?).await?)
    }
}

async fn insert(conn: &mut PgConnection, batch: &[Sample]) -> Result<u64, StoreError> {
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
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
