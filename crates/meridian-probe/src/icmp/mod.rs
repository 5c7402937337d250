//! ICMP engine: echo requests over one shared socket per address family.
//!
//! - [`engine`]: [`IcmpEngine`], per-target runs (interval, count, timeout,
//!   payload size) with RTT min/avg/max, jitter and loss.
//! - [`echo`]: echo request/reply bytes for the sweep (pure, fuzzed).
//! - [`sweep`]: liveness sweeps of up to 65,536 addresses (more with `force`)
//!   with bounded concurrency and streaming progress.
//! - [`privilege`]: the pure raw-vs-datagram socket decision and the
//!   permission error that names the fix.
//! - [`stats`]: the pure summary of a run's RTTs.
//! - [`targets`]: CIDR and address-list parsing with typed errors.
//! - `tune` (Linux): receive/send buffers and a BPF filter on the shared
//!   sockets, which a 65k-target sweep needs to lose no replies.
//!
//! Split this way so everything that can be decided without a socket (mode,
//! statistics, target expansion) is a pure, unit-tested function, and the
//! socket code stays small.

pub mod echo;
pub mod engine;
pub mod privilege;
pub mod stats;
pub mod sweep;
#[cfg(target_os = "linux")]
mod sweep_linux;
pub mod targets;
#[cfg(target_os = "linux")]
mod tune;

pub use engine::{EngineOptions, IcmpEngine, PingConfig, PingReport, MAX_PAYLOAD};
pub use privilege::{decide_mode, Credentials, SocketMode, PERMISSION_FIX};
pub use stats::{summarize, PingStats};
pub use sweep::{SweepOptions, SweepProgress, SweepReport};
pub use targets::{
    expand, expand_targets, parse_target_list, Block, Cidr, RangeErrorKind, DEFAULT_MAX_TARGETS, HARD_MAX_TARGETS,
};
