//! The NTPv4 packet (RFC 5905 7.3): a 48-byte header, extension fields and
//! MAC ignored. Only client (mode 3) requests are built and only server
//! (mode 4) replies accepted.

use meridian_core::ntp::{Leap, NtpTimestamp, ReferenceId};

pub const HEADER_LEN: usize = 48;
const MODE_CLIENT: u8 = 3;
const MODE_SERVER: u8 = 4;

/// Bytes that are not a usable NTP server reply; every variant names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NtpDecodeError {
    #[error("{0} byte(s), an NTP header needs 48")]
    Short(usize),

    #[error("mode {0} is not a server reply (4)")]
    WrongMode(u8),

    #[error("version {0} is not 3 or 4")]
    Version(u8),

    #[error("{0} timestamp is zero")]
    ZeroTimestamp(&'static str),

    /// The reply's origin timestamp is not our transmit timestamp: a late
    /// reply to an earlier query, or a forged one.
    #[error("origin timestamp does not echo our transmit timestamp")]
    OriginMismatch,

    /// Stratum 0 with a kiss code (RATE, DENY, RSTR, ...): the server refuses.
    #[error("kiss-o'-death {0:?}")]
    Kiss(String),
}

impl NtpDecodeError {
    /// A stable name per variant, for [`crate::DecodeCounters`].
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Short(_) => "short",
            Self::WrongMode(_) => "wrong_mode",
            Self::Version(_) => "version",
            Self::ZeroTimestamp(_) => "zero_timestamp",
            Self::OriginMismatch => "origin_mismatch",
            Self::Kiss(_) => "kiss",
        }
    }
}

/// A mode-3 request carrying `transmit` (the server echoes it as origin).
pub fn request(transmit: NtpTimestamp) -> [u8; HEADER_LEN] {
    let mut p = [0u8; HEADER_LEN];
    p[0] = (4 << 3) | MODE_CLIENT; // LI 0, VN 4
    p[40..48].copy_from_slice(&transmit.0.to_be_bytes());
    p
}

/// The fields of a server reply Meridian reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub leap: Leap,
    pub version: u8,
    pub stratum: u8,
    pub poll: i8,
    pub precision: i8,
    pub root_delay_s: f64,
    pub root_dispersion_s: f64,
    pub reference_id: ReferenceId,
    pub reference: NtpTimestamp,
    pub origin: NtpTimestamp,
    pub receive: NtpTimestamp,
    pub transmit: NtpTimestamp,
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn ts_at(b: &[u8], at: usize) -> NtpTimestamp {
    NtpTimestamp((u64::from(u32_at(b, at)) << 32) | u64::from(u32_at(b, at + 4)))
}

/// NTP short format: 16.16 fixed point seconds.
fn short_s(v: u32) -> f64 {
    f64::from(v) / 65_536.0
}

/// Reads a reply. `sent` is the transmit timestamp of our request: the
/// reply must echo it. Never panics: the length is checked first.
pub fn decode_reply(bytes: &[u8], sent: NtpTimestamp) -> Result<Reply, NtpDecodeError> {
    if bytes.len() < HEADER_LEN {
        return Err(NtpDecodeError::Short(bytes.len()));
    }
    let (li, version, mode) = (bytes[0] >> 6, (bytes[0] >> 3) & 7, bytes[0] & 7);
    if mode != MODE_SERVER {
        return Err(NtpDecodeError::WrongMode(mode));
    }
    if !(3..=4).contains(&version) {
        return Err(NtpDecodeError::Version(version));
    }
    let stratum = bytes[1];
    let raw_ref = u32_at(bytes, 12);
    if stratum == 0 {
        let code: String =
            raw_ref.to_be_bytes().iter().map(|c| char::from(*c)).filter(|c| c.is_ascii_graphic()).collect();
        return Err(NtpDecodeError::Kiss(code));
    }
    let reply = Reply {
        leap: Leap::from_bits(li),
        version,
        stratum,
        poll: bytes[2] as i8,
        precision: bytes[3] as i8,
        root_delay_s: short_s(u32_at(bytes, 4)),
        root_dispersion_s: short_s(u32_at(bytes, 8)),
        reference_id: ReferenceId { raw: raw_ref, stratum },
        reference: ts_at(bytes, 16),
        origin: ts_at(bytes, 24),
        receive: ts_at(bytes, 32),
        transmit: ts_at(bytes, 40),
    };
    for (name, t) in [("origin", reply.origin), ("receive", reply.receive), ("transmit", reply.transmit)] {
        if t.is_zero() {
            return Err(NtpDecodeError::ZeroTimestamp(name));
        }
    }
    if reply.origin != sent {
        return Err(NtpDecodeError::OriginMismatch);
    }
    Ok(reply)
}
