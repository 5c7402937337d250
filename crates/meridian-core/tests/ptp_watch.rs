//! A watched PTP clock: samples while it measures against a master, loss of
//! sync when the port leaves SLAVE (UNCALIBRATED counts only when asked),
//! silence keeps what is known and adds "unreachable" after three polls,
//! a new grandmaster is an event, and retire/restore cover exactly its own
//! alarms.

use chrono::{DateTime, TimeZone, Utc};
use meridian_core::alarm_record::{Alarm, AlarmId};
use meridian_core::clock::ptp_alarms::{PtpEvent, PtpThresholds};
use meridian_core::clock::ptp_watch::{ptp_clock_object, PtpWatch, UNREACHABLE_AFTER};
use meridian_core::metric::{Builtin, NamedSample};
use meridian_core::ptp::{
    ClockIdentity, ClockQuality, CurrentDataSet, DefaultDataSet, ParentDataSet, PortDataSet, PortIdentity, PortState,
    PtpSnapshot, TimeStatusNp,
};
use meridian_core::state::Action;
use meridian_core::DeviceId;
use uuid::Uuid;

const OWN: ClockIdentity = ClockIdentity([1; 8]);
const GM: ClockIdentity = ClockIdentity([2; 8]);

fn at(s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, s).single().expect("time")
}

fn device() -> DeviceId {
    DeviceId::from_uuid(Uuid::from_u128(9))
}

fn snap(state: PortState, gm: ClockIdentity, class: u8, offset_ns: f64) -> PtpSnapshot {
    PtpSnapshot {
        default: DefaultDataSet {
            two_step: true,
            slave_only: true,
            number_ports: 1,
            priority1: 128,
            quality: ClockQuality { class: 255, accuracy: 0xfe, offset_scaled_log_variance: 0xffff },
            priority2: 128,
            clock_identity: OWN,
            domain: 0,
        },
        current: CurrentDataSet { steps_removed: 1, offset_from_master_ns: offset_ns, mean_path_delay_ns: 2_500.0 },
        parent: ParentDataSet {
            parent_port: PortIdentity { clock: gm, port: 1 },
            parent_stats: false,
            observed_parent_offset_scaled_log_variance: 0xffff,
            observed_parent_clock_phase_change_rate: 0x7fff_ffff,
            grandmaster_priority1: 127,
            grandmaster_quality: ClockQuality { class, accuracy: 0xfe, offset_scaled_log_variance: 0xffff },
            grandmaster_priority2: 128,
            grandmaster_identity: gm,
        },
        port: PortDataSet {
            port: PortIdentity { clock: OWN, port: 1 },
            state,
            log_min_delay_req_interval: 0,
            peer_mean_path_delay_ns: 0.0,
            log_announce_interval: 1,
            announce_receipt_timeout: 3,
            log_sync_interval: 0,
            delay_mechanism: 1,
            log_min_pdelay_req_interval: 0,
            version: 2,
        },
        time_status: TimeStatusNp {
            master_offset_ns: offset_ns as i64,
            ingress_time_ns: 0,
            cumulative_scaled_rate_offset: 0,
            scaled_last_gm_phase_change: 0,
            gm_time_base_indicator: 0,
            last_gm_phase_change: (0, 0, 0),
            gm_present: !gm.is_zero(),
            gm_identity: gm,
        },
    }
}

fn value(samples: &[NamedSample], b: Builtin) -> Option<f64> {
    samples.iter().find(|s| s.key.metric == b.into()).map(|s| s.value)
}

fn raised(actions: &[Action]) -> Vec<&str> {
    actions
        .iter()
        .filter_map(|a| if let Action::RaiseAlarm(s) = a { Some(s.specific_problem.as_str()) } else { None })
        .collect()
}

fn cleared(actions: &[Action]) -> Vec<&str> {
    actions
        .iter()
        .filter_map(|a| if let Action::ClearAlarm(k) = a { Some(k.specific_problem.as_str()) } else { None })
        .collect()
}

#[test]
fn a_following_slave_gives_samples_and_no_alarm() {
    let mut w = PtpWatch::new(device(), PtpThresholds::default());
    let p = w.poll(at(0), Some(&snap(PortState::Slave, GM, 6, -120.5)));
    assert!(p.actions.is_empty() && p.events.is_empty(), "{p:?}");
    assert_eq!(value(&p.samples, Builtin::PtpOffsetNs), Some(-120.5));
    assert_eq!(value(&p.samples, Builtin::PtpPathDelayNs), Some(2_500.0));
    assert_eq!(value(&p.samples, Builtin::PtpStepsRemoved), Some(1.0));
    assert_eq!(value(&p.samples, Builtin::PtpGmClockClass), Some(6.0));
    let unit = |b: Builtin| p.samples.iter().find(|s| s.key.metric == b.into()).map(|s| s.unit.as_str());
    assert_eq!((unit(Builtin::PtpOffsetNs), unit(Builtin::PtpGmClockClass)), (Some("ns"), Some("")));
}

#[test]
fn uncalibrated_is_loss_of_sync_unless_the_watch_says_otherwise() {
    let unc = snap(PortState::Uncalibrated, GM, 248, 40.0);
    let mut strict = PtpWatch::new(device(), PtpThresholds::default());
    let p = strict.poll(at(0), Some(&unc));
    assert_eq!(raised(&p.actions), ["ptpLossOfSync"]);
    // It still measures against its master: offset and delay are stored.
    assert_eq!(value(&p.samples, Builtin::PtpOffsetNs), Some(40.0));
    let mut lenient = PtpWatch::new(device(), PtpThresholds { uncalibrated_is_synced: true, ..Default::default() });
    assert!(lenient.poll(at(0), Some(&unc)).actions.is_empty());
}

#[test]
fn leaving_slave_raises_loss_of_sync_once_and_stops_offset_samples() {
    let mut w = PtpWatch::new(device(), PtpThresholds::default());
    assert!(w.poll(at(0), Some(&snap(PortState::Slave, GM, 6, 10.0))).actions.is_empty());
    let p = w.poll(at(10), Some(&snap(PortState::Listening, GM, 6, 10.0)));
    assert_eq!(raised(&p.actions), ["ptpLossOfSync"]);
    assert_eq!(value(&p.samples, Builtin::PtpOffsetNs), None, "no stale offset");
    assert_eq!(value(&p.samples, Builtin::PtpStepsRemoved), Some(1.0));
    assert!(w.poll(at(20), Some(&snap(PortState::Listening, GM, 6, 10.0))).actions.is_empty(), "raised once");
    let p = w.poll(at(30), Some(&snap(PortState::Slave, GM, 6, 5_000.0)));
    assert_eq!(cleared(&p.actions), ["ptpLossOfSync"]);
    assert_eq!(raised(&p.actions), ["ptpOffsetExceeded"], "back, but 5 us off");
}

#[test]
fn silence_keeps_known_alarms_and_adds_unreachable_after_three_polls() {
    let mut w = PtpWatch::new(device(), PtpThresholds::default());
    assert_eq!(raised(&w.poll(at(0), Some(&snap(PortState::Listening, GM, 6, 0.0))).actions), ["ptpLossOfSync"]);
    for i in 1..UNREACHABLE_AFTER {
        let p = w.poll(at(i * 10), None);
        assert!(p.actions.is_empty() && p.samples.is_empty(), "poll {i}: {p:?}");
    }
    let p = w.poll(at(30), None);
    assert_eq!(raised(&p.actions), ["ptpUnreachable"], "{p:?}");
    let Action::RaiseAlarm(spec) = &p.actions[0] else { unreachable!() };
    assert_eq!(spec.managed_object, ptp_clock_object(device()));
    assert!(w.poll(at(40), None).actions.is_empty(), "raised once, loss of sync kept");
    let p = w.poll(at(50), Some(&snap(PortState::Slave, GM, 6, 0.0)));
    let mut c = cleared(&p.actions);
    c.sort_unstable();
    assert_eq!(c, ["ptpLossOfSync", "ptpUnreachable"]);
    assert!(raised(&p.actions).is_empty());
}

#[test]
fn a_new_grandmaster_is_an_event_with_the_poll_time() {
    let mut w = PtpWatch::new(device(), PtpThresholds::default());
    assert!(w.poll(at(0), Some(&snap(PortState::Slave, GM, 6, 0.0))).events.is_empty(), "baseline");
    let other = ClockIdentity([3; 8]);
    let p = w.poll(at(10), Some(&snap(PortState::Slave, other, 6, 0.0)));
    assert_eq!(p.events, [PtpEvent::GrandmasterChanged { at: at(10), from: GM, to: other }]);
    let p = w.poll(at(20), Some(&snap(PortState::Slave, other, 7, 0.0)));
    assert_eq!(p.events, [PtpEvent::ClockClassChanged { at: at(20), grandmaster: other, from: 6, to: 7 }]);
    assert_eq!(raised(&p.actions), ["ptpGrandmasterHoldover"]);
}

#[test]
fn retire_clears_and_restore_adopts_only_this_devices_ptp_alarms() {
    let mut w = PtpWatch::new(device(), PtpThresholds::default());
    let p = w.poll(at(0), Some(&snap(PortState::Listening, GM, 6, 0.0)));
    let Action::RaiseAlarm(spec) = &p.actions[0] else { panic!("{p:?}") };
    let stored = |spec, dev, n| Alarm::raise(AlarmId::from_uuid(Uuid::from_u128(n)), Some(dev), spec, at(0));
    let other = DeviceId::from_uuid(Uuid::from_u128(10));
    let mut foreign = spec.clone();
    foreign.managed_object = format!("device={other},ptpPort=1");
    let mut ntp = spec.clone();
    ntp.managed_object = format!("device={},ntp", device());
    let store = [stored(spec.clone(), device(), 1), stored(foreign, other, 2), stored(ntp, device(), 3)];
    let mut after_restart = PtpWatch::new(device(), PtpThresholds::default());
    after_restart.restore(&store);
    assert_eq!(cleared(&after_restart.retire()), ["ptpLossOfSync"], "only its own port alarm");
    assert_eq!(cleared(&w.retire()), ["ptpLossOfSync"]);
    assert!(w.retire().is_empty());
}

#[test]
fn watch_settings_are_checked_field_by_field() {
    use meridian_core::clock::ptp_watch::{PtpWatchConfig, PtpWatchEndpoint};
    let cfg =
        |endpoint, limit| PtpWatchConfig { endpoint, domain: 0, offset_limit_ns: limit, uncalibrated_is_synced: true };
    let uds = |p: &str| PtpWatchEndpoint::Uds { path: p.into() };
    assert!(cfg(uds("/var/run/ptp4l"), None).validate().is_ok());
    assert!(cfg(PtpWatchEndpoint::Udp { address: None }, Some(500.0)).validate().is_ok());
    let fields = |c: PtpWatchConfig| -> Vec<String> {
        c.validate().expect_err("refused").fields().iter().map(|f| f.field.clone()).collect()
    };
    assert_eq!(fields(cfg(uds("ptp4l"), Some(f64::NAN))), ["path", "offsetLimitNs"]);
    assert_eq!(fields(cfg(uds(&format!("/{}", "x".repeat(107))), None)), ["path"]);
    assert_eq!(
        fields(cfg(PtpWatchEndpoint::Udp { address: Some("::1".into()) }, Some(-1.0))),
        ["address", "offsetLimitNs"]
    );
    let t = cfg(uds("/run/p"), Some(250.0)).thresholds(None);
    assert_eq!((t.offset_ns, t.uncalibrated_is_synced), (250.0, true));
    assert_eq!(cfg(uds("/run/p"), None).thresholds(None).offset_ns, PtpThresholds::default().offset_ns);
    // Stored settings from a newer build with an unknown field are refused, not half-read.
    let json =
        r#"{"endpoint":{"kind":"uds","path":"/p"},"domain":0,"offsetLimitNs":null,"uncalibratedIsSynced":false,"x":1}"#;
    assert!(serde_json::from_str::<PtpWatchConfig>(json).is_err());
}
