//! The rollup job's cost beside a running monitor (issue 15: "rollup work
//! while the monitor runs costs under 5 % of one core"). Simulated minutes
//! with time passed in: each minute the samples a monitor of N devices
//! would have written are inserted (not measured), then one job pass runs
//! at that minute's end (`run_rollup_pass`, the background job's own
//! function, default config but no pauses). The passes' CPU over the
//! simulated time is the share of one core the job would take.
//!
//! CPU is this process's (PGlite runs in it); on native PostgreSQL the
//! server's work is in other processes, so there the pass's wall time is
//! given, an upper bound on its CPU since a pass runs one statement at a
//! time.
//!
//! Run: `make bench-rollup-job`.
//! Env: `MERIDIAN_BENCH_DEVICES` (1000), `MERIDIAN_BENCH_SERIES_PER_DEVICE`
//! (10), `MERIDIAN_BENCH_INTERVAL_SECS` (60, a multiple of 60: devices are
//! spread over it), `MERIDIAN_BENCH_HOURS` (4; starts at 22:00 UTC so the
//! day tier and a new day's partition come in), `MERIDIAN_BENCH_BACKENDS`
//! (`pglite,native`).

#[path = "../../meridian-probe/benches/common/procstat.rs"]
#[allow(dead_code)]
mod procstat;

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::inventory::{validate_device, DeviceInput};
use meridian_core::reclaim::Reclaim;
use meridian_core::sample::Sample;
use meridian_core::DeviceId;
use meridian_service::{run_rollup_pass, RollupConfig};
use meridian_store::{Store, StoreConfig};
use meridian_testkit::NativePostgres;
use uuid::Uuid;

fn env_i64(name: &str, default: i64) -> i64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 22, 0, 0).single().unwrap_or_else(Utc::now)
}

/// Series ids, grouped by device.
async fn inventory(store: &Store, devices: i64, per_device: i64) -> Vec<Vec<i64>> {
    let mut out = Vec::new();
    for d in 0..devices {
        let input = DeviceInput {
            name: format!("d{d}"),
            address: format!("127.{}.{}.{}", 10 + d / 65_536, (d / 256) % 256, d % 256),
            ..Default::default()
        };
        let v = validate_device(&input).expect("valid device");
        let id = store.insert_device(&v, DeviceId(Uuid::now_v7()), start(), "bench").await.expect("device").id;
        let mut series = Vec::new();
        for s in 0..per_device {
            series.push(store.ensure_series(id, None, &format!("custom.m{s}"), "").await.expect("series"));
        }
        out.push(series);
    }
    out
}

struct Outcome {
    passes: usize,
    wall: Vec<StdDuration>,
    cpu: StdDuration,
    slowest_at: DateTime<Utc>,
}

async fn run(store: &Store, devices: i64, per_device: i64, interval: i64, hours: i64) -> Outcome {
    let groups = inventory(store, devices, per_device).await;
    let cfg = RollupConfig { pause: StdDuration::ZERO, ..RollupConfig::default() };
    let mut reclaim = Reclaim::hourly();
    let slots = (interval / 60).max(1);
    let mut wall = Vec::new();
    let mut cpu = StdDuration::ZERO;
    let mut slowest = (StdDuration::ZERO, start());
    for m in 0..hours * 60 {
        let at = start() + Duration::minutes(m);
        // This minute's devices: each is polled once per interval.
        let batch: Vec<Sample> = groups
            .iter()
            .enumerate()
            .filter(|(d, _)| *d as i64 % slots == m % slots)
            .flat_map(|(d, ids)| {
                let at = at + Duration::seconds(d as i64 % 60);
                ids.iter().map(move |&series| Sample { at, series, value: ((m * 7 + series) % 1000) as f64 })
            })
            .collect();
        for chunk in batch.chunks(20_000) {
            store.insert_samples(chunk).await.expect("insert");
        }
        let now = at + Duration::minutes(1);
        let (t, c) = (Instant::now(), procstat::self_cpu());
        run_rollup_pass(store, now, &cfg, &|| false, &mut reclaim).await.expect("pass");
        let took = t.elapsed();
        cpu += procstat::self_cpu().saturating_sub(c);
        if took > slowest.0 {
            slowest = (took, now);
        }
        wall.push(took);
    }
    Outcome { passes: wall.len(), wall, cpu, slowest_at: slowest.1 }
}

fn pct(sorted: &[StdDuration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn report(label: &str, o: &mut Outcome, hours: i64, cpu_counts: bool) {
    o.wall.sort();
    let sim = (hours * 3600) as f64;
    let wall: f64 = o.wall.iter().map(StdDuration::as_secs_f64).sum();
    let cpu = if cpu_counts { format!("{:.3} %", o.cpu.as_secs_f64() / sim * 100.0) } else { "n/a".into() };
    println!(
        "| {label} | {} | {:.1} s | {:.3} % | {cpu} | {:.0} | {:.0} | {:.0} ms at {} |",
        o.passes,
        wall,
        wall / sim * 100.0,
        pct(&o.wall, 0.5),
        pct(&o.wall, 0.95),
        pct(&o.wall, 1.0),
        o.slowest_at.format("%H:%M"),
    );
}

#[tokio::main]
async fn main() {
    let devices = env_i64("MERIDIAN_BENCH_DEVICES", 1000).max(1);
    let per_device = env_i64("MERIDIAN_BENCH_SERIES_PER_DEVICE", 10).max(1);
    let interval = (env_i64("MERIDIAN_BENCH_INTERVAL_SECS", 60) / 60).max(1) * 60;
    let hours = env_i64("MERIDIAN_BENCH_HOURS", 4).max(1);
    let backends = std::env::var("MERIDIAN_BENCH_BACKENDS").unwrap_or_else(|_| "pglite,native".into());
    println!(
        "rollup job: {devices} devices x {per_device} series every {interval} s ({} samples a minute), {hours} \
         simulated hours from {} UTC, one pass a minute\n",
        devices * per_device * 60 / interval,
        start().format("%H:%M")
    );
    println!("| store | passes | pass wall, total | of simulated time | pass CPU of simulated time | p50 ms | p95 ms | slowest |");
    println!("|---|---:|---:|---:|---:|---:|---:|---|");
    if backends.contains("pglite") {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(StoreConfig::embedded(dir.path())).await.expect("open PGlite");
        let mut o = run(&store, devices, per_device, interval, hours).await;
        report("PGlite 17.5 (in process)", &mut o, hours, true);
        store.close().await;
    }
    if backends.contains("native") {
        let pg = NativePostgres::shared().expect("native PostgreSQL");
        let dir = tempfile::tempdir().expect("tempdir");
        let url = pg.fresh_database().expect("database");
        let store = Store::open(StoreConfig::external(dir.path(), url)).await.expect("open native");
        let mut o = run(&store, devices, per_device, interval, hours).await;
        let version = pg.psql("SHOW server_version").unwrap_or_default();
        report(&format!("native PostgreSQL {}", version.trim()), &mut o, hours, false);
        store.close().await;
    }
}
