//! Diagnostic use cases: ping, sweep, SNMP get and walk, one PTP or NTP query.
//!
//! Apart from the device ping and walk in `device.rs` (which read the
//! device and its credential from the store), they need no data directory
//! and no [`crate::App`]: each call opens its own
//! probe engine, so `meridian ping` works while the desktop app or
//! `meridian monitor` holds the store. Every input is checked (by core's
//! [`meridian_core::validate::diag`], and the probe's parsers for ranges and
//! OIDs) before a packet leaves, so a typo gives a field error (`address`,
//! `range`, `oid`, `target`, `community`, `authProto`, ...) and sends
//! nothing. Errors from the probe engines are mapped by
//! `crate::error::probe_error`.

mod clock;
mod device;
mod ping;
mod snmp;
mod sweep;

pub(crate) use clock::open_ptp;
pub use clock::{ntp_query, ptp_query};
pub use device::{DeviceWalk, WALK_MAX_ROWS};
pub use meridian_core::inventory::SNMP_PORT;
pub use meridian_core::ntp::NtpReading;
pub use meridian_core::ptp::PtpSnapshot;
pub use meridian_core::validate::diag::{
    parse_target, snmp_credential, PingOptions, SnmpCredentialInput, SnmpOptions, SweepOptions, MAX_RETRIES,
    MAX_WAIT_MS, PING_MAX_ADDRESSES, PING_MAX_COUNT, SWEEP_MAX_CONCURRENCY,
};
pub use ping::{ping, plan_ping, PingResult};
pub use snmp::{parse_oid, snmp_get, snmp_walk, VarBindView};
pub use sweep::{plan_sweep, sweep, SweepProgress, SweepResult};
