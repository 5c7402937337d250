//! Notifications as they arrive: SNMPv1 Trap-PDUs, SNMPv2-Trap and
//! InformRequest PDUs, all turned into one v2 form (RFC 3584 3.1), so the
//! rest of Meridian sees one shape whatever the version.

use std::net::Ipv4Addr;

use super::super::ber::{self, DecodeError, Reader};
use super::super::oid::Oid;
use super::super::pdu::{decode_pdu, Pdu, INFORM, TRAP_V1, TRAP_V2};
use super::super::value::{decode_varbinds, Value, VarBind};

/// sysUpTime.0, the first varbind of every v2 notification.
pub const SYS_UPTIME_0: [u32; 9] = [1, 3, 6, 1, 2, 1, 1, 3, 0];
/// snmpTrapOID.0, the second.
pub const SNMP_TRAP_OID_0: [u32; 11] = [1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0];
/// snmpTraps: the generic traps are its children 1 to 6 (coldStart .. egpNeighborLoss).
pub const SNMP_TRAPS: [u32; 9] = [1, 3, 6, 1, 6, 3, 1, 1, 5];
/// snmpTrapAddress.0 (RFC 3584): the v1 agent-addr, appended on translation.
pub const SNMP_TRAP_ADDRESS_0: [u32; 10] = [1, 3, 6, 1, 6, 3, 18, 1, 3, 0];
/// snmpTrapEnterprise.0: the v1 enterprise, appended on translation.
pub const SNMP_TRAP_ENTERPRISE_0: [u32; 11] = [1, 3, 6, 1, 6, 3, 1, 1, 4, 3, 0];

/// Which PDU carried the notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    TrapV1,
    TrapV2,
    Inform,
}

/// A notification in its v2 form: `varbinds` starts with sysUpTime.0 and
/// snmpTrapOID.0 (for a v1 trap, the RFC 3584 translation, with
/// snmpTrapAddress.0 and snmpTrapEnterprise.0 appended).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub kind: NotificationKind,
    /// The request-id (0 for a v1 trap, which has none).
    pub request_id: i32,
    pub uptime: u32,
    pub trap_oid: Oid,
    pub varbinds: Vec<VarBind>,
    /// The v1 agent-addr field.
    pub agent_addr: Option<Ipv4Addr>,
}

impl Notification {
    /// The varbinds after sysUpTime.0 and snmpTrapOID.0.
    pub fn payload(&self) -> &[VarBind] {
        self.varbinds.get(2..).unwrap_or(&[])
    }
}

/// A v2 notification PDU (trap or inform) checked against RFC 3416 4.2.6:
/// sysUpTime.0 first, snmpTrapOID.0 second.
pub fn from_v2_pdu(pdu: Pdu) -> Result<Notification, DecodeError> {
    let kind = match pdu.tag {
        TRAP_V2 => NotificationKind::TrapV2,
        INFORM => NotificationKind::Inform,
        _ => return Err(DecodeError::Invalid("not a notification PDU (SNMPv2-Trap or InformRequest)")),
    };
    let uptime = match pdu.varbinds.first() {
        Some(VarBind { oid, value: Value::TimeTicks(t) }) if oid.arcs() == SYS_UPTIME_0 => *t,
        _ => return Err(DecodeError::Invalid("first varbind must be sysUpTime.0 with TimeTicks (RFC 3416 4.2.6)")),
    };
    let trap_oid = match pdu.varbinds.get(1) {
        Some(VarBind { oid, value: Value::Oid(t) }) if oid.arcs() == SNMP_TRAP_OID_0 => t.clone(),
        _ => {
            return Err(DecodeError::Invalid(
                "second varbind must be snmpTrapOID.0 with an OBJECT IDENTIFIER (RFC 3416 4.2.6)",
            ))
        }
    };
    Ok(Notification { kind, request_id: pdu.request_id, uptime, trap_oid, varbinds: pdu.varbinds, agent_addr: None })
}

/// Decodes the PDU of a community message: a v1 Trap-PDU (tag 0xa4), or
/// any other PDU through the common decoder.
pub(crate) fn decode_community_pdu(r: &mut Reader<'_>) -> Result<Result<Notification, Pdu>, DecodeError> {
    if r.peek_tag()? == TRAP_V1 {
        return decode_trap_v1(r).map(Ok);
    }
    let pdu = decode_pdu(r)?;
    match pdu.tag {
        TRAP_V2 | INFORM => from_v2_pdu(pdu).map(Ok),
        _ => Ok(Err(pdu)),
    }
}

/// RFC 1157 Trap-PDU, translated per RFC 3584 3.1.
fn decode_trap_v1(r: &mut Reader<'_>) -> Result<Notification, DecodeError> {
    let mut p = r.enter(TRAP_V1)?;
    let er = p.read_expect(ber::OBJECT_ID)?;
    let enterprise = Oid::from_decoded(ber::decode_oid(p.slice(er.clone())?, er.start)?);
    let ar = p.read_expect(ber::IP_ADDRESS)?;
    let agent_addr = match <[u8; 4]>::try_from(p.slice(ar.clone())?) {
        Ok(a) => Ipv4Addr::from(a),
        Err(_) => return Err(DecodeError::Invalid("agent-addr must be 4 bytes")),
    };
    let generic = p.read_integer()?;
    let specific = p.read_integer()?;
    let tr = p.read_expect(ber::TIMETICKS)?;
    let uptime = ber::decode_unsigned(p.slice(tr.clone())?, tr.start, 32)? as u32;
    let payload = decode_varbinds(&mut p)?;
    if !p.is_empty() {
        return Err(DecodeError::Invalid("bytes after the varbind list"));
    }
    let trap_oid = match generic {
        0..=5 => Oid::from_decoded(SNMP_TRAPS.iter().copied().chain([generic as u32 + 1]).collect()),
        6 => {
            let specific = u32::try_from(specific).map_err(|_| DecodeError::Invalid("specific-trap out of range"))?;
            enterprise.child(&[0, specific])
        }
        _ => return Err(DecodeError::Invalid("generic-trap must be 0 to 6")),
    };
    let mut varbinds = Vec::with_capacity(payload.len() + 4);
    varbinds.push(VarBind { oid: Oid::from_decoded(SYS_UPTIME_0.to_vec()), value: Value::TimeTicks(uptime) });
    varbinds.push(VarBind { oid: Oid::from_decoded(SNMP_TRAP_OID_0.to_vec()), value: Value::Oid(trap_oid.clone()) });
    varbinds.extend(payload);
    varbinds
        .push(VarBind { oid: Oid::from_decoded(SNMP_TRAP_ADDRESS_0.to_vec()), value: Value::IpAddress(agent_addr) });
    varbinds.push(VarBind { oid: Oid::from_decoded(SNMP_TRAP_ENTERPRISE_0.to_vec()), value: Value::Oid(enterprise) });
    Ok(Notification {
        kind: NotificationKind::TrapV1,
        request_id: 0,
        uptime,
        trap_oid,
        varbinds,
        agent_addr: Some(agent_addr),
    })
}
