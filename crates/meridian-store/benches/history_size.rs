//! Store size over simulated days (issue 15): a monitor of N devices writes
//! one day of samples at a time, and after each day the store does what the
//! rollup job does at that simulated time: creates the days ahead' sample
//! partitions, builds the 5-min, 1-hour and 1-day tiers for the day, and
//! applies the default retention (core's `Retention::purge_before`, raw
//! 7 days, whole partitions dropped), then reclaims the purged space
//! (`Store::reclaim`, the job's `VACUUM`; daily here, hourly in the job).
//! The store's size and each tier's rows are printed per day.
//! Time is passed in; nothing waits for the wall clock.
//!
//! Run: `make bench-history-size`.
//! Env: `MERIDIAN_BENCH_DEVICES` (1000; one series each),
//! `MERIDIAN_BENCH_SIM_DAYS` (90), `MERIDIAN_BENCH_INTERVAL_SECS` (300, the
//! usual SNMP poll interval), `MERIDIAN_BENCH_BACKENDS` (`pglite,native`),
//! `MERIDIAN_BENCH_RETENTION` (days kept per tier, "raw,5min,1h,1d", e.g.
//! "7,21,45,60": with every horizon inside the simulated days the whole store
//! must level off, which the default's 2-year and forever tiers cannot show
//! in 90 days), `MERIDIAN_BENCH_RECLAIM` (`1`; `0` leaves the purged space
//! unreclaimed, as before the job vacuumed).

use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::rollup::retention::Retention;
use meridian_core::rollup::Tier;
use meridian_core::sample::Sample;
use meridian_store::{Reclaimable, Store, StoreConfig};
use meridian_testkit::NativePostgres;

fn env_i64(name: &str, default: i64) -> i64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn day0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_else(Utc::now)
}

const PURGE_BATCH: i64 = 10_000;

fn mb(bytes: i64) -> f64 {
    bytes as f64 / 1_048_576.0
}

/// One simulated day: the samples, then the job's work at the day's end.
/// Returns how long the reclaim took.
async fn day(store: &Store, d: i64, devices: i64, interval: i64, retention: &Retention) -> std::time::Duration {
    let start = day0() + Duration::days(d);
    store.ensure_sample_partitions(start).await.expect("partitions");
    let mut batch = Vec::with_capacity(20_000);
    for tick in 0..86_400 / interval {
        let at = start + Duration::seconds(tick * interval);
        for s in 1..=devices {
            batch.push(Sample { at, series: s, value: ((tick * 37 + s * 11) % 1000) as f64 / 10.0 });
        }
        if batch.len() >= 20_000 {
            store.insert_samples(&batch).await.expect("insert");
            batch.clear();
        }
    }
    store.insert_samples(&batch).await.expect("insert");
    let end = start + Duration::days(1);
    // The job's grace: a 5-minute bucket is final 2 minutes after it ends.
    let now = end + Duration::minutes(3);
    for tier in Tier::ROLLUPS {
        store.rollup_batch(tier, start, end, now).await.expect("rollup");
    }
    let marks = store.rollup_watermarks().await.expect("marks");
    for tier in Tier::ALL {
        let Some(before) = retention.purge_before(tier, now, &marks) else { continue };
        while store.purge_tier(tier, before, PURGE_BATCH).await.expect("purge") >= PURGE_BATCH as u64 {}
    }
    let t = Instant::now();
    if env_i64("MERIDIAN_BENCH_RECLAIM", 1) != 0 {
        store.reclaim(Reclaimable::Rollups).await.expect("reclaim");
    }
    t.elapsed()
}

async fn run(
    store: &Store,
    label: &str,
    days: i64,
    devices: i64,
    interval: i64,
    retention: &Retention,
) -> Vec<(i64, i64)> {
    println!("\n{label}\n");
    println!(
        "| day | store MB | raw rows | raw MB | 5-min rows | 5-min MB | 1-hour rows | 1-hour MB | 1-day rows | 1-day MB \
         | raw partitions | day took | of it reclaim |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut sizes = Vec::new();
    for d in 0..days {
        let t = Instant::now();
        let reclaim = day(store, d, devices, interval, retention).await;
        let took = t.elapsed();
        store.analyze_tiers().await.expect("analyze");
        let tiers = store.tier_sizes().await.expect("sizes");
        let total = store.size_bytes().await.expect("size");
        // Only the simulated days' (and those made ahead of them): the
        // store's open also made the wall clock's days.
        let sim_end = (day0() + Duration::days(d + 2 + meridian_store::SAMPLE_PARTITION_DAYS_AHEAD)).date_naive();
        let parts = store.sample_partitions().await.expect("partitions").iter().filter(|p| **p < sim_end).count();
        println!(
            "| {} | {:.1} | {} | {:.1} | {} | {:.1} | {} | {:.1} | {} | {:.1} | {parts} | {:.1} s | {:.2} s |",
            d + 1,
            mb(total),
            tiers[0].rows,
            mb(tiers[0].bytes),
            tiers[1].rows,
            mb(tiers[1].bytes),
            tiers[2].rows,
            mb(tiers[2].bytes),
            tiers[3].rows,
            mb(tiers[3].bytes),
            took.as_secs_f64(),
            reclaim.as_secs_f64()
        );
        sizes.push((total, tiers[0].bytes));
    }
    sizes
}

/// Growth of the whole store and of raw samples, in MB per day, from the
/// day after `from_day` to the last day.
fn summary(label: &str, sizes: &[(i64, i64)], from_day: usize, what: &str) {
    if sizes.len() < from_day + 2 {
        return;
    }
    let (first, last) = (sizes[from_day], sizes[sizes.len() - 1]);
    let span = (sizes.len() - from_day - 1) as f64;
    println!(
        "{label}: after day {} ({what}), store {:+.2} MB/day ({:.1} → {:.1} MB), raw samples {:+.2} MB/day (raw {:.1} → {:.1} MB)",
        from_day + 1,
        mb(last.0 - first.0) / span,
        mb(first.0),
        mb(last.0),
        mb(last.1 - first.1) / span,
        mb(first.1),
        mb(last.1)
    );
}

/// `MERIDIAN_BENCH_RETENTION`, or the default; a bad value stops the bench.
fn retention() -> Retention {
    let Ok(v) = std::env::var("MERIDIAN_BENCH_RETENTION") else { return Retention::default() };
    let days: Vec<u32> =
        v.split(',').map(|d| d.trim().parse().expect("MERIDIAN_BENCH_RETENTION: raw,5min,1h,1d days")).collect();
    let [raw_days, five_min_days, hour_days, day] = days[..] else {
        panic!("MERIDIAN_BENCH_RETENTION takes four numbers of days: raw,5min,1h,1d");
    };
    let r = Retention { raw_days, five_min_days, hour_days, day_days: Some(day) };
    r.validate().expect("MERIDIAN_BENCH_RETENTION");
    r
}

#[tokio::main]
async fn main() {
    let devices = env_i64("MERIDIAN_BENCH_DEVICES", 1000).max(1);
    let days = env_i64("MERIDIAN_BENCH_SIM_DAYS", 90).max(1);
    let interval = env_i64("MERIDIAN_BENCH_INTERVAL_SECS", 300).clamp(1, 86_400);
    let backends = std::env::var("MERIDIAN_BENCH_BACKENDS").unwrap_or_else(|_| "pglite,native".into());
    let retention = retention();
    let kept = |d: Option<u32>| d.map_or("forever".to_string(), |d| format!("{d} d"));
    println!(
        "history size: {devices} devices x 1 series, one sample per {interval} s ({} rows a day), {days} simulated \
         days, retention raw {} d, 5 min {} d, 1 h {} d, 1 d {}{}, purged space {}",
        devices * (86_400 / interval),
        retention.raw_days,
        retention.five_min_days,
        retention.hour_days,
        kept(retention.day_days),
        if retention == Retention::default() { " (the default)" } else { "" },
        if env_i64("MERIDIAN_BENCH_RECLAIM", 1) != 0 { "reclaimed daily" } else { "not reclaimed" }
    );
    let mut results = Vec::new();
    if backends.contains("pglite") {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(StoreConfig::embedded(dir.path())).await.expect("open PGlite");
        results.push(("PGlite 17.5", run(&store, "PGlite 17.5", days, devices, interval, &retention).await));
        store.close().await;
    }
    if backends.contains("native") {
        let pg = NativePostgres::shared().expect("native PostgreSQL");
        let dir = tempfile::tempdir().expect("tempdir");
        let url = pg.fresh_database().expect("database");
        let store = Store::open(StoreConfig::external(dir.path(), url)).await.expect("open native");
        let version = pg.psql("SHOW server_version").unwrap_or_default();
        let label = format!("native PostgreSQL {}", version.trim());
        let sizes = run(&store, &label, days, devices, interval, &retention).await;
        store.close().await;
        results.push(("native PostgreSQL", sizes));
    }
    println!();
    // The longest finite horizon: past it, nothing but the day tier's
    // forever (if kept forever) may grow.
    let longest =
        [Some(retention.raw_days), Some(retention.five_min_days), Some(retention.hour_days), retention.day_days];
    let longest = longest.iter().map(|d| d.unwrap_or(u32::MAX)).max().unwrap_or(u32::MAX) as usize;
    for (label, sizes) in &results {
        summary(label, sizes, 7, "the raw horizon passed");
        if longest < sizes.len() {
            summary(label, sizes, longest + 1, "every horizon passed");
        }
    }
}
