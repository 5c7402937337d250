//! PTP monitoring through LinuxPTP's management protocol (IEEE 1588-2008
//! clause 15): our own codec (no usable crate exists), two transports (the
//! UNIX datagram socket of a local `ptp4l`, UDP port 320 for remote clocks)
//! and a client with timeouts and bounded retries.

mod client;
mod dataset;
mod error;
mod transport;
mod wire;

pub use crate::RetryPolicy;
pub use client::{PtpClient, PtpManagementClient};
pub use dataset::{subscribe_events_data, Dataset, FromDataset, ManagementId, EVENT_BITMASK_LEN};
pub use error::PtpDecodeError;
pub use meridian_core::ptp::PtpSnapshot;
pub use transport::{
    AnyTransport, PtpEndpoint, Transport, UdpTransport, UnixTransport, PTP_GENERAL_PORT, PTP_PRIMARY_MULTICAST,
};
pub use wire::{Action, Message, Payload, FLAG_UNICAST, TLV_MANAGEMENT, TLV_MANAGEMENT_ERROR_STATUS};

/// Decodes a whole message: the message and, for a MANAGEMENT TLV that
/// carries a value (anything but a GET, whose data field is a placeholder
/// of any size), its data set. The fuzz target and the corpus test call
/// exactly this.
pub fn decode_reply(bytes: &[u8]) -> Result<(Message, Option<Dataset>), PtpDecodeError> {
    let msg = Message::decode(bytes)?;
    let ds = match &msg.payload {
        Payload::Management { .. } if msg.action == Action::Get => None,
        Payload::Management { id, data } => Some(Dataset::decode(*id, data)?),
        Payload::Error { .. } => None,
    };
    Ok((msg, ds))
}

/// managementErrorId names (15.5.4.1.4, Table 72).
pub fn management_error_name(code: u16) -> &'static str {
    match code {
        0x0001 => "RESPONSE_TOO_BIG",
        0x0002 => "NO_SUCH_ID",
        0x0003 => "WRONG_LENGTH",
        0x0004 => "WRONG_VALUE",
        0x0005 => "NOT_SETABLE",
        0x0006 => "NOT_SUPPORTED",
        0xfffe => "GENERAL_ERROR",
        _ => "unknown error",
    }
}

#[cfg(test)]
mod tests;
