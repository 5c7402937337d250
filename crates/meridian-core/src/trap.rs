//! SNMP notifications as Meridian keeps them: the stored event, the names of
//! the standard notification objects, and what a linkDown/linkUp means for
//! the interface it names. Pure: the service converts the probe's decoded
//! varbinds into [`TrapVarbind`]s and passes the time in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::ids::DeviceId;
use crate::observation::InterfaceStatus;

/// The SNMP version a notification came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TrapVersion {
    V1,
    V2c,
    V3,
}

impl TrapVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "v1",
            Self::V2c => "v2c",
            Self::V3 => "v3",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::V1, Self::V2c, Self::V3].into_iter().find(|v| v.as_str() == s)
    }
}

/// Which PDU carried it; `Malformed` for datagrams kept only for inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TrapPdu {
    Trap,
    Inform,
    Malformed,
}

impl TrapPdu {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trap => "trap",
            Self::Inform => "inform",
            Self::Malformed => "malformed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Trap, Self::Inform, Self::Malformed].into_iter().find(|v| v.as_str() == s)
    }
}

/// One varbind as stored and shown: numeric OID, net-snmp type word, the
/// value as text, a name where the loaded MIBs (or, with none, the
/// built-in table) know one, and the value as its MIB says to show it
/// (`up(1)`, a DisplayString's text, a PhysAddress `52:54:0:12:34:56`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrapVarbind {
    pub oid: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    pub name: Option<String>,
    /// Events stored before MIBs were loaded have none.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub display: Option<String>,
}

/// A received notification (or a malformed datagram), as stored. Never a
/// community string: only whether a configured one matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TrapEvent {
    #[ts(type = "string")]
    pub id: Uuid,
    #[ts(type = "string")]
    pub received_at: DateTime<Utc>,
    pub source_addr: String,
    pub source_port: u16,
    /// `None` for a datagram too broken to say.
    pub version: Option<TrapVersion>,
    pub pdu: TrapPdu,
    /// v3: the USM user name.
    pub user: Option<String>,
    /// v1/v2c: whether the community was one of the configured ones.
    pub community_matched: Option<bool>,
    /// v3: the engine id, hex.
    pub engine_id: Option<String>,
    pub trap_oid: Option<String>,
    pub trap_name: Option<String>,
    pub uptime: Option<u32>,
    pub varbinds: Vec<TrapVarbind>,
    pub device_id: Option<DeviceId>,
    /// The matched device's name (read back from the inventory).
    pub device_name: Option<String>,
    /// Malformed only: the datagram, hex, and why it did not decode.
    pub raw_hex: Option<String>,
    pub error: Option<String>,
}

/// The built-in names of the standard notification objects and traps
/// (SNMPv2-MIB, IF-MIB, RFC 3584): the fallback when no MIB is loaded
/// (the service names OIDs through `meridian_probe::mib::MibSet` first).
const NAMES: &[(&str, &str)] = &[
    ("1.3.6.1.2.1.1.3", "sysUpTime"),
    ("1.3.6.1.6.3.1.1.4.1", "snmpTrapOID"),
    ("1.3.6.1.6.3.1.1.4.3", "snmpTrapEnterprise"),
    ("1.3.6.1.6.3.18.1.3", "snmpTrapAddress"),
    ("1.3.6.1.2.1.2.2.1.1", "ifIndex"),
    ("1.3.6.1.2.1.2.2.1.2", "ifDescr"),
    ("1.3.6.1.2.1.2.2.1.7", "ifAdminStatus"),
    ("1.3.6.1.2.1.2.2.1.8", "ifOperStatus"),
    ("1.3.6.1.2.1.31.1.1.1.1", "ifName"),
    ("1.3.6.1.6.3.1.1.5.1", "coldStart"),
    ("1.3.6.1.6.3.1.1.5.2", "warmStart"),
    ("1.3.6.1.6.3.1.1.5.3", "linkDown"),
    ("1.3.6.1.6.3.1.1.5.4", "linkUp"),
    ("1.3.6.1.6.3.1.1.5.5", "authenticationFailure"),
];

pub const LINK_DOWN: &str = "1.3.6.1.6.3.1.1.5.3";
pub const LINK_UP: &str = "1.3.6.1.6.3.1.1.5.4";

/// The name of `oid` (dotted, with or without a leading dot): the longest
/// known prefix's name, with the instance arcs after it
/// (`1.3.6.1.2.1.2.2.1.8.2` is `ifOperStatus.2`).
pub fn oid_name(oid: &str) -> Option<String> {
    let oid = oid.strip_prefix('.').unwrap_or(oid);
    NAMES
        .iter()
        .filter(|(prefix, _)| oid == *prefix || oid.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.')))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(prefix, name)| format!("{name}{}", &oid[prefix.len()..]))
}

/// The OID of a known name (`linkDown`): the inverse of [`oid_name`].
pub fn name_oid(name: &str) -> Option<&'static str> {
    NAMES.iter().find(|(_, n)| *n == name).map(|(oid, _)| *oid)
}

/// What a linkDown or linkUp says about one interface: the same
/// observation the poller makes from the ifTable, so the device monitor
/// raises and clears the same interface alarm whichever saw it first.
/// `None` for other traps, or a link trap without an ifIndex.
pub fn link_observation(trap_oid: &str, varbinds: &[TrapVarbind], at: DateTime<Utc>) -> Option<InterfaceStatus> {
    let trap_oid = trap_oid.strip_prefix('.').unwrap_or(trap_oid);
    let down = match trap_oid {
        LINK_DOWN => true,
        LINK_UP => false,
        _ => return None,
    };
    let column = |col: &str| {
        varbinds.iter().find_map(|v| {
            let oid = v.oid.strip_prefix('.').unwrap_or(&v.oid);
            let idx = oid.strip_prefix(col)?.strip_prefix('.')?.parse::<u32>().ok()?;
            Some((idx, v))
        })
    };
    let int = |v: &TrapVarbind| v.value.parse::<i64>().ok();
    let if_index = column("1.3.6.1.2.1.2.2.1.1")
        .and_then(|(_, v)| int(v).and_then(|i| u32::try_from(i).ok()))
        .or_else(|| column("1.3.6.1.2.1.2.2.1.8").map(|(i, _)| i))
        .or_else(|| column("1.3.6.1.2.1.2.2.1.7").map(|(i, _)| i))?;
    // ifAdminStatus 1 is up; absent, the port is taken as meant to be up
    // (a linkDown without it still reports a lost link).
    let admin_up = column("1.3.6.1.2.1.2.2.1.7").and_then(|(_, v)| int(v)).is_none_or(|s| s == 1);
    let oper_up = column("1.3.6.1.2.1.2.2.1.8").and_then(|(_, v)| int(v)).map_or(!down, |s| s == 1);
    let name = column("1.3.6.1.2.1.31.1.1.1.1")
        .or_else(|| column("1.3.6.1.2.1.2.2.1.2"))
        .map(|(_, v)| v.value.clone())
        .unwrap_or_default();
    Some(InterfaceStatus { at, if_index, name, admin_up, oper_up })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn vb(oid: &str, value: &str) -> TrapVarbind {
        TrapVarbind { oid: oid.into(), kind: "INTEGER".into(), value: value.into(), name: None, display: None }
    }

    #[test]
    fn names_carry_the_instance() {
        assert_eq!(oid_name(".1.3.6.1.2.1.2.2.1.8.2").as_deref(), Some("ifOperStatus.2"));
        assert_eq!(oid_name("1.3.6.1.6.3.1.1.5.3").as_deref(), Some("linkDown"));
        assert_eq!(oid_name("1.3.6.1.2.1.1.3.0").as_deref(), Some("sysUpTime.0"));
        assert_eq!(oid_name("1.3.6.1.2.1.2.2.1.10.2"), None, "ifInOctets is not in the table");
        assert_eq!(oid_name("1.3.6.1.2.1.2.2.1.80"), None, "a prefix must end at an arc");
    }

    #[test]
    fn link_traps_become_interface_observations() {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("time");
        let down =
            [vb("1.3.6.1.2.1.2.2.1.1.7", "7"), vb("1.3.6.1.2.1.2.2.1.7.7", "1"), vb("1.3.6.1.2.1.2.2.1.8.7", "2")];
        let o = link_observation(LINK_DOWN, &down, at).expect("link");
        assert_eq!((o.if_index, o.admin_up, o.oper_up), (7, true, false));
        let up = [vb(".1.3.6.1.2.1.2.2.1.8.7", "1")];
        let o = link_observation(&format!(".{LINK_UP}"), &up, at).expect("link");
        assert_eq!((o.if_index, o.admin_up, o.oper_up), (7, true, true));
        assert_eq!(link_observation(LINK_DOWN, &[], at), None, "no ifIndex, no interface");
        assert_eq!(link_observation("1.3.6.1.6.3.1.1.5.1", &down, at), None, "coldStart is not a link trap");
        let admin_down = [vb("1.3.6.1.2.1.2.2.1.1.3", "3"), vb("1.3.6.1.2.1.2.2.1.7.3", "2")];
        assert!(!link_observation(LINK_DOWN, &admin_down, at).expect("link").admin_up);
    }
}
