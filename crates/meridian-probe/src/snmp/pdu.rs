//! SNMP messages: v1/v2c community messages here, v3 framing in
//! [`super::usm`]. [`decode_message`] is the one entry point for bytes from
//! the wire (and the fuzz target).

use super::ber::{self, DecodeError, Reader};
use super::oid::Oid;
use super::value::{decode_varbinds, encode_null_varbinds, VarBind};

pub const GET: u8 = 0xa0;
pub const GET_NEXT: u8 = 0xa1;
pub const RESPONSE: u8 = 0xa2;
pub const TRAP_V1: u8 = 0xa4;
pub const GET_BULK: u8 = 0xa5;
pub const INFORM: u8 = 0xa6;
pub const TRAP_V2: u8 = 0xa7;
pub const REPORT: u8 = 0xa8;

/// A decoded PDU (responses and reports; requests decode too, which the
/// fake agents in tests use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pdu {
    pub tag: u8,
    pub request_id: i32,
    /// For GETBULK requests this is non-repeaters.
    pub error_status: u32,
    /// For GETBULK requests this is max-repetitions.
    pub error_index: u32,
    pub varbinds: Vec<VarBind>,
}

/// What a request asks for; encoded per version.
#[derive(Debug, Clone)]
pub struct RequestPdu<'a> {
    pub tag: u8,
    pub request_id: i32,
    pub non_repeaters: u32,
    pub max_repetitions: u32,
    pub oids: &'a [Oid],
}

impl RequestPdu<'_> {
    /// Content length of the PDU: the three integers and the varbind list
    /// (every value NULL), computed without encoding anything.
    fn content_len(&self) -> usize {
        let list: usize = self.oids.iter().map(|o| ber::tlv_len(ber::tlv_len(ber::oid_len(o.arcs())) + 2)).sum();
        ber::tlv_len(ber::integer_len(i64::from(self.request_id)))
            + ber::tlv_len(ber::integer_len(i64::from(self.non_repeaters)))
            + ber::tlv_len(ber::integer_len(i64::from(self.max_repetitions)))
            + ber::tlv_len(list)
    }

    /// Appends the PDU to `out`, headers first (lengths are computed up
    /// front), so a request is encoded into the caller's one buffer.
    pub fn encode(&self, out: &mut Vec<u8>) {
        self.encode_with_len(out, self.content_len());
    }

    /// [`Self::encode`] with `len` = `self.content_len()` already known.
    fn encode_with_len(&self, out: &mut Vec<u8>, len: usize) {
        out.reserve(ber::tlv_len(len));
        let start = out.len();
        ber::header(out, self.tag, len);
        ber::integer(out, i64::from(self.request_id));
        ber::integer(out, i64::from(self.non_repeaters));
        ber::integer(out, i64::from(self.max_repetitions));
        encode_null_varbinds(out, self.oids);
        debug_assert_eq!(out.len() - start, ber::tlv_len(len), "RequestPdu::content_len is out of step");
    }
}

/// Encodes any PDU (the test responders use it for replies).
pub fn encode_pdu(out: &mut Vec<u8>, pdu: &Pdu) {
    let mut body = Vec::with_capacity(64);
    ber::integer(&mut body, i64::from(pdu.request_id));
    ber::integer(&mut body, i64::from(pdu.error_status));
    ber::integer(&mut body, i64::from(pdu.error_index));
    let mut list = Vec::new();
    for vb in &pdu.varbinds {
        let mut one = Vec::new();
        ber::oid(&mut one, vb.oid.arcs());
        super::value::encode_value(&mut one, &vb.value);
        ber::tlv(&mut list, ber::SEQUENCE, &one);
    }
    ber::tlv(&mut body, ber::SEQUENCE, &list);
    ber::tlv(out, pdu.tag, &body);
}

pub(crate) fn decode_pdu(r: &mut Reader<'_>) -> Result<Pdu, DecodeError> {
    let tag = r.peek_tag()?;
    if !matches!(tag, 0xa0..=0xa3 | 0xa5..=0xa8) {
        return Err(DecodeError::UnsupportedTag { tag, at: 0 });
    }
    let mut p = r.enter(tag)?;
    let request_id = i32::try_from(p.read_integer()?).map_err(|_| DecodeError::Invalid("request-id out of range"))?;
    let error_status = u32::try_from(p.read_integer()?).map_err(|_| DecodeError::Invalid("negative error-status"))?;
    let error_index = u32::try_from(p.read_integer()?).map_err(|_| DecodeError::Invalid("negative error-index"))?;
    let varbinds = decode_varbinds(&mut p)?;
    if !p.is_empty() {
        return Err(DecodeError::Invalid("bytes after the varbind list"));
    }
    Ok(Pdu { tag, request_id, error_status, error_index, varbinds })
}

/// SNMP versions on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireVersion {
    V1 = 0,
    V2c = 1,
    V3 = 3,
}

/// A decoded message. v3 messages are decoded only as far as the security
/// layer allows; [`super::usm`] authenticates and decrypts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Community { version: WireVersion, community: Vec<u8>, pdu: Pdu },
    V3(super::usm::V3Message),
}

pub fn encode_community(out: &mut Vec<u8>, version: WireVersion, community: &[u8], pdu: &RequestPdu<'_>) {
    let pdu_len = pdu.content_len();
    let body = ber::tlv_len(ber::integer_len(version as i64)) + ber::tlv_len(community.len()) + ber::tlv_len(pdu_len);
    out.reserve(ber::tlv_len(body));
    ber::header(out, ber::SEQUENCE, body);
    ber::integer(out, version as i64);
    ber::octets(out, community);
    pdu.encode_with_len(out, pdu_len);
}

/// A whole v1/v2c message around a full PDU (varbinds with values): an
/// inform's Response, a notification Meridian sends.
pub fn encode_community_pdu(version: WireVersion, community: &[u8], pdu: &Pdu) -> Vec<u8> {
    let mut body = Vec::with_capacity(64 + community.len());
    ber::integer(&mut body, version as i64);
    ber::octets(&mut body, community);
    encode_pdu(&mut body, pdu);
    let mut out = Vec::with_capacity(body.len() + 4);
    ber::tlv(&mut out, ber::SEQUENCE, &body);
    out
}

/// Decodes any SNMP message. Never panics; every failure is a
/// [`DecodeError`].
pub fn decode_message(bytes: &[u8]) -> Result<Message, DecodeError> {
    let mut outer = Reader::new(bytes);
    let mut msg = outer.enter(ber::SEQUENCE)?;
    if !outer.is_empty() {
        return Err(DecodeError::TrailingBytes(outer.remaining()));
    }
    let version = match msg.read_integer()? {
        0 => WireVersion::V1,
        1 => WireVersion::V2c,
        3 => return super::usm::decode_v3(msg).map(Message::V3),
        v => return Err(DecodeError::UnsupportedVersion(v)),
    };
    let community = msg.read_octets()?.to_vec();
    let pdu = decode_pdu(&mut msg)?;
    if !msg.is_empty() {
        return Err(DecodeError::Invalid("bytes after the PDU"));
    }
    Ok(Message::Community { version, community, pdu })
}

/// The id that routes a reply to its request without decoding it all:
/// the request-id for v1/v2c, the (clear-text) msgID for v3. The engine
/// uses the same number for both.
pub fn dispatch_id(bytes: &[u8]) -> Result<i32, DecodeError> {
    let mut outer = Reader::new(bytes);
    let mut msg = outer.enter(ber::SEQUENCE)?;
    let id = match msg.read_integer()? {
        0 | 1 => {
            msg.read_octets()?;
            let tag = msg.peek_tag()?;
            let mut p = msg.enter(tag)?;
            p.read_integer()?
        }
        3 => msg.enter(ber::SEQUENCE)?.read_integer()?,
        v => return Err(DecodeError::UnsupportedVersion(v)),
    };
    i32::try_from(id).map_err(|_| DecodeError::Invalid("id out of range"))
}

/// The name net-snmp gives an error-status (RFC 3416).
pub fn error_status_name(code: u32) -> &'static str {
    const NAMES: [&str; 19] = [
        "noError",
        "tooBig",
        "noSuchName",
        "badValue",
        "readOnly",
        "genErr",
        "noAccess",
        "wrongType",
        "wrongLength",
        "wrongEncoding",
        "wrongValue",
        "noCreation",
        "inconsistentValue",
        "resourceUnavailable",
        "commitFailed",
        "undoFailed",
        "authorizationError",
        "notWritable",
        "inconsistentName",
    ];
    usize::try_from(code).ok().and_then(|i| NAMES.get(i)).copied().unwrap_or("unknown error-status")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The straightforward nested encoding (each level into its own buffer)
    /// that the one-buffer encoders must reproduce byte for byte.
    fn reference(version: WireVersion, community: &[u8], p: &RequestPdu<'_>) -> Vec<u8> {
        let mut list = Vec::new();
        for o in p.oids {
            let mut vb = Vec::new();
            ber::oid(&mut vb, o.arcs());
            vb.extend_from_slice(&[ber::NULL, 0]);
            ber::tlv(&mut list, ber::SEQUENCE, &vb);
        }
        let mut pdu = Vec::new();
        ber::integer(&mut pdu, i64::from(p.request_id));
        ber::integer(&mut pdu, i64::from(p.non_repeaters));
        ber::integer(&mut pdu, i64::from(p.max_repetitions));
        ber::tlv(&mut pdu, ber::SEQUENCE, &list);
        let mut body = Vec::new();
        ber::integer(&mut body, version as i64);
        ber::octets(&mut body, community);
        ber::tlv(&mut body, p.tag, &pdu);
        let mut out = Vec::new();
        ber::tlv(&mut out, ber::SEQUENCE, &body);
        out
    }

    #[test]
    fn one_buffer_request_encoding_matches_the_nested_one() {
        let oid = |s: &str| s.parse::<Oid>().expect("oid");
        let sets: Vec<Vec<Oid>> = vec![
            vec![],
            vec![oid("1.0")],
            vec![oid("1.3.6.1.2.1.1.1.0")],
            vec![oid("2.999.4294967295.128.16383.16384"), oid("1.3.6.1.4.1.2021.10.1.3.1")],
            // Lists past 127, 255 and 65,535 bytes (one, two, three length bytes).
            (0..20).map(|i| oid(&format!("1.3.6.1.2.1.2.2.1.{i}.1"))).collect(),
            (0..300).map(|i| oid(&format!("1.3.6.1.2.1.31.1.1.1.{i}.{}", i * 1000))).collect(),
            (0..5000).map(|i| oid(&format!("1.3.6.1.4.1.{i}.1.2.3.4.5.6.7.8"))).collect(),
        ];
        for oids in &sets {
            for (tag, id, nr, mr) in
                [(GET, 1, 0, 0), (GET_NEXT, i32::MAX, 0, 0), (GET_BULK, -5, 3, u32::MAX), (GET, 0x7f, 0x80, 0xff)]
            {
                let p = RequestPdu { tag, request_id: id, non_repeaters: nr, max_repetitions: mr, oids };
                for version in [WireVersion::V1, WireVersion::V2c] {
                    let mut out = vec![0xee];
                    encode_community(&mut out, version, b"public", &p);
                    assert_eq!(out.get(1..), Some(&reference(version, b"public", &p)[..]), "{} oids", oids.len());
                    let Ok(Message::Community { pdu, .. }) = decode_message(&out[1..]) else { panic!("decodes") };
                    assert_eq!(pdu.varbinds.len(), oids.len());
                }
            }
        }
    }
}
