//! Why a management message from the wire was rejected, and how often.

use std::sync::atomic::{AtomicU64, Ordering};

/// Bytes that are not a well-formed IEEE 1588 management message. Every
/// variant names the field, so a capture can be checked against the standard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PtpDecodeError {
    #[error("truncated at {field}: need {need} byte(s), {have} left")]
    Truncated { field: &'static str, need: usize, have: usize },

    #[error("messageType {0:#x} is not a management message (0xd)")]
    NotManagement(u8),

    #[error("versionPTP {0} is not 2")]
    Version(u8),

    #[error("messageLength {declared} does not fit the {actual}-byte datagram")]
    MessageLength { declared: usize, actual: usize },

    #[error("TLV {tlv_type:#06x} declares {declared} byte(s) but {remaining} remain")]
    TlvLength { tlv_type: u16, declared: usize, remaining: usize },

    #[error("unknown TLV type {0:#06x} where a management TLV was expected")]
    UnknownTlv(u16),

    #[error("actionField {0} is not GET/SET/RESPONSE/COMMAND/ACKNOWLEDGE")]
    UnknownAction(u8),

    #[error("management TLV {id:#06x}: data of {got} byte(s), the data set needs {need}")]
    DatasetLength { id: u16, need: usize, got: usize },
}

impl PtpDecodeError {
    /// A stable index per variant, for [`DecodeCounters`].
    fn slot(&self) -> usize {
        match self {
            Self::Truncated { .. } => 0,
            Self::NotManagement(_) => 1,
            Self::Version(_) => 2,
            Self::MessageLength { .. } => 3,
            Self::TlvLength { .. } => 4,
            Self::UnknownTlv(_) => 5,
            Self::UnknownAction(_) => 6,
            Self::DatasetLength { .. } => 7,
        }
    }
}

const KINDS: [&str; 8] = [
    "truncated",
    "not_management",
    "version",
    "message_length",
    "tlv_length",
    "unknown_tlv",
    "unknown_action",
    "dataset_length",
];

/// Rejected datagrams per reason, shared by every request of a client (a
/// clock that keeps sending garbage shows up here, not as a crash).
#[derive(Debug, Default)]
pub struct DecodeCounters {
    counts: [AtomicU64; 8],
}

impl DecodeCounters {
    pub fn record(&self, e: &PtpDecodeError) {
        self.counts[e.slot()].fetch_add(1, Ordering::Relaxed);
    }

    /// (reason, count) for every reason, zeros included.
    pub fn snapshot(&self) -> Vec<(&'static str, u64)> {
        KINDS.iter().zip(&self.counts).map(|(k, c)| (*k, c.load(Ordering::Relaxed))).collect()
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }
}
