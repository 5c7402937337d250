//! snmprec lines (`OID|TAG|VALUE`, as snmpsim-data stores recordings) to the
//! rows core's parsers read. Shared by the ENTITY-MIB and topology tests.

use meridian_core::mib::{parse_oid, MibRow, RawValue};

/// snmprec text to rows; lines with tags this test does not need are skipped.
pub fn rows(text: &str) -> Vec<MibRow> {
    text.lines().filter_map(row).collect()
}

fn row(line: &str) -> Option<MibRow> {
    let mut parts = line.trim().splitn(3, '|');
    let (oid, tag, value) = (parts.next()?, parts.next()?, parts.next()?);
    let value = match tag {
        "2" => RawValue::Int(value.parse().ok()?),
        "4" => RawValue::Octets(value.as_bytes().to_vec()),
        "4x" => RawValue::Octets(hex(value)?),
        "6" => RawValue::Oid(parse_oid(value)?),
        "64" => RawValue::Ip(value.parse::<std::net::Ipv4Addr>().ok()?.octets()),
        "65" | "66" | "67" | "70" => RawValue::Uint(value.parse().ok()?),
        _ => return None,
    };
    Some(MibRow::new(parse_oid(oid)?, value))
}

fn hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits.chunks(2).map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()).collect()
}
