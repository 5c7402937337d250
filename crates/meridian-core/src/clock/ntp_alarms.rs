//! NTP: server unreachable (reach register empty), unsynchronised (stratum
//! 16 or leap 3), offset beyond a threshold, leap second announced.

use super::role::TimingRole;
use super::{cause, problem};
use crate::alarm::{device_object, AlarmSpec, EventType, Severity};
use crate::ids::DeviceId;
use crate::ntp::{Leap, NtpReading, Reach};

/// What the monitor knows of one NTP server after a poll.
#[derive(Debug, Clone, PartialEq)]
pub struct NtpStatus {
    /// Polls made so far; nothing is judged before the first.
    pub polls: u64,
    pub reach: Reach,
    /// The latest answered reading (kept while later polls go unanswered).
    pub last: Option<NtpReading>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NtpThresholds {
    /// |offset| above this raises an alarm. 128 ms: where ntpd and chrony
    /// stop slewing and step, so past it the server and we disagree badly.
    pub offset_s: f64,
    /// The device's timing role (`role_checks::ntp_role_alarms`).
    pub role: Option<TimingRole>,
    /// The highest stratum an NTP-server role may report. 4: a site server
    /// fed by a stratum-2 or 3 upstream is normal; further out it has lost
    /// its references and follows whatever peer it still hears.
    pub server_max_stratum: u8,
}

impl Default for NtpThresholds {
    fn default() -> Self {
        Self { offset_s: 0.128, role: None, server_max_stratum: 4 }
    }
}

/// The managed object of the NTP service of a device.
pub fn ntp_object(device: DeviceId) -> String {
    format!("{},ntp", device_object(device))
}

/// Every NTP alarm whose condition holds.
pub fn ntp_alarms(device: DeviceId, s: &NtpStatus, t: &NtpThresholds) -> Vec<AlarmSpec> {
    let object = ntp_object(device);
    let spec = |event_type, probable_cause: &str, specific: &str, severity, text: String| {
        super::alarm(&object, event_type, probable_cause, specific, severity, text)
    };
    if s.polls == 0 {
        return Vec::new();
    }
    if !s.reach.reachable() {
        let n = s.polls.min(8);
        return vec![spec(
            EventType::Communications,
            cause::COMMUNICATIONS_SUBSYSTEM_FAILURE,
            problem::NTP_UNREACHABLE,
            Severity::Major,
            format!("no NTP reply to the last {n} poll(s) (reach 0)"),
        )];
    }
    let Some(r) = &s.last else { return Vec::new() };
    if r.unsynchronised() {
        return vec![spec(
            EventType::QualityOfService,
            cause::TIMING_PROBLEM,
            problem::NTP_UNSYNCHRONISED,
            Severity::Major,
            format!("server reports stratum {} and leap indicator {:?}", r.stratum, r.leap),
        )];
    }
    let mut out = Vec::new();
    if !r.offset_s.is_finite() || r.offset_s.abs() > t.offset_s {
        out.push(spec(
            EventType::QualityOfService,
            cause::THRESHOLD_CROSSED,
            problem::NTP_OFFSET_EXCEEDED,
            Severity::Minor,
            format!("offset {:.6} s, limit {:.6} s", r.offset_s, t.offset_s),
        ));
    }
    if matches!(r.leap, Leap::Insert | Leap::Delete) {
        let what = if r.leap == Leap::Insert { "inserted" } else { "deleted" };
        out.push(spec(
            EventType::QualityOfService,
            cause::TIMING_PROBLEM,
            problem::NTP_LEAP_ANNOUNCED,
            Severity::Warning,
            format!("a leap second will be {what} at the end of the day (UTC)"),
        ));
    }
    out.extend(super::role_checks::ntp_role_alarms(&object, s, t));
    out
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::ntp::ReferenceId;

    fn reading(stratum: u8, leap: Leap, offset_s: f64) -> NtpReading {
        NtpReading {
            offset_s,
            delay_s: 0.001,
            stratum,
            reference_id: ReferenceId { raw: 0x7f7f_0101, stratum },
            leap,
            root_delay_s: 0.0,
            root_dispersion_s: 0.0,
            version: 4,
            poll: 6,
            precision: -20,
        }
    }

    fn problems(s: &NtpStatus) -> Vec<String> {
        let d = DeviceId::from_uuid(Uuid::from_u128(9));
        ntp_alarms(d, s, &NtpThresholds::default()).into_iter().map(|a| a.specific_problem).collect()
    }

    #[test]
    fn unreachable_follows_the_reach_register() {
        let good = Some(reading(2, Leap::None, 0.001));
        let mut s = NtpStatus { polls: 0, reach: Reach::default(), last: None };
        assert!(problems(&s).is_empty(), "nothing judged before the first poll");
        s.polls = 1;
        assert_eq!(problems(&s), [problem::NTP_UNREACHABLE]);
        // Answered, then silent: reachable until eight polls in a row fail.
        s = NtpStatus { polls: 1, reach: Reach::default().after_poll(true), last: good };
        assert!(problems(&s).is_empty());
        for i in 0..8 {
            assert!(problems(&s).is_empty(), "after {i} silent polls");
            s.reach = s.reach.after_poll(false);
            s.polls += 1;
        }
        assert_eq!(problems(&s), [problem::NTP_UNREACHABLE]);
        // One answer clears it.
        s.reach = s.reach.after_poll(true);
        assert!(problems(&s).is_empty());
    }

    #[test]
    fn unsynchronised_offset_and_leap() {
        let st = |r| NtpStatus { polls: 3, reach: Reach(0b111), last: Some(r) };
        assert_eq!(problems(&st(reading(16, Leap::None, 0.0))), [problem::NTP_UNSYNCHRONISED]);
        assert_eq!(problems(&st(reading(3, Leap::Unsynchronised, 5.0))), [problem::NTP_UNSYNCHRONISED]);
        assert_eq!(problems(&st(reading(3, Leap::None, -0.2))), [problem::NTP_OFFSET_EXCEEDED]);
        assert!(problems(&st(reading(3, Leap::None, 0.128))).is_empty());
        assert_eq!(problems(&st(reading(1, Leap::Insert, 0.0))), [problem::NTP_LEAP_ANNOUNCED]);
        assert_eq!(
            problems(&st(reading(1, Leap::Delete, 1.0))),
            [problem::NTP_OFFSET_EXCEEDED, problem::NTP_LEAP_ANNOUNCED]
        );
    }
}
