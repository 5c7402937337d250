//! ICMP echo packets for the sweep: building requests and reading replies.
//!
//! Pure functions over byte buffers, so the parser of outside bytes can be
//! fuzzed (`fuzz/fuzz_targets/icmp_reply.rs`) and unit-tested without a
//! socket. The sweep tags each request's payload with a per-sweep cookie and
//! the target's index: the reply echoes the payload back, so a reply finds
//! its target without a lookup table, and a stray echo reply (another
//! pinger's, or a forged one) fails the cookie or address check.

use std::net::Ipv4Addr;

/// ICMP types we send and accept.
pub const ECHO_REQUEST_V4: u8 = 8;
pub const ECHO_REPLY_V4: u8 = 0;
pub const ECHO_REQUEST_V6: u8 = 128;
pub const ECHO_REPLY_V6: u8 = 129;

/// Bytes of the tag at the start of a sweep payload: cookie (8) + index (4).
pub const TAG_LEN: usize = 12;
/// IPv4 header we write when the socket has `IP_HDRINCL` set.
pub const IPV4_HEADER_LEN: usize = 20;
const ICMP_HEADER_LEN: usize = 8;

/// How the bytes on a socket are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Raw IPv4: replies start with the IP header; requests carry one too
    /// when `IP_HDRINCL` is set (`header` true).
    RawV4 { header: bool },
    /// IPv4 ping socket: ICMP message only, the kernel owns the identifier.
    DgramV4,
    /// ICMPv6, raw or ping socket: ICMPv6 message only (the kernel computes
    /// the checksum).
    V6,
}

/// The parts of an echo reply the sweep needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EchoReply<'a> {
    pub ident: u16,
    pub seq: u16,
    pub payload: &'a [u8],
}

/// The tag a sweep puts at the start of each request's payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    pub cookie: u64,
    pub index: u32,
}

impl Tag {
    /// Read a tag from an echoed payload; `None` if it is too short.
    pub fn read(payload: &[u8]) -> Option<Tag> {
        let cookie = u64::from_be_bytes(payload.get(..8)?.try_into().ok()?);
        let index = u32::from_be_bytes(payload.get(8..TAG_LEN)?.try_into().ok()?);
        Some(Tag { cookie, index })
    }
}

/// Internet checksum (RFC 1071) of `bytes`.
pub fn checksum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    let mut chunks = bytes.chunks_exact(2);
    for c in &mut chunks {
        sum += u32::from(u16::from_be_bytes([c[0], c[1]]));
    }
    if let [last] = chunks.remainder() {
        sum += u32::from(*last) << 8;
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// Write a complete echo request into `out` (cleared first): the IPv4
/// header when `framing` asks for one, then the ICMP message with `tag` at
/// the start of a `payload_len`-byte payload (at least [`TAG_LEN`]; the rest
/// is the usual counting pattern).
pub fn build_request(
    out: &mut Vec<u8>,
    framing: Framing,
    dst: Option<Ipv4Addr>,
    ident: u16,
    seq: u16,
    tag: Tag,
    payload_len: usize,
) {
    out.clear();
    if let (Framing::RawV4 { header: true }, Some(dst)) = (framing, dst) {
        let total = (IPV4_HEADER_LEN + ICMP_HEADER_LEN + payload_len.max(TAG_LEN)).min(usize::from(u16::MAX)) as u16;
        // Version 4, IHL 5; the kernel fills in total length, identification,
        // checksum and (being 0) the source address (raw(7)).
        out.extend_from_slice(&[0x45, 0]);
        out.extend_from_slice(&total.to_be_bytes());
        out.extend_from_slice(&[0, 0, 0, 0, 64, 1, 0, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&dst.octets());
    }
    let start = out.len();
    let kind = if framing == Framing::V6 { ECHO_REQUEST_V6 } else { ECHO_REQUEST_V4 };
    out.extend_from_slice(&[kind, 0, 0, 0]);
    out.extend_from_slice(&ident.to_be_bytes());
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&tag.cookie.to_be_bytes());
    out.extend_from_slice(&tag.index.to_be_bytes());
    out.extend((TAG_LEN..payload_len.max(TAG_LEN)).map(|i| (i % 256) as u8));
    if framing != Framing::V6 {
        let sum = checksum(&out[start..]);
        out[start + 2..start + 4].copy_from_slice(&sum.to_be_bytes());
    }
}

/// Read an echo reply from the bytes a socket with `framing` delivered.
/// Anything else (another ICMP type, a truncated or malformed packet) is
/// `None`: the sweep drops it.
pub fn parse_reply(bytes: &[u8], framing: Framing) -> Option<EchoReply<'_>> {
    let (icmp, want) = match framing {
        Framing::RawV4 { .. } => {
            let first = *bytes.first()?;
            let ihl = usize::from(first & 0x0f) * 4;
            if first >> 4 != 4 || ihl < IPV4_HEADER_LEN {
                return None;
            }
            (bytes.get(ihl..)?, ECHO_REPLY_V4)
        }
        Framing::DgramV4 => (bytes, ECHO_REPLY_V4),
        Framing::V6 => (bytes, ECHO_REPLY_V6),
    };
    if icmp.len() < ICMP_HEADER_LEN || icmp[0] != want || icmp[1] != 0 {
        return None;
    }
    Some(EchoReply {
        ident: u16::from_be_bytes([icmp[4], icmp[5]]),
        seq: u16::from_be_bytes([icmp[6], icmp[7]]),
        payload: &icmp[ICMP_HEADER_LEN..],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Turn a request we built into the reply a host sends back.
    fn reply_of(request: &[u8], framing: Framing) -> Vec<u8> {
        let mut r = request.to_vec();
        let icmp = if matches!(framing, Framing::RawV4 { header: true }) { IPV4_HEADER_LEN } else { 0 };
        r[icmp] = if framing == Framing::V6 { ECHO_REPLY_V6 } else { ECHO_REPLY_V4 };
        if matches!(framing, Framing::RawV4 { header: false }) {
            // A raw IPv4 socket receives the IP header too.
            let mut with_header = vec![0x45; 1];
            with_header.extend_from_slice(&[0; 19]);
            with_header.extend_from_slice(&r);
            return with_header;
        }
        r
    }

    #[test]
    fn checksum_matches_rfc1071_example() {
        // RFC 1071 section 3: the sum of these words is 0xddf2.
        assert_eq!(checksum(&[0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]), !0xddf2);
        // A message with its checksum filled in sums to zero.
        let mut out = Vec::new();
        let tag = Tag { cookie: 7, index: 9 };
        build_request(&mut out, Framing::DgramV4, None, 1, 2, tag, 56);
        assert_eq!(checksum(&out), 0);
        assert_eq!(checksum(&[0xff]), !0xff00);
    }

    #[test]
    fn requests_round_trip_through_the_reply_parser() {
        let tag = Tag { cookie: 0x0123_4567_89ab_cdef, index: 65_533 };
        let dst = Some(Ipv4Addr::new(127, 1, 2, 3));
        for framing in
            [Framing::RawV4 { header: true }, Framing::RawV4 { header: false }, Framing::DgramV4, Framing::V6]
        {
            let mut out = Vec::new();
            build_request(&mut out, framing, dst, 0xbeef, 7, tag, 56);
            let header = if matches!(framing, Framing::RawV4 { header: true }) { IPV4_HEADER_LEN } else { 0 };
            assert_eq!(out.len(), header + 8 + 56, "{framing:?}");
            let reply = reply_of(&out, framing);
            let parsed = parse_reply(&reply, framing).expect("parses");
            assert_eq!((parsed.ident, parsed.seq), (0xbeef, 7));
            assert_eq!(Tag::read(parsed.payload), Some(tag));
            assert_eq!(parsed.payload[TAG_LEN], TAG_LEN as u8);
            // Our own request is not a reply.
            assert_eq!(parse_reply(&out, framing), None, "{framing:?}");
        }
    }

    #[test]
    fn hdrincl_header_names_the_destination_and_leaves_the_rest_to_the_kernel() {
        let mut out = Vec::new();
        build_request(
            &mut out,
            Framing::RawV4 { header: true },
            Some(Ipv4Addr::new(127, 9, 8, 7)),
            1,
            1,
            Tag { cookie: 0, index: 0 },
            0,
        );
        assert_eq!(out[0], 0x45);
        assert_eq!(u16::from_be_bytes([out[2], out[3]]) as usize, out.len());
        assert_eq!(out[9], 1, "protocol ICMP");
        assert_eq!(&out[12..16], &[0, 0, 0, 0], "source left to the kernel");
        assert_eq!(&out[16..20], &[127, 9, 8, 7]);
        // A payload shorter than the tag is widened to hold it.
        assert_eq!(out.len(), IPV4_HEADER_LEN + 8 + TAG_LEN);
    }

    #[test]
    fn malformed_replies_are_none() {
        let raw = Framing::RawV4 { header: false };
        assert_eq!(parse_reply(&[], raw), None);
        assert_eq!(parse_reply(&[0x45], raw), None);
        assert_eq!(parse_reply(&[0x44; 40], raw), None, "IHL below 5");
        assert_eq!(parse_reply(&[0x65; 40], raw), None, "not version 4");
        assert_eq!(parse_reply(&[0x4f; 40], raw), None, "IHL beyond the packet's ICMP part");
        assert_eq!(parse_reply(&[0, 0, 0, 0, 0, 0, 0], Framing::DgramV4), None, "short ICMP header");
        assert_eq!(parse_reply(&[3, 1, 0, 0, 0, 0, 0, 0], Framing::DgramV4), None, "unreachable");
        assert_eq!(parse_reply(&[0, 1, 0, 0, 0, 0, 0, 0], Framing::DgramV4), None, "code must be 0");
        assert_eq!(parse_reply(&[0, 0, 0, 0, 0, 0, 0, 0], Framing::V6), None, "v4 type on v6");
        let empty = parse_reply(&[129, 0, 0, 0, 0, 1, 0, 2], Framing::V6).expect("bare reply");
        assert_eq!((empty.ident, empty.seq, empty.payload.len()), (1, 2, 0));
        assert_eq!(Tag::read(empty.payload), None);
        assert_eq!(Tag::read(&[0; 11]), None);
    }
}
