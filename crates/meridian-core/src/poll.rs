//! What one poll of a device read, as plain data: the probe side fills these
//! in from the ICMP and SNMP engines, and [`crate::interpret`] turns them into
//! observations and named samples. Nothing here knows about sockets or BER.

use crate::mib::MibRow;

/// One ICMP poll (a few echoes) of one device.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IcmpReading {
    /// At least one echo reply.
    pub ok: bool,
    /// Mean round trip of the replies, when there were any.
    pub rtt_ms: Option<f64>,
    pub jitter_ms: Option<f64>,
    /// Absent when no echo could be sent at all (the address did not resolve).
    pub loss_pct: Option<f64>,
    /// Why the poll failed, for the log.
    pub error: Option<String>,
}

/// One interface as read from ifTable + ifXTable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IfReading {
    pub if_index: u32,
    pub descr: Option<String>,
    pub name: Option<String>,
    /// ifAlias: the description an operator configured (empty -> None).
    pub alias: Option<String>,
    pub speed_bps: Option<u64>,
    pub admin_status: Option<i64>,
    pub oper_status: Option<i64>,
    /// HC counters when the agent has ifXTable (`true`), else the 32-bit ones.
    pub in_octets: Option<(u64, bool)>,
    pub out_octets: Option<(u64, bool)>,
    pub in_errors: Option<u64>,
    pub out_errors: Option<u64>,
    pub in_discards: Option<u64>,
    pub out_discards: Option<u64>,
}

impl IfReading {
    /// What the console and the interface alarm call it.
    pub fn label(&self) -> String {
        self.name.clone().or_else(|| self.descr.clone()).unwrap_or_else(|| format!("if{}", self.if_index))
    }
}

/// One hrStorageTable row with a size.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageReading {
    pub descr: String,
    pub used_pct: f64,
    pub size_bytes: u64,
}

/// One SNMP poll of one device that the agent answered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SnmpReading {
    pub sys_uptime: Option<u64>,
    pub sys_name: Option<String>,
    pub sys_descr: Option<String>,
    pub sys_object_id: Option<String>,
    pub sys_location: Option<String>,
    pub interfaces: Vec<IfReading>,
    /// hrProcessorLoad per CPU, percent.
    pub cpu_loads: Vec<f64>,
    pub storage: Vec<StorageReading>,
    /// UCD laLoad 1/5/15-minute averages, where present.
    pub load_avg: Vec<f64>,
    /// What the device's poll template adds, as rows.
    pub template_rows: Vec<MibRow>,
    /// SyncE clock sources and their quality levels, where the agent has them.
    pub synce: Vec<crate::clock::synce::SynceSource>,
}

/// ifAdminStatus/ifOperStatus: 1 up; 5 dormant counts as up (RFC 2863:
/// waiting for traffic, not broken).
pub fn status_up(v: Option<i64>) -> bool {
    matches!(v, Some(1) | Some(5))
}

/// The IF-MIB name of an ifAdminStatus/ifOperStatus value.
pub fn status_name(v: Option<i64>) -> Option<&'static str> {
    Some(match v? {
        1 => "up",
        2 => "down",
        3 => "testing",
        4 => "unknown",
        5 => "dormant",
        6 => "notPresent",
        7 => "lowerLayerDown",
        _ => "invalid",
    })
}
