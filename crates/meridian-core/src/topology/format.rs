//! LLDP chassis and port ids to text. Both ends of a link must format an id the same
//! way (a device's own lldpLocChassisId and what its neighbour holds in lldpRemChassisId),
//! since matching compares the text.

use crate::mib::{display_octets, hex_string, ip_from_octets, mac_string};

/// How an id's octets are to be read, from its subtype.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IdKind {
    Mac,
    /// IANA address family octet, then the address (1 = IPv4, 2 = IPv6).
    NetworkAddress,
    Other,
}

/// An LLDP chassis id as text: LldpChassisIdSubtype macAddress(4) as `aa:bb:..`,
/// networkAddress(5) as IP text, anything else as text when printable, else hex.
pub fn chassis_id_text(subtype: Option<i64>, bytes: &[u8]) -> String {
    let kind = match subtype {
        Some(4) => IdKind::Mac,
        Some(5) => IdKind::NetworkAddress,
        _ => IdKind::Other,
    };
    id_text(kind, bytes)
}

/// An LLDP port id as text: LldpPortIdSubtype macAddress(3) and networkAddress(4) as for
/// chassis ids, anything else as text when printable, else hex.
pub fn port_id_text(subtype: Option<i64>, bytes: &[u8]) -> String {
    let kind = match subtype {
        Some(3) => IdKind::Mac,
        Some(4) => IdKind::NetworkAddress,
        _ => IdKind::Other,
    };
    id_text(kind, bytes)
}

fn id_text(kind: IdKind, bytes: &[u8]) -> String {
    match kind {
        IdKind::Mac => mac_string(bytes)
            // NX-OS sends its MAC as text ("8c:60:4f:19:16:7c") under subtype macAddress.
            .or_else(|| mac_from_text(&display_octets(bytes)).map(|m| hex_string(&m)))
            .unwrap_or_else(|| display_octets(bytes)),
        IdKind::NetworkAddress => match bytes.split_first() {
            Some((1, addr)) if addr.len() == 4 => ip_from_octets(addr).map(|ip| ip.to_string()),
            Some((2, addr)) if addr.len() == 16 => ip_from_octets(addr).map(|ip| ip.to_string()),
            _ => None,
        }
        .unwrap_or_else(|| display_octets(bytes)),
        IdKind::Other => display_octets(bytes),
    }
}

/// Whether an id can identify anything: not empty, not all zeros ("00:00:00:00:00:00"
/// is what agents send when they have no MAC to give).
pub(super) fn usable_id(id: &str) -> bool {
    id.chars().any(|c| c.is_alphanumeric() && c != '0')
}

/// A MAC written as text: `8c:60:4f:19:16:7c`, `8c-60-..`, `8c60.4f19.167c` or twelve hex digits.
fn mac_from_text(text: &str) -> Option<[u8; 6]> {
    let digits: String = text.chars().filter(|c| !matches!(c, ':' | '-' | '.')).collect();
    if digits.len() != 12 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let separators = text.chars().filter(|c| matches!(c, ':' | '-' | '.')).count();
    if !matches!(separators, 0 | 2 | 5) {
        return None;
    }
    let mut mac = [0u8; 6];
    for (slot, pair) in mac.iter_mut().zip(digits.as_bytes().chunks(2)) {
        let pair = std::str::from_utf8(pair).ok()?;
        *slot = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(mac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chassis_ids_by_subtype() {
        let mac = [0xa8, 0xd0, 0xe5, 0xf5, 0xaf, 0xc0];
        assert_eq!(chassis_id_text(Some(4), &mac), "a8:d0:e5:f5:af:c0");
        assert_eq!(chassis_id_text(Some(4), b"8C:60:4F:19:16:7C"), "8c:60:4f:19:16:7c");
        assert_eq!(chassis_id_text(Some(4), b"8c60.4f19.167c"), "8c:60:4f:19:16:7c");
        assert_eq!(chassis_id_text(Some(4), b"not a mac"), "not a mac");
        assert_eq!(chassis_id_text(Some(5), &[1, 192, 0, 2, 1]), "192.0.2.1");
        assert_eq!(chassis_id_text(Some(5), &[2, 192, 0, 2, 1]), "02:c0:00:02:01");
        assert_eq!(chassis_id_text(Some(7), b"NWPU-CA-5548-01(SSI183706KP)"), "NWPU-CA-5548-01(SSI183706KP)");
        assert_eq!(chassis_id_text(None, &[]), "");
        assert_eq!(port_id_text(Some(3), &mac), "a8:d0:e5:f5:af:c0");
        assert_eq!(port_id_text(Some(5), b"mgmt0\0\0\0\0"), "mgmt0");
        // A text MAC with a stray separator count is not a MAC.
        assert_eq!(mac_from_text("8c:60:4f:19:16:7c:"), None);
    }
}
