//! The step from a poll's reading to observations and named samples.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::classify::{extra_metrics, template_by_name};
use meridian_core::interpret::Interpreter;
use meridian_core::metric::{Builtin, MetricKey, NamedSample, SeriesKey};
use meridian_core::mib::{parse_oid, MibRow, RawValue};
use meridian_core::observation::{IcmpResult, InterfaceStatus, Observation, SnmpResult};
use meridian_core::poll::{IcmpReading, IfReading, SnmpReading, StorageReading};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap()
}

fn value(samples: &[NamedSample], key: &SeriesKey) -> Option<f64> {
    samples.iter().find(|s| &s.key == key).map(|s| s.value)
}

fn eth0(in_octets: u64, errors: u64) -> IfReading {
    IfReading {
        if_index: 2,
        descr: Some("eth0".into()),
        admin_status: Some(1),
        oper_status: Some(1),
        in_octets: Some((in_octets, true)),
        in_errors: Some(errors),
        ..IfReading::default()
    }
}

#[test]
fn icmp_reply_gives_rtt_jitter_and_loss() {
    let mut i = Interpreter::new();
    let r = IcmpReading { ok: true, rtt_ms: Some(1.5), jitter_ms: Some(0.25), loss_pct: Some(0.0), error: None };
    let out = i.icmp(t0(), &r);
    assert_eq!(out.observations, vec![Observation::Icmp(IcmpResult { at: t0(), ok: true })]);
    assert_eq!(value(&out.samples, &SeriesKey::device(Builtin::RttMs)), Some(1.5));
    assert_eq!(value(&out.samples, &SeriesKey::device(Builtin::JitterMs)), Some(0.25));
    assert_eq!(value(&out.samples, &SeriesKey::device(Builtin::LossPct)), Some(0.0));
    assert!(out.samples.iter().all(|s| s.unit == s.key.metric.builtin().expect("builtin").unit()));
}

#[test]
fn icmp_without_replies_gives_loss_and_no_round_trip() {
    let mut i = Interpreter::new();
    // An engine may still report a mean from an earlier echo; it is not this poll's.
    let r = IcmpReading { ok: false, rtt_ms: Some(9.0), jitter_ms: None, loss_pct: Some(100.0), error: None };
    let out = i.icmp(t0(), &r);
    assert_eq!(out.samples.len(), 1, "{:?}", out.samples);
    assert_eq!(value(&out.samples, &SeriesKey::device(Builtin::LossPct)), Some(100.0));
    // Nothing was sent (unresolvable name): no sample at all, only the failure.
    let out = i.icmp(t0(), &IcmpReading { error: Some("cannot resolve".into()), ..IcmpReading::default() });
    assert!(out.samples.is_empty());
    assert_eq!(out.observations, vec![Observation::Icmp(IcmpResult { at: t0(), ok: false })]);
}

#[test]
fn counters_become_rates_from_the_second_poll() {
    let mut i = Interpreter::new();
    let first = SnmpReading { sys_uptime: Some(1000), interfaces: vec![eth0(1_000, 5)], ..SnmpReading::default() };
    let out = i.snmp(t0(), &first, &[]);
    assert!(out.samples.is_empty(), "a first reading is a baseline: {:?}", out.samples);
    assert_eq!(
        out.observations,
        vec![
            Observation::Snmp(SnmpResult { at: t0(), ok: true, sys_uptime: Some(1000) }),
            Observation::Interface(InterfaceStatus {
                at: t0(),
                if_index: 2,
                name: "eth0".into(),
                admin_up: true,
                oper_up: true
            }),
        ]
    );
    let at = t0() + Duration::seconds(10);
    let second = SnmpReading { sys_uptime: Some(2000), interfaces: vec![eth0(11_000, 25)], ..SnmpReading::default() };
    let out = i.snmp(at, &second, &[]);
    // 10,000 octets in 10 s = 8,000 bit/s; 20 errors in 10 s = 2/s.
    assert_eq!(value(&out.samples, &SeriesKey::interface(Builtin::IfInBps, 2)), Some(8_000.0));
    assert_eq!(value(&out.samples, &SeriesKey::interface(Builtin::IfInErrors, 2)), Some(2.0));
    let bps = out.samples.iter().find(|s| s.key.metric == MetricKey::Builtin(Builtin::IfInBps)).expect("bps");
    assert_eq!(bps.unit, "bit/s");
}

#[test]
fn an_agent_restart_gives_no_spike() {
    let mut i = Interpreter::new();
    let r = |uptime, octets| SnmpReading {
        sys_uptime: Some(uptime),
        interfaces: vec![eth0(octets, 0)],
        ..Default::default()
    };
    i.snmp(t0(), &r(50_000, 9_000_000), &[]);
    // sysUpTime went back: the counter restarted from zero, not wrapped.
    let out = i.snmp(t0() + Duration::seconds(60), &r(100, 10), &[]);
    assert_eq!(value(&out.samples, &SeriesKey::interface(Builtin::IfInBps, 2)), None);
}

#[test]
fn a_vanished_interface_is_reported_once() {
    let mut i = Interpreter::new();
    let mut eth1 = eth0(0, 0);
    eth1.if_index = 3;
    i.snmp(t0(), &SnmpReading { interfaces: vec![eth0(0, 0), eth1], ..Default::default() }, &[]);
    let at = t0() + Duration::seconds(60);
    let out = i.snmp(at, &SnmpReading { interfaces: vec![eth0(0, 0)], ..Default::default() }, &[]);
    assert!(out.observations.contains(&Observation::InterfaceRemoved { at, if_index: 3 }));
    let out = i.snmp(at, &SnmpReading { interfaces: vec![eth0(0, 0)], ..Default::default() }, &[]);
    assert!(!out.observations.iter().any(|o| matches!(o, Observation::InterfaceRemoved { .. })));
}

#[test]
fn host_metrics_are_named_and_non_finite_values_dropped() {
    let mut i = Interpreter::new();
    let r = SnmpReading {
        cpu_loads: vec![10.0, 30.0],
        storage: vec![
            StorageReading { descr: "/".into(), used_pct: 42.0, size_bytes: 1 << 30 },
            StorageReading { descr: "/broken".into(), used_pct: f64::NAN, size_bytes: 0 },
        ],
        load_avg: vec![0.5, 0.4, 0.3],
        ..SnmpReading::default()
    };
    let out = i.snmp(t0(), &r, &[]);
    assert_eq!(value(&out.samples, &SeriesKey::device(Builtin::CpuPct)), Some(20.0));
    assert_eq!(value(&out.samples, &SeriesKey::row(Builtin::StorageUsedPct, "/")), Some(42.0));
    assert_eq!(value(&out.samples, &SeriesKey::device(Builtin::Load1)), Some(0.5));
    assert_eq!(out.samples.len(), 3, "{:?}", out.samples);
}

#[test]
fn template_gauges_and_counters_are_named_by_the_template() {
    let linux = extra_metrics(template_by_name("linux-net-snmp").expect("shipped"));
    let rows = |user: u64| {
        vec![
            MibRow::new(parse_oid(".1.3.6.1.4.1.2021.11.50.0").expect("oid"), RawValue::Uint(user)),
            MibRow::new(parse_oid(".1.3.6.1.4.1.2021.10.1.3.1").expect("oid"), RawValue::Octets(b"0.15".to_vec())),
        ]
    };
    let mut i = Interpreter::new();
    let r = SnmpReading { sys_uptime: Some(100), template_rows: rows(1_000), ..Default::default() };
    let out = i.snmp(t0(), &r, &linux);
    let load = SeriesKey::row(MetricKey::Template("load".into()), "1");
    assert_eq!(value(&out.samples, &load), Some(0.15));
    let user = SeriesKey::device(MetricKey::Template("cpu_raw_user".into()));
    assert_eq!(value(&out.samples, &user), None, "a counter's first reading is a baseline");
    let r = SnmpReading { sys_uptime: Some(2_100), template_rows: rows(1_400), ..Default::default() };
    let out = i.snmp(t0() + Duration::seconds(20), &r, &linux);
    let s = out.samples.iter().find(|s| s.key == user).expect("rate");
    assert_eq!(s.value, 20.0);
    assert!(s.unit.ends_with("/s"), "{}", s.unit);
}

#[test]
fn a_failed_snmp_poll_is_one_observation() {
    let mut i = Interpreter::new();
    let out = i.snmp_failed(t0());
    assert_eq!(out.observations, vec![Observation::Snmp(SnmpResult { at: t0(), ok: false, sys_uptime: None })]);
    assert!(out.samples.is_empty());
}
