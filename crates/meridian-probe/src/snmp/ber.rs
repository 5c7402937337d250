//! The small slice of BER that SNMP uses (X.690 with single-byte tags and
//! definite lengths), written here rather than borrowed so that every byte
//! from the wire goes through code that checks lengths before slicing: a
//! reader method returns a [`DecodeError`], it never panics.
//!
//! The reader keeps absolute offsets into the whole message, because SNMPv3
//! authentication has to zero the msgAuthenticationParameters in place
//! before it can check the HMAC.

use std::ops::Range;

pub const INTEGER: u8 = 0x02;
pub const OCTET_STRING: u8 = 0x04;
pub const NULL: u8 = 0x05;
pub const OBJECT_ID: u8 = 0x06;
pub const SEQUENCE: u8 = 0x30;
pub const IP_ADDRESS: u8 = 0x40;
pub const COUNTER32: u8 = 0x41;
pub const GAUGE32: u8 = 0x42;
pub const TIMETICKS: u8 = 0x43;
pub const OPAQUE: u8 = 0x44;
pub const COUNTER64: u8 = 0x46;
pub const NO_SUCH_OBJECT: u8 = 0x80;
pub const NO_SUCH_INSTANCE: u8 = 0x81;
pub const END_OF_MIB_VIEW: u8 = 0x82;

/// Why a packet could not be decoded. Typed so the fuzz corpus and the
/// engine's stats can tell the cases apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Truncated { at: usize },
    BadLength { at: usize },
    UnexpectedTag { expected: u8, found: u8, at: usize },
    UnsupportedTag { tag: u8, at: usize },
    IntegerOverflow { len: usize, at: usize },
    BadOid { at: usize, why: &'static str },
    Invalid(&'static str),
    UnsupportedVersion(i64),
    TrailingBytes(usize),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Truncated { at } => write!(f, "truncated at byte {at}"),
            Self::BadLength { at } => write!(f, "bad length at byte {at}"),
            Self::UnexpectedTag { expected, found, at } => {
                write!(f, "expected tag 0x{expected:02x}, found 0x{found:02x} at byte {at}")
            }
            Self::UnsupportedTag { tag, at } => write!(f, "unsupported tag 0x{tag:02x} at byte {at}"),
            Self::IntegerOverflow { len, at } => write!(f, "integer of {len} bytes at byte {at} does not fit"),
            Self::BadOid { at, why } => write!(f, "bad OID encoding at byte {at}: {why}"),
            Self::Invalid(v) => write!(f, "{v}"),
            Self::UnsupportedVersion(v) => write!(f, "unsupported SNMP version {v}"),
            Self::TrailingBytes(v) => write!(f, "{v} trailing bytes after the message"),
        }
    }
}

// A detail kind carried by ProbeError::SnmpDecode; ProbeError is the crate's error type.
impl std::error::Error for DecodeError {}

/// A cursor over `buf[pos..end]`; sub-readers share `buf` so offsets stay
/// absolute.
#[derive(Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0, end: buf.len() }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.end
    }

    pub fn remaining(&self) -> usize {
        self.end.saturating_sub(self.pos)
    }

    pub fn peek_tag(&self) -> Result<u8, DecodeError> {
        self.byte_at(self.pos)
    }

    fn byte_at(&self, at: usize) -> Result<u8, DecodeError> {
        if at >= self.end {
            return Err(DecodeError::Truncated { at });
        }
        self.buf.get(at).copied().ok_or(DecodeError::Truncated { at })
    }

    /// Reads one TLV; returns its tag and the absolute range of its content.
    pub fn read_any(&mut self) -> Result<(u8, Range<usize>), DecodeError> {
        let start = self.pos;
        let tag = self.byte_at(start)?;
        if tag & 0x1f == 0x1f {
            return Err(DecodeError::UnsupportedTag { tag, at: start });
        }
        let first = self.byte_at(start + 1)?;
        let (len, hdr) = if first < 0x80 {
            (usize::from(first), 2)
        } else {
            let n = usize::from(first & 0x7f);
            // 0x80 is the indefinite form, which SNMP forbids; more than four
            // length bytes would describe a message larger than any datagram.
            if n == 0 || n > 4 {
                return Err(DecodeError::BadLength { at: start + 1 });
            }
            let mut len = 0usize;
            for i in 0..n {
                len = (len << 8) | usize::from(self.byte_at(start + 2 + i)?);
            }
            (len, 2 + n)
        };
        let content_start = start + hdr;
        let content_end = content_start.checked_add(len).ok_or(DecodeError::BadLength { at: start + 1 })?;
        if content_end > self.end {
            return Err(DecodeError::Truncated { at: self.end });
        }
        self.pos = content_end;
        Ok((tag, content_start..content_end))
    }

    /// Reads one TLV that must carry `tag`; returns its content range.
    pub fn read_expect(&mut self, tag: u8) -> Result<Range<usize>, DecodeError> {
        let at = self.pos;
        let found = self.peek_tag()?;
        if found != tag {
            return Err(DecodeError::UnexpectedTag { expected: tag, found, at });
        }
        Ok(self.read_any()?.1)
    }

    pub fn slice(&self, r: Range<usize>) -> Result<&'a [u8], DecodeError> {
        let at = r.start;
        self.buf.get(r).ok_or(DecodeError::Truncated { at })
    }

    /// A reader over the content of the next TLV, which must carry `tag`.
    pub fn enter(&mut self, tag: u8) -> Result<Reader<'a>, DecodeError> {
        let r = self.read_expect(tag)?;
        Ok(Reader { buf: self.buf, pos: r.start, end: r.end })
    }

    pub fn read_octets(&mut self) -> Result<&'a [u8], DecodeError> {
        let r = self.read_expect(OCTET_STRING)?;
        self.slice(r)
    }

    pub fn read_integer(&mut self) -> Result<i64, DecodeError> {
        let r = self.read_expect(INTEGER)?;
        decode_signed(self.slice(r.clone())?, r.start)
    }

    /// An unsigned application type (Counter32, Gauge32, TimeTicks,
    /// Counter64): BER may add a leading zero byte, so 9 bytes fit a u64.
    #[cfg(test)]
    pub fn read_unsigned(&mut self, tag: u8, max_bits: u32) -> Result<u64, DecodeError> {
        let r = self.read_expect(tag)?;
        decode_unsigned(self.slice(r.clone())?, r.start, max_bits)
    }
}

pub fn decode_signed(b: &[u8], at: usize) -> Result<i64, DecodeError> {
    if b.is_empty() {
        return Err(DecodeError::BadLength { at });
    }
    if b.len() > 8 {
        return Err(DecodeError::IntegerOverflow { len: b.len(), at });
    }
    let neg = b.first().is_some_and(|x| x & 0x80 != 0);
    let mut v: i64 = if neg { -1 } else { 0 };
    for &x in b {
        v = (v << 8) | i64::from(x);
    }
    Ok(v)
}

/// Agents are sloppy with unsigned types (some send Counter32 as a negative
/// 4-byte integer); net-snmp reads the bits as unsigned, so do we, masked
/// to the type's width.
pub fn decode_unsigned(b: &[u8], at: usize, max_bits: u32) -> Result<u64, DecodeError> {
    if b.is_empty() {
        return Err(DecodeError::BadLength { at });
    }
    let body = match b {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => b,
    };
    if body.len() > 8 {
        return Err(DecodeError::IntegerOverflow { len: b.len(), at });
    }
    let mut v: u64 = 0;
    for &x in body {
        v = (v << 8) | u64::from(x);
    }
    if max_bits < 64 {
        v &= (1u64 << max_bits) - 1;
    }
    Ok(v)
}

pub fn decode_oid(b: &[u8], at: usize) -> Result<Vec<u32>, DecodeError> {
    let bad = |why| DecodeError::BadOid { at, why };
    if b.is_empty() {
        return Err(bad("empty"));
    }
    if b.len() > 1024 {
        return Err(bad("longer than 1024 bytes"));
    }
    let mut arcs = Vec::with_capacity(b.len() + 1);
    let mut acc: u64 = 0;
    let mut in_arc = false;
    for &x in b {
        if !in_arc && x == 0x80 {
            return Err(bad("arc with a leading 0x80 byte"));
        }
        acc = (acc << 7) | u64::from(x & 0x7f);
        if acc > u64::from(u32::MAX) + 80 {
            return Err(bad("arc larger than 32 bits"));
        }
        in_arc = x & 0x80 != 0;
        if !in_arc {
            if arcs.is_empty() {
                let (first, second) = if acc < 40 {
                    (0, acc)
                } else if acc < 80 {
                    (1, acc - 40)
                } else {
                    (2, acc - 80)
                };
                arcs.push(first as u32);
                arcs.push(u32::try_from(second).map_err(|_| bad("arc larger than 32 bits"))?);
            } else {
                arcs.push(u32::try_from(acc).map_err(|_| bad("arc larger than 32 bits"))?);
            }
            acc = 0;
        }
    }
    if in_arc {
        return Err(bad("last arc not terminated"));
    }
    Ok(arcs)
}

// ---- writer ----
//
// Callers that know their content lengths up front (the request encoders in
// `pdu`) write headers first and the content straight after, into one
// buffer; [`tlv`] is for content already encoded elsewhere. Nothing here
// allocates beyond growing `out`.

pub fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        let body = bytes.get(skip..).unwrap_or(&[]);
        out.push(0x80 | body.len() as u8);
        out.extend_from_slice(body);
    }
}

/// Length of a TLV header for `len` bytes of content.
pub fn header_len(len: usize) -> usize {
    let len_bytes = if len < 0x80 { 1 } else { 1 + (usize::BITS - len.leading_zeros()).div_ceil(8) as usize };
    1 + len_bytes
}

/// Length of a whole TLV with `len` bytes of content.
pub fn tlv_len(len: usize) -> usize {
    header_len(len) + len
}

/// A tag and a length; `len` bytes of content must follow.
pub fn header(out: &mut Vec<u8>, tag: u8, len: usize) {
    out.push(tag);
    push_len(out, len);
}

pub fn tlv(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    header(out, tag, content.len());
    out.extend_from_slice(content);
}

/// Minimal two's complement bytes of `v`: `bytes[start..]`. A leading
/// byte can go while the next one carries the same sign, so the length is
/// the significant bits (leading sign bits dropped) plus a sign bit.
fn minimal_signed(v: i64) -> ([u8; 8], usize) {
    let magnitude = if v < 0 { !v } else { v };
    let bits = 64 - magnitude.leading_zeros() + 1;
    let len = bits.div_ceil(8) as usize;
    (v.to_be_bytes(), 8 - len)
}

/// Content length of an INTEGER holding `v`.
pub fn integer_len(v: i64) -> usize {
    8 - minimal_signed(v).1
}

pub fn integer(out: &mut Vec<u8>, v: i64) {
    let (bytes, start) = minimal_signed(v);
    tlv(out, INTEGER, &bytes[start..]);
}

pub fn unsigned(out: &mut Vec<u8>, tag: u8, v: u64) {
    let bytes = v.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(7);
    let pad = bytes[skip] & 0x80 != 0;
    header(out, tag, 8 - skip + usize::from(pad));
    if pad {
        out.push(0);
    }
    out.extend_from_slice(&bytes[skip..]);
}

pub fn octets(out: &mut Vec<u8>, v: &[u8]) {
    tlv(out, OCTET_STRING, v);
}

/// The first subidentifier (the first two arcs packed) and the rest.
fn oid_parts(arcs: &[u32]) -> (u64, &[u32]) {
    match arcs {
        [a, b, rest @ ..] => (u64::from(*a) * 40 + u64::from(*b), rest),
        // Oid guarantees two arcs; encode a lone arc as-is rather than panic.
        [a] => (u64::from(*a) * 40, &[][..]),
        [] => (0, &[][..]),
    }
}

/// Content length of an OBJECT IDENTIFIER with these arcs.
pub fn oid_len(arcs: &[u32]) -> usize {
    let (first, rest) = oid_parts(arcs);
    base128_len(first) + rest.iter().map(|&a| base128_len(u64::from(a))).sum::<usize>()
}

pub fn oid(out: &mut Vec<u8>, arcs: &[u32]) {
    // One pass: a one-byte length is written as a placeholder and patched,
    // which is right for any OID under 128 content bytes; longer ones get
    // their long-form length spliced in.
    out.reserve(arcs.len() + 8);
    let start = out.len();
    out.extend_from_slice(&[OBJECT_ID, 0]);
    let (first, rest) = oid_parts(arcs);
    push_base128(out, first);
    for &a in rest {
        push_base128(out, u64::from(a));
    }
    let len = out.len() - start - 2;
    if len < 0x80 {
        if let Some(b) = out.get_mut(start + 1) {
            *b = len as u8;
        }
    } else {
        let mut long = Vec::with_capacity(5);
        push_len(&mut long, len);
        out.splice(start + 1..start + 2, long);
    }
}

fn base128_len(v: u64) -> usize {
    ((u64::BITS - v.leading_zeros()).max(1)).div_ceil(7) as usize
}

#[inline]
fn push_base128(out: &mut Vec<u8>, v: u64) {
    // Most arcs are below 128: one byte.
    if v < 0x80 {
        out.push(v as u8);
    } else {
        push_base128_long(out, v);
    }
}

#[cold]
fn push_base128_long(out: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 10];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = (v & 0x7f) as u8 | if i == tmp.len() - 1 { 0 } else { 0x80 };
        v >>= 7;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&tmp[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip() {
        for v in [0i64, 1, 127, 128, 255, 256, -1, -128, -129, i64::from(i32::MAX), i64::MIN, i64::MAX] {
            let mut out = Vec::new();
            integer(&mut out, v);
            assert_eq!(Reader::new(&out).read_integer(), Ok(v), "{v}");
        }
    }

    #[test]
    fn unsigned_round_trip() {
        for v in [0u64, 0x80, 0xffff_ffff, u64::MAX] {
            let mut out = Vec::new();
            unsigned(&mut out, COUNTER64, v);
            assert_eq!(Reader::new(&out).read_unsigned(COUNTER64, 64), Ok(v), "{v}");
        }
    }

    #[test]
    fn oids_round_trip() {
        for arcs in [vec![1u32, 3, 6, 1, 4, 1, 2021, 4294967295], vec![0, 0], vec![2, 999, 3]] {
            let mut out = Vec::new();
            oid(&mut out, &arcs);
            let r = Reader::new(&out).read_expect(OBJECT_ID).expect("tlv");
            assert_eq!(decode_oid(&out[r], 2), Ok(arcs));
        }
    }

    /// X.690 8.3.2 spelled out: drop a leading byte while the next one
    /// carries the same sign.
    fn minimal_by_loop(v: i64) -> Vec<u8> {
        let bytes = v.to_be_bytes();
        let mut start = 0;
        while start < 7 {
            let (b, next) = (bytes[start], bytes[start + 1]);
            if (b == 0 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0) {
                start += 1;
            } else {
                break;
            }
        }
        bytes[start..].to_vec()
    }

    fn check_minimal(v: i64) {
        let (bytes, start) = minimal_signed(v);
        assert_eq!(bytes[start..], minimal_by_loop(v)[..], "{v}");
    }

    #[test]
    fn integers_are_minimal() {
        for shift in 0..64 {
            let p = 1i64.wrapping_shl(shift);
            for v in [p, p.wrapping_sub(1), p.wrapping_add(1), p.wrapping_neg(), p.wrapping_neg().wrapping_sub(1), !p] {
                check_minimal(v);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_integer_is_minimal(v: i64) {
            check_minimal(v);
        }

        #[test]
        fn any_oid_round_trips(first in 0u32..3, second in 0u32..40, rest in proptest::collection::vec(proptest::num::u32::ANY, 0..40)) {
            let mut arcs = vec![first, second];
            arcs.extend(rest);
            let mut out = Vec::new();
            oid(&mut out, &arcs);
            proptest::prop_assert_eq!(tlv_len(oid_len(&arcs)), out.len());
            let r = Reader::new(&out).read_expect(OBJECT_ID).expect("tlv");
            proptest::prop_assert_eq!(decode_oid(&out[r], 2), Ok(arcs));
        }
    }

    #[test]
    fn precomputed_lengths_match_what_is_written() {
        for len in [0usize, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x1_0000, 0xff_ffff, 0x100_0000] {
            let mut out = Vec::new();
            push_len(&mut out, len);
            assert_eq!(header_len(len), 1 + out.len(), "{len}");
        }
        for v in
            [0i64, 1, -1, 127, 128, -128, -129, 255, 256, i64::from(i32::MAX), i64::from(i32::MIN), i64::MAX, i64::MIN]
        {
            let mut out = Vec::new();
            integer(&mut out, v);
            assert_eq!(tlv_len(integer_len(v)), out.len(), "{v}");
        }
        for arcs in
            [vec![1u32, 3], vec![2, 999, 3], vec![1, 3, 6, 1, 4, 1, 2021, 127, 128, 16383, 16384, u32::MAX], vec![0, 0]]
        {
            let mut out = Vec::new();
            oid(&mut out, &arcs);
            assert_eq!(tlv_len(oid_len(&arcs)), out.len(), "{arcs:?}");
        }
    }

    #[test]
    fn lengths_are_checked() {
        assert!(matches!(Reader::new(&[0x04, 0x05, 1, 2]).read_octets(), Err(DecodeError::Truncated { .. })));
        assert!(matches!(Reader::new(&[0x04, 0x80]).read_octets(), Err(DecodeError::BadLength { .. })));
        assert!(matches!(Reader::new(&[0x04, 0x85, 1, 1, 1, 1, 1]).read_octets(), Err(DecodeError::BadLength { .. })));
        assert!(Reader::new(&[0x04, 0x84, 0xff, 0xff, 0xff, 0xff]).read_octets().is_err());
        assert!(matches!(Reader::new(&[0x02, 0x00]).read_integer(), Err(DecodeError::BadLength { .. })));
        assert!(matches!(decode_oid(&[0x2b, 0x86], 0), Err(DecodeError::BadOid { .. })));
        assert!(matches!(decode_oid(&[0x2b, 0x90, 0x80, 0x80, 0x80, 0x80, 0x01], 0), Err(DecodeError::BadOid { .. })));
    }
}
