//! What pollers report about a device, as the state machine consumes it.
//! Every observation carries the time it was taken: the monitor reads no clock.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IcmpResult {
    pub at: DateTime<Utc>,
    /// At least one echo reply in this poll.
    pub ok: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnmpResult {
    pub at: DateTime<Utc>,
    /// The agent answered (after the engine's retries).
    pub ok: bool,
    /// sysUpTime.0 in TimeTicks, when the poll fetched it.
    pub sys_uptime: Option<u64>,
}

/// One ifTable row. `oper_up` is the caller's reading of ifOperStatus;
/// `dormant` should count as up (RFC 2863: waiting for traffic, not broken).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceStatus {
    pub at: DateTime<Utc>,
    pub if_index: u32,
    pub name: String,
    pub admin_up: bool,
    pub oper_up: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observation {
    Icmp(IcmpResult),
    Snmp(SnmpResult),
    Interface(InterfaceStatus),
    /// The ifTable no longer has this row (module removed, tunnel deleted).
    InterfaceRemoved {
        at: DateTime<Utc>,
        if_index: u32,
    },
}

impl Observation {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Self::Icmp(r) => r.at,
            Self::Snmp(r) => r.at,
            Self::Interface(s) => s.at,
            Self::InterfaceRemoved { at, .. } => *at,
        }
    }
}

impl From<IcmpResult> for Observation {
    fn from(r: IcmpResult) -> Self {
        Self::Icmp(r)
    }
}

impl From<SnmpResult> for Observation {
    fn from(r: SnmpResult) -> Self {
        Self::Snmp(r)
    }
}

impl From<InterfaceStatus> for Observation {
    fn from(s: InterfaceStatus) -> Self {
        Self::Interface(s)
    }
}
