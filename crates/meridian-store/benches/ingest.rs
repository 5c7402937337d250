//! Store ingest benchmark: 1,000,000 samples through the same UNNEST batch
//! path into embedded PGlite and into a native PostgreSQL started in the same
//! run, so the ratio compares like with like on this machine today.
//!
//! Run: `make bench-store` (or `cargo bench -p meridian-store --bench ingest`).
//! Env: `MERIDIAN_BENCH_ROWS` (default 1000000), `MERIDIAN_BENCH_BATCH` (10000),
//! `MERIDIAN_BENCH_ROUNDS` (3; the median round is reported).

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use meridian_core::sample::Sample;
use meridian_store::{Store, StoreConfig};
use meridian_testkit::NativePostgres;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn batches(rows: usize, batch: usize) -> Vec<Vec<Sample>> {
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_else(Utc::now);
    // 1,000 series, one sample each per "second", like a poller's output.
    let all: Vec<Sample> = (0..rows)
        .map(|i| Sample {
            at: t0 + chrono::Duration::seconds((i / 1000) as i64),
            series: (i % 1000) as i64,
            value: (i as f64).sin() * 100.0,
        })
        .collect();
    all.chunks(batch).map(<[Sample]>::to_vec).collect()
}

async fn ingest(store: &Store, data: &[Vec<Sample>]) -> Duration {
    let start = Instant::now();
    let mut written = 0;
    for b in data {
        written += store.insert_samples(b).await.expect("insert");
    }
    let took = start.elapsed();
    assert_eq!(written as usize, data.iter().map(Vec::len).sum::<usize>());
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let rows = env_usize("MERIDIAN_BENCH_ROWS", 1_000_000);
    let batch = env_usize("MERIDIAN_BENCH_BATCH", 10_000);
    let rounds = env_usize("MERIDIAN_BENCH_ROUNDS", 3).max(1);
    let data = batches(rows, batch);
    let pg = NativePostgres::shared().expect("native PostgreSQL");

    let (mut embedded, mut native) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        // A fresh store each round, so every round ingests into an empty table.
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(StoreConfig::embedded(dir.path())).await.expect("open PGlite");
        let e = ingest(&store, &data).await;
        store.close().await;

        let dir2 = tempfile::tempdir().expect("tempdir");
        let url = pg.fresh_database().expect("database");
        let store = Store::open(StoreConfig::external(dir2.path(), url)).await.expect("open native");
        let n = ingest(&store, &data).await;
        store.close().await;
        eprintln!("round {round}: embedded {:.3}s, native {:.3}s", e.as_secs_f64(), n.as_secs_f64());
        embedded.push(e);
        native.push(n);
    }
    let (e, n) = (median(embedded), median(native));
    let rate = |d: Duration| rows as f64 / d.as_secs_f64();
    let version = pg.psql("SHOW server_version").unwrap_or_default();
    println!("store ingest: {rows} samples, batches of {batch}, median of {rounds} rounds");
    println!("| backend | rows/s | time |");
    println!("|---|---:|---:|");
    println!("| embedded PGlite 17.5 (pglite-oxide, Unix socket) | {:.0} | {:.2} s |", rate(e), e.as_secs_f64());
    println!("| native PostgreSQL {} (loopback TCP) | {:.0} | {:.2} s |", version.trim(), rate(n), n.as_secs_f64());
    println!("ratio embedded/native (throughput): {:.2}x", rate(e) / rate(n));
}
