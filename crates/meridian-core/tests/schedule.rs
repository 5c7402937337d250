//! The poll scheduler, driven with explicit time.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use meridian_core::ids::DeviceId;
use meridian_core::schedule::{
    phase_offset, Intervals, Job, JobKey, PollKind, Scheduler, DEFAULT_ICMP_INTERVAL, DEFAULT_SNMP_INTERVAL,
};
use std::time::Duration;
use uuid::Uuid;

/// A round epoch instant (divisible by every interval used here), so grid
/// instants are `T0 + offset + k × interval`.
fn t0() -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 - 1_700_000_000 % 86_400, 0).single().expect("valid time")
}

fn at_ms(ms: i64) -> DateTime<Utc> {
    t0() + TimeDelta::milliseconds(ms)
}

fn dev(n: u128) -> DeviceId {
    // v7-like: a shared timestamp prefix, distinct tails, as devices created
    // in one import would have.
    DeviceId::from_uuid(Uuid::from_u128((0x0190_0000_0000_7000_8000_u128 << 48) | n.wrapping_mul(0x9e37_79b9)))
}

fn icmp(n: u128) -> JobKey {
    JobKey::new(dev(n), PollKind::Icmp)
}

fn offset_ms(key: JobKey, interval: Duration) -> i64 {
    i64::try_from(phase_offset(&key, interval).as_millis()).expect("fits")
}

#[test]
fn defaults_are_30s_icmp_and_60s_snmp() {
    let i = Intervals::default();
    assert_eq!(i.icmp, Duration::from_secs(30));
    assert_eq!(i.snmp, Duration::from_secs(60));
    assert_eq!((DEFAULT_ICMP_INTERVAL, DEFAULT_SNMP_INTERVAL), (i.icmp, i.snmp));
}

#[test]
fn a_job_runs_on_its_grid_every_interval() {
    let mut s = Scheduler::new();
    let k = icmp(1);
    let iv = Duration::from_secs(30);
    s.upsert(Job { key: k, interval: iv }, t0()).expect("upsert");
    let off = offset_ms(k, iv);
    assert_eq!(s.next_wakeup(), Some(at_ms(off)));
    assert!(s.next_due(at_ms(off - 1)).is_empty(), "not due before its tick");
    assert_eq!(s.next_due(at_ms(off)), vec![k]);
    // In flight: not handed out again, and no wakeup for it.
    assert!(s.next_due(at_ms(off + 60_000)).is_empty());
    assert_eq!(s.next_wakeup(), None);
    assert_eq!(s.completed(k, at_ms(off + 200)), 0);
    assert_eq!(s.next_wakeup(), Some(at_ms(off + 30_000)));
    assert_eq!(s.next_due(at_ms(off + 30_000)), vec![k]);
    let st = s.status(k).expect("status");
    assert!(st.in_flight);
    assert_eq!((st.runs, st.skipped), (1, 0));
}

#[test]
fn start_times_are_spread_across_the_interval_and_deterministic() {
    let iv = Duration::from_secs(30);
    let mut bins = [0u32; 10];
    for n in 0..2_000 {
        let off = phase_offset(&icmp(n), iv);
        assert!(off < iv);
        bins[usize::try_from(off.as_millis() / 3_000).expect("small")] += 1;
        assert_eq!(off, phase_offset(&icmp(n), iv), "same key, same phase");
    }
    // 200 expected per 3 s bin; a herd would put them all in one.
    for (i, b) in bins.iter().enumerate() {
        assert!((140..=260).contains(b), "bin {i} has {b}: {bins:?}");
    }
    // ICMP and SNMP of one device do not share a phase by construction.
    let d = dev(7);
    assert_ne!(
        phase_offset(&JobKey::new(d, PollKind::Icmp), Duration::from_secs(60)),
        phase_offset(&JobKey::new(d, PollKind::Snmp), Duration::from_secs(60))
    );
}

#[test]
fn an_overrunning_job_skips_missed_ticks_instead_of_bursting() {
    let mut s = Scheduler::new();
    let k = icmp(2);
    let iv = Duration::from_secs(10);
    s.upsert(Job { key: k, interval: iv }, t0()).expect("upsert");
    let off = offset_ms(k, iv);
    assert_eq!(s.next_due(at_ms(off)), vec![k]);
    // The run takes 35 s: ticks at +10, +20, +30 passed meanwhile.
    assert_eq!(s.completed(k, at_ms(off + 35_000)), 3);
    // Exactly one run at the next tick, not a burst of four.
    assert!(s.next_due(at_ms(off + 39_999)).is_empty());
    assert_eq!(s.next_due(at_ms(off + 40_000)), vec![k]);
    assert_eq!(s.status(k).expect("status").skipped, 3);
}

#[test]
fn a_late_loop_runs_an_overdue_job_once() {
    // E.g. the laptop slept for 10 minutes.
    let mut s = Scheduler::new();
    let k = icmp(3);
    let iv = Duration::from_secs(30);
    s.upsert(Job { key: k, interval: iv }, t0()).expect("upsert");
    let off = offset_ms(k, iv);
    let wake = off + 600_000 + 5;
    assert_eq!(s.next_due(at_ms(wake)), vec![k]);
    let skipped = s.completed(k, at_ms(wake + 100));
    assert_eq!(skipped, 20, "ticks between the overdue one and now");
    assert_eq!(s.next_wakeup(), Some(at_ms(off + 630_000)));
}

#[test]
fn a_run_finishing_exactly_on_the_next_tick_skips_nothing() {
    let mut s = Scheduler::new();
    let k = icmp(4);
    let iv = Duration::from_secs(10);
    s.upsert(Job { key: k, interval: iv }, t0()).expect("upsert");
    let off = offset_ms(k, iv);
    s.next_due(at_ms(off));
    assert_eq!(s.completed(k, at_ms(off + 10_000)), 0);
    assert_eq!(s.next_due(at_ms(off + 10_000)), vec![k]);
}

#[test]
fn due_jobs_come_most_overdue_first() {
    let mut s = Scheduler::new();
    let iv = Duration::from_secs(30);
    let keys: Vec<JobKey> = (10..20).map(icmp).collect();
    for k in &keys {
        s.upsert(Job { key: *k, interval: iv }, t0()).expect("upsert");
    }
    let due = s.next_due(at_ms(30_000));
    assert_eq!(due.len(), 10);
    let offs: Vec<i64> = due.iter().map(|k| offset_ms(*k, iv)).collect();
    assert!(offs.windows(2).all(|w| w[0] <= w[1]), "{offs:?}");
}

#[test]
fn adding_editing_and_removing_devices_takes_effect_at_once() {
    let mut s = Scheduler::new();
    let i = Intervals::default();
    let d = dev(5);
    s.sync_device(d, true, true, &i, t0()).expect("sync");
    assert_eq!(s.len(), 3, "ICMP, SNMP and inventory");
    // Re-applying the same inventory changes nothing (no phase reset).
    let before = s.clone();
    s.sync_device(d, true, true, &i, at_ms(12_345)).expect("sync");
    assert_eq!(s, before);
    // Credentials removed: SNMP and inventory jobs go, ICMP stays.
    s.sync_device(d, true, false, &i, t0()).expect("sync");
    assert_eq!(s.keys().collect::<Vec<_>>(), vec![JobKey::new(d, PollKind::Icmp)]);
    // Interval edited: the job moves to the new grid from now.
    let k = JobKey::new(d, PollKind::Icmp);
    let fast = Intervals { icmp: Duration::from_secs(5), ..i };
    s.sync_device(d, true, false, &fast, at_ms(100_000)).expect("sync");
    let st = s.status(k).expect("status");
    assert_eq!(st.interval, Duration::from_secs(5));
    let off = offset_ms(k, Duration::from_secs(5));
    assert_eq!(st.next_due, at_ms(100_000 + off));
    // Disabled: everything goes.
    s.sync_device(d, false, true, &i, t0()).expect("sync");
    assert!(s.is_empty());
}

#[test]
fn removing_a_device_in_flight_ignores_its_completion() {
    let mut s = Scheduler::new();
    let k = icmp(6);
    s.upsert(Job { key: k, interval: Duration::from_secs(30) }, t0()).expect("upsert");
    assert_eq!(s.next_due(at_ms(30_000)), vec![k]);
    assert_eq!(s.remove(k.device), 1);
    assert_eq!(s.completed(k, at_ms(31_000)), 0);
    assert!(s.status(k).is_none());
    assert_eq!(s.next_wakeup(), None);
    // Re-added while the old run was "in flight": the new job is idle, and a
    // stray completion does not disturb it.
    s.upsert(Job { key: k, interval: Duration::from_secs(30) }, at_ms(31_000)).expect("upsert");
    let due = s.status(k).expect("status").next_due;
    assert_eq!(s.completed(k, at_ms(32_000)), 0);
    assert_eq!(s.status(k).expect("status").next_due, due);
}

#[test]
fn bad_intervals_are_rejected() {
    let mut s = Scheduler::new();
    for iv in [Duration::ZERO, Duration::from_millis(999), Duration::from_secs(86_401)] {
        let e = s.upsert(Job { key: icmp(8), interval: iv }, t0()).expect_err("rejected");
        assert_eq!(e.fields()[0].field, "interval");
    }
    assert!(s.is_empty());
}

#[test]
fn wakeup_is_the_earliest_idle_job() {
    let mut s = Scheduler::new();
    let iv = Duration::from_secs(60);
    let (a, b) = (icmp(20), icmp(21));
    s.upsert(Job { key: a, interval: iv }, t0()).expect("upsert");
    s.upsert(Job { key: b, interval: iv }, t0()).expect("upsert");
    let (oa, ob) = (offset_ms(a, iv), offset_ms(b, iv));
    assert_eq!(s.next_wakeup(), Some(at_ms(oa.min(ob))));
    let first = if oa <= ob { a } else { b };
    assert_eq!(s.next_due(at_ms(oa.min(ob))), vec![first]);
    assert_eq!(s.next_wakeup(), Some(at_ms(oa.max(ob))));
}

// ---- the due index against the job table -------------------------------

/// One step of a random workload on a handful of devices.
#[derive(Debug, Clone)]
enum Op {
    Upsert(u128, u64),
    RemoveDevice(u128),
    Advance(i64),
    Complete(u128, i64),
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    use proptest::prelude::*;
    prop_oneof![
        (0u128..6, 1u64..=90).prop_map(|(d, s)| Op::Upsert(d, s)),
        (0u128..6).prop_map(Op::RemoveDevice),
        (0i64..=40_000).prop_map(Op::Advance),
        (0u128..6, 0i64..=70_000).prop_map(|(d, ms)| Op::Complete(d, ms)),
    ]
}

proptest::proptest! {
    /// `next_wakeup` and `next_due` come from an index kept beside the job
    /// table; whatever the sequence of edits, handing out and completions,
    /// they must say what a scan of every job's status says.
    #[test]
    fn next_due_and_wakeup_agree_with_a_scan_of_every_job(ops in proptest::collection::vec(op(), 1..80)) {
        let mut s = Scheduler::new();
        let mut now = 0i64;
        let mut in_flight: Vec<JobKey> = Vec::new();
        for op in ops {
            match op {
                Op::Upsert(d, secs) => {
                    let job = Job { key: icmp(d), interval: Duration::from_secs(secs) };
                    s.upsert(job, at_ms(now)).expect("valid interval");
                }
                Op::RemoveDevice(d) => {
                    s.remove(dev(d));
                }
                Op::Advance(ms) => {
                    now += ms;
                    let scan = {
                        let mut due: Vec<_> = s
                            .keys()
                            .filter_map(|k| s.status(k).map(|st| (st, k)))
                            .filter(|(st, _)| !st.in_flight && st.next_due <= at_ms(now))
                            .map(|(st, k)| (st.next_due, k))
                            .collect();
                        due.sort();
                        due.into_iter().map(|(_, k)| k).collect::<Vec<_>>()
                    };
                    let got = s.next_due(at_ms(now));
                    proptest::prop_assert_eq!(&got, &scan);
                    in_flight.extend(got);
                }
                Op::Complete(d, after) => {
                    if let Some(i) = in_flight.iter().position(|k| *k == icmp(d)) {
                        in_flight.remove(i);
                        s.completed(icmp(d), at_ms(now + after));
                    }
                }
            }
            let scan = s
                .keys()
                .filter_map(|k| s.status(k))
                .filter(|st| !st.in_flight)
                .map(|st| st.next_due)
                .min();
            proptest::prop_assert_eq!(s.next_wakeup(), scan);
        }
    }
}

#[test]
fn poll_now_brings_a_devices_icmp_and_snmp_forward_once_then_back_to_the_grid() {
    let mut s = Scheduler::new();
    let intervals = Intervals::default();
    let d = dev(7);
    s.sync_device(d, true, true, &intervals, t0()).expect("sync");
    s.sync_device(dev(8), true, true, &intervals, t0()).expect("sync");
    let ping = JobKey::new(d, PollKind::Icmp);
    let snmp = JobKey::new(d, PollKind::Snmp);
    let inventory = JobKey::new(d, PollKind::Inventory);
    let grid = s.status(ping).expect("icmp").next_due;
    // Before any tick is due, poll now makes exactly this device's ICMP and SNMP due.
    let now = t0();
    assert_eq!(s.poll_now(d, now), 2);
    let mut due = s.next_due(now);
    due.sort();
    let mut want = vec![ping, snmp];
    want.sort();
    assert_eq!(due, want, "only the device's ICMP and SNMP jobs, not its inventory nor other devices");
    assert!(!s.status(inventory).expect("inventory").in_flight);
    // While they run, poll now has nothing to bring forward.
    assert_eq!(s.poll_now(d, now), 0);
    // Done: back on the grid, at the first tick at or after completion.
    let done = now + TimeDelta::milliseconds(300);
    s.completed(ping, done);
    let next = s.status(ping).expect("icmp").next_due;
    let off_grid = (next - grid).num_milliseconds().rem_euclid(30_000);
    assert!(
        next >= done && next - done <= TimeDelta::seconds(30) && off_grid == 0,
        "{next} is not the next tick of {grid}"
    );
    // Unknown and disabled devices: nothing to do.
    assert_eq!(s.poll_now(dev(99), now), 0);
    s.sync_device(dev(8), false, true, &intervals, now).expect("disable");
    assert_eq!(s.poll_now(dev(8), now), 0);
}
