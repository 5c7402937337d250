//! The device state machine and its X.733 alarms, driven with explicit time.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use meridian_core::alarm::{
    cause, device_object, interface_object, problem, Alarm, AlarmId, AlarmKey, AlarmSpec, EventType, Severity,
};
use meridian_core::ids::DeviceId;
use meridian_core::state::{
    Action, DeviceMonitor, DeviceState, IcmpResult, InterfaceStatus, MonitorConfig, Observation, SnmpResult,
};
use std::time::Duration;
use uuid::Uuid;

fn t(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000, 0).single().expect("valid time") + TimeDelta::seconds(secs)
}

fn dev() -> DeviceId {
    DeviceId::from_uuid(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001))
}

fn monitor(snmp: bool) -> DeviceMonitor {
    DeviceMonitor::new(dev(), MonitorConfig { snmp, ..MonitorConfig::default() })
}

fn icmp(at: i64, ok: bool) -> IcmpResult {
    IcmpResult { at: t(at), ok }
}

fn snmp(at: i64, ok: bool, uptime: Option<u64>) -> SnmpResult {
    SnmpResult { at: t(at), ok, sys_uptime: uptime }
}

fn iface(at: i64, idx: u32, admin_up: bool, oper_up: bool) -> InterfaceStatus {
    InterfaceStatus { at: t(at), if_index: idx, name: format!("ge-0/0/{idx}"), admin_up, oper_up }
}

fn changed(from: DeviceState, to: DeviceState) -> Action {
    Action::StateChanged { from, to }
}

fn raised(actions: &[Action]) -> Vec<&AlarmSpec> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::RaiseAlarm(s) => Some(s),
            _ => None,
        })
        .collect()
}

fn key(object: String, cause: &str, problem: &str) -> AlarmKey {
    AlarmKey { managed_object: object, probable_cause: cause.into(), specific_problem: problem.into() }
}

fn unreachable_key() -> AlarmKey {
    key(device_object(dev()), cause::COMMUNICATIONS_SUBSYSTEM_FAILURE, problem::ICMP_NO_REPLY)
}

fn snmp_key() -> AlarmKey {
    key(device_object(dev()), cause::APPLICATION_SUBSYSTEM_FAILURE, problem::SNMP_NO_RESPONSE)
}

fn link_key(idx: u32) -> AlarmKey {
    key(interface_object(dev(), idx), cause::LOSS_OF_SIGNAL, problem::LINK_DOWN)
}

fn reboot_key() -> AlarmKey {
    key(device_object(dev()), cause::REINITIALIZED, problem::SYS_UPTIME_RESET)
}

#[test]
fn goes_down_after_three_failures_with_one_alarm_and_recovers_on_one_success() {
    let mut m = monitor(false);
    assert_eq!(m.state(), DeviceState::Unknown);
    assert!(m.observe(icmp(0, false)).is_empty());
    assert!(m.observe(icmp(30, false)).is_empty());
    let a = m.observe(icmp(60, false));
    assert_eq!(a[0], changed(DeviceState::Unknown, DeviceState::Down));
    let r = raised(&a);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].key(), unreachable_key());
    assert_eq!((r[0].event_type, r[0].perceived_severity), (EventType::Communications, Severity::Critical));
    assert_eq!(r[0].additional_text, "no ICMP echo reply to 3 consecutive polls");
    // Persisting: no duplicate raise.
    for s in 1..10 {
        assert!(m.observe(icmp(60 + s * 30, false)).is_empty());
    }
    let a = m.observe(icmp(400, true));
    assert_eq!(a, vec![changed(DeviceState::Down, DeviceState::Up), Action::ClearAlarm(unreachable_key())]);
    assert_eq!(m.active_alarms().count(), 0);
}

#[test]
fn up_from_unknown_at_once_but_recovery_honours_up_after() {
    let cfg = MonitorConfig { up_after: 3, ..MonitorConfig::default() };
    let mut m = DeviceMonitor::new(dev(), cfg);
    assert_eq!(m.observe(icmp(0, true)), vec![changed(DeviceState::Unknown, DeviceState::Up)]);
    for s in 1..=3 {
        m.observe(icmp(s * 30, false));
    }
    assert_eq!(m.state(), DeviceState::Down);
    assert!(m.observe(icmp(120, true)).is_empty());
    assert!(m.observe(icmp(150, true)).is_empty());
    // A failure in between restarts the count.
    assert!(m.observe(icmp(180, false)).is_empty());
    assert!(m.observe(icmp(210, true)).is_empty());
    assert!(m.observe(icmp(240, true)).is_empty());
    let a = m.observe(icmp(270, true));
    assert_eq!(a[0], changed(DeviceState::Down, DeviceState::Up));
    assert_eq!(a[1], Action::ClearAlarm(unreachable_key()));
}

#[test]
fn occasional_loss_does_not_take_a_device_down() {
    let mut m = monitor(false);
    m.observe(icmp(0, true));
    for s in 1..50 {
        let ok = s % 3 != 0; // every third echo lost
        assert!(m.observe(icmp(s * 30, ok)).is_empty(), "poll {s}");
    }
    assert_eq!(m.state(), DeviceState::Up);
}

#[test]
fn snmp_silent_while_ping_answers_degrades_and_alarms_then_clears() {
    let mut m = monitor(true);
    m.observe(icmp(0, true));
    assert!(m.observe(snmp(10, false, None)).is_empty(), "one failed poll is tolerated");
    let a = m.observe(snmp(70, false, None));
    assert_eq!(a[0], changed(DeviceState::Up, DeviceState::Degraded));
    let r = raised(&a);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].key(), snmp_key());
    assert_eq!((r[0].event_type, r[0].perceived_severity), (EventType::ProcessingError, Severity::Minor));
    assert!(m.observe(snmp(130, false, None)).is_empty(), "no duplicate");
    assert!(m.observe(icmp(140, true)).is_empty());
    let a = m.observe(snmp(190, true, Some(50_000)));
    assert_eq!(a, vec![changed(DeviceState::Degraded, DeviceState::Up), Action::ClearAlarm(snmp_key())]);
}

#[test]
fn a_device_going_dark_is_unreachable_not_snmp_silent() {
    let mut m = monitor(true);
    m.observe(icmp(0, true));
    m.observe(snmp(5, true, Some(1_000)));
    let mut all = Vec::new();
    for s in 1..=4 {
        all.extend(m.observe(icmp(s * 30, false)));
        all.extend(m.observe(snmp(s * 30 + 5, false, None)));
    }
    let keys: Vec<AlarmKey> = raised(&all).iter().map(|s| s.key()).collect();
    assert_eq!(keys, vec![unreachable_key()]);
    assert_eq!(m.state(), DeviceState::Down);
    // Back up: SNMP must fail afresh before it is blamed.
    m.observe(icmp(200, true));
    assert!(m.observe(snmp(205, false, None)).is_empty());
    assert_eq!(m.state(), DeviceState::Up);
}

#[test]
fn down_supersedes_the_snmp_alarm_clears_first() {
    let mut m = monitor(true);
    m.observe(icmp(0, true));
    m.observe(snmp(1, false, None));
    m.observe(snmp(2, false, None));
    assert_eq!(m.state(), DeviceState::Degraded);
    m.observe(icmp(30, false));
    m.observe(icmp(60, false));
    let a = m.observe(icmp(90, false));
    assert_eq!(a.len(), 3);
    assert_eq!(a[0], changed(DeviceState::Degraded, DeviceState::Down));
    assert_eq!(a[1], Action::ClearAlarm(snmp_key()));
    assert!(matches!(&a[2], Action::RaiseAlarm(s) if s.key() == unreachable_key()));
}

#[test]
fn without_snmp_configured_snmp_failures_do_not_count() {
    let mut m = monitor(false);
    m.observe(icmp(0, true));
    for s in 1..10 {
        assert!(m.observe(snmp(s * 60, false, None)).is_empty());
    }
    assert_eq!(m.state(), DeviceState::Up);
}

#[test]
fn interface_down_while_admin_up_alarms_per_interface() {
    let mut m = monitor(true);
    m.observe(icmp(0, true));
    assert!(m.observe(iface(1, 1, true, true)).is_empty());
    assert!(m.observe(iface(1, 2, false, false)).is_empty(), "admin down is intended");
    let a = m.observe(iface(1, 3, true, false));
    assert_eq!(a[0], changed(DeviceState::Up, DeviceState::Degraded));
    let r = raised(&a);
    assert_eq!(r[0].key(), link_key(3));
    assert_eq!((r[0].event_type, r[0].perceived_severity), (EventType::Communications, Severity::Major));
    assert!(r[0].additional_text.contains("ge-0/0/3 (ifIndex 3)"), "{}", r[0].additional_text);
    let a = m.observe(iface(2, 1, true, false));
    assert_eq!(raised(&a).iter().map(|s| s.key()).collect::<Vec<_>>(), vec![link_key(1)]);
    assert!(m.observe(iface(61, 3, true, false)).is_empty(), "no duplicate");
    // Taken admin down: cleared, since nobody expects a disabled port to be up.
    assert_eq!(m.observe(iface(62, 3, false, false)), vec![Action::ClearAlarm(link_key(3))]);
    // Removed from the ifTable: cleared.
    let a = m.observe(Observation::InterfaceRemoved { at: t(63), if_index: 1 });
    assert_eq!(a, vec![changed(DeviceState::Degraded, DeviceState::Up), Action::ClearAlarm(link_key(1))]);
}

#[test]
fn link_back_up_clears_its_alarm() {
    let mut m = monitor(true);
    m.observe(icmp(0, true));
    m.observe(iface(1, 7, true, false));
    let a = m.observe(iface(61, 7, true, true));
    assert_eq!(a, vec![changed(DeviceState::Degraded, DeviceState::Up), Action::ClearAlarm(link_key(7))]);
}

#[test]
fn reboot_raises_a_warning_once_and_clears_after_the_hold() {
    let mut m = monitor(true);
    m.observe(icmp(0, true));
    assert!(m.observe(snmp(0, true, Some(8_640_000))).is_empty(), "first uptime is a baseline");
    assert!(m.observe(snmp(60, true, Some(8_646_000))).is_empty());
    let a = m.observe(snmp(120, true, Some(1_500)));
    let r = raised(&a);
    assert_eq!(r.len(), 1, "{a:?}");
    assert_eq!(r[0].key(), reboot_key());
    assert_eq!((r[0].event_type, r[0].perceived_severity), (EventType::ProcessingError, Severity::Warning));
    assert!(r[0].additional_text.contains("15 s"), "{}", r[0].additional_text);
    assert_eq!(m.state(), DeviceState::Up, "a reboot alone does not degrade");
    assert!(m.observe(snmp(180, true, Some(7_500))).is_empty(), "no duplicate");
    assert!(m.observe(icmp(120 + 3599, true)).is_empty());
    assert_eq!(m.observe(icmp(120 + 3600, true)), vec![Action::ClearAlarm(reboot_key())]);
}

#[test]
fn reboot_between_polls_is_seen_even_if_uptime_grew() {
    let mut m = monitor(true);
    m.observe(snmp(0, true, Some(200)));
    let a = m.observe(snmp(300, true, Some(1_000)));
    assert_eq!(raised(&a).iter().map(|s| s.key()).collect::<Vec<_>>(), vec![reboot_key()]);
}

#[test]
fn stale_or_failed_snmp_results_do_not_fake_a_reboot() {
    let mut m = monitor(true);
    m.observe(snmp(60, true, Some(10_000)));
    assert!(m.observe(snmp(0, true, Some(4_000))).is_empty(), "older result, delivered late");
    assert!(m.observe(snmp(120, false, None)).is_empty());
    assert!(m.observe(snmp(180, true, Some(22_000))).is_empty());
    assert_eq!(m.active_alarms().count(), 0);
}

#[test]
fn removing_snmp_from_the_device_clears_its_snmp_alarm() {
    let mut m = monitor(true);
    m.observe(icmp(0, true));
    m.observe(snmp(1, false, None));
    m.observe(snmp(2, false, None));
    assert_eq!(m.state(), DeviceState::Degraded);
    let a = m.set_config(MonitorConfig { snmp: false, ..*m.config() }, t(3));
    assert_eq!(a, vec![changed(DeviceState::Degraded, DeviceState::Up), Action::ClearAlarm(snmp_key())]);
}

#[test]
fn retiring_clears_everything() {
    let mut m = monitor(true);
    for s in 0..3 {
        m.observe(icmp(s, false));
    }
    m.observe(iface(4, 1, true, false));
    let a = m.retire();
    assert_eq!(a[0], changed(DeviceState::Down, DeviceState::Unknown));
    let mut cleared: Vec<AlarmKey> = a[1..]
        .iter()
        .map(|x| match x {
            Action::ClearAlarm(k) => k.clone(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    cleared.sort();
    let mut want = vec![unreachable_key(), link_key(1)];
    want.sort();
    assert_eq!(cleared, want);
    assert_eq!((m.state(), m.active_alarms().count()), (DeviceState::Unknown, 0));
}

fn stored(spec: AlarmSpec, at: i64) -> Alarm {
    Alarm::raise(AlarmId::from_uuid(Uuid::from_u128(9)), Some(dev()), spec, t(at))
}

#[test]
fn restore_adopts_stored_alarms_without_duplicates() {
    let foreign = AlarmSpec { probable_cause: "thresholdCrossed".into(), ..AlarmSpec::device_unreachable(dev(), 3) };
    let mut cleared_earlier = stored(AlarmSpec::interface_down(dev(), 9, "x"), 0);
    cleared_earlier.clear(t(1)).expect("clear");
    let alarms = vec![
        stored(AlarmSpec::device_unreachable(dev(), 3), 0),
        stored(AlarmSpec::interface_down(dev(), 4, "eth4"), 0),
        stored(foreign.clone(), 0),
        cleared_earlier,
    ];
    let mut m = monitor(true);
    m.restore(&alarms);
    assert_eq!(m.state(), DeviceState::Down);
    let mut keys: Vec<AlarmKey> = m.active_alarms().cloned().collect();
    keys.sort();
    let mut want = vec![unreachable_key(), link_key(4)];
    want.sort();
    assert_eq!(keys, want, "only its own, active alarms");
    assert!(m.observe(icmp(10, false)).is_empty(), "still down: no second raise");
    let a = m.observe(icmp(40, true));
    assert_eq!(a[0], changed(DeviceState::Down, DeviceState::Degraded), "link 4 is still believed down");
    assert_eq!(a[1], Action::ClearAlarm(unreachable_key()));
    assert_eq!(
        m.observe(iface(41, 4, true, true)),
        vec![changed(DeviceState::Degraded, DeviceState::Up), Action::ClearAlarm(link_key(4))]
    );
    assert!(!m.active_alarms().any(|k| *k == foreign.key()), "foreign alarm never adopted");
}

#[test]
fn restored_reboot_alarm_clears_on_its_original_schedule() {
    let mut m = monitor(true);
    m.restore(&[stored(AlarmSpec::device_rebooted(dev(), 100), 0)]);
    assert_eq!(m.observe(icmp(1_000, true)), vec![changed(DeviceState::Unknown, DeviceState::Up)]);
    assert_eq!(m.observe(icmp(3_600, true)), vec![Action::ClearAlarm(reboot_key())]);
}

#[test]
fn zero_thresholds_are_treated_as_one() {
    let cfg = MonitorConfig { down_after: 0, up_after: 0, snmp_fail_after: 0, ..MonitorConfig::default() };
    let mut m = DeviceMonitor::new(dev(), cfg);
    assert_eq!(m.config().down_after, 1);
    assert!(m.observe(icmp(0, true)).len() == 1);
    assert_eq!(m.observe(icmp(1, false))[0], changed(DeviceState::Up, DeviceState::Down));
}

#[test]
fn reboot_hold_is_configurable() {
    let mut m = DeviceMonitor::new(
        dev(),
        MonitorConfig { snmp: true, reboot_hold: Duration::from_secs(60), ..MonitorConfig::default() },
    );
    m.observe(snmp(0, true, Some(100_000)));
    m.observe(snmp(60, true, Some(50)));
    assert_eq!(m.observe(snmp(120, true, Some(6_050))), vec![Action::ClearAlarm(reboot_key())]);
}

#[test]
fn a_devices_own_counts_replace_the_monitors_and_bad_ones_are_named() {
    use meridian_core::state::{CountOverride, MonitorConfig};
    let base = MonitorConfig::default();
    let o = CountOverride { down_after: Some(6), ..CountOverride::default() };
    let c = o.apply(base);
    assert_eq!((c.down_after, c.up_after, c.snmp_fail_after), (6, base.up_after, base.snmp_fail_after));
    assert!(CountOverride::default().is_empty() && !o.is_empty());
    let bad = CountOverride { down_after: Some(0), up_after: Some(2), snmp_fail_after: Some(101) };
    let e = bad.validate().expect_err("refused");
    let fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["downAfter", "snmpFailAfter"]);
    // With down_after 1 the first failed poll is the outage.
    let mut m = meridian_core::state::DeviceMonitor::new(
        dev(),
        CountOverride { down_after: Some(1), ..CountOverride::default() }.apply(base),
    );
    m.observe(icmp(0, true));
    let acts = m.observe(icmp(60, false));
    assert!(
        acts.iter().any(|a| matches!(a, Action::RaiseAlarm(s) if s.additional_text.contains("1 consecutive"))),
        "{acts:?}"
    );
}
