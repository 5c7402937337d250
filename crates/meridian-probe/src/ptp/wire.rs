//! The IEEE 1588-2008 management message on the wire: the 34-byte common
//! header (13.3), the management body (15.4.1: targetPortIdentity,
//! boundary hops, actionField) and the first TLV, MANAGEMENT (15.5.2) or
//! MANAGEMENT_ERROR_STATUS (15.5.4). The data set inside a MANAGEMENT TLV is
//! read by `dataset.rs`. All fields are big-endian.

use meridian_core::ptp::{ClockIdentity, PortIdentity};

use super::error::PtpDecodeError;

/// messageType of a management message (13.3.2.2, Table 19).
pub const MESSAGE_TYPE_MANAGEMENT: u8 = 0xd;
/// controlField of a management message (13.3.2.13, Table 23).
const CONTROL_MANAGEMENT: u8 = 0x04;
/// logMessageInterval of a management message (13.3.2.14).
const LOG_INTERVAL_MANAGEMENT: u8 = 0x7f;
/// Common header plus management body.
pub const HEADER_LEN: usize = 34;
pub const BODY_LEN: usize = 14;

pub const TLV_MANAGEMENT: u16 = 0x0001;
pub const TLV_MANAGEMENT_ERROR_STATUS: u16 = 0x0002;

/// actionField (15.4.1.6, Table 38).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Get,
    Set,
    Response,
    Command,
    Acknowledge,
}

impl Action {
    fn from_u8(v: u8) -> Result<Self, PtpDecodeError> {
        Ok(match v {
            0 => Self::Get,
            1 => Self::Set,
            2 => Self::Response,
            3 => Self::Command,
            4 => Self::Acknowledge,
            other => return Err(PtpDecodeError::UnknownAction(other)),
        })
    }

    fn to_u8(self) -> u8 {
        match self {
            Self::Get => 0,
            Self::Set => 1,
            Self::Response => 2,
            Self::Command => 3,
            Self::Acknowledge => 4,
        }
    }
}

/// What follows the management body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// A MANAGEMENT TLV: managementId and its data field (raw; see `dataset.rs`).
    Management { id: u16, data: Vec<u8> },
    /// MANAGEMENT_ERROR_STATUS: the clock refused the request.
    Error { error_id: u16, id: u16, display: String },
}

/// One management message, request or reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub domain: u8,
    pub source: PortIdentity,
    pub sequence_id: u16,
    pub target: PortIdentity,
    pub starting_boundary_hops: u8,
    pub boundary_hops: u8,
    pub action: Action,
    /// flagField, octet 0 (bit 2 is unicastFlag).
    pub flags0: u8,
    pub payload: Payload,
}

/// flagField bit of a message sent unicast (13.3.2.6, Table 20).
pub const FLAG_UNICAST: u8 = 0x04;

impl Message {
    /// The bytes on the wire. A data field of odd length gets the pad byte
    /// 15.5.2.2 asks for.
    pub fn encode(&self) -> Vec<u8> {
        let mut tlv = Vec::new();
        match &self.payload {
            Payload::Management { id, data } => {
                let pad = data.len() % 2;
                tlv.extend_from_slice(&TLV_MANAGEMENT.to_be_bytes());
                tlv.extend_from_slice(&((2 + data.len() + pad) as u16).to_be_bytes());
                tlv.extend_from_slice(&id.to_be_bytes());
                tlv.extend_from_slice(data);
                tlv.resize(tlv.len() + pad, 0);
            }
            Payload::Error { error_id, id, display } => {
                let text = encode_text(display);
                let pad = text.len() % 2;
                tlv.extend_from_slice(&TLV_MANAGEMENT_ERROR_STATUS.to_be_bytes());
                tlv.extend_from_slice(&((8 + text.len() + pad) as u16).to_be_bytes());
                tlv.extend_from_slice(&error_id.to_be_bytes());
                tlv.extend_from_slice(&id.to_be_bytes());
                tlv.extend_from_slice(&[0; 4]);
                tlv.extend_from_slice(&text);
                tlv.resize(tlv.len() + pad, 0);
            }
        }
        let len = HEADER_LEN + BODY_LEN + tlv.len();
        let mut out = Vec::with_capacity(len);
        out.push(MESSAGE_TYPE_MANAGEMENT);
        out.push(2);
        out.extend_from_slice(&(len as u16).to_be_bytes());
        out.push(self.domain);
        out.push(0);
        out.extend_from_slice(&[self.flags0, 0]);
        out.extend_from_slice(&[0; 8]); // correctionField
        out.extend_from_slice(&[0; 4]);
        put_port(&mut out, &self.source);
        out.extend_from_slice(&self.sequence_id.to_be_bytes());
        out.push(CONTROL_MANAGEMENT);
        out.push(LOG_INTERVAL_MANAGEMENT);
        put_port(&mut out, &self.target);
        out.push(self.starting_boundary_hops);
        out.push(self.boundary_hops);
        out.push(self.action.to_u8());
        out.push(0);
        out.extend_from_slice(&tlv);
        out
    }

    /// Reads one datagram. Never panics: every length is checked against
    /// what is left before it is used.
    pub fn decode(bytes: &[u8]) -> Result<Self, PtpDecodeError> {
        let mut r = Reader::new(bytes);
        let first = r.u8("messageType")?;
        if first & 0x0f != MESSAGE_TYPE_MANAGEMENT {
            return Err(PtpDecodeError::NotManagement(first & 0x0f));
        }
        let version = r.u8("versionPTP")? & 0x0f;
        if version != 2 {
            return Err(PtpDecodeError::Version(version));
        }
        let declared = usize::from(r.u16("messageLength")?);
        if declared > bytes.len() || declared < HEADER_LEN + BODY_LEN {
            return Err(PtpDecodeError::MessageLength { declared, actual: bytes.len() });
        }
        // Bytes past messageLength (Ethernet padding) are not ours to read.
        let mut r = Reader::new(&bytes[..declared]);
        r.skip(4, "header")?;
        let domain = r.u8("domainNumber")?;
        r.skip(1, "reserved")?;
        let flags0 = r.u8("flagField")?;
        r.skip(1 + 8 + 4, "correctionField")?;
        let source = r.port("sourcePortIdentity")?;
        let sequence_id = r.u16("sequenceId")?;
        r.skip(2, "controlField")?;
        let target = r.port("targetPortIdentity")?;
        let starting_boundary_hops = r.u8("startingBoundaryHops")?;
        let boundary_hops = r.u8("boundaryHops")?;
        let action = Action::from_u8(r.u8("actionField")? & 0x0f)?;
        r.skip(1, "reserved")?;
        let payload = read_tlvs(&mut r)?;
        Ok(Self { domain, source, sequence_id, target, starting_boundary_hops, boundary_hops, action, flags0, payload })
    }
}

/// The first TLV must be MANAGEMENT or MANAGEMENT_ERROR_STATUS; any TLVs
/// after it are walked only to prove their lengths hold.
fn read_tlvs(r: &mut Reader<'_>) -> Result<Payload, PtpDecodeError> {
    let (tlv_type, value) = r.tlv()?;
    let mut v = Reader::new(value);
    let payload = match tlv_type {
        TLV_MANAGEMENT => {
            let id = v.u16("managementId")?;
            Payload::Management { id, data: v.rest().to_vec() }
        }
        TLV_MANAGEMENT_ERROR_STATUS => {
            let error_id = v.u16("managementErrorId")?;
            let id = v.u16("managementId")?;
            v.skip(4, "reserved")?;
            let display = if v.remaining() == 0 { String::new() } else { v.text("displayData")? };
            Payload::Error { error_id, id, display }
        }
        other => return Err(PtpDecodeError::UnknownTlv(other)),
    };
    while r.remaining() > 0 {
        r.tlv()?;
    }
    Ok(payload)
}

fn put_port(out: &mut Vec<u8>, p: &PortIdentity) {
    out.extend_from_slice(&p.clock.0);
    out.extend_from_slice(&p.port.to_be_bytes());
}

/// What a PTPText (5.3.9) can hold of `s`: at most 255 bytes, cut on a
/// character boundary so that the text stays UTF-8.
fn ptp_text_prefix(s: &str) -> &str {
    let mut end = s.len().min(255);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A PTPText: a length octet and UTF-8 text.
fn encode_text(s: &str) -> Vec<u8> {
    let bytes = ptp_text_prefix(s).as_bytes();
    let mut out = vec![bytes.len() as u8];
    out.extend_from_slice(bytes);
    out
}

/// A bounds-checked cursor; every read names its field for the error.
pub(super) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    pub(super) fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub(super) fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], PtpDecodeError> {
        let have = self.remaining();
        if n > have {
            return Err(PtpDecodeError::Truncated { field, need: n, have });
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    pub(super) fn skip(&mut self, n: usize, field: &'static str) -> Result<(), PtpDecodeError> {
        self.take(n, field).map(|_| ())
    }

    pub(super) fn rest(&mut self) -> &'a [u8] {
        let out = &self.buf[self.pos..];
        self.pos = self.buf.len();
        out
    }

    pub(super) fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], PtpDecodeError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N, field)?);
        Ok(out)
    }

    pub(super) fn u8(&mut self, field: &'static str) -> Result<u8, PtpDecodeError> {
        Ok(self.array::<1>(field)?[0])
    }

    pub(super) fn i8(&mut self, field: &'static str) -> Result<i8, PtpDecodeError> {
        Ok(i8::from_be_bytes(self.array(field)?))
    }

    pub(super) fn u16(&mut self, field: &'static str) -> Result<u16, PtpDecodeError> {
        Ok(u16::from_be_bytes(self.array(field)?))
    }

    pub(super) fn i32(&mut self, field: &'static str) -> Result<i32, PtpDecodeError> {
        Ok(i32::from_be_bytes(self.array(field)?))
    }

    pub(super) fn i64(&mut self, field: &'static str) -> Result<i64, PtpDecodeError> {
        Ok(i64::from_be_bytes(self.array(field)?))
    }

    pub(super) fn u64(&mut self, field: &'static str) -> Result<u64, PtpDecodeError> {
        Ok(u64::from_be_bytes(self.array(field)?))
    }

    pub(super) fn clock(&mut self, field: &'static str) -> Result<ClockIdentity, PtpDecodeError> {
        Ok(ClockIdentity(self.array(field)?))
    }

    pub(super) fn port(&mut self, field: &'static str) -> Result<PortIdentity, PtpDecodeError> {
        let clock = self.clock(field)?;
        let port = self.u16(field)?;
        Ok(PortIdentity { clock, port })
    }

    /// A PTPText: lossy UTF-8, since it is only shown to people, and no
    /// longer than a PTPText holds (each invalid byte became a 3-byte
    /// U+FFFD), so that it encodes again unchanged.
    fn text(&mut self, field: &'static str) -> Result<String, PtpDecodeError> {
        let n = usize::from(self.u8(field)?);
        Ok(ptp_text_prefix(&String::from_utf8_lossy(self.take(n, field)?)).to_owned())
    }

    /// A TLV header and its value; the declared length must fit and be even
    /// (14.1.1: a TLV is an even number of octets, which is why a data field
    /// carries a pad byte). An odd one would lose or gain that pad byte when
    /// the message is encoded again.
    fn tlv(&mut self) -> Result<(u16, &'a [u8]), PtpDecodeError> {
        let tlv_type = self.u16("tlvType")?;
        let declared = usize::from(self.u16("lengthField")?);
        if declared % 2 != 0 {
            return Err(PtpDecodeError::TlvOddLength { tlv_type, declared });
        }
        let remaining = self.remaining();
        if declared > remaining {
            return Err(PtpDecodeError::TlvLength { tlv_type, declared, remaining });
        }
        Ok((tlv_type, self.take(declared, "tlv value")?))
    }
}
