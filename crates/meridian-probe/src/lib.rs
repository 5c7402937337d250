//! Meridian's network I/O. Engines share a few sockets across all targets
//! (one ICMP socket per address family; a small pool of UDP sockets for
//! SNMP, replies matched by request id) and return typed errors, never panics,
//! whatever arrives on the wire.

mod decode_counters;
mod error;
pub mod icmp;
mod listen;
pub mod mib;
pub mod ntp;
pub mod ptp;
mod retry;
pub mod snmp;
pub mod syslog;

pub use decode_counters::DecodeCounters;
pub use error::ProbeError;
pub use listen::bind_error;
pub use retry::RetryPolicy;
