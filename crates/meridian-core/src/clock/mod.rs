//! Judging clocks: pure functions from PTP and NTP readings (`crate::ptp`,
//! `crate::ntp`) to the alarms that should be active and to timing events.
//!
//! The shape is "desired state": each function returns every alarm whose
//! condition holds for this reading; the monitor raises those not yet
//! active and clears active ones of the same object that are no longer
//! returned (the same way interface alarms work). Changes between two
//! readings (a new grandmaster, a clock-class change) are events, kept by a
//! small tracker the caller owns. Time is passed in; nothing reads a clock.

pub mod ntp_alarms;
pub mod ntp_watch;
pub mod ptp_alarms;
pub mod ptp_tree;
pub mod ptp_watch;
mod raised;
pub mod role;
pub mod role_checks;
pub mod synce;
pub mod wander_watch;

use crate::alarm::{AlarmSpec, EventType, Severity};

/// One timing alarm on `object`.
fn alarm(
    object: &str,
    event_type: EventType,
    probable_cause: &str,
    specific_problem: &str,
    severity: Severity,
    text: String,
) -> AlarmSpec {
    AlarmSpec {
        managed_object: object.to_owned(),
        event_type,
        probable_cause: probable_cause.to_owned(),
        specific_problem: specific_problem.to_owned(),
        perceived_severity: severity,
        additional_text: text,
    }
}

/// Probable causes (X.733 / M.3100 spellings) used by the timing alarms.
pub mod cause {
    /// X.733 `timingProblem`: the clock does not follow its reference.
    pub const TIMING_PROBLEM: &str = "timingProblem";
    pub use crate::alarm::cause::{COMMUNICATIONS_SUBSYSTEM_FAILURE, THRESHOLD_CROSSED};
}

/// Specific problems of the timing alarms: stable identifiers (they are part
/// of the alarm key), never reworded.
pub mod problem {
    pub const PTP_LOSS_OF_SYNC: &str = "ptpLossOfSync";
    pub const PTP_OFFSET_EXCEEDED: &str = "ptpOffsetExceeded";
    pub const PTP_GM_HOLDOVER: &str = "ptpGrandmasterHoldover";
    pub const PTP_GM_DEGRADED: &str = "ptpGrandmasterDegraded";
    pub const PTP_UNREACHABLE: &str = "ptpUnreachable";
    /// A clock watched as grandmaster is not (any more) its domain's grandmaster.
    pub const PTP_NOT_GRANDMASTER: &str = "ptpNotGrandmaster";
    pub const NTP_UNREACHABLE: &str = "ntpUnreachable";
    pub const NTP_UNSYNCHRONISED: &str = "ntpUnsynchronised";
    pub const NTP_OFFSET_EXCEEDED: &str = "ntpOffsetExceeded";
    pub const NTP_LEAP_ANNOUNCED: &str = "ntpLeapAnnounced";
    /// A transparent clock's port is FAULTY or DISABLED.
    pub const PTP_PORT_FAULTY: &str = "ptpPortFaulty";
    /// A GNSS receiver serves NTP at a stratum other than 1.
    pub const NTP_NOT_PRIMARY: &str = "ntpNotPrimary";
    /// An NTP server role reports a stratum above its limit.
    pub const NTP_STRATUM_HIGH: &str = "ntpStratumHigh";
    /// An NTP server role missed some of its last eight polls.
    pub const NTP_REACH_PARTIAL: &str = "ntpReachPartial";
    /// A SyncE source's quality level is worse than the best it announced.
    pub const SYNCE_QL_DEGRADED: &str = "synceQlDegraded";
}
