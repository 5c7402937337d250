//! One watched PTP clock, as the monitor keeps it: a poll's data sets (or
//! its silence) in; samples on the built-in PTP metrics, alarm actions and
//! grandmaster/clock-class change events out. Like `ntp_watch::NtpWatch`,
//! time is passed in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ptp_alarms::{ptp_alarms, PtpEvent, PtpThresholds, PtpTracker};
use super::raised::Raised;
use super::role::TimingRole;
use super::{cause, problem};
use crate::alarm::{device_object, AlarmSpec, EventType, Severity};
use crate::error::{CoreError, FieldError};
use crate::ids::DeviceId;
use crate::metric::{Builtin, NamedSample, SeriesKey};
use crate::ptp::{PortState, PtpSnapshot};
use crate::state::Action;

/// Unanswered polls in a row before "PTP clock unreachable" is raised: one
/// poll already retries each request, so a single miss is a blip, three
/// (30 s at the default interval) are a clock or agent that is gone.
pub const UNREACHABLE_AFTER: u32 = 3;

/// The managed object of a device's PTP clock as a whole (its management
/// agent), beside the per-port objects of `ptp_alarms::ptp_port_object`.
pub fn ptp_clock_object(device: DeviceId) -> String {
    format!("{},ptp", device_object(device))
}

/// How a device's PTP clock is watched (kept per device by the service).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PtpWatchConfig {
    pub endpoint: PtpWatchEndpoint,
    /// The PTP domain asked (domainNumber of the requests).
    #[serde(default)]
    pub domain: u8,
    /// |offsetFromMaster| above this raises "offset exceeded"; null: the
    /// default (`PtpThresholds::default`, 1 us).
    #[serde(default)]
    pub offset_limit_ns: Option<f64>,
    /// Count UNCALIBRATED as synchronised: for a monitoring-only client that
    /// never steers its clock (ptp4l 3.1 with `free_running 1` never leaves it).
    #[serde(default)]
    pub uncalibrated_is_synced: bool,
}

/// Where the clock's management agent is reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum PtpWatchEndpoint {
    /// A local ptp4l's UNIX management socket (its `uds_address`).
    Uds { path: String },
    /// UDP port 320 of the clock at `address` (IPv4), or at the device's
    /// own address when null. Binding port 320 needs root or CAP_NET_BIND_SERVICE.
    Udp { address: Option<String> },
}

/// The longest pathname a UNIX socket address holds (sun_path less its NUL).
const SUN_PATH_MAX: usize = 107;

impl PtpWatchConfig {
    /// Every field error at once; `Ok` means the monitor can use it as is.
    pub fn validate(&self) -> Result<(), CoreError> {
        let mut errors = Vec::new();
        match &self.endpoint {
            PtpWatchEndpoint::Uds { path } => {
                if !path.starts_with('/') {
                    errors.push(FieldError::new("path", "must be an absolute path to ptp4l's uds_address"));
                } else if path.len() > SUN_PATH_MAX || path.contains('\0') {
                    errors.push(FieldError::new("path", format!("must be at most {SUN_PATH_MAX} bytes, no NUL")));
                }
            }
            PtpWatchEndpoint::Udp { address: Some(a) } if a.parse::<std::net::Ipv4Addr>().is_err() => {
                errors.push(FieldError::new("address", "must be an IPv4 address (PTP management over UDP/IPv4)"));
            }
            PtpWatchEndpoint::Udp { .. } => {}
        }
        if self.offset_limit_ns.is_some_and(|l| !(l.is_finite() && l > 0.0)) {
            errors.push(FieldError::new("offsetLimitNs", "must be a positive number of nanoseconds"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(errors))
        }
    }

    /// The limits the watch judges a clock of `role` with.
    pub fn thresholds(&self, role: Option<TimingRole>) -> PtpThresholds {
        let d = PtpThresholds::default();
        PtpThresholds {
            offset_ns: self.offset_limit_ns.unwrap_or(d.offset_ns),
            uncalibrated_is_synced: self.uncalibrated_is_synced,
            role,
        }
    }
}

/// What one poll produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PtpPoll {
    pub samples: Vec<NamedSample>,
    /// Clears first, then raises, each by key.
    pub actions: Vec<Action>,
    /// Grandmaster and clock-class changes since the previous answer.
    pub events: Vec<PtpEvent>,
}

#[derive(Debug, Clone)]
pub struct PtpWatch {
    device: DeviceId,
    thresholds: PtpThresholds,
    /// Unanswered polls since the last answer.
    silent: u32,
    tracker: PtpTracker,
    active: Raised,
}

impl PtpWatch {
    pub fn new(device: DeviceId, thresholds: PtpThresholds) -> Self {
        Self { device, thresholds, silent: 0, tracker: PtpTracker::default(), active: Raised::default() }
    }

    pub fn thresholds(&self) -> PtpThresholds {
        self.thresholds
    }

    /// One poll at `at`: the clock's data sets, or None when it did not answer.
    ///
    /// An answer is judged by [`ptp_alarms`]. Silence says nothing about the
    /// clock's sync, so the port alarms already raised stay as they are; after
    /// [`UNREACHABLE_AFTER`] silent polls "unreachable" joins them.
    pub fn poll(&mut self, at: DateTime<Utc>, answer: Option<&PtpSnapshot>) -> PtpPoll {
        let unreachable = ptp_clock_object(self.device);
        let (wanted, samples, events) = match answer {
            Some(snap) => {
                self.silent = 0;
                let status = snap.status();
                let events = self.tracker.update(&status, at);
                (ptp_alarms(self.device, &status, &self.thresholds), samples(snap), events)
            }
            None => {
                self.silent = self.silent.saturating_add(1);
                let mut keep: Vec<AlarmSpec> =
                    self.active.specs().filter(|s| s.managed_object != unreachable).cloned().collect();
                if self.silent >= UNREACHABLE_AFTER {
                    keep.push(super::alarm(
                        &unreachable,
                        EventType::Communications,
                        cause::COMMUNICATIONS_SUBSYSTEM_FAILURE,
                        problem::PTP_UNREACHABLE,
                        Severity::Major,
                        format!("no answer to PTP management for {} poll(s)", self.silent),
                    ));
                }
                (keep, Vec::new(), Vec::new())
            }
        };
        PtpPoll { samples, actions: self.active.reconcile(wanted), events }
    }

    /// The clock is no longer watched: clear what was raised.
    pub fn retire(&mut self) -> Vec<Action> {
        self.active.retire()
    }

    /// After a restart: adopt the store's active alarms of this device's
    /// PTP clock and ports.
    pub fn restore(&mut self, active: &[crate::alarm_record::Alarm]) {
        let clock = ptp_clock_object(self.device);
        let ports = format!("{},ptpPort=", device_object(self.device));
        self.active.restore(active, |o| o == clock || o.starts_with(&ports));
    }
}

/// Offset and path delay only while the port measures them against a
/// master (SLAVE, or UNCALIBRATED while the servo settles or free-runs):
/// in any other state CURRENT_DATA_SET holds stale or zero values, and a
/// gap in the chart is the truth. Steps removed and the grandmaster's class
/// are stored on every answer.
fn samples(snap: &PtpSnapshot) -> Vec<NamedSample> {
    let s = |b: Builtin, value: f64| NamedSample { key: SeriesKey::device(b), unit: b.unit().to_owned(), value };
    let mut out = Vec::new();
    let measuring = matches!(snap.port.state, PortState::Slave | PortState::Uncalibrated)
        && !snap.parent.grandmaster_identity.is_zero()
        && snap.parent.grandmaster_identity != snap.default.clock_identity;
    if measuring {
        let c = &snap.current;
        if c.offset_from_master_ns.is_finite() {
            out.push(s(Builtin::PtpOffsetNs, c.offset_from_master_ns));
        }
        if c.mean_path_delay_ns.is_finite() {
            out.push(s(Builtin::PtpPathDelayNs, c.mean_path_delay_ns));
        }
    }
    out.push(s(Builtin::PtpStepsRemoved, f64::from(snap.current.steps_removed)));
    out.push(s(Builtin::PtpGmClockClass, f64::from(snap.parent.grandmaster_quality.class)));
    out
}
