//! The checks a timing role adds to, or takes from, the general PTP and
//! NTP judgement (`ptp_alarms`, `ntp_alarms`):
//! - a transparent clock only corrects residence time: it neither follows
//!   nor serves, so no port state but FAULTY/DISABLED is a problem and its
//!   offset and grandmaster quality are not its to answer for;
//! - a GNSS receiver and an SSU/BITS are sources: their PTP clock is judged
//!   as a grandmaster, and a GNSS receiver serving NTP must be stratum 1
//!   (anything else means it lost the sky and follows a peer);
//! - an NTP server role serves others, so it also answers for a reach
//!   register with gaps and for a stratum far from any reference.

use super::ntp_alarms::{NtpStatus, NtpThresholds};
use super::ptp_alarms::{ptp_port_object, PtpStatus};
use super::role::TimingRole;
use super::{cause, problem};
use crate::alarm::{AlarmSpec, EventType, Severity};
use crate::ids::DeviceId;
use crate::ptp::PortState;

/// Whether a PTP clock of `role` is judged as the source of its domain.
pub fn judged_as_grandmaster(role: Option<TimingRole>) -> bool {
    matches!(role, Some(TimingRole::Grandmaster | TimingRole::GnssReceiver | TimingRole::SsuBits))
}

/// A transparent clock's port: only a broken port is an alarm.
pub fn transparent_clock_alarms(device: DeviceId, s: &PtpStatus) -> Vec<AlarmSpec> {
    if !matches!(s.port_state, PortState::Faulty | PortState::Disabled) {
        return Vec::new();
    }
    vec![super::alarm(
        &ptp_port_object(device, s.port_number),
        EventType::Equipment,
        cause::TIMING_PROBLEM,
        problem::PTP_PORT_FAULTY,
        Severity::Major,
        format!("PTP port {} of a transparent clock is {:?}", s.port_number, s.port_state),
    )]
}

/// What the role adds to the NTP alarms of a server that answers and is
/// synchronised (`ntp_alarms` has judged reach 0 and stratum 16 already).
pub(super) fn ntp_role_alarms(object: &str, s: &NtpStatus, t: &NtpThresholds) -> Vec<AlarmSpec> {
    let Some(r) = &s.last else { return Vec::new() };
    let spec = |specific: &str, severity, text: String| {
        super::alarm(object, EventType::QualityOfService, cause::TIMING_PROBLEM, specific, severity, text)
    };
    let mut out = Vec::new();
    match t.role {
        Some(TimingRole::GnssReceiver) if r.stratum != 1 => out.push(spec(
            problem::NTP_NOT_PRIMARY,
            Severity::Major,
            format!("a GNSS receiver should serve stratum 1; it reports stratum {}", r.stratum),
        )),
        Some(TimingRole::NtpServer) => {
            if r.stratum > t.server_max_stratum {
                out.push(spec(
                    problem::NTP_STRATUM_HIGH,
                    Severity::Minor,
                    format!("stratum {}, at most {} expected of a server", r.stratum, t.server_max_stratum),
                ));
            }
            // Eight polls fill the register; before that a zero bit is just "not polled yet".
            if s.polls >= 8 && s.reach.0 != u8::MAX {
                out.push(spec(
                    problem::NTP_REACH_PARTIAL,
                    Severity::Warning,
                    format!("answered {} of the last 8 polls (reach {})", s.reach.0.count_ones(), s.reach.octal()),
                ));
            }
        }
        _ => {}
    }
    out
}
