//! The SNMP notification receiver: v1 Trap-PDUs, v2c SNMPv2-Traps and
//! InformRequests, and v3 traps and informs under USM, decoded by the same
//! codec as the poller's (`ber`, `pdu`, `usm`).
//!
//! - [`notification`]: PDUs into one v2 form ([`Notification`]).
//! - [`authority`]: one datagram in, a [`Verdict`] and an optional reply
//!   out, with Meridian as the authoritative engine for informs.
//! - [`receiver`]: the UDP socket, duplicate informs, counters.

mod authority;
mod notification;
mod receiver;
mod send;

pub use authority::{
    new_engine_id, AuthFailure, Authority, Handled, LocalEngine, Received, Security, TrapAuth, TrapUser, Verdict,
    TIME_WINDOW_SECS,
};
pub use notification::{
    from_v2_pdu, Notification, NotificationKind, SNMP_TRAPS, SNMP_TRAP_ADDRESS_0, SNMP_TRAP_ENTERPRISE_0,
    SNMP_TRAP_OID_0, SYS_UPTIME_0,
};
pub use receiver::{ReceiverConfig, ReceiverStats, TrapItem, TrapReceiver};
pub use send::{send_datagram, v2c_trap, v3_trap};

#[cfg(test)]
mod tests;
