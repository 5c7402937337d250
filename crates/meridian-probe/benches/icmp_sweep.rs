//! ICMP sweep of 127.1.0.0/16 (65,534 live loopback targets): our engine
//! against `fping -a -q -r 0 -t 200 -i 0 -g 127.1.0.0/16`, in the same run,
//! median wall time of 3 each, printed as a markdown table.
//!
//! Run: `cargo bench -p meridian-probe --bench icmp_sweep` (as root, or with
//! ping sockets allowed). Traffic goes only to 127.1.0.0/16. Every run is
//! bounded: fping by `-t 200 -r 0`, ours by timeout 200 ms and 0 retries, and
//! each by a 60 s wall-clock limit.

use std::time::{Duration, Instant};

use meridian_probe::icmp::{expand_targets, IcmpEngine, SweepOptions};

const RANGE: &str = "127.1.0.0/16";
const RUNS: usize = 3;
const LIMIT: Duration = Duration::from_secs(60);

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// One fping run: (wall time, alive count), or None if fping is missing.
fn fping_once() -> Option<(Duration, usize)> {
    let started = Instant::now();
    let alive = meridian_testkit::fping_alive(RANGE, LIMIT)?;
    Some((started.elapsed(), alive.len()))
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that is not ours means
    // another bench was selected, so do nothing.
    if std::env::args().skip(1).any(|a| !a.starts_with('-') && !"icmp_sweep".contains(a.as_str())) {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let targets = expand_targets(RANGE, false).expect("range parses");
    let expected = targets.len();
    let opts = SweepOptions {
        concurrency: std::env::var("MERIDIAN_SWEEP_CONCURRENCY")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(SweepOptions::default().concurrency),
        timeout: Duration::from_millis(200),
        retries: 0,
        payload_size: 56,
    };

    let mut ours = Vec::new();
    let mut ours_alive = Vec::new();
    let mut theirs = Vec::new();
    let mut theirs_alive = Vec::new();
    for run in 0..RUNS {
        if let Some((t, n)) = fping_once() {
            theirs.push(t);
            theirs_alive.push(n);
        }
        let engine = IcmpEngine::new();
        let targets = targets.clone();
        let (t, n) = rt.block_on(async {
            let started = Instant::now();
            let report = tokio::time::timeout(LIMIT, engine.sweep(targets, &opts, |_| {}))
                .await
                .expect("sweep finished within the limit")
                .expect("sweep ran");
            (started.elapsed(), report.alive.len())
        });
        eprintln!("run {run}: meridian {t:?} ({n} alive), fping {:?}", theirs.last());
        ours.push(t);
        ours_alive.push(n);
    }

    let ours_med = median(ours);
    let missed = expected - ours_alive.iter().copied().min().unwrap_or(0);
    println!("\n### ICMP sweep of {RANGE} ({expected} targets), median of {RUNS}\n");
    println!("| tool | wall time (median) | alive (min of runs) | missed | ratio vs fping |");
    println!("|---|---:|---:|---:|---:|");
    if theirs.is_empty() {
        println!(
            "| meridian (concurrency {}) | {ours_med:.3?} | {} | {missed} | n/a (fping not installed) |",
            opts.concurrency,
            expected - missed
        );
        return;
    }
    let fping_med = median(theirs);
    let fping_alive = theirs_alive.iter().copied().min().unwrap_or(0);
    let ratio = ours_med.as_secs_f64() / fping_med.as_secs_f64();
    println!(
        "| meridian (concurrency {}) | {ours_med:.3?} | {} | {missed} | {ratio:.2}x |",
        opts.concurrency,
        expected - missed
    );
    println!(
        "| `fping -a -q -r 0 -t 200 -i 0 -g {RANGE}` | {fping_med:.3?} | {fping_alive} | {} | 1.00x |",
        expected - fping_alive
    );
    println!("\nGoal: ratio <= 0.80x with 0 missed: {}", if ratio <= 0.8 && missed == 0 { "met" } else { "NOT met" });
}
