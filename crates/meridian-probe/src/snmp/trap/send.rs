//! Sending notifications (northbound forwarding): an SNMPv2-Trap with the
//! two varbinds RFC 3416 4.2.6 puts first, encoded by the poller's codec.

use std::net::SocketAddr;

use tokio::net::UdpSocket;

use super::super::oid::Oid;
use super::super::pdu::{encode_community_pdu, Pdu, WireVersion, TRAP_V2};
use super::super::value::{Value, VarBind};
use crate::error::ProbeError;

/// sysUpTime.0 and snmpTrapOID.0, the first two varbinds of every v2 notification.
const SYS_UPTIME_0: [u32; 9] = [1, 3, 6, 1, 2, 1, 1, 3, 0];
const SNMP_TRAP_OID_0: [u32; 11] = [1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0];

/// The datagram of one v2c SNMPv2-Trap.
pub fn v2c_trap(
    community: &[u8],
    request_id: i32,
    uptime_ticks: u32,
    trap_oid: &Oid,
    varbinds: Vec<VarBind>,
) -> Result<Vec<u8>, ProbeError> {
    let mut all = Vec::with_capacity(varbinds.len() + 2);
    all.push(VarBind { oid: Oid::from_arcs(SYS_UPTIME_0)?, value: Value::TimeTicks(uptime_ticks) });
    all.push(VarBind { oid: Oid::from_arcs(SNMP_TRAP_OID_0)?, value: Value::Oid(trap_oid.clone()) });
    all.extend(varbinds);
    let pdu = Pdu { tag: TRAP_V2, request_id, error_status: 0, error_index: 0, varbinds: all };
    Ok(encode_community_pdu(WireVersion::V2c, community, &pdu))
}

/// Sends one datagram from an ephemeral port. A trap is unacknowledged:
/// success means the kernel took it, which is all SNMP promises.
pub async fn send_datagram(to: SocketAddr, bytes: &[u8]) -> Result<(), ProbeError> {
    let local: SocketAddr = if to.is_ipv4() { ([0, 0, 0, 0], 0).into() } else { ([0u16; 8], 0).into() };
    let socket = UdpSocket::bind(local).await?;
    socket.send_to(bytes, to).await?;
    Ok(())
}
