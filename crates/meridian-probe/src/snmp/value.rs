//! SNMP values and varbinds, and their text form. `Display` for a
//! [`VarBind`] follows net-snmp's `snmpbulkwalk -On` output with no MIBs
//! loaded, so `meridian snmp walk` can be diffed against the tool engineers
//! already trust (mib.c `sprint_realloc_*` is the reference).

use std::fmt;
use std::net::Ipv4Addr;

use super::ber::{self, DecodeError, Reader};
use super::oid::Oid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Integer(i64),
    OctetString(Vec<u8>),
    Oid(Oid),
    IpAddress(Ipv4Addr),
    Counter32(u32),
    Gauge32(u32),
    TimeTicks(u32),
    Opaque(Vec<u8>),
    Counter64(u64),
    Null,
    NoSuchObject,
    NoSuchInstance,
    EndOfMibView,
}

impl Value {
    /// True for the v2 exceptions that stand in for a value.
    pub fn is_exception(&self) -> bool {
        matches!(self, Value::NoSuchObject | Value::NoSuchInstance | Value::EndOfMibView)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarBind {
    pub oid: Oid,
    pub value: Value,
}

/// Decodes a VarBindList. A malformed varbind fails the whole list: a
/// silently shortened list would look like the end of a table.
pub(crate) fn decode_varbinds(r: &mut Reader<'_>) -> Result<Vec<VarBind>, DecodeError> {
    let mut list = r.enter(ber::SEQUENCE)?;
    let mut out = Vec::new();
    while !list.is_empty() {
        let mut vb = list.enter(ber::SEQUENCE)?;
        let or = vb.read_expect(ber::OBJECT_ID)?;
        let oid = Oid::from_decoded(ber::decode_oid(vb.slice(or.clone())?, or.start)?);
        let value = decode_value(&mut vb)?;
        if !vb.is_empty() {
            return Err(DecodeError::Invalid("extra bytes inside a varbind"));
        }
        out.push(VarBind { oid, value });
    }
    Ok(out)
}

fn decode_value(r: &mut Reader<'_>) -> Result<Value, DecodeError> {
    let at_tag = r.peek_tag()?;
    let (tag, range) = r.read_any()?;
    let at = range.start;
    let bytes = r.slice(range)?;
    let u32_of = |bits| ber::decode_unsigned(bytes, at, bits).map(|v| v as u32);
    Ok(match tag {
        ber::INTEGER => Value::Integer(ber::decode_signed(bytes, at)?),
        ber::OCTET_STRING => Value::OctetString(bytes.to_vec()),
        ber::OBJECT_ID => Value::Oid(Oid::from_decoded(ber::decode_oid(bytes, at)?)),
        ber::NULL => Value::Null,
        ber::IP_ADDRESS => match <[u8; 4]>::try_from(bytes) {
            Ok(a) => Value::IpAddress(Ipv4Addr::from(a)),
            Err(_) => return Err(DecodeError::BadLength { at }),
        },
        ber::COUNTER32 => Value::Counter32(u32_of(32)?),
        ber::GAUGE32 => Value::Gauge32(u32_of(32)?),
        ber::TIMETICKS => Value::TimeTicks(u32_of(32)?),
        ber::OPAQUE => Value::Opaque(bytes.to_vec()),
        ber::COUNTER64 => Value::Counter64(ber::decode_unsigned(bytes, at, 64)?),
        ber::NO_SUCH_OBJECT => Value::NoSuchObject,
        ber::NO_SUCH_INSTANCE => Value::NoSuchInstance,
        ber::END_OF_MIB_VIEW => Value::EndOfMibView,
        _ => return Err(DecodeError::UnsupportedTag { tag: at_tag, at }),
    })
}

/// Encodes a request varbind list: every value is NULL in a GET family
/// request.
pub(crate) fn encode_null_varbinds(out: &mut Vec<u8>, oids: &[Oid]) {
    let mut list = Vec::with_capacity(oids.len() * 16);
    for o in oids {
        let mut vb = Vec::with_capacity(16);
        ber::oid(&mut vb, o.arcs());
        vb.extend_from_slice(&[ber::NULL, 0]);
        ber::tlv(&mut list, ber::SEQUENCE, &vb);
    }
    ber::tlv(out, ber::SEQUENCE, &list);
}

impl fmt::Display for VarBind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.oid, self.value)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Integer(v) => write!(f, "INTEGER: {v}"),
            Value::OctetString(b) if b.is_empty() => f.write_str("\"\""),
            Value::OctetString(b) if is_text(b) => {
                f.write_str("STRING: \"")?;
                for &c in b {
                    if c == b'"' || c == b'\\' {
                        f.write_str("\\")?;
                    }
                    write!(f, "{}", char::from(c))?;
                }
                f.write_str("\"")
            }
            Value::OctetString(b) => {
                f.write_str("Hex-STRING: ")?;
                hex(f, b)
            }
            Value::Oid(o) => write!(f, "OID: {o}"),
            Value::IpAddress(a) => write!(f, "IpAddress: {a}"),
            Value::Counter32(v) => write!(f, "Counter32: {v}"),
            Value::Gauge32(v) => write!(f, "Gauge32: {v}"),
            Value::TimeTicks(t) => write!(f, "Timeticks: ({t}) {}", uptime(*t)),
            Value::Opaque(b) => opaque(f, b),
            Value::Counter64(v) => write!(f, "Counter64: {v}"),
            Value::Null => f.write_str("NULL"),
            Value::NoSuchObject => f.write_str("No Such Object available on this agent at this OID"),
            Value::NoSuchInstance => f.write_str("No Such Instance currently exists at this OID"),
            Value::EndOfMibView => {
                f.write_str("No more variables left in this MIB View (It is past the end of the MIB tree)")
            }
        }
    }
}

/// net-snmp prints a string as text when every byte passes C's `isprint`
/// or `isspace` in the C locale; otherwise as hex.
fn is_text(b: &[u8]) -> bool {
    b.iter().all(|&c| (0x20..=0x7e).contains(&c) || (0x09..=0x0d).contains(&c))
}

/// `XX ` per byte, a newline after every 16 bytes when more follow
/// (mib.c `sprint_realloc_hexstring`).
fn hex(f: &mut fmt::Formatter<'_>, b: &[u8]) -> fmt::Result {
    for (i, chunk) in b.chunks(16).enumerate() {
        if i > 0 {
            f.write_str("\n")?;
        }
        for c in chunk {
            write!(f, "{c:02X} ")?;
        }
    }
    Ok(())
}

/// `H:MM:SS.cc`, with a day count in front once there is one
/// (mib.c `uptimeString`).
fn uptime(ticks: u32) -> String {
    let cs = ticks % 100;
    let s = ticks / 100;
    let (days, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
    match days {
        0 => format!("{h}:{m:02}:{sec:02}.{cs:02}"),
        1 => format!("1 day, {h}:{m:02}:{sec:02}.{cs:02}"),
        d => format!("{d} days, {h}:{m:02}:{sec:02}.{cs:02}"),
    }
}

/// Opaque may wrap a float or double (RFC draft used by UCD-SNMP's
/// laLoadFloat): tag 0x9f78/0x9f79 inside; net-snmp prints those with `%f`.
fn opaque(f: &mut fmt::Formatter<'_>, b: &[u8]) -> fmt::Result {
    match b {
        [0x9f, 0x78, 4, rest @ ..] if rest.len() == 4 => {
            let v = f32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]);
            write!(f, "Opaque: Float: {:.6}", v)
        }
        [0x9f, 0x79, 8, rest @ ..] if rest.len() == 8 => {
            let mut a = [0u8; 8];
            a.copy_from_slice(rest);
            write!(f, "Opaque: Double: {:.6}", f64::from_be_bytes(a))
        }
        _ => {
            f.write_str("OPAQUE: ")?;
            hex(f, b)
        }
    }
}

/// Encodes a value (used for replies by the fake agents in tests and the
/// fuzz seeds).
pub(crate) fn encode_value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Integer(i) => ber::integer(out, *i),
        Value::OctetString(b) => ber::tlv(out, ber::OCTET_STRING, b),
        Value::Oid(o) => ber::oid(out, o.arcs()),
        Value::IpAddress(a) => ber::tlv(out, ber::IP_ADDRESS, &a.octets()),
        Value::Counter32(n) => ber::unsigned(out, ber::COUNTER32, u64::from(*n)),
        Value::Gauge32(n) => ber::unsigned(out, ber::GAUGE32, u64::from(*n)),
        Value::TimeTicks(n) => ber::unsigned(out, ber::TIMETICKS, u64::from(*n)),
        Value::Opaque(b) => ber::tlv(out, ber::OPAQUE, b),
        Value::Counter64(n) => ber::unsigned(out, ber::COUNTER64, *n),
        Value::Null => ber::tlv(out, ber::NULL, &[]),
        Value::NoSuchObject => ber::tlv(out, ber::NO_SUCH_OBJECT, &[]),
        Value::NoSuchInstance => ber::tlv(out, ber::NO_SUCH_INSTANCE, &[]),
        Value::EndOfMibView => ber::tlv(out, ber::END_OF_MIB_VIEW, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vb(value: Value) -> String {
        VarBind { oid: "1.3.6.1.2.1.1.3.0".parse().expect("oid"), value }.to_string()
    }

    #[test]
    fn formats_like_net_snmp() {
        assert_eq!(vb(Value::TimeTicks(5267)), ".1.3.6.1.2.1.1.3.0 = Timeticks: (5267) 0:00:52.67");
        assert_eq!(
            vb(Value::TimeTicks(8_640_000 * 2 + 1)),
            ".1.3.6.1.2.1.1.3.0 = Timeticks: (17280001) 2 days, 0:00:00.01"
        );
        assert_eq!(vb(Value::OctetString(b"a \"q\"".to_vec())), ".1.3.6.1.2.1.1.3.0 = STRING: \"a \\\"q\\\"\"");
        assert_eq!(vb(Value::OctetString(vec![])), ".1.3.6.1.2.1.1.3.0 = \"\"");
        assert_eq!(vb(Value::OctetString(vec![0x32, 0x18, 0x8e])), ".1.3.6.1.2.1.1.3.0 = Hex-STRING: 32 18 8E ");
        let seventeen: Vec<u8> = (0..17).collect();
        assert!(vb(Value::OctetString(seventeen)).ends_with("0E 0F \n10 "));
        assert_eq!(
            vb(Value::Opaque(vec![0x9f, 0x78, 4, 0x40, 0x56, 0xb0, 0x00])),
            ".1.3.6.1.2.1.1.3.0 = Opaque: Float: 3.354492"
        );
    }
}
