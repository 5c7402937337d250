//! Property tests for the device monitor: whatever the pollers report, the
//! actions form a consistent history (no duplicate raise, no clear of an
//! alarm that is not active) and the state agrees with the alarms.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use meridian_core::alarm::{cause, problem, AlarmKey};
use meridian_core::ids::DeviceId;
use meridian_core::state::{
    Action, DeviceMonitor, DeviceState, IcmpResult, InterfaceStatus, MonitorConfig, Observation, SnmpResult,
};
use proptest::prelude::*;
use std::collections::BTreeSet;
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Step {
    Icmp(bool),
    Snmp(bool, Option<u32>),
    Iface(u32, bool, bool),
    Removed(u32),
}

fn step() -> impl Strategy<Value = (i64, Step)> {
    let s = prop_oneof![
        4 => any::<bool>().prop_map(Step::Icmp),
        2 => (any::<bool>(), prop::option::of(any::<u32>())).prop_map(|(ok, up)| Step::Snmp(ok, up)),
        2 => (1u32..5, any::<bool>(), any::<bool>()).prop_map(|(i, a, o)| Step::Iface(i, a, o)),
        1 => (1u32..5).prop_map(Step::Removed),
    ];
    (1i64..4_000, s)
}

fn t0() -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000, 0).single().expect("valid time")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn actions_are_a_consistent_history(
        snmp in any::<bool>(),
        down_after in 1u32..5, up_after in 1u32..4, snmp_fail_after in 1u32..4,
        steps in prop::collection::vec(step(), 1..120),
    ) {
        let dev = DeviceId::from_uuid(Uuid::from_u128(77));
        let cfg = MonitorConfig { snmp, down_after, up_after, snmp_fail_after, ..MonitorConfig::default() };
        let mut m = DeviceMonitor::new(dev, cfg);
        let mut active: BTreeSet<AlarmKey> = BTreeSet::new();
        let mut state = DeviceState::Unknown;
        let mut at = t0();
        for (dt, s) in steps {
            at += TimeDelta::seconds(dt);
            let obs: Observation = match s {
                Step::Icmp(ok) => IcmpResult { at, ok }.into(),
                Step::Snmp(ok, up) => SnmpResult { at, ok, sys_uptime: up.map(u64::from) }.into(),
                Step::Iface(i, admin_up, oper_up) => {
                    InterfaceStatus { at, if_index: i, name: format!("if{i}"), admin_up, oper_up }.into()
                }
                Step::Removed(i) => Observation::InterfaceRemoved { at, if_index: i },
            };
            for a in m.observe(obs) {
                match a {
                    Action::StateChanged { from, to } => {
                        prop_assert_eq!(from, state);
                        prop_assert_ne!(from, to);
                        state = to;
                    }
                    Action::RaiseAlarm(spec) => prop_assert!(active.insert(spec.key()), "duplicate raise"),
                    Action::ClearAlarm(k) => prop_assert!(active.remove(&k), "clear of an inactive alarm"),
                }
            }
            prop_assert_eq!(state, m.state());
            prop_assert_eq!(&active, &m.active_alarms().cloned().collect::<BTreeSet<_>>());
            let has = |c: &str, p: &str| active.iter().any(|k| k.probable_cause == c && k.specific_problem == p);
            let unreachable = has(cause::COMMUNICATIONS_SUBSYSTEM_FAILURE, problem::ICMP_NO_REPLY);
            let snmp_silent = has(cause::APPLICATION_SUBSYSTEM_FAILURE, problem::SNMP_NO_RESPONSE);
            let link_down = has(cause::LOSS_OF_SIGNAL, problem::LINK_DOWN);
            prop_assert_eq!(state == DeviceState::Down, unreachable);
            prop_assert!(!(unreachable && snmp_silent), "unreachable and SNMP-silent at once");
            prop_assert!(snmp || !snmp_silent, "SNMP alarm on a device without SNMP");
            if state == DeviceState::Up {
                prop_assert!(!snmp_silent && !link_down);
            }
            if state == DeviceState::Degraded {
                prop_assert!(snmp_silent || link_down);
            }
        }
        let cleared: BTreeSet<AlarmKey> = m
            .retire()
            .into_iter()
            .filter_map(|a| match a {
                Action::ClearAlarm(k) => Some(k),
                _ => None,
            })
            .collect();
        prop_assert_eq!(cleared, active);
    }
}
