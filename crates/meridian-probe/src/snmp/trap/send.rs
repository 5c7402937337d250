//! Sending notifications (northbound forwarding): an SNMPv2-Trap with the
//! two varbinds RFC 3416 4.2.6 puts first, encoded by the poller's codec,
//! in a v2c community message or a v3 USM message sent as our own engine.

use std::net::SocketAddr;

use tokio::net::UdpSocket;

use meridian_core::credential::UsmUser;

use super::super::oid::Oid;
use super::super::pdu::{encode_community_pdu, encode_pdu, Pdu, WireVersion, TRAP_V2};
use super::super::usm::{encode_v3_with, LocalKeys, V3Head};
use super::super::value::{Value, VarBind};
use super::authority::LocalEngine;
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
    let pdu = trap_pdu(request_id, uptime_ticks, trap_oid, varbinds)?;
    Ok(encode_community_pdu(WireVersion::V2c, community, &pdu))
}

/// The datagram of one SNMPv3 SNMPv2-Trap from `user`. The sender of a
/// trap is the authoritative engine (RFC 3414 1.5.1): `engine` is ours, and
/// a receiver keys the user to our engine id (`createUser -e`). The keys are
/// localised per call, a 1 MB hash: fine at the rate alarms change.
pub fn v3_trap(
    user: &UsmUser,
    engine: &LocalEngine,
    salt: u64,
    request_id: i32,
    trap_oid: &Oid,
    varbinds: Vec<VarBind>,
) -> Result<Vec<u8>, ProbeError> {
    let params = engine.params();
    let uptime = params.time.saturating_mul(100);
    let pdu = trap_pdu(request_id, uptime, trap_oid, varbinds)?;
    let keys = LocalKeys::localize(user, &params.engine_id);
    let head = V3Head {
        msg_id: request_id,
        reportable: false,
        user: user.user.as_bytes(),
        engine: &params,
        context_engine_id: &params.engine_id,
        context_name: b"",
    };
    let mut out = Vec::with_capacity(256);
    encode_v3_with(&mut out, &head, &keys, salt, |b| encode_pdu(b, &pdu))
        .map_err(|e| ProbeError::Encode(format!("the v3 trap: {e}")))?;
    Ok(out)
}

fn trap_pdu(request_id: i32, uptime_ticks: u32, trap_oid: &Oid, varbinds: Vec<VarBind>) -> Result<Pdu, ProbeError> {
    let mut all = Vec::with_capacity(varbinds.len() + 2);
    all.push(VarBind { oid: Oid::from_arcs(SYS_UPTIME_0)?, value: Value::TimeTicks(uptime_ticks) });
    all.push(VarBind { oid: Oid::from_arcs(SNMP_TRAP_OID_0)?, value: Value::Oid(trap_oid.clone()) });
    all.extend(varbinds);
    Ok(Pdu { tag: TRAP_V2, request_id, error_status: 0, error_index: 0, varbinds: all })
}

/// Sends one datagram from an ephemeral port. A trap is unacknowledged:
/// success means the kernel took it, which is all SNMP promises.
pub async fn send_datagram(to: SocketAddr, bytes: &[u8]) -> Result<(), ProbeError> {
    let local: SocketAddr = if to.is_ipv4() { ([0, 0, 0, 0], 0).into() } else { ([0u16; 8], 0).into() };
    let socket = UdpSocket::bind(local).await?;
    socket.send_to(bytes, to).await?;
    Ok(())
}
