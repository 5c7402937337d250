//! Why a management message from the wire was rejected.

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

    #[error("TLV {tlv_type:#06x} declares an odd length {declared}; a TLV is an even number of octets")]
    TlvOddLength { tlv_type: u16, declared: usize },

    #[error("unknown TLV type {0:#06x} where a management TLV was expected")]
    UnknownTlv(u16),

    #[error("actionField {0} is not GET/SET/RESPONSE/COMMAND/ACKNOWLEDGE")]
    UnknownAction(u8),

    #[error("management TLV {id:#06x}: data of {got} byte(s), the data set needs {need}")]
    DatasetLength { id: u16, need: usize, got: usize },
}

impl PtpDecodeError {
    /// A stable name per variant, for [`crate::DecodeCounters`].
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Truncated { .. } => "truncated",
            Self::NotManagement(_) => "not_management",
            Self::Version(_) => "version",
            Self::MessageLength { .. } => "message_length",
            Self::TlvLength { .. } => "tlv_length",
            Self::TlvOddLength { .. } => "tlv_odd_length",
            Self::UnknownTlv(_) => "unknown_tlv",
            Self::UnknownAction(_) => "unknown_action",
            Self::DatasetLength { .. } => "dataset_length",
        }
    }
}
