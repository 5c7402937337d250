//! Binding a receiver's socket (syslog, SNMP traps): one error for a port
//! that cannot be had, naming the fixes when it is the privileged-port rule.

use std::io;
use std::net::SocketAddr;

use crate::ProbeError;

/// A bind failure of the listener `what` ("syslog UDP", "SNMP traps") on
/// `addr`. Permission denied names the three fixes, `other_port` saying how
/// to choose another port; anything else (address in use, no such
/// address) is [`ProbeError::Bind`] with the OS error.
pub fn bind_error(what: &str, addr: SocketAddr, e: io::Error, other_port: &str) -> ProbeError {
    if e.kind() == io::ErrorKind::PermissionDenied {
        ProbeError::Permission(format!(
            "cannot listen for {what} on {addr}: permission denied. Ports below 1024 need privileges: \
             grant the binary CAP_NET_BIND_SERVICE (setcap cap_net_bind_service=+ep PATH), or lower \
             sysctl net.ipv4.ip_unprivileged_port_start to {port} or below, or use another port ({other_port})",
            port = addr.port()
        ))
    } else {
        ProbeError::Bind { what: what.to_owned(), addr, source: e }
    }
}
