//! `meridian monitor` killed with SIGKILL twenty times at random moments
//! while it writes samples and alarms, restarted each time on the same data
//! directory. After every kill the store must open, every batch the writer
//! logged as committed must be there (ledger row and sample rows), and every
//! alarm the monitor announced must be stored as announced.
//!
//! Alarms come from a loopback device behind an iptables DROP rule that the
//! test adds on odd runs and removes on even ones (root only), with its
//! down/up counts at 1 so it goes down and comes back within a run.

mod common;

use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use common::{announced_alarms, check_alarms, check_batches, committed_batches, open_store, run_ok, Monitor, Rng};
use meridian_testkit::{is_root, DropRule};

const KILLS: usize = 20;
/// Fixed so a failure replays; printed so a changed seed can be tried.
const SEED: u64 = 0x6d65_7269_6469_616e;
/// Addresses of their own, so no other test's DROP rule touches them.
const LIVE: [Ipv4Addr; 6] = [
    Ipv4Addr::new(127, 61, 14, 1),
    Ipv4Addr::new(127, 61, 14, 2),
    Ipv4Addr::new(127, 61, 14, 3),
    Ipv4Addr::new(127, 61, 14, 4),
    Ipv4Addr::new(127, 61, 14, 5),
    Ipv4Addr::new(127, 61, 14, 6),
];
const FLAPPING: Ipv4Addr = Ipv4Addr::new(127, 61, 14, 9);

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_twenty_times_loses_no_committed_batch_or_alarm() {
    if !is_root() {
        eprintln!("SKIPPED: needs root for the iptables DROP rule that makes alarms; run as root");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let logs = tmp.path().join("logs");
    std::fs::create_dir_all(&logs).expect("logs dir");
    for (i, a) in LIVE.iter().enumerate() {
        run_ok(&data, &["device", "add", &format!("live{i}"), &a.to_string()]);
    }
    run_ok(&data, &["device", "add", "flapper", &FLAPPING.to_string()]);
    run_ok(&data, &["device", "counts", "flapper", "--down-after", "1", "--up-after", "1"]);

    let started = Instant::now();
    let mut rng = Rng::new(SEED);
    let mut logged = Vec::new();
    let mut alarms = std::collections::BTreeMap::new();
    let mut last_seq = 0;
    for run in 0..KILLS {
        // Odd runs drop the flapper's pings: it goes down (an alarm); the
        // next run clears it. Every fourth run waits for an alarm event and
        // kills right after it, so a kill lands just behind an alarm write.
        let _drop = (run % 2 == 1).then(|| DropRule::add(FLAPPING).expect("iptables DROP rule"));
        let t_spawn = Instant::now();
        let mut m = Monitor::spawn(&data, &logs, run, 1);
        assert!(
            m.started(Duration::from_secs(30)),
            "run {run}: the monitor did not start:\n{}",
            common::read(&m.stderr)
        );
        // From 0.3 s (polls still spreading over their first interval,
        // nothing written yet) to 2.5 s (a batch or two committed, one
        // likely in flight): the writer commits about once a second.
        let delay = rng.millis(300, 2_500);
        let t_start = t_spawn.elapsed();
        if run % 4 == 3 {
            // No event comes when its alarm is still active from a run
            // killed before the clear (the monitor restores it as down),
            // so the wait is bounded and not asserted.
            let down = |_: &str, out: &str| out.contains("\"alarmRaised\"") || out.contains("\"to\":\"down\"");
            m.wait_for(Duration::from_secs(4), down);
            std::thread::sleep(rng.millis(0, 300));
        } else {
            std::thread::sleep(delay);
        }
        let out = m.kill();
        let batches = committed_batches(&out.stderr);
        for b in &batches {
            assert!(b.seq > last_seq, "run {run}: batch seq {} logged after {last_seq}: a sequence was reused", b.seq);
            last_seq = b.seq;
        }
        logged.extend(batches);
        alarms.extend(announced_alarms(&out.stdout));

        let t_check = Instant::now();
        let store = open_store(&data).await;
        let checked = async {
            check_batches(&store, &logged).await?;
            check_alarms(&store, &alarms).await
        }
        .await;
        store.close().await;
        eprintln!("run {run}: started in {t_start:?}, killed after {delay:?}, checked in {:?}", t_check.elapsed());
        if let Err(e) = checked {
            panic!("after kill {run} (seed {SEED:#x}): {e}\nmonitor log:\n{}", out.stderr);
        }
    }
    eprintln!(
        "{KILLS} kills in {:.1} s: {} committed batches ({} samples) and {} alarms all found after each kill",
        started.elapsed().as_secs_f64(),
        logged.len(),
        logged.iter().map(|b| i64::from(b.samples)).sum::<i64>(),
        alarms.len()
    );
    // Not vacuous: the runs wrote batches and alarms that were checked.
    assert!(logged.len() >= 5, "only {} batches were committed in {KILLS} runs", logged.len());
    assert!(!alarms.is_empty(), "no alarm was written in {KILLS} runs");
}
