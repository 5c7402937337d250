//! The templates' default interface-utilisation and packet-loss rules, run
//! through the same path the monitor takes: a poll's reading interpreted
//! into samples, the samples fed to an engine holding the shipped defaults.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::alarm::Severity;
use meridian_core::classify::shipped_default_rules;
use meridian_core::interpret::{utilisation, Interpreter};
use meridian_core::inventory::DeviceKind;
use meridian_core::metric::{Builtin, SeriesKey};
use meridian_core::poll::{IcmpReading, IfReading, SnmpReading};
use meridian_core::rules::{DeviceFacts, RuleAction, RuleEngine};
use meridian_core::DeviceId;
use uuid::Uuid;

fn t(i: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, 0).single().expect("time") + Duration::seconds(60 * i)
}

fn engine() -> (RuleEngine, DeviceId) {
    let rules = shipped_default_rules().into_iter().enumerate().map(|(i, (_, r))| (i.to_string(), r)).collect();
    let mut e = RuleEngine::new(rules);
    let id = DeviceId::from_uuid(Uuid::from_u128(7));
    e.set_device(DeviceFacts {
        id,
        name: "sw-1".into(),
        tags: Vec::new(),
        site: None,
        kind: DeviceKind::Switch,
        template: Some("linux-net-snmp".into()),
    });
    (e, id)
}

fn raised(actions: &[RuleAction]) -> Vec<(Severity, String)> {
    actions
        .iter()
        .filter_map(|a| match a {
            RuleAction::Raise { spec, .. } => Some((spec.perceived_severity, spec.additional_text.clone())),
            RuleAction::Clear { .. } => None,
        })
        .collect()
}

/// A 100 Mbit/s interface whose in-octets counter reads `octets`.
fn reading(octets: u64) -> SnmpReading {
    SnmpReading {
        interfaces: vec![IfReading {
            if_index: 3,
            name: Some("Gi0/3".into()),
            speed_bps: Some(100_000_000),
            in_octets: Some((octets, true)),
            ..IfReading::default()
        }],
        ..SnmpReading::default()
    }
}

#[test]
fn utilisation_is_traffic_over_speed_and_only_with_a_speed() {
    assert_eq!(utilisation(Builtin::IfInBps, 95e6, Some(100_000_000)), Some((Builtin::IfInUtilPct, 95.0)));
    assert_eq!(utilisation(Builtin::IfOutBps, 5e6, Some(10_000_000)), Some((Builtin::IfOutUtilPct, 50.0)));
    assert_eq!(utilisation(Builtin::IfInBps, 5e6, None), None);
    assert_eq!(utilisation(Builtin::IfInBps, 5e6, Some(0)), None, "speed 0 is unknown");
    assert_eq!(utilisation(Builtin::IfInErrors, 5.0, Some(10)), None);
}

#[test]
fn an_interface_over_90_percent_raises_the_default_utilisation_rule_at_major() {
    let (mut e, id) = engine();
    let mut interp = Interpreter::new();
    // 95 Mbit/s for a minute on 100 Mbit/s: 712,500,000 octets per poll.
    let per_poll = 95_000_000 / 8 * 60;
    let mut all = Vec::new();
    for i in 0..5 {
        let out = interp.snmp(t(i), &reading(per_poll * i as u64), &[]);
        let util = out.samples.iter().find(|s| s.key == SeriesKey::interface(Builtin::IfInUtilPct, 3));
        if i > 0 {
            let u = util.expect("a utilisation sample once a rate exists");
            assert!((u.value - 95.0).abs() < 1e-9, "{}", u.value);
            assert_eq!(u.unit, "%");
        }
        for s in &out.samples {
            let actions = e.observe(id, s, Some("Gi0/3"), t(i));
            all.extend(raised(&actions));
        }
        // Held for three samples (raise_after = 3): nothing before the third.
        if i < 3 {
            assert!(all.is_empty(), "raised after {i} samples: {all:?}");
        }
    }
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].0, Severity::Major);
    assert!(all[0].1.starts_with("Interface utilisation in on sw-1 Gi0/3"), "{}", all[0].1);
}

fn ping(loss: f64) -> IcmpReading {
    IcmpReading { ok: loss < 100.0, rtt_ms: Some(1.0), jitter_ms: None, loss_pct: Some(loss), error: None }
}

#[test]
fn partial_loss_raises_the_default_loss_rule_and_total_loss_is_left_to_unreachable() {
    let (mut e, id) = engine();
    let mut interp = Interpreter::new();
    let mut feed = |i: i64, loss: f64| {
        let out = interp.icmp(t(i), &ping(loss));
        out.samples.iter().flat_map(|s| e.observe(id, s, None, t(i))).collect::<Vec<_>>()
    };
    // A dead device: 100 % for ever raises nothing from the rules.
    for i in 0..6 {
        assert!(feed(i, 100.0).is_empty(), "total loss is the unreachable alarm's");
    }
    // Half the echoes lost, three polls running: one major "Packet loss".
    let mut got = Vec::new();
    for i in 6..9 {
        got.extend(raised(&feed(i, 50.0)));
    }
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, Severity::Major);
    assert!(got[0].1.starts_with("Packet loss on sw-1"), "{}", got[0].1);
    // Going dead again neither raises nor clears it; no loss clears it.
    assert!(feed(9, 100.0).is_empty());
    let cleared = feed(10, 0.0);
    assert!(matches!(cleared.as_slice(), [RuleAction::Clear { .. }]), "{cleared:?}");
}
