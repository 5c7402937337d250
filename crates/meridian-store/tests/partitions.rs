//! The daily partitions of raw samples (migration 0013) on both backends:
//! rows land in their day's partition, raw retention drops whole days and
//! deletes the rest, charts read the same before and after, a day the
//! DEFAULT partition holds gets no partition, and a store at the schema
//! before 0013 upgrades keeping every row.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use meridian_core::rollup::{SeriesAgg, Tier};
use meridian_core::sample::Sample;
use meridian_store::{Store, SAMPLE_PARTITION_DAYS_AHEAD};

mod common;
use common::{open, open_with_config, BOTH};

/// Midnight UTC of the first simulated day: long past, so the partitions
/// the store made at open (for the wall clock's days) are not these.
fn day0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).single().expect("valid")
}

fn date(days: i64) -> NaiveDate {
    (day0() + Duration::days(days)).date_naive()
}

/// Two series, one sample every 10 minutes each, for `days` days from day0.
fn samples(days: i64) -> Vec<Sample> {
    (0..days * 144)
        .flat_map(|i| {
            let at = day0() + Duration::minutes(i * 10);
            [Sample { at, series: 1, value: (i % 50) as f64 }, Sample { at, series: 2, value: (i % 7) as f64 - 3.0 }]
        })
        .collect()
}

async fn scalar_i64(s: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&mut *s.conn().await.expect("conn"))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn chart(s: &Store, tier: Tier, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<SeriesAgg> {
    s.tier_aggregates(tier, &[1, 2], from, to, 7200).await.expect("chart")
}

async fn purge_all(s: &Store, before: DateTime<Utc>, batch: i64) -> Vec<u64> {
    let mut deleted = Vec::new();
    loop {
        let n = s.purge_tier(Tier::Raw, before, batch).await.expect("purge");
        deleted.push(n);
        if n < batch as u64 {
            return deleted;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn raw_retention_drops_whole_days_and_charts_read_the_same() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        // As the rollup job would over the days: 0..=5 each get a partition.
        let mut made = s.ensure_sample_partitions(day0()).await.expect("partitions");
        made.extend(s.ensure_sample_partitions(day0() + Duration::days(2)).await.expect("later"));
        assert_eq!(made, (0..=2 + SAMPLE_PARTITION_DAYS_AHEAD).map(date).collect::<Vec<_>>(), "{kind:?}");
        assert!(s.ensure_sample_partitions(day0()).await.expect("again").is_empty(), "{kind:?}: made twice");

        let raw = samples(5);
        s.insert_samples(&raw).await.expect("insert");
        assert_eq!(scalar_i64(&s, "SELECT count(*) FROM samples_default").await, 0, "{kind:?}: rows in DEFAULT");
        let day1 = format!("SELECT count(*) FROM samples_p{}", date(1).format("%Y%m%d"));
        assert_eq!(scalar_i64(&s, &day1).await, 2 * 144, "{kind:?}");

        let end = day0() + Duration::days(5);
        let mut at = day0();
        while at < end {
            for tier in Tier::ROLLUPS {
                s.rollup_batch(tier, at, at + Duration::days(1), end).await.expect("rollup");
            }
            at += Duration::days(1);
        }
        let hourly = chart(&s, Tier::Hour, day0(), end).await;
        let cut = day0() + Duration::days(2) + Duration::hours(6);
        let recent = chart(&s, Tier::Raw, cut, end).await;
        assert_eq!(recent, chart(&s, Tier::Hour, cut, end).await, "{kind:?}: tiers disagree");

        // Days 0 and 1 end before the cut: dropped. Day 2 loses its first
        // 6 hours by batched deletes (36 rows a series), in batches of 10.
        let deleted = purge_all(&s, cut, 10).await;
        assert!(deleted.iter().all(|&n| n <= 10), "{kind:?}: {deleted:?}");
        assert_eq!(deleted.iter().sum::<u64>(), 2 * 36, "{kind:?}: {deleted:?}");
        let days = s.sample_partitions().await.expect("list");
        let ours: Vec<_> = days.iter().copied().filter(|d| *d < date(10)).collect();
        assert_eq!(ours, (2..=5).map(date).collect::<Vec<_>>(), "{kind:?}");
        let kept = raw.iter().filter(|x| x.at >= cut).count() as i64;
        assert_eq!(s.count_samples().await.expect("count"), kept, "{kind:?}");
        assert!(s.oldest_in_tier(Tier::Raw).await.expect("oldest").is_some_and(|t| t >= cut), "{kind:?}");

        // The same charts: rollups untouched, raw intact after the cut.
        assert_eq!(chart(&s, Tier::Hour, day0(), end).await, hourly, "{kind:?}");
        assert_eq!(chart(&s, Tier::Raw, cut, end).await, recent, "{kind:?}");
        // Nothing left to purge; a second pass changes nothing.
        assert_eq!(purge_all(&s, cut, 10).await, [0], "{kind:?}");

        s.analyze_tiers().await.expect("analyze");
        let raw_size = s.tier_sizes().await.expect("sizes")[0];
        assert_eq!((raw_size.tier, raw_size.rows), (Tier::Raw, kept), "{kind:?}: leaves summed");
        assert!(raw_size.bytes > 0, "{kind:?}");
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_day_the_default_partition_holds_gets_no_partition() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let noon = day0() + Duration::hours(12);
        s.insert_samples(&[Sample { at: noon, series: 1, value: 1.0 }]).await.expect("insert");
        let made = s.ensure_sample_partitions(noon).await.expect("partitions");
        assert_eq!(made, (1..=SAMPLE_PARTITION_DAYS_AHEAD).map(date).collect::<Vec<_>>(), "{kind:?}");
        // The day stays in the DEFAULT partition and keeps taking rows there.
        s.insert_samples(&[Sample { at: noon + Duration::hours(1), series: 1, value: 2.0 }]).await.expect("more");
        assert_eq!(scalar_i64(&s, "SELECT count(*) FROM samples_default").await, 2, "{kind:?}");
        // Retention deletes from the DEFAULT partition too.
        assert_eq!(purge_all(&s, day0() + Duration::days(1), 10).await, [2], "{kind:?}");
        assert_eq!(s.count_samples().await.expect("count"), 0, "{kind:?}");
        s.close().await;
    }
}

/// The samples table as migration 0001 made it, with 0013 not applied:
/// what a store written before this change has.
const BEFORE_0013: &str = "DROP TABLE samples; \
    CREATE TABLE samples (at timestamptz NOT NULL, series_id bigint NOT NULL, value double precision NOT NULL); \
    CREATE INDEX samples_at_brin ON samples USING brin (at); \
    CREATE INDEX samples_series_at_idx ON samples (series_id, at); \
    DELETE FROM _sqlx_migrations WHERE version = 13";

#[tokio::test(flavor = "multi_thread")]
async fn a_store_from_before_partitioning_upgrades_keeping_every_row() {
    for kind in BOTH {
        let (s, cfg, _dir) = open_with_config(kind).await;
        sqlx::raw_sql(BEFORE_0013).execute(&mut *s.conn().await.expect("conn")).await.expect("old schema");
        // Old days, and today by the wall clock, which the store's open
        // would otherwise give a partition.
        let mut rows = samples(3);
        let now = Utc::now();
        rows.extend((0..20).map(|i| Sample { at: now - Duration::minutes(i), series: 3, value: i as f64 }));
        s.insert_samples(&rows).await.expect("insert");
        let sum = "SELECT sum(value * series_id)::int8 FROM samples";
        let before = (s.count_samples().await.expect("count"), scalar_i64(&s, sum).await);
        let chart_before = chart(&s, Tier::Raw, day0(), day0() + Duration::days(3)).await;
        s.close().await;

        let s = Store::open(cfg.clone()).await.expect("upgrade");
        assert_eq!(scalar_i64(&s, "SELECT count(*) FROM _sqlx_migrations WHERE version = 13 AND success").await, 1);
        assert_eq!(s.schema_version().await.expect("version"), meridian_store::supported_schema_version());
        let kind_of: String = sqlx::query_scalar("SELECT relkind::text FROM pg_class WHERE oid = 'samples'::regclass")
            .fetch_one(&mut *s.conn().await.expect("conn"))
            .await
            .expect("relkind");
        assert_eq!(kind_of, "p", "{kind:?}: samples is not partitioned");
        assert_eq!((s.count_samples().await.expect("count"), scalar_i64(&s, sum).await), before, "{kind:?}");
        assert_eq!(scalar_i64(&s, "SELECT count(*) FROM samples_default").await, before.0, "{kind:?}");
        assert_eq!(chart(&s, Tier::Raw, day0(), day0() + Duration::days(3)).await, chart_before, "{kind:?}");
        // The old indexes serve the DEFAULT partition within the partitioned ones.
        for index in ["samples_at_brin", "samples_series_at_idx"] {
            let leaves = scalar_i64(
                &s,
                &format!("SELECT count(*) FROM pg_partition_tree('{index}') WHERE isleaf AND relid::regclass::text = 'samples_default_{}'", &index[8..]),
            )
            .await;
            assert_eq!(leaves, 1, "{kind:?}: {index} does not cover the DEFAULT partition");
        }
        // Today is held by the DEFAULT partition, so only the days ahead got theirs.
        let days = s.sample_partitions().await.expect("list");
        let today = now.date_naive();
        assert!(!days.contains(&today), "{kind:?}: {days:?}");
        assert!(days.contains(&(today + Duration::days(1))), "{kind:?}: {days:?}");
        // New rows still go in, and land beside the old ones.
        s.insert_samples(&[Sample { at: now, series: 3, value: 100.0 }]).await.expect("insert after");
        assert_eq!(s.count_samples().await.expect("count"), before.0 + 1, "{kind:?}");
        s.close().await;
    }
}
