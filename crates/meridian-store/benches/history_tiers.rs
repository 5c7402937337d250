//! History tier benchmark: a 30-day chart (2-hour buckets, what the device
//! page asks for with ~500 points) read from the 1-hour and 5-minute rollup
//! tiers versus aggregating the raw samples at read time, on embedded PGlite
//! and a native PostgreSQL started in the same run. Also times building the
//! tiers from raw samples, whole and in the job's steady state.
//!
//! Run: `make bench-history` (or `cargo bench -p meridian-store --bench history_tiers`).
//! Env: `MERIDIAN_BENCH_SERIES` (20), `MERIDIAN_BENCH_DAYS` (30; one sample a
//! minute per series), `MERIDIAN_BENCH_ROUNDS` (15; the median is reported),
//! `MERIDIAN_BENCH_CHART_SERIES` (20: the "one device" reads ask for this many
//! series, the first ones, since a chart never asks for a thousand).
//! The samples go to daily partitions, as on a store that ran those days.

use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Span, TimeZone, Utc};
use meridian_core::rollup::Tier;
use meridian_core::sample::Sample;
use meridian_store::{Store, StoreConfig};
use meridian_testkit::NativePostgres;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_else(Utc::now)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

struct Figures {
    fill: Duration,
    build: Duration,
    /// Newest 5-minute bucket, newest hour, of every series.
    steady: (Duration, Duration),
    /// (what, median, rows returned)
    reads: Vec<(&'static str, Duration, usize)>,
}

async fn run(store: &Store, series: usize, days: i64, rounds: usize, device: usize) -> Figures {
    let ids: Vec<i64> = (1..=series as i64).collect();
    let device = &ids[..device.clamp(1, series)];
    // Each call makes its day and the few after it, as the job does daily.
    let mut day = 0;
    while day < days {
        store.ensure_sample_partitions(start() + Span::days(day)).await.expect("partitions");
        day += meridian_store::SAMPLE_PARTITION_DAYS_AHEAD + 1;
    }
    let t = Instant::now();
    let mut batch = Vec::with_capacity(20_000);
    for minute in 0..days * 1440 {
        for &s in &ids {
            let value = ((minute * 37 + s * 11) % 1000) as f64 / 10.0;
            batch.push(Sample { at: start() + Span::minutes(minute), series: s, value });
        }
        if batch.len() >= 20_000 {
            store.insert_samples(&batch).await.expect("insert");
            batch.clear();
        }
    }
    store.insert_samples(&batch).await.expect("insert");
    let fill = t.elapsed();

    let end = start() + Span::days(days);
    let t = Instant::now();
    for tier in Tier::ROLLUPS {
        let span = Span::days(1);
        let mut at = start();
        while at < end {
            store.rollup_batch(tier, at, (at + span).min(end), end).await.expect("rollup");
            at += span;
        }
    }
    let build = t.elapsed();
    store.analyze_tiers().await.expect("analyze");
    // As each rollup pass starts (PGlite has no autovacuum to do it).
    store.summarize_time_indexes().await.expect("summarize");

    // Steady state: what the job does as time moves on, rebuilding the
    // newest 5-minute bucket (every 5 minutes) and the newest hour (every
    // hour) of every series.
    let (mut five, mut hour) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for _ in 0..rounds {
        let t = Instant::now();
        store.rollup_batch(Tier::FiveMin, end - Span::minutes(5), end, end).await.expect("5 min");
        five.push(t.elapsed());
        let t = Instant::now();
        store.rollup_batch(Tier::Hour, end - Span::hours(1), end, end).await.expect("1 h");
        hour.push(t.elapsed());
    }
    let steady = (median(five), median(hour));

    let (from, to, bucket) = (start(), end, 7200);
    let mut reads = Vec::new();
    let mut answers = Vec::new();
    for (what, tier, asked) in [
        ("raw samples, 1 series", Tier::Raw, &ids[..1]),
        ("1-hour tier, 1 series", Tier::Hour, &ids[..1]),
        ("5-min tier, 1 series", Tier::FiveMin, &ids[..1]),
        ("raw samples, one device's series", Tier::Raw, device),
        ("1-hour tier, one device's series", Tier::Hour, device),
        ("5-min tier, one device's series", Tier::FiveMin, device),
    ] {
        let mut times = Vec::with_capacity(rounds);
        let mut rows = Vec::new();
        for _ in 0..rounds {
            let t = Instant::now();
            rows = store.tier_aggregates(tier, asked, from, to, bucket).await.expect("read");
            times.push(t.elapsed());
        }
        reads.push((what, median(times), rows.len()));
        answers.push(rows);
    }
    // Same chart whichever tier it came from.
    assert_eq!(answers[0].len(), answers[1].len());
    for (raw, tiered) in [(0, 1), (0, 2), (3, 4), (3, 5)] {
        for (a, b) in answers[raw].iter().zip(&answers[tiered]) {
            assert_eq!(
                (a.series_id, a.t, a.agg.count, a.agg.min, a.agg.max),
                (b.series_id, b.t, b.agg.count, b.agg.min, b.agg.max)
            );
            assert!((a.agg.sum - b.agg.sum).abs() < 1e-6 * a.agg.sum.abs().max(1.0));
        }
    }
    Figures { fill, build, steady, reads }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let series = env_usize("MERIDIAN_BENCH_SERIES", 20);
    let days = env_usize("MERIDIAN_BENCH_DAYS", 30) as i64;
    let rounds = env_usize("MERIDIAN_BENCH_ROUNDS", 15).max(1);
    let device = env_usize("MERIDIAN_BENCH_CHART_SERIES", 20).clamp(1, series.max(1));
    let pg = NativePostgres::shared().expect("native PostgreSQL");

    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(StoreConfig::embedded(dir.path())).await.expect("open PGlite");
    let e = run(&store, series, days, rounds, device).await;
    store.close().await;
    // Gigabytes at a thousand series: freed before the second store fills.
    drop(dir);

    let dir2 = tempfile::tempdir().expect("tempdir");
    let url = pg.fresh_database().expect("database");
    let store = Store::open(StoreConfig::external(dir2.path(), url)).await.expect("open native");
    let n = run(&store, series, days, rounds, device).await;
    store.close().await;

    let rows = series as i64 * days * 1440;
    let version = pg.psql("SHOW server_version").unwrap_or_default();
    println!(
        "history tiers: {series} series x {days} days at 60 s = {rows} raw rows in daily partitions; \
         30-day chart, 2 h buckets; one device = {device} series; median of {rounds}"
    );
    println!("| | PGlite 17.5 | native PostgreSQL {} |", version.trim());
    println!("|---|---:|---:|");
    println!("| fill (insert_samples, 20k batches) | {:.1} s | {:.1} s |", e.fill.as_secs_f64(), n.fill.as_secs_f64());
    println!("| build 5 min + 1 h + 1 day tiers | {:.1} s | {:.1} s |", e.build.as_secs_f64(), n.build.as_secs_f64());
    println!(
        "| steady state: newest 5-min bucket of every series | {:.2} ms | {:.2} ms |",
        ms(e.steady.0),
        ms(n.steady.0)
    );
    println!("| steady state: newest hour of every series | {:.2} ms | {:.2} ms |", ms(e.steady.1), ms(n.steady.1));
    // Per hour: twelve 5-minute batches and one hourly one, over 3600 s.
    let share = |f: &Figures| (12.0 * ms(f.steady.0) + ms(f.steady.1)) / 3_600_000.0 * 100.0;
    println!(
        "| rollup time per hour of monitoring, as a share of one core | {:.4} % | {:.4} % |",
        share(&e),
        share(&n)
    );
    for (i, (what, te, rows)) in e.reads.iter().enumerate() {
        let tn = n.reads[i].1;
        println!("| {what} ({rows} buckets) | {:.2} ms | {:.2} ms |", ms(*te), ms(tn));
    }
    for (raw, tiered) in [(0, 1), (0, 2), (3, 4), (3, 5)] {
        println!(
            "| ratio {} / {} | {:.1}x | {:.1}x |",
            e.reads[raw].0,
            e.reads[tiered].0,
            ms(e.reads[raw].1) / ms(e.reads[tiered].1),
            ms(n.reads[raw].1) / ms(n.reads[tiered].1)
        );
    }
}
