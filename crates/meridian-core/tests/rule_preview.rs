//! The rule editor's preview, on the real engine: scope, instance patterns,
//! overrides, levels with hysteresis, and hold-downs not waited for.

use chrono::{TimeZone, Utc};
use meridian_core::alarm::Severity;
use meridian_core::inventory::DeviceKind;
use meridian_core::metric::{Builtin, MetricKey, SeriesKey};
use meridian_core::rule_preview::{preview, LatestValue};
use meridian_core::rules::{Comparison, DeviceFacts, Hold, Level, Override, Rule, RuleScope};
use meridian_core::DeviceId;
use uuid::Uuid;

fn facts(n: u128, name: &str, tags: &[&str]) -> DeviceFacts {
    DeviceFacts {
        id: DeviceId::from_uuid(Uuid::from_u128(n)),
        name: name.into(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        site: None,
        kind: DeviceKind::Router,
        template: None,
    }
}

fn cpu_rule() -> Rule {
    Rule {
        name: "cpu".into(),
        enabled: false,
        metric: MetricKey::Builtin(Builtin::CpuPct),
        instance: None,
        comparison: Comparison::Above,
        levels: vec![
            Level { severity: Severity::Major, raise: 80.0, clear: Some(70.0) },
            Level { severity: Severity::Critical, raise: 95.0, clear: None },
        ],
        raise_after: Hold { samples: 3 },
        clear_after: Hold::default(),
        no_data_intervals: Some(2),
        scope: RuleScope { tags: vec!["core".into()], ..Default::default() },
        overrides: vec![Override { device: "c3".into(), enabled: Some(false), levels: None }],
    }
}

#[test]
fn preview_names_the_in_scope_series_past_a_threshold_now() {
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).single().expect("time");
    let (c1, c2, c3, e1) =
        (facts(1, "c1", &["core"]), facts(2, "c2", &["core"]), facts(3, "c3", &["core"]), facts(4, "e1", &[]));
    let cpu = |d: &DeviceFacts, v: f64| LatestValue {
        device: d.id,
        key: SeriesKey::device(Builtin::CpuPct),
        label: None,
        value: v,
        at: now,
    };
    let latest = [cpu(&c1, 85.0), cpu(&c2, 75.0), cpu(&c3, 99.0), cpu(&e1, 99.0)];
    let devices = vec![c1.clone(), c2, c3, e1];
    // A disabled draft with a 3-sample hold-down still previews: c1 is past
    // major; c2 is between clear and raise (nothing new); c3 is switched off
    // by its override; e1 is out of scope.
    let hits = preview(&cpu_rule(), devices.clone(), &latest, now);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!((hits[0].device.as_str(), hits[0].severity, hits[0].value), ("c1", Severity::Major, 85.0));
    assert_eq!(hits[0].instance, "");

    // Everything in scope, worst first.
    let mut all = cpu_rule();
    all.scope = RuleScope { all: true, ..Default::default() };
    all.overrides.clear();
    let hits = preview(&all, devices, &latest, now);
    let got: Vec<(&str, Severity)> = hits.iter().map(|h| (h.device.as_str(), h.severity)).collect();
    assert_eq!(got, vec![("c3", Severity::Critical), ("e1", Severity::Critical), ("c1", Severity::Major)]);
}

#[test]
fn preview_matches_instance_patterns_on_interface_names() {
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).single().expect("time");
    let r = facts(1, "r1", &[]);
    let traffic = |if_index: u32, name: &str, v: f64| LatestValue {
        device: r.id,
        key: SeriesKey::interface(Builtin::IfInBps, if_index),
        label: Some(name.into()),
        value: v,
        at: now,
    };
    let rule = Rule {
        name: "uplinks".into(),
        enabled: true,
        metric: MetricKey::Builtin(Builtin::IfInBps),
        instance: Some("eth*".into()),
        comparison: Comparison::Above,
        levels: vec![Level { severity: Severity::Warning, raise: 1e6, clear: None }],
        raise_after: Hold::default(),
        clear_after: Hold::default(),
        no_data_intervals: None,
        scope: RuleScope { all: true, ..Default::default() },
        overrides: Vec::new(),
    };
    let latest = [traffic(1, "eth0", 5e6), traffic(2, "lo", 5e6), traffic(3, "eth1", 10.0)];
    let hits = preview(&rule, vec![r], &latest, now);
    assert_eq!(hits.iter().map(|h| h.instance.as_str()).collect::<Vec<_>>(), vec!["eth0"], "{hits:#?}");
}
