//! Timing roles change what a PTP reading means: a clock watched as
//! grandmaster is healthy as its own grandmaster in MASTER state, and its
//! own clock class falling from locked (6 -> 7, 52, 187, 248) is the alarm.
//! Other roles are judged as followers, as with no role.

use meridian_core::alarm::{AlarmSpec, Severity};
use meridian_core::clock::problem;
use meridian_core::clock::ptp_alarms::{ptp_alarms, PtpStatus, PtpThresholds};
use meridian_core::clock::role::TimingRole;
use meridian_core::ptp::{ClockIdentity, PortState};
use meridian_core::DeviceId;
use uuid::Uuid;

const OWN: ClockIdentity = ClockIdentity([1; 8]);
const OTHER: ClockIdentity = ClockIdentity([2; 8]);

fn status(state: PortState, gm: ClockIdentity, class: u8) -> PtpStatus {
    PtpStatus {
        port_number: 1,
        port_state: state,
        own_identity: OWN,
        grandmaster: gm,
        grandmaster_class: class,
        offset_ns: 0.0,
    }
}

fn judged(role: Option<TimingRole>, s: &PtpStatus) -> Vec<AlarmSpec> {
    let t = PtpThresholds { role, ..Default::default() };
    ptp_alarms(DeviceId::from_uuid(Uuid::from_u128(3)), s, &t)
}

fn problems(v: &[AlarmSpec]) -> Vec<&str> {
    v.iter().map(|a| a.specific_problem.as_str()).collect()
}

const GM: Option<TimingRole> = Some(TimingRole::Grandmaster);

#[test]
fn a_locked_grandmaster_in_master_state_is_healthy_only_in_that_role() {
    let master = status(PortState::Master, OWN, 6);
    assert!(judged(GM, &master).is_empty());
    assert!(judged(GM, &status(PortState::Master, OWN, 13)).is_empty());
    // The same reading judged as a follower (no role, or a client) is loss of sync.
    for role in [None, Some(TimingRole::PtpClient), Some(TimingRole::BoundaryClock)] {
        assert_eq!(problems(&judged(role, &master)), [problem::PTP_LOSS_OF_SYNC], "{role:?}");
    }
}

#[test]
fn a_grandmasters_class_falling_from_locked_is_the_alarm() {
    let a = judged(GM, &status(PortState::Master, OWN, 7));
    assert_eq!(problems(&a), [problem::PTP_GM_HOLDOVER]);
    assert_eq!(a[0].perceived_severity, Severity::Minor);
    assert!(a[0].additional_text.contains("clock class 7"), "{}", a[0].additional_text);
    for class in [52, 58, 165, 187, 193, 248, 255] {
        let a = judged(GM, &status(PortState::Master, OWN, class));
        assert_eq!(problems(&a), [problem::PTP_GM_DEGRADED], "class {class}");
        assert_eq!(a[0].perceived_severity, Severity::Major);
        assert_eq!(a[0].managed_object, format!("device={},ptpPort=1", DeviceId::from_uuid(Uuid::from_u128(3))));
    }
}

#[test]
fn a_grandmaster_that_follows_another_clock_or_leaves_master_lost_the_role() {
    let cases = [
        status(PortState::Slave, OTHER, 6),
        status(PortState::Listening, OWN, 6),
        status(PortState::Master, OTHER, 6),
        status(PortState::Faulty, ClockIdentity::default(), 248),
    ];
    for s in cases {
        let a = judged(GM, &s);
        assert_eq!(problems(&a), [problem::PTP_NOT_GRANDMASTER], "{s:?}");
        assert!(!problems(&a).contains(&problem::PTP_LOSS_OF_SYNC));
    }
}

#[test]
fn follower_roles_keep_the_follower_rules() {
    let slave = status(PortState::Slave, OTHER, 6);
    for role in [None, Some(TimingRole::PtpClient), Some(TimingRole::BoundaryClock)] {
        assert!(judged(role, &slave).is_empty(), "{role:?}");
        let degraded = status(PortState::Slave, OTHER, 187);
        assert_eq!(problems(&judged(role, &degraded)), [problem::PTP_GM_DEGRADED]);
    }
}

/// A transparent clock neither follows nor serves: no port state but a
/// broken one is an alarm, and its offset and grandmaster are not judged.
#[test]
fn a_transparent_clock_only_alarms_on_a_broken_port() {
    let tc = Some(TimingRole::TransparentClock);
    for state in [PortState::Listening, PortState::Master, PortState::Passive, PortState::Slave] {
        assert!(judged(tc, &status(state, ClockIdentity::default(), 248)).is_empty(), "{state:?}");
    }
    let far = PtpStatus { offset_ns: 1e9, ..status(PortState::Slave, OTHER, 187) };
    assert!(judged(tc, &far).is_empty(), "offset and class are not a TC's to answer for");
    for state in [PortState::Faulty, PortState::Disabled] {
        let a = judged(tc, &status(state, OTHER, 6));
        assert_eq!(problems(&a), [problem::PTP_PORT_FAULTY], "{state:?}");
        assert_eq!(a[0].perceived_severity, Severity::Major);
    }
}

/// GNSS receivers and SSU/BITS are sources of their domain: judged as grandmasters.
#[test]
fn gnss_receivers_and_ssus_are_judged_as_grandmasters() {
    for role in [Some(TimingRole::GnssReceiver), Some(TimingRole::SsuBits)] {
        assert!(judged(role, &status(PortState::Master, OWN, 6)).is_empty(), "{role:?}");
        assert_eq!(problems(&judged(role, &status(PortState::Master, OWN, 7))), [problem::PTP_GM_HOLDOVER]);
        assert_eq!(problems(&judged(role, &status(PortState::Slave, OTHER, 6))), [problem::PTP_NOT_GRANDMASTER]);
    }
}
