use std::time::Duration;

/// The one error type of the probe crate. Messages name the fix where there
/// is one (a sysctl, a capability, a credential).
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("invalid target: {0}")]
    InvalidTarget(String),

    #[error("{0}")]
    Permission(String),

    #[error("no reply within {0:?}")]
    Timeout(Duration),

    #[error("cancelled")]
    Cancelled,

    #[error("malformed packet: {0}")]
    Malformed(String),
    /// A message we build could not be encoded (keys unusable for the
    /// protocol, say): a bug or a bad credential, never outside input.
    #[error("encoding: {0}")]
    Encode(String),

    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),

    /// A listener could not bind (address in use, no such address).
    #[error("cannot listen for {what} on {addr}: {source}")]
    Bind {
        what: String,
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
    /// A TLS certificate chain or private key that cannot be used (a listener's).
    #[error("TLS {what}: {detail}")]
    Tls { what: &'static str, detail: String },

    // ---- ICMP: target lists, sweeps and echo ----
    /// A target list, address or CIDR that does not parse (`10.0.0.0/33`, `1.2.3`, `::1/129`).
    #[error("invalid address range {input:?}: {kind}")]
    InvalidRange { input: String, kind: crate::icmp::RangeErrorKind },

    /// A sweep larger than the safety limit; `force` lifts the soft limit (never the hard one).
    #[error("{count} addresses requested, more than the limit of {limit}; narrow the range or set force")]
    RangeTooLarge { count: u128, limit: u128 },

    /// An ICMP send or receive failed for a reason other than a timeout.
    #[error("ICMP to {target}: {source}")]
    Icmp {
        target: std::net::IpAddr,
        #[source]
        source: surge_ping::SurgeError,
    },

    // ---- SNMP: OIDs, the wire format, USM and agents' errors ----
    #[error("invalid OID '{input}': {reason}")]
    InvalidOid { input: String, reason: &'static str },

    /// Bytes from the wire that are not a well-formed SNMP message.
    #[error("SNMP decode: {0}")]
    SnmpDecode(#[from] crate::snmp::DecodeError),

    #[error("SNMP {target}: no reply after {attempts} attempt(s) of {timeout:?} each (wrong community or credentials, or agent down)")]
    SnmpTimeout { target: std::net::SocketAddr, attempts: u32, timeout: Duration },

    #[error("SNMP {target}: agent answered {status} (error-status {code}) at varbind index {index}")]
    SnmpErrorStatus { target: std::net::SocketAddr, status: &'static str, code: u32, index: u32 },

    #[error("SNMP walk of {root} at {target}: agent returned {next} after {prev}; OIDs must increase (agent loop)")]
    SnmpOidNotIncreasing { target: std::net::SocketAddr, root: String, prev: String, next: String },

    #[error("SNMP {target}: even a single varbind is tooBig for the agent")]
    SnmpTooBig { target: std::net::SocketAddr },

    #[error("SNMPv3 {target}: agent reported {report}")]
    SnmpUsm { target: std::net::SocketAddr, report: crate::snmp::UsmReport },

    #[error("SNMP {target}: {detail}")]
    SnmpProtocol { target: std::net::SocketAddr, detail: String },

    // ---- PTP management protocol ----
    /// Bytes from a clock that are not a well-formed management message.
    #[error("PTP decode: {0}")]
    PtpDecode(#[from] crate::ptp::PtpDecodeError),

    #[error("PTP {peer}: no reply after {attempts} attempt(s) of {timeout:?} each (ptp4l down, wrong socket path or domain)")]
    PtpTimeout { peer: String, attempts: u32, timeout: Duration },

    /// The clock answered MANAGEMENT_ERROR_STATUS.
    #[error("PTP {peer}: managementId {id:#06x} refused with {name} ({code:#06x}) {display}")]
    PtpManagementError { peer: String, id: u16, code: u16, name: &'static str, display: String },

    #[error("PTP {peer}: {detail}")]
    PtpProtocol { peer: String, detail: String },

    /// The request could not even be sent: no socket at that path (ptp4l
    /// not running, or another `uds_address`), or no route to the clock.
    #[error("PTP {peer}: cannot send ({source}); is ptp4l running there?")]
    PtpUnavailable {
        peer: String,
        #[source]
        source: std::io::Error,
    },

    // ---- NTP ----
    /// A reply that is not a usable NTP server reply.
    #[error("NTP decode: {0}")]
    NtpDecode(#[from] crate::ntp::NtpDecodeError),

    #[error("NTP {server}: no reply after {attempts} attempt(s) of {timeout:?} each (server down or unreachable)")]
    NtpTimeout { server: std::net::SocketAddr, attempts: u32, timeout: Duration },
}
