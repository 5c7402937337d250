//! The history tiers in SQL: building rollup buckets from the finer tier,
//! their watermarks, reading any tier bucketed for a chart, per-tier
//! retention deletes and size figures. What to build, read or delete is
//! decided by `meridian_core::rollup`; this file only runs it.

use chrono::{DateTime, Utc};
use meridian_core::rollup::{Agg, SeriesAgg, Tier, Watermarks};
use sqlx::{Connection, Row};

use crate::error::StoreError;
use crate::store::Store;

/// Rows and bytes on disk of one tier (raw = the samples table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TierSize {
    pub tier: Tier,
    /// The planner's row estimate, as of the last `ANALYZE` (exact for small
    /// tables; counting a large one would take seconds).
    #[ts(type = "number")]
    pub rows: i64,
    /// Table plus indexes.
    #[ts(type = "number")]
    pub bytes: i64,
}

/// The table, time column and value columns of a tier. Raw samples carry one
/// value; rollup rows carry their aggregates.
struct Shape {
    table: &'static str,
    time: &'static str,
    /// count, sum, min, max, last, last_at as aggregates over source rows.
    merge: &'static str,
    /// count, sum, min, max only: what a chart reads.
    read: &'static str,
}

fn shape(tier: Tier) -> Shape {
    const ROLLUP_MERGE: &str = "sum(n)::int8, sum(sum_v), min(min_v), max(max_v), \
         (array_agg(last_v ORDER BY last_at DESC))[1], max(last_at)";
    const ROLLUP_READ: &str = "sum(n)::int8, sum(sum_v), min(min_v), max(max_v)";
    let rollup = |table| Shape { table, time: "bucket", merge: ROLLUP_MERGE, read: ROLLUP_READ };
    match tier {
        Tier::Raw => Shape {
            table: "samples",
            time: "at",
            merge: "count(*), sum(value), min(value), max(value), (array_agg(value ORDER BY at DESC))[1], max(at)",
            read: "count(*), sum(value), min(value), max(value)",
        },
        Tier::FiveMin => rollup("rollup_5m"),
        Tier::Hour => rollup("rollup_1h"),
        Tier::Day => rollup("rollup_1d"),
    }
}

impl Store {
    /// Every rollup tier's watermark (`None` for a tier never built).
    pub async fn rollup_watermarks(&self) -> Result<Watermarks, StoreError> {
        let rows =
            sqlx::query("SELECT tier, done_until FROM rollup_watermarks").fetch_all(&mut *self.conn().await?).await?;
        let mut marks = Watermarks::default();
        for r in rows {
            let name: String = r.try_get("tier")?;
            if let Some(t) = Tier::ROLLUPS.into_iter().find(|t| t.name() == name) {
                marks.set(t, Some(r.try_get("done_until")?));
            }
        }
        Ok(marks)
    }

    /// The oldest row of `tier`, where its first rollup starts. A full scan
    /// on the samples table (no index orders by time alone), needed once.
    pub async fn oldest_in_tier(&self, tier: Tier) -> Result<Option<DateTime<Utc>>, StoreError> {
        let s = shape(tier);
        let sql = format!("SELECT min({}) FROM {}", s.time, s.table);
        Ok(sqlx::query_scalar(&sql).fetch_one(&mut *self.conn().await?).await?)
    }

    /// Where building `tier`'s consumer starts: the oldest row of `tier`
    /// (series or availability; for raw, samples or logged state changes).
    /// A full scan of `samples`, needed once per store.
    pub async fn oldest_source(&self, tier: Tier) -> Result<Option<DateTime<Utc>>, StoreError> {
        let s = shape(tier);
        let states = match tier.width_secs() {
            None => "SELECT min(at) FROM event_log WHERE action = 'device.state'".to_owned(),
            Some(w) => format!("SELECT min(bucket) FROM state_rollups WHERE width_secs = {w}"),
        };
        let sql = format!("SELECT least((SELECT min({}) FROM {}), ({states}))", s.time, s.table);
        Ok(sqlx::query_scalar(&sql).fetch_one(&mut *self.conn().await?).await?)
    }

    /// Rebuilds every bucket of rollup `tier` starting in `[from, to)` from
    /// its source tier (series, and device availability in `state_rollups`)
    /// and moves the watermark to `to`, in one transaction, whatever the
    /// watermark was. Buckets are replaced whole, so rebuilding a range
    /// leaves the same rows. Returns the buckets written. The rollup job uses
    /// [`Store::rollup_next`]; this is for tools, tests and benchmarks.
    pub async fn rollup_batch(
        &self,
        tier: Tier,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let written = build(&mut tx, tier, from, to).await?;
        set_mark(&mut tx, tier, to, now).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// [`Store::rollup_batch`] only if `tier`'s watermark is still `mark`
    /// (the one the batch was planned from), checked under a row lock:
    /// two Meridians on one PostgreSQL then never rebuild a stretch the
    /// other has finished (whose source rows retention may have removed
    /// since). `None` when the watermark had moved; nothing is written then.
    pub async fn rollup_next(
        &self,
        tier: Tier,
        mark: Option<DateTime<Utc>>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let current: Option<DateTime<Utc>> =
            sqlx::query_scalar("SELECT done_until FROM rollup_watermarks WHERE tier = $1 FOR UPDATE")
                .bind(tier.name())
                .fetch_optional(&mut *tx)
                .await?;
        if current != mark {
            tx.rollback().await?;
            return Ok(None);
        }
        let written = build(&mut tx, tier, from, to).await?;
        set_mark(&mut tx, tier, to, now).await?;
        tx.commit().await?;
        Ok(Some(written))
    }

    /// Moves `tier`'s watermark without building anything: for a tier whose
    /// source is empty, so the next run does not look for its start again.
    pub async fn set_rollup_watermark(
        &self,
        tier: Tier,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        set_mark(&mut *self.conn().await?, tier, at, now).await
    }

    /// Aggregates of `series` from `tier`'s rows in `[from, to)`, bucketed to
    /// `bucket_secs` (epoch-aligned; a multiple of the tier's width), ordered
    /// by series then time.
    pub async fn tier_aggregates(
        &self,
        tier: Tier,
        series: &[i64],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        bucket_secs: i64,
    ) -> Result<Vec<SeriesAgg>, StoreError> {
        if series.is_empty() || from >= to {
            return Ok(Vec::new());
        }
        let s = shape(tier);
        let sql = format!(
            "SELECT series_id, \
                    extract(epoch FROM date_bin(make_interval(secs => $4), {time}, 'epoch'::timestamptz))::int8 AS t, \
                    {read} FROM {table} \
             WHERE series_id = ANY($1) AND {time} >= $2 AND {time} < $3 GROUP BY 1, 2 ORDER BY 1, 2",
            time = s.time,
            read = s.read,
            table = s.table,
        );
        let rows = sqlx::query(&sql)
            .bind(series)
            .bind(from)
            .bind(to)
            .bind(bucket_secs.max(1) as f64)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SeriesAgg {
                    series_id: r.try_get("series_id")?,
                    t: r.try_get("t")?,
                    agg: Agg { count: r.try_get(2)?, sum: r.try_get(3)?, min: r.try_get(4)?, max: r.try_get(5)? },
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Deletes at most `limit` rows of `tier` older than `before` (and at
    /// most `limit` of its availability rows), in short statements so the
    /// sample writer waits for one batch at most. Returns the larger of the
    /// two counts; fewer than `limit` means none are left. For raw samples,
    /// the daily partitions wholly before `before` are dropped first (not
    /// counted: counting would read them), then the rest is deleted per leaf.
    pub async fn purge_tier(&self, tier: Tier, before: DateTime<Utc>, limit: i64) -> Result<u64, StoreError> {
        let mut conn = self.conn().await?;
        let done = if tier == Tier::Raw {
            crate::partitions::drop_before(&mut conn, before).await?;
            crate::partitions::delete_before(&mut conn, before, limit).await?
        } else {
            let s = shape(tier);
            // Rollup rows are few per bucket; ctid names a row for a bounded delete.
            let sql = format!(
                "DELETE FROM {table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {table} WHERE {time} < $1 LIMIT $2))",
                table = s.table,
                time = s.time,
            );
            sqlx::query(&sql).bind(before).bind(limit.max(1)).execute(&mut *conn).await?.rows_affected()
        };
        let states = crate::state_rollups::purge(&mut conn, tier, before, limit).await?;
        Ok(done.max(states))
    }

    /// Rows (planner estimate) and bytes of every tier, finest first.
    pub async fn tier_sizes(&self) -> Result<Vec<TierSize>, StoreError> {
        let mut conn = self.conn().await?;
        let mut out = Vec::with_capacity(Tier::ALL.len());
        for tier in Tier::ALL {
            // A partitioned table has no storage or row estimate of its own:
            // raw samples are the sum of their leaves.
            let sql = if tier == Tier::Raw {
                "SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::int8 AS rows, \
                        coalesce(sum(pg_total_relation_size(c.oid)), 0)::int8 AS bytes \
                 FROM pg_partition_tree($1::regclass) t JOIN pg_class c ON c.oid = t.relid WHERE t.isleaf"
            } else {
                "SELECT greatest(reltuples, 0)::int8 AS rows, pg_total_relation_size(oid) AS bytes \
                 FROM pg_class WHERE oid = $1::regclass"
            };
            let r = sqlx::query(sql).bind(shape(tier).table).fetch_one(&mut *conn).await?;
            out.push(TierSize { tier, rows: r.try_get("rows")?, bytes: r.try_get("bytes")? });
        }
        Ok(out)
    }

    /// Summarizes the block ranges added since last time in the BRIN time
    /// indexes of samples (each partition's) and rollups. Without it a range nobody summarized
    /// matches every query, so a rollup batch or purge by time would read
    /// the whole table: PGlite runs no autovacuum, which would otherwise do
    /// it. Cheap: only new ranges are read. Returns ranges summarized.
    pub async fn summarize_time_indexes(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT coalesce(sum(brin_summarize_new_values(i)), 0)::int8 FROM (\
             SELECT relid AS i FROM pg_partition_tree('samples_at_brin'::regclass) WHERE isleaf \
             UNION ALL SELECT unnest(ARRAY[\
             'rollup_5m_bucket_brin', 'rollup_1h_bucket_brin', 'rollup_1d_bucket_brin']::regclass[])) t",
        )
        .fetch_one(&mut *self.conn().await?)
        .await?)
    }

    /// Refreshes the row estimates [`Store::tier_sizes`] reads (and the
    /// planner's statistics). Samples a bounded number of pages per table.
    pub async fn analyze_tiers(&self) -> Result<(), StoreError> {
        sqlx::query("ANALYZE samples, rollup_5m, rollup_1h, rollup_1d").execute(&mut *self.conn().await?).await?;
        Ok(())
    }
}

/// Rebuilds `tier`'s series and availability buckets starting in
/// `[from, to)` from the source tier; returns series buckets written.
async fn build(
    conn: &mut sqlx::PgConnection,
    tier: Tier,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let (Some(width), Some(source)) = (tier.width_secs(), tier.source()) else {
        return Ok(0);
    };
    let (dst, src) = (shape(tier), shape(source));
    let sql = format!(
        "INSERT INTO {dst} (series_id, bucket, n, sum_v, min_v, max_v, last_v, last_at) \
         SELECT series_id, date_bin(make_interval(secs => $3), {time}, 'epoch'::timestamptz), {merge} \
         FROM {src} WHERE {time} >= $1 AND {time} < $2 GROUP BY 1, 2 \
         ON CONFLICT (series_id, bucket) DO UPDATE SET n = EXCLUDED.n, sum_v = EXCLUDED.sum_v, \
         min_v = EXCLUDED.min_v, max_v = EXCLUDED.max_v, last_v = EXCLUDED.last_v, last_at = EXCLUDED.last_at",
        dst = dst.table,
        src = src.table,
        time = src.time,
        merge = src.merge,
    );
    let written = sqlx::query(&sql).bind(from).bind(to).bind(width as f64).execute(&mut *conn).await?;
    let states = crate::state_rollups::rebuild(conn, tier, from, to).await?;
    tracing::trace!(tier = tier.name(), %from, %to, states, "rollup batch");
    Ok(written.rows_affected())
}

async fn set_mark(
    conn: &mut sqlx::PgConnection,
    tier: Tier,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO rollup_watermarks (tier, done_until, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (tier) DO UPDATE SET done_until = EXCLUDED.done_until, updated_at = EXCLUDED.updated_at",
    )
    .bind(tier.name())
    .bind(at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
