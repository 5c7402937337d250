//! PTP: loss of sync, offset beyond a threshold, grandmaster holdover and
//! degradation (alarms), grandmaster and clock-class changes (events).
//!
//! A clock whose timing role is grandmaster is judged as the source: being
//! its own grandmaster in MASTER state is health (for a follower it is loss
//! of sync), and its own clock class leaving "locked" is the alarm.

use chrono::{DateTime, Utc};

use super::role::TimingRole;
use super::{cause, problem};
use crate::alarm::{device_object, AlarmSpec, EventType, Severity};
use crate::ids::DeviceId;
use crate::ptp::{ClockIdentity, PortState};

/// What one poll of a PTP clock says, reduced to what is judged.
#[derive(Debug, Clone, PartialEq)]
pub struct PtpStatus {
    pub port_number: u16,
    pub port_state: PortState,
    pub own_identity: ClockIdentity,
    pub grandmaster: ClockIdentity,
    pub grandmaster_class: u8,
    pub offset_ns: f64,
}

/// Limits and the role judged; defaults suit a telecom boundary clock or client.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PtpThresholds {
    /// |offsetFromMaster| above this raises an alarm. 1 us: the G.8271
    /// end-application budget is 1.1 us, so a single clock past 1 us is
    /// already eating the whole network's share.
    pub offset_ns: f64,
    /// Count UNCALIBRATED as following the master. A free-running ptp4l
    /// (`free_running 1`, a monitoring-only client) never leaves it.
    pub uncalibrated_is_synced: bool,
    /// The device's timing role; `None` judges it as a follower.
    pub role: Option<TimingRole>,
}

impl Default for PtpThresholds {
    fn default() -> Self {
        Self { offset_ns: 1_000.0, uncalibrated_is_synced: false, role: None }
    }
}

/// The managed object of a PTP port of a device.
pub fn ptp_port_object(device: DeviceId, port: u16) -> String {
    format!("{},ptpPort={port}", device_object(device))
}

/// Grandmaster clock classes meaning "in holdover, within specification":
/// IEEE 1588-2008 Table 5 (7, 14) and ITU-T G.8275.1/.2 (135, 140, 150, 160).
pub fn holdover_class(class: u8) -> bool {
    matches!(class, 7 | 14 | 135 | 140 | 150 | 160)
}

/// Classes meaning "out of holdover specification": IEEE 1588 degradation
/// alternatives A and B (52, 58, 187, 193) and G.8275.x's 165.
pub fn degraded_class(class: u8) -> bool {
    matches!(class, 52 | 58 | 165 | 187 | 193)
}

/// Classes of a grandmaster locked to its reference: IEEE 1588 6 (PRTC) and
/// 13 (application-specific); anything else in a grandmaster is a fall.
pub fn locked_class(class: u8) -> bool {
    matches!(class, 6 | 13)
}

/// Every PTP alarm whose condition holds for `s`.
pub fn ptp_alarms(device: DeviceId, s: &PtpStatus, t: &PtpThresholds) -> Vec<AlarmSpec> {
    if super::role_checks::judged_as_grandmaster(t.role) {
        return grandmaster_alarms(device, s);
    }
    if t.role == Some(TimingRole::TransparentClock) {
        return super::role_checks::transparent_clock_alarms(device, s);
    }
    let object = ptp_port_object(device, s.port_number);
    let spec = |event_type, probable_cause: &str, specific: &str, severity, text: String| {
        super::alarm(&object, event_type, probable_cause, specific, severity, text)
    };
    let following =
        s.port_state == PortState::Slave || (t.uncalibrated_is_synced && s.port_state == PortState::Uncalibrated);
    let has_gm = !s.grandmaster.is_zero() && s.grandmaster != s.own_identity;
    let mut out = Vec::new();
    if !following || !has_gm {
        let why = if has_gm { format!("port state is {:?}", s.port_state) } else { "no grandmaster".to_owned() };
        out.push(spec(
            EventType::QualityOfService,
            cause::TIMING_PROBLEM,
            problem::PTP_LOSS_OF_SYNC,
            Severity::Major,
            format!("PTP port {} is not synchronised: {why}", s.port_number),
        ));
        // Offset and grandmaster quality mean nothing without a master.
        return out;
    }
    if !s.offset_ns.is_finite() || s.offset_ns.abs() > t.offset_ns {
        out.push(spec(
            EventType::QualityOfService,
            cause::THRESHOLD_CROSSED,
            problem::PTP_OFFSET_EXCEEDED,
            Severity::Minor,
            format!("offset from master {:.0} ns, limit {:.0} ns", s.offset_ns, t.offset_ns),
        ));
    }
    let gm = s.grandmaster;
    let class = s.grandmaster_class;
    if holdover_class(class) {
        out.push(spec(
            EventType::QualityOfService,
            cause::TIMING_PROBLEM,
            problem::PTP_GM_HOLDOVER,
            Severity::Minor,
            format!("grandmaster {gm} reports clock class {class}: holdover within specification"),
        ));
    } else if degraded_class(class) {
        out.push(spec(
            EventType::QualityOfService,
            cause::TIMING_PROBLEM,
            problem::PTP_GM_DEGRADED,
            Severity::Major,
            format!("grandmaster {gm} reports clock class {class}: out of holdover specification"),
        ));
    }
    out
}

/// A clock watched as grandmaster: healthy when its port is MASTER and it is
/// its own grandmaster with a locked class. Holdover classes are the minor
/// holdover alarm; any other class (degraded 52/58/165/187/193, free-running
/// 248, slave-only 255) the major degradation. A grandmaster that follows
/// another clock, or whose port is not MASTER, has lost the role.
fn grandmaster_alarms(device: DeviceId, s: &PtpStatus) -> Vec<AlarmSpec> {
    let object = ptp_port_object(device, s.port_number);
    let spec = |probable_cause: &str, specific: &str, severity, text: String| {
        super::alarm(&object, EventType::QualityOfService, probable_cause, specific, severity, text)
    };
    let own = s.grandmaster == s.own_identity && !s.own_identity.is_zero();
    if s.port_state != PortState::Master || !own {
        let gm = if s.grandmaster.is_zero() { "none".to_owned() } else { s.grandmaster.to_string() };
        return vec![spec(
            cause::TIMING_PROBLEM,
            problem::PTP_NOT_GRANDMASTER,
            Severity::Major,
            format!(
                "PTP port {} of a grandmaster is {:?} and its grandmaster is {gm}, not itself",
                s.port_number, s.port_state
            ),
        )];
    }
    let class = s.grandmaster_class;
    if locked_class(class) {
        return Vec::new();
    }
    let (specific, severity, what) = if holdover_class(class) {
        (problem::PTP_GM_HOLDOVER, Severity::Minor, "holdover within specification")
    } else {
        (problem::PTP_GM_DEGRADED, Severity::Major, "not locked to its reference")
    };
    vec![spec(
        cause::TIMING_PROBLEM,
        specific,
        severity,
        format!("grandmaster {} has clock class {class}: {what}", s.own_identity),
    )]
}

/// Something that changed between two polls.
#[derive(Debug, Clone, PartialEq)]
pub enum PtpEvent {
    /// A topology change: the port now follows another grandmaster.
    GrandmasterChanged {
        at: DateTime<Utc>,
        from: ClockIdentity,
        to: ClockIdentity,
    },
    ClockClassChanged {
        at: DateTime<Utc>,
        grandmaster: ClockIdentity,
        from: u8,
        to: u8,
    },
}

/// Remembers the last grandmaster seen, to turn polls into change events.
#[derive(Debug, Clone, Default)]
pub struct PtpTracker {
    last: Option<(ClockIdentity, u8)>,
}

impl PtpTracker {
    /// Events since the previous call. The first reading only sets the
    /// baseline, and a reading with no grandmaster (zero identity) changes
    /// nothing: the next grandmaster is compared with the last one seen. A
    /// clock that becomes its own grandmaster is a change like any other.
    pub fn update(&mut self, s: &PtpStatus, at: DateTime<Utc>) -> Vec<PtpEvent> {
        if s.grandmaster.is_zero() {
            return Vec::new();
        }
        let now = (s.grandmaster, s.grandmaster_class);
        let mut out = Vec::new();
        if let Some((gm, class)) = self.last {
            if gm != now.0 {
                out.push(PtpEvent::GrandmasterChanged { at, from: gm, to: now.0 });
            } else if class != now.1 {
                out.push(PtpEvent::ClockClassChanged { at, grandmaster: gm, from: class, to: now.1 });
            }
        }
        self.last = Some(now);
        out
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;

    const OWN: ClockIdentity = ClockIdentity([1; 8]);
    const GM: ClockIdentity = ClockIdentity([2; 8]);

    fn status(state: PortState, gm: ClockIdentity, class: u8, offset_ns: f64) -> PtpStatus {
        PtpStatus {
            port_number: 1,
            port_state: state,
            own_identity: OWN,
            grandmaster: gm,
            grandmaster_class: class,
            offset_ns,
        }
    }

    fn problems(v: &[AlarmSpec]) -> Vec<&str> {
        v.iter().map(|a| a.specific_problem.as_str()).collect()
    }

    fn device() -> DeviceId {
        DeviceId::from_uuid(Uuid::from_u128(7))
    }

    #[test]
    fn a_slave_on_a_locked_grandmaster_raises_nothing() {
        let t = PtpThresholds::default();
        assert!(ptp_alarms(device(), &status(PortState::Slave, GM, 6, 120.0), &t).is_empty());
        assert!(ptp_alarms(device(), &status(PortState::Slave, GM, 6, -999.0), &t).is_empty());
    }

    #[test]
    fn loss_of_sync_when_the_port_leaves_slave_or_no_grandmaster() {
        let t = PtpThresholds::default();
        let a = ptp_alarms(device(), &status(PortState::Listening, GM, 6, 0.0), &t);
        assert_eq!(problems(&a), [problem::PTP_LOSS_OF_SYNC]);
        assert_eq!(a[0].managed_object, format!("device={},ptpPort=1", device()));
        assert_eq!(a[0].perceived_severity, Severity::Major);
        // SLAVE but its own grandmaster (or none): still not synchronised, and
        // the huge offset is not reported on top.
        let a = ptp_alarms(device(), &status(PortState::Slave, OWN, 248, 1e9), &t);
        assert_eq!(problems(&a), [problem::PTP_LOSS_OF_SYNC]);
        let a = ptp_alarms(device(), &status(PortState::Slave, ClockIdentity::default(), 6, 0.0), &t);
        assert_eq!(problems(&a), [problem::PTP_LOSS_OF_SYNC]);
        // UNCALIBRATED counts as following only when asked.
        let unc = status(PortState::Uncalibrated, GM, 6, 0.0);
        assert_eq!(problems(&ptp_alarms(device(), &unc, &t)), [problem::PTP_LOSS_OF_SYNC]);
        let lenient = PtpThresholds { uncalibrated_is_synced: true, ..t };
        assert!(ptp_alarms(device(), &unc, &lenient).is_empty());
    }

    #[test]
    fn offset_beyond_the_threshold_either_way() {
        let t = PtpThresholds { offset_ns: 500.0, ..Default::default() };
        for off in [500.5, -501.0, f64::NAN] {
            let a = ptp_alarms(device(), &status(PortState::Slave, GM, 6, off), &t);
            assert_eq!(problems(&a), [problem::PTP_OFFSET_EXCEEDED], "{off}");
        }
        assert!(ptp_alarms(device(), &status(PortState::Slave, GM, 6, 500.0), &t).is_empty());
    }

    #[test]
    fn grandmaster_holdover_and_degradation_by_clock_class() {
        let t = PtpThresholds::default();
        for class in [7, 14, 135, 140, 150, 160] {
            let a = ptp_alarms(device(), &status(PortState::Slave, GM, class, 0.0), &t);
            assert_eq!(problems(&a), [problem::PTP_GM_HOLDOVER], "class {class}");
        }
        for class in [52, 58, 165, 187, 193] {
            let a = ptp_alarms(device(), &status(PortState::Slave, GM, class, 0.0), &t);
            assert_eq!(problems(&a), [problem::PTP_GM_DEGRADED], "class {class}");
            assert_eq!(a[0].perceived_severity, Severity::Major);
        }
    }

    #[test]
    fn tracker_reports_grandmaster_and_class_changes() {
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).single().expect("time");
        let mut tr = PtpTracker::default();
        assert!(tr.update(&status(PortState::Slave, GM, 6, 0.0), at).is_empty(), "baseline");
        assert!(tr.update(&status(PortState::Slave, GM, 6, 0.0), at).is_empty());
        assert_eq!(
            tr.update(&status(PortState::Slave, GM, 7, 0.0), at),
            [PtpEvent::ClockClassChanged { at, grandmaster: GM, from: 6, to: 7 }]
        );
        // No grandmaster known: no event; then the clock takes the role itself.
        assert!(tr.update(&status(PortState::Listening, ClockIdentity::default(), 248, 0.0), at).is_empty());
        assert_eq!(
            tr.update(&status(PortState::Master, OWN, 248, 0.0), at),
            [PtpEvent::GrandmasterChanged { at, from: GM, to: OWN }]
        );
        let other = ClockIdentity([3; 8]);
        assert_eq!(
            tr.update(&status(PortState::Slave, other, 6, 0.0), at),
            [PtpEvent::GrandmasterChanged { at, from: OWN, to: other }]
        );
    }
}
