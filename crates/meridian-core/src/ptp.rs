//! IEEE 1588 (PTP) data sets as the management protocol reports them:
//! plain values, decoded from the wire by `meridian-probe::ptp` and judged by
//! [`crate::ptp_alarm`]. Field names follow IEEE 1588-2008 clause 8 and
//! LinuxPTP's `*_NP` extensions, so a reader can check them against `pmc`.

use std::fmt;

use serde::Serialize;

/// An EUI-64 clock identity (IEEE 1588 7.5.2.2). Serialised as its printed
/// form, so JSON output compares with pmc's as text does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct ClockIdentity(pub [u8; 8]);

impl ClockIdentity {
    /// All ones: "every clock" as a management target.
    pub const ALL: Self = Self([0xff; 8]);

    /// A zero identity means "none known" (a slave with no parent yet).
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 8]
    }
}

/// Printed like `pmc` does (`001122.fffe.334455`), so values can be compared
/// with LinuxPTP's own tools by eye.
impl fmt::Display for ClockIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(f, "{:02x}{:02x}{:02x}.{:02x}{:02x}.{:02x}{:02x}{:02x}", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7])
    }
}

impl Serialize for ClockIdentity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A clock identity and a port number (IEEE 1588 5.3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct PortIdentity {
    pub clock: ClockIdentity,
    pub port: u16,
}

impl PortIdentity {
    /// Every port of every clock: the target of a management GET to "whoever answers".
    pub const ALL: Self = Self { clock: ClockIdentity::ALL, port: 0xffff };
}

impl fmt::Display for PortIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.clock, self.port)
    }
}

/// The port state machine's states (IEEE 1588 8.2.5.3.1, Table 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PortState {
    Initializing,
    Faulty,
    Disabled,
    Listening,
    PreMaster,
    Master,
    Passive,
    Uncalibrated,
    Slave,
    /// A value outside Table 8; kept, not rejected, so a newer clock still reads.
    Unknown(u8),
}

impl PortState {
    pub fn from_u8(v: u8) -> Self {
        match v {
            1 => Self::Initializing,
            2 => Self::Faulty,
            3 => Self::Disabled,
            4 => Self::Listening,
            5 => Self::PreMaster,
            6 => Self::Master,
            7 => Self::Passive,
            8 => Self::Uncalibrated,
            9 => Self::Slave,
            other => Self::Unknown(other),
        }
    }

    pub fn to_u8(self) -> u8 {
        match self {
            Self::Initializing => 1,
            Self::Faulty => 2,
            Self::Disabled => 3,
            Self::Listening => 4,
            Self::PreMaster => 5,
            Self::Master => 6,
            Self::Passive => 7,
            Self::Uncalibrated => 8,
            Self::Slave => 9,
            Self::Unknown(v) => v,
        }
    }
}

/// clockClass, clockAccuracy and offsetScaledLogVariance (IEEE 1588 5.3.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ClockQuality {
    pub class: u8,
    pub accuracy: u8,
    pub offset_scaled_log_variance: u16,
}

/// DEFAULT_DATA_SET (IEEE 1588 15.5.3.3.1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DefaultDataSet {
    pub two_step: bool,
    pub slave_only: bool,
    pub number_ports: u16,
    pub priority1: u8,
    pub quality: ClockQuality,
    pub priority2: u8,
    pub clock_identity: ClockIdentity,
    pub domain: u8,
}

/// CURRENT_DATA_SET (IEEE 1588 15.5.3.4.1). Times in nanoseconds, from the
/// wire's TimeInterval (ns scaled by 2^16).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurrentDataSet {
    pub steps_removed: u16,
    pub offset_from_master_ns: f64,
    pub mean_path_delay_ns: f64,
}

/// PARENT_DATA_SET (IEEE 1588 15.5.3.5.1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParentDataSet {
    pub parent_port: PortIdentity,
    pub parent_stats: bool,
    pub observed_parent_offset_scaled_log_variance: u16,
    pub observed_parent_clock_phase_change_rate: i32,
    pub grandmaster_priority1: u8,
    pub grandmaster_quality: ClockQuality,
    pub grandmaster_priority2: u8,
    pub grandmaster_identity: ClockIdentity,
}

/// PORT_DATA_SET (IEEE 1588 15.5.3.7.1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortDataSet {
    pub port: PortIdentity,
    pub state: PortState,
    pub log_min_delay_req_interval: i8,
    pub peer_mean_path_delay_ns: f64,
    pub log_announce_interval: i8,
    pub announce_receipt_timeout: u8,
    pub log_sync_interval: i8,
    /// 1 end-to-end, 2 peer-to-peer, 0xfe disabled.
    pub delay_mechanism: u8,
    pub log_min_pdelay_req_interval: i8,
    pub version: u8,
}

/// LinuxPTP's TIME_STATUS_NP: the servo's view of its master.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeStatusNp {
    pub master_offset_ns: i64,
    pub ingress_time_ns: i64,
    pub cumulative_scaled_rate_offset: i32,
    pub scaled_last_gm_phase_change: i32,
    pub gm_time_base_indicator: u16,
    /// lastGmPhaseChange as (nanoseconds_msb, nanoseconds_lsb, fractional_nanoseconds).
    pub last_gm_phase_change: (u16, u64, u16),
    pub gm_present: bool,
    pub gm_identity: ClockIdentity,
}

/// LinuxPTP's PORT_STATS_NP: messages received and sent per PTP message type
/// (index = messageType: 0 Sync, 1 Delay_Req, 8 Follow_Up, 9 Delay_Resp,
/// 0xb Announce, 0xd Management, ...).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortStatsNp {
    pub port: PortIdentity,
    pub rx: [u64; 16],
    pub tx: [u64; 16],
}

/// The data sets a monitor reads from a clock on every poll.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PtpSnapshot {
    pub default: DefaultDataSet,
    pub current: CurrentDataSet,
    pub parent: ParentDataSet,
    pub port: PortDataSet,
    pub time_status: TimeStatusNp,
}

impl PtpSnapshot {
    /// The reading the alarms judge (`crate::clock::ptp_alarms`).
    pub fn status(&self) -> crate::clock::ptp_alarms::PtpStatus {
        crate::clock::ptp_alarms::PtpStatus {
            port_number: self.port.port.port,
            port_state: self.port.state,
            own_identity: self.default.clock_identity,
            grandmaster: self.parent.grandmaster_identity,
            grandmaster_class: self.parent.grandmaster_quality.class,
            offset_ns: self.current.offset_from_master_ns,
        }
    }
}

/// A TimeInterval (ns * 2^16 in a signed 64-bit integer) in nanoseconds.
pub fn time_interval_ns(scaled: i64) -> f64 {
    scaled as f64 / 65_536.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_print_like_pmc() {
        let id = ClockIdentity([0x00, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55]);
        assert_eq!(id.to_string(), "001122.fffe.334455");
        assert_eq!(PortIdentity { clock: id, port: 1 }.to_string(), "001122.fffe.334455-1");
        assert!(ClockIdentity::default().is_zero());
        assert!(!id.is_zero());
    }

    #[test]
    fn port_states_round_trip_and_keep_unknown_values() {
        for v in 0..=255u8 {
            assert_eq!(PortState::from_u8(v).to_u8(), v);
        }
        assert_eq!(PortState::from_u8(9), PortState::Slave);
        assert_eq!(PortState::from_u8(42), PortState::Unknown(42));
    }

    #[test]
    fn time_interval_is_scaled_nanoseconds() {
        assert_eq!(time_interval_ns(65_536), 1.0);
        assert_eq!(time_interval_ns(-3 * 65_536 / 2), -1.5);
    }
}
