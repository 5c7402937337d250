//! A sweep whose future is dropped (a cancelled discovery job, a closed
//! window) must stop its threads rather than run to the end. In a test binary
//! of its own so no other sweep's threads are counted. Traffic goes only to
//! 127.6.0.0/28, behind an iptables DROP rule this test adds and removes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use meridian_probe::icmp::{IcmpEngine, SweepOptions};

mod common;
use common::DropRule;

/// Threads of ours named `sweep-send` / `sweep-recv`.
fn sweep_threads() -> usize {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0 };
    tasks
        .flatten()
        .filter(|t| std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.starts_with("sweep-")))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_sweep_future_stops_its_threads() {
    let Some(_rule) = DropRule::add("127.6.0.0/28") else { return };
    let settled = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&settled);
    let sweep = tokio::spawn(async move {
        let engine = IcmpEngine::new();
        // Every address is dropped and waits 30 s per attempt: this sweep
        // would take minutes if nothing stopped it.
        let opts = SweepOptions { concurrency: 4, timeout: Duration::from_secs(30), retries: 3, payload_size: 56 };
        engine
            .sweep_spec("127.6.0.0/28", false, &opts, move |_| {
                seen.fetch_add(1, Ordering::Relaxed);
            })
            .await
    });
    // Bounded wait for the threads to start (they do within milliseconds).
    let deadline = Instant::now() + Duration::from_secs(5);
    while sweep_threads() == 0 {
        assert!(Instant::now() < deadline, "the sweep's threads never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(!sweep.is_finished());
    sweep.abort();
    let _ = sweep.await;
    // Each thread looks at the stop flag every 20 ms; 5 s is only a bound.
    let deadline = Instant::now() + Duration::from_secs(5);
    while sweep_threads() > 0 {
        assert!(Instant::now() < deadline, "sweep threads still running 5 s after the sweep was dropped");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(settled.load(Ordering::Relaxed), 0, "no address may be reported once the sweep is dropped");
}
