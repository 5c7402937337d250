//! Values shown the way their MIB says: RFC 2579 octet-string display hints
//! (DisplayString `255a`, PhysAddress `1x:`, DateAndTime
//! `2d-1d-1d,1d:1d:1d.1d,1a1d:1d`, ...), InetAddress by its length (it has no
//! hint: its type lives in another column), and enumerations as net-snmp
//! prints them (`up(1)`). Pure text functions: the MIB lookup that finds the
//! hint lives in `meridian-probe::mib`.
//!
//! Agents send anything, so none of these fail on odd data: a hint that does
//! not parse gives `None` (the caller shows hex), and data shorter than the
//! hint simply ends the output early, as net-snmp does.

use std::net::{Ipv4Addr, Ipv6Addr};

/// One octet-format specification of a display hint (RFC 2579 §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Spec {
    /// `*`: the first octet of each application is a repeat count.
    star: bool,
    len: usize,
    fmt: u8,
    sep: Option<char>,
    term: Option<char>,
}

/// Hints longer than this are refused: real ones are a few dozen characters,
/// and a vendor MIB is outside input.
const HINT_MAX: usize = 256;

fn parse_hint(hint: &str) -> Option<Vec<Spec>> {
    if hint.is_empty() || hint.len() > HINT_MAX || !hint.is_ascii() {
        return None;
    }
    let b = hint.as_bytes();
    let mut specs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let star = b[i] == b'*';
        if star {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let len: usize = hint.get(start..i)?.parse().ok()?;
        let fmt = *b.get(i)?;
        if !matches!(fmt, b'd' | b'x' | b'o' | b'a' | b't') || len == 0 {
            return None;
        }
        i += 1;
        // A separator is any character that cannot start the next spec.
        let is_sep = |c: u8| !c.is_ascii_digit() && c != b'*';
        let sep = (i < b.len() && is_sep(b[i])).then(|| {
            i += 1;
            b[i - 1] as char
        });
        let term = (star && sep.is_some() && i < b.len() && is_sep(b[i])).then(|| {
            i += 1;
            b[i - 1] as char
        });
        specs.push(Spec { star, len, fmt, sep, term });
    }
    Some(specs)
}

fn push_value(out: &mut String, fmt: u8, chunk: &[u8]) {
    match fmt {
        b'a' | b't' => out.push_str(&String::from_utf8_lossy(chunk)),
        _ => {
            // d/x/o: the chunk is a big-endian unsigned number (at most 8
            // octets are meaningful; longer ones keep their low 64 bits).
            let n = chunk.iter().fold(0u64, |acc, &c| acc.wrapping_shl(8) | u64::from(c));
            match fmt {
                b'x' => out.push_str(&format!("{n:x}")),
                b'o' => out.push_str(&format!("{n:o}")),
                _ => out.push_str(&n.to_string()),
            }
        }
    }
}

/// `data` formatted by the octet-string display hint `hint`, or `None` when
/// the hint is not a valid RFC 2579 octet format. The last specification
/// repeats until the data is used up.
pub fn octets_by_hint(hint: &str, data: &[u8]) -> Option<String> {
    let specs = parse_hint(hint)?;
    let mut out = String::new();
    let mut rest = data;
    let mut k = 0;
    while !rest.is_empty() {
        let s = specs[k.min(specs.len() - 1)];
        k += 1;
        let repeat = if s.star {
            let (n, tail) = rest.split_first()?;
            rest = tail;
            usize::from(*n)
        } else {
            1
        };
        for r in 0..repeat {
            if rest.is_empty() {
                break;
            }
            let take = s.len.min(rest.len());
            push_value(&mut out, s.fmt, &rest[..take]);
            rest = &rest[take..];
            if rest.is_empty() {
                break;
            }
            match (r + 1 == repeat, s.term, s.sep) {
                (true, Some(t), _) => out.push(t),
                (_, _, Some(sep)) => out.push(sep),
                _ => {}
            }
        }
    }
    Some(out)
}

/// An InetAddress (RFC 4001) judged by its length: 4 octets IPv4, 16 IPv6,
/// 8 and 20 the same with a zone index (`%N`); anything else as hex.
pub fn inet_address(data: &[u8]) -> String {
    let zone = |z: &[u8]| u32::from_be_bytes([z[0], z[1], z[2], z[3]]);
    match data.len() {
        4 => Ipv4Addr::new(data[0], data[1], data[2], data[3]).to_string(),
        8 => format!("{}%{}", Ipv4Addr::new(data[0], data[1], data[2], data[3]), zone(&data[4..])),
        16 | 20 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(&data[..16]);
            let ip = Ipv6Addr::from(a);
            if data.len() == 20 {
                format!("{ip}%{}", zone(&data[16..]))
            } else {
                ip.to_string()
            }
        }
        _ => hex(data),
    }
}

/// An enumerated INTEGER as net-snmp shows it: `up(1)`, or the bare number
/// when the MIB names no such value.
pub fn enum_value(value: i64, label: Option<&str>) -> String {
    match label {
        Some(l) => format!("{l}({value})"),
        None => value.to_string(),
    }
}

/// Octets as net-snmp's Hex-STRING (`0A 1B`).
pub fn hex(data: &[u8]) -> String {
    data.iter().map(|c| format!("{c:02X}")).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_string_and_phys_address_as_net_snmp_prints_them() {
        assert_eq!(octets_by_hint("255a", b"eth0").as_deref(), Some("eth0"));
        assert_eq!(octets_by_hint("1x:", &[0x52, 0x54, 0x00, 0x12, 0xab, 0x0c]).as_deref(), Some("52:54:0:12:ab:c"));
        assert_eq!(octets_by_hint("1x:", &[]).as_deref(), Some(""));
    }

    #[test]
    fn date_and_time_with_and_without_its_zone() {
        let hint = "2d-1d-1d,1d:1d:1d.1d,1a1d:1d";
        let local = [0x07, 0xe8, 1, 15, 10, 30, 0, 5];
        assert_eq!(octets_by_hint(hint, &local).as_deref(), Some("2024-1-15,10:30:0.5"));
        let zoned = [0x07, 0xe8, 1, 15, 10, 30, 0, 5, b'+', 2, 0];
        assert_eq!(octets_by_hint(hint, &zoned).as_deref(), Some("2024-1-15,10:30:0.5,+2:0"));
        // Short data ends early, never panics.
        assert_eq!(octets_by_hint(hint, &[0x07]).as_deref(), Some("7"));
    }

    #[test]
    fn star_repeat_separator_and_terminator() {
        // RFC 2579's example: a repeat count, dotted values, a slash after the group.
        assert_eq!(octets_by_hint("*1d./1d", &[3, 10, 0, 1, 24]).as_deref(), Some("10.0.1/24"));
        assert_eq!(octets_by_hint("1d.1d.1d.1d", &[192, 0, 2, 1]).as_deref(), Some("192.0.2.1"));
        assert_eq!(octets_by_hint("2x:", &[0x20, 0x01, 0x0d, 0xb8]).as_deref(), Some("2001:db8"));
        assert_eq!(octets_by_hint("1o", &[8]).as_deref(), Some("10"));
    }

    #[test]
    fn bad_hints_are_refused() {
        for h in ["", "x", "0d", "1q", "*", "1", &"1d".repeat(200)] {
            assert_eq!(octets_by_hint(h, b"ab"), None, "{h:?}");
        }
        // A star with no count octet left: the data ends there.
        assert_eq!(octets_by_hint("*1d.", &[]).as_deref(), Some(""));
    }

    #[test]
    fn inet_addresses_by_length() {
        assert_eq!(inet_address(&[127, 0, 0, 1]), "127.0.0.1");
        assert_eq!(inet_address(&[169, 254, 0, 1, 0, 0, 0, 3]), "169.254.0.1%3");
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        assert_eq!(inet_address(&v6), "::1");
        assert_eq!(inet_address(&[1, 2, 3]), "01 02 03");
    }

    #[test]
    fn enumerations_show_label_and_number() {
        assert_eq!(enum_value(2, Some("down")), "down(2)");
        assert_eq!(enum_value(9, None), "9");
    }
}
