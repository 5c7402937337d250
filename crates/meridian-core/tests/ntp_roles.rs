//! What a timing role adds to the NTP judgement: a GNSS receiver must serve
//! stratum 1; an NTP-server role answers for a stratum past its limit and
//! for gaps in its reach register. Other roles keep the general checks.

use meridian_core::clock::ntp_alarms::{ntp_alarms, NtpStatus, NtpThresholds};
use meridian_core::clock::problem;
use meridian_core::clock::role::TimingRole;
use meridian_core::ntp::{Leap, NtpReading, Reach, ReferenceId};
use meridian_core::DeviceId;
use uuid::Uuid;

fn reading(stratum: u8) -> NtpReading {
    NtpReading {
        offset_s: 0.001,
        delay_s: 0.001,
        stratum,
        reference_id: ReferenceId { raw: 0x4750_5300, stratum },
        leap: Leap::None,
        root_delay_s: 0.0,
        root_dispersion_s: 0.0,
        version: 4,
        poll: 6,
        precision: -20,
    }
}

fn problems(role: Option<TimingRole>, polls: u64, reach: u8, stratum: u8) -> Vec<String> {
    let s = NtpStatus { polls, reach: Reach(reach), last: Some(reading(stratum)) };
    let t = NtpThresholds { role, ..NtpThresholds::default() };
    ntp_alarms(DeviceId::from_uuid(Uuid::from_u128(4)), &s, &t).into_iter().map(|a| a.specific_problem).collect()
}

#[test]
fn a_gnss_receiver_must_serve_stratum_one() {
    let gnss = Some(TimingRole::GnssReceiver);
    assert!(problems(gnss, 8, 0xff, 1).is_empty());
    assert_eq!(problems(gnss, 8, 0xff, 2), [problem::NTP_NOT_PRIMARY]);
    // Stratum 16 is the general "unsynchronised", not a second alarm.
    assert_eq!(problems(gnss, 8, 0xff, 16), [problem::NTP_UNSYNCHRONISED]);
    // The same stratum-2 reading with no role, or a client role, is fine.
    for role in [None, Some(TimingRole::PtpClient)] {
        assert!(problems(role, 8, 0xff, 2).is_empty(), "{role:?}");
    }
}

#[test]
fn an_ntp_server_answers_for_its_stratum_and_reach() {
    let server = Some(TimingRole::NtpServer);
    assert!(problems(server, 8, 0xff, 4).is_empty());
    assert_eq!(problems(server, 8, 0xff, 5), [problem::NTP_STRATUM_HIGH]);
    // A gap in the last eight polls is a warning, once the register is full.
    assert_eq!(problems(server, 8, 0b1111_1011, 2), [problem::NTP_REACH_PARTIAL]);
    assert!(problems(server, 3, 0b111, 2).is_empty(), "three polls: the register is not full yet");
    assert_eq!(problems(server, 30, 0b0000_0001, 6), [problem::NTP_STRATUM_HIGH, problem::NTP_REACH_PARTIAL]);
    // Unreachable stays the one alarm of an empty register.
    assert_eq!(problems(server, 9, 0, 2), [problem::NTP_UNREACHABLE]);
    assert!(problems(None, 8, 0b1111_1011, 9).is_empty(), "no role: the general checks only");
}
