//! Syslog: the wire grammars (RFC 3164 and RFC 5424), TCP framing (RFC
//! 6587) and the UDP/TCP receiver. The parsers are pure functions of the
//! bytes and the receive time; whatever arrives, they return a message or
//! a [`SyslogDecodeError`] naming the field that failed, never a panic.

mod framing;
#[doc(hidden)]
pub mod invariants;
mod receiver;
mod rfc3164;
mod rfc5424;
mod text;
mod tls;

use chrono::{DateTime, Utc};
use meridian_core::syslog::{SyslogFormat, SyslogMessage};

pub use framing::{Frame, FrameDecoder, Framing, DEFAULT_MAX_MESSAGE};
pub use receiver::{record, ReceiverConfig, ReceiverCounters, SyslogReceiver, DEFAULT_SYSLOG_PORT};
pub use rfc3164::parse_3164;
pub use rfc5424::parse_5424;
pub use tls::{client_config, send_tls, server_config, DEFAULT_SYSLOG_TLS_PORT};

/// Why bytes are not a syslog message: the field (`pri`, `version`,
/// `timestamp`, `hostname`, `structured_data`, `frame`...) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct SyslogDecodeError {
    pub field: &'static str,
    pub reason: String,
}

impl SyslogDecodeError {
    pub(crate) fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self { field, reason: reason.into() }
    }

    /// A stable name per failing field, for [`crate::DecodeCounters`].
    pub fn kind(&self) -> &'static str {
        self.field
    }
}

/// Reads one message, choosing the grammar from what follows the PRI: `1 `
/// is RFC 5424's version, anything else is BSD syslog.
pub fn parse(bytes: &[u8], received: DateTime<Utc>) -> Result<(SyslogFormat, SyslogMessage), SyslogDecodeError> {
    let (_, rest) = parse_pri(bytes)?;
    if rest.first().is_some_and(u8::is_ascii_digit) && rfc5424::looks_versioned(rest) {
        Ok((SyslogFormat::Rfc5424, parse_5424(bytes)?))
    } else {
        Ok((SyslogFormat::Rfc3164, parse_3164(bytes, received)?))
    }
}

/// `<PRI>`: one to three digits, at most 191 (facility 23, severity 7).
pub(crate) fn parse_pri(bytes: &[u8]) -> Result<(u8, &[u8]), SyslogDecodeError> {
    let Some(rest) = bytes.strip_prefix(b"<") else {
        return Err(SyslogDecodeError::new("pri", "message does not start with '<'"));
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 3 {
        return Err(SyslogDecodeError::new("pri", "expected 1 to 3 digits after '<'"));
    }
    if rest.get(digits) != Some(&b'>') {
        return Err(SyslogDecodeError::new("pri", "expected '>' after the priority digits"));
    }
    let value = rest[..digits].iter().fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'));
    let pri = u8::try_from(value)
        .ok()
        .filter(|p| *p <= 191)
        .ok_or_else(|| SyslogDecodeError::new("pri", format!("{value} is above 191")))?;
    Ok((pri, &rest[digits + 1..]))
}

#[cfg(test)]
mod tests;
