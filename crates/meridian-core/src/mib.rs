//! A probe-independent view of walked SNMP rows, so the MIB parsers here (ENTITY-MIB,
//! LLDP-MIB, CISCO-CDP-MIB) are plain functions over data and testable from recordings.
//!
//! The service converts its varbinds to [`MibRow`]; counters, gauges and timeticks all
//! become [`RawValue::Uint`] because no parser here cares which of them a value was.
//! The text helpers never fail: agents send binary, padded and half-encoded strings,
//! and a monitor must still show something.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

/// One SNMP value, reduced to the shapes the parsers distinguish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RawValue {
    Int(i64),
    Uint(u64),
    Octets(Vec<u8>),
    Oid(Vec<u32>),
    Ip([u8; 4]),
    /// NULL and the v2c exceptions (noSuchObject, noSuchInstance, endOfMibView).
    Null,
}

impl RawValue {
    /// The value as a signed integer; unsigned values too, when they fit, because
    /// some agents send INTEGER columns as Gauge32.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Self::Int(i) => Some(*i),
            Self::Uint(u) => i64::try_from(*u).ok(),
            _ => None,
        }
    }

    /// The value as an i32 (enumerations, RFC 2579 TruthValue, PhysicalIndex offsets).
    pub fn as_i32(&self) -> Option<i32> {
        self.as_int().and_then(|i| i32::try_from(i).ok())
    }

    /// The value as a u32, for index-like columns (ifIndex, PhysicalIndex).
    pub fn as_u32(&self) -> Option<u32> {
        self.as_int().and_then(|i| u32::try_from(i).ok())
    }

    pub fn as_octets(&self) -> Option<&[u8]> {
        match self {
            Self::Octets(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_oid(&self) -> Option<&[u32]> {
        match self {
            Self::Oid(o) => Some(o),
            _ => None,
        }
    }
}

/// One walked variable: its full OID (table, column and index) and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MibRow {
    pub oid: Vec<u32>,
    pub value: RawValue,
}

impl MibRow {
    pub fn new(oid: Vec<u32>, value: RawValue) -> Self {
        Self { oid, value }
    }
}

/// Parses a dotted OID ("1.3.6.1" or ".1.3.6.1"); None on anything else, including "".
pub fn parse_oid(text: &str) -> Option<Vec<u32>> {
    let body = text.trim().strip_prefix('.').unwrap_or(text.trim());
    if body.is_empty() {
        return None;
    }
    body.split('.').map(|part| part.parse::<u32>().ok()).collect()
}

/// The dotted form of an OID, without a leading dot.
pub fn oid_string(oid: &[u32]) -> String {
    oid.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
}

/// Splits a table OID into (column, index) when it lies under `entry` (the table's
/// xxxEntry OID): `entry.column.index...`. None when the OID is elsewhere or stops at
/// the entry or column. The index may be any length; each parser checks its own shape.
pub fn index_after<'a>(oid: &'a [u32], entry: &[u32]) -> Option<(u32, &'a [u32])> {
    let rest = oid.strip_prefix(entry)?;
    let (column, index) = rest.split_first()?;
    if index.is_empty() {
        return None;
    }
    Some((*column, index))
}

/// Octets as text: lossy UTF-8, with the NUL padding and surrounding whitespace that
/// fixed-width agent buffers leave (SFP serials, NX-OS port ids) removed.
pub fn octets_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).trim_matches(|c: char| c == '\0' || c.is_whitespace()).to_string()
}

/// Whether octets read as text: valid UTF-8 without control characters (line breaks
/// and tabs allowed), once trailing NULs are dropped. Empty input is not printable.
pub fn is_printable(bytes: &[u8]) -> bool {
    let end = bytes.iter().rposition(|b| *b != 0).map_or(0, |p| p + 1);
    let trimmed = bytes.get(..end).unwrap_or_default();
    match std::str::from_utf8(trimmed) {
        Ok(s) => !s.is_empty() && s.chars().all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')),
        Err(_) => false,
    }
}

/// Lower-case hex pairs joined by colons ("aa:bb:cc"); for six octets this is the MAC form.
pub fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

/// Octets for display: the text when they read as text, else colon hex. Binary
/// identifiers then come out in the same form as MAC addresses, so they compare equal.
pub fn display_octets(bytes: &[u8]) -> String {
    if is_printable(bytes) {
        octets_text(bytes)
    } else {
        hex_string(bytes)
    }
}

/// `aa:bb:cc:dd:ee:ff` for exactly six octets.
pub fn mac_string(bytes: &[u8]) -> Option<String> {
    (bytes.len() == 6).then(|| hex_string(bytes))
}

/// An address from its network-order octets: four for IPv4, sixteen for IPv6.
pub fn ip_from_octets(bytes: &[u8]) -> Option<IpAddr> {
    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
        return Some(IpAddr::V4(Ipv4Addr::from(v4)));
    }
    <[u8; 16]>::try_from(bytes).ok().map(|v6| IpAddr::V6(Ipv6Addr::from(v6)))
}

/// An address encoded in OID sub-identifiers, one octet each (as INDEX clauses do).
pub fn ip_from_subids(subids: &[u32]) -> Option<IpAddr> {
    let bytes: Option<Vec<u8>> = subids.iter().map(|s| u8::try_from(*s).ok()).collect();
    ip_from_octets(&bytes?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_round_trip_and_reject_junk() {
        assert_eq!(parse_oid(".1.3.6.1"), Some(vec![1, 3, 6, 1]));
        assert_eq!(parse_oid("1.3.6.1"), Some(vec![1, 3, 6, 1]));
        assert_eq!(parse_oid(""), None);
        assert_eq!(parse_oid("."), None);
        assert_eq!(parse_oid("1..3"), None);
        assert_eq!(parse_oid("1.x"), None);
        assert_eq!(oid_string(&[1, 3, 6, 1]), "1.3.6.1");
    }

    #[test]
    fn index_after_splits_column_and_index() {
        let entry = [1, 2, 3];
        assert_eq!(index_after(&[1, 2, 3, 7, 9, 9], &entry), Some((7, &[9, 9][..])));
        assert_eq!(index_after(&[1, 2, 3, 7], &entry), None);
        assert_eq!(index_after(&[1, 2, 3], &entry), None);
        assert_eq!(index_after(&[1, 2, 4, 7, 1], &entry), None);
    }

    #[test]
    fn text_helpers() {
        assert_eq!(octets_text(b"mgmt0\0\0\0"), "mgmt0");
        assert_eq!(octets_text(b"FNS17282EL1     "), "FNS17282EL1");
        assert!(is_printable(b"mgmt0\0\0"));
        assert!(!is_printable(b""));
        assert!(!is_printable(&[0xd1, 0xa7, 0xd7, 0xd3]));
        assert_eq!(display_octets(&[0x00, 0x0f, 0xe2, 0xb3, 0x71, 0x94]), "00:0f:e2:b3:71:94");
        assert_eq!(display_octets(b"Gi0/1"), "Gi0/1");
        assert_eq!(mac_string(&[1, 2, 3]), None);
        assert_eq!(ip_from_subids(&[10, 0, 0, 256]), None);
        assert_eq!(ip_from_subids(&[10, 0, 0, 1]), "10.0.0.1".parse().ok());
    }
}
