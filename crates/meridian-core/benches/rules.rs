//! Rule evaluation cost at the poll-cycle benchmark's scale: 10,000 devices
//! x 20 samples per 60 s poll, 100 rules in force (90 on metrics the devices
//! report, scoped by tag, half with an interface glob; 10 on metrics nobody
//! reports). Reports ns per sample and the share of one core that the
//! poll cycle's sample rate (3,333 samples/s) costs, for 1,000 and 10,000
//! devices (the per-sample cost must not grow with either: O(1)).
//!
//!     cargo bench -p meridian-core --bench rules

use std::hint::black_box;
use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use meridian_core::alarm::Severity;
use meridian_core::inventory::DeviceKind;
use meridian_core::metric::{Builtin, MetricKey, NamedSample, SeriesKey};
use meridian_core::rules::{Comparison, DeviceFacts, Hold, Level, Rule, RuleEngine, RuleScope};
use meridian_core::DeviceId;
use uuid::Uuid;

const SAMPLES_PER_DEVICE: usize = 20;
const POLL_SECS: f64 = 60.0;

fn rules() -> Vec<(String, Rule)> {
    let metrics = [Builtin::CpuPct, Builtin::IfInBps, Builtin::IfOutBps, Builtin::IfInErrors, Builtin::RttMs];
    (0..100)
        .map(|i| {
            let metric: MetricKey =
                if i < 90 { metrics[i % metrics.len()].into() } else { MetricKey::Template(format!("unused_{i}")) };
            let rule = Rule {
                name: format!("rule {i}"),
                enabled: true,
                metric,
                instance: (i % 2 == 0).then(|| "eth*".to_owned()),
                comparison: Comparison::Above,
                levels: vec![
                    Level { severity: Severity::Warning, raise: 80.0 + (i % 7) as f64, clear: Some(70.0) },
                    Level { severity: Severity::Critical, raise: 95.0, clear: Some(90.0) },
                ],
                raise_after: Hold { samples: 2 },
                clear_after: Hold::default(),
                no_data_intervals: Some(3),
                // Every metric's 18 rules spread over all ten tags.
                scope: RuleScope { tags: vec![format!("t{}", (i / 5) % 10)], ..RuleScope::default() },
                overrides: Vec::new(),
            };
            (format!("r{i}"), rule)
        })
        .collect()
}

fn run(devices: usize) -> (f64, usize) {
    let mut e = RuleEngine::new(rules());
    let ids: Vec<DeviceId> = (0..devices).map(|i| DeviceId::from_uuid(Uuid::from_u128(i as u128 + 1))).collect();
    for (i, id) in ids.iter().enumerate() {
        e.set_device(DeviceFacts {
            id: *id,
            name: format!("d{i}"),
            tags: vec![format!("t{}", i % 10), format!("t{}", (i + 3) % 10)],
            site: None,
            kind: DeviceKind::Switch,
            template: None,
        });
    }
    let sample = |j: usize, v: f64| match j % 5 {
        0 => NamedSample::builtin(SeriesKey::device(Builtin::CpuPct), v),
        1 => NamedSample::builtin(SeriesKey::interface(Builtin::IfInBps, j as u32), v),
        2 => NamedSample::builtin(SeriesKey::interface(Builtin::IfOutBps, j as u32), v),
        3 => NamedSample::builtin(SeriesKey::interface(Builtin::IfInErrors, j as u32), v),
        _ => NamedSample::builtin(SeriesKey::device(Builtin::RttMs), v),
    };
    let t0 = Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).single().expect("time");
    let labels: Vec<String> = (0..SAMPLES_PER_DEVICE).map(|j| format!("eth{j}")).collect();
    let cycles = 5;
    let mut actions = 0;
    // The first cycle creates every condition; time the steady state after it.
    let mut started = Instant::now();
    for c in 0..=cycles {
        if c == 1 {
            started = Instant::now();
        }
        let at = t0 + Duration::seconds(60 * c as i64);
        for (i, id) in ids.iter().enumerate() {
            for (j, label) in labels.iter().enumerate() {
                // Mostly quiet values; 2 % of series high for two polls in
                // four, so conditions raise (after the 2-sample hold) and clear.
                let v = if (i + j) % 50 == 0 && c % 4 < 2 { 99.0 } else { 10.0 + ((i * j) % 60) as f64 };
                actions += black_box(e.observe(*id, &sample(j, v), Some(label), at)).len();
            }
        }
        actions += e.tick(at).len();
    }
    let per_sample = started.elapsed().as_nanos() as f64 / (cycles * devices * SAMPLES_PER_DEVICE) as f64;
    (per_sample, actions)
}

fn main() {
    println!("rules engine: 100 rules, {SAMPLES_PER_DEVICE} samples per device per {POLL_SECS} s poll");
    for devices in [1_000, 10_000] {
        let (ns, actions) = run(devices);
        let rate = (10_000 * SAMPLES_PER_DEVICE) as f64 / POLL_SECS;
        println!(
            "{devices:>6} devices: {ns:>7.0} ns/sample; at the poll cycle's {rate:.0} samples/s that is {:.3} % of one core ({actions} actions)",
            ns * rate / 1e9 * 100.0
        );
    }
}
