//! The probe's decoded notification into the stored event: varbinds as
//! net-snmp type words and text values, names and values shown through the
//! loaded MIBs, core's built-in table standing in for names none of them has.

use std::net::SocketAddr;

use chrono::{DateTime, Utc};
use meridian_core::trap::{oid_name, TrapEvent, TrapPdu, TrapVarbind, TrapVersion};
use meridian_core::DeviceId;
use meridian_probe::mib::MibSet;
use meridian_probe::snmp::trap::{NotificationKind, Received, Security};
use meridian_probe::snmp::{Value, VarBind, WireVersion};
use uuid::Uuid;

use super::hex;

pub(super) fn varbind(vb: &VarBind, mibs: &MibSet) -> TrapVarbind {
    let (kind, value) = match &vb.value {
        Value::Integer(i) => ("INTEGER", i.to_string()),
        Value::OctetString(b) => match std::str::from_utf8(b) {
            Ok(s) if !s.chars().any(|c| c.is_control() && !c.is_whitespace()) => ("STRING", s.to_owned()),
            _ => ("Hex-STRING", hex(b)),
        },
        Value::Oid(o) => ("OID", o.to_string()),
        Value::IpAddress(a) => ("IpAddress", a.to_string()),
        Value::Counter32(n) => ("Counter32", n.to_string()),
        Value::Gauge32(n) => ("Gauge32", n.to_string()),
        Value::TimeTicks(n) => ("Timeticks", n.to_string()),
        Value::Opaque(b) => ("OPAQUE", hex(b)),
        Value::Counter64(n) => ("Counter64", n.to_string()),
        Value::Null => ("NULL", String::new()),
        Value::NoSuchObject => ("noSuchObject", String::new()),
        Value::NoSuchInstance => ("noSuchInstance", String::new()),
        Value::EndOfMibView => ("endOfMibView", String::new()),
    };
    let oid = vb.oid.to_string();
    let name = mibs.short_name(&oid).or_else(|| oid_name(&oid));
    let display = mibs.display(&oid, &vb.value);
    TrapVarbind { oid, kind: kind.to_owned(), value, name, display }
}

pub(super) fn event(
    at: DateTime<Utc>,
    from: SocketAddr,
    r: &Received,
    device: Option<DeviceId>,
    mibs: &MibSet,
) -> TrapEvent {
    let n = &r.notification;
    let (user, community_matched) = match &r.security {
        Security::Community { matched } => (None, Some(*matched)),
        Security::User(u) => (Some(u.clone()), None),
    };
    let trap_oid = n.trap_oid.to_string();
    TrapEvent {
        id: Uuid::now_v7(),
        received_at: at,
        source_addr: from.ip().to_canonical().to_string(),
        source_port: from.port(),
        version: Some(match r.version {
            WireVersion::V1 => TrapVersion::V1,
            WireVersion::V2c => TrapVersion::V2c,
            WireVersion::V3 => TrapVersion::V3,
        }),
        pdu: if n.kind == NotificationKind::Inform { TrapPdu::Inform } else { TrapPdu::Trap },
        user,
        community_matched,
        engine_id: (!r.engine_id.is_empty()).then(|| hex(&r.engine_id)),
        trap_name: mibs.short_name(&trap_oid).or_else(|| oid_name(&trap_oid)),
        trap_oid: Some(trap_oid),
        uptime: Some(n.uptime),
        varbinds: n.varbinds.iter().map(|vb| varbind(vb, mibs)).collect(),
        device_id: device,
        device_name: None,
        raw_hex: None,
        error: None,
    }
}

pub(super) fn malformed(at: DateTime<Utc>, from: SocketAddr, bytes: &[u8], error: String) -> TrapEvent {
    TrapEvent {
        id: Uuid::now_v7(),
        received_at: at,
        source_addr: from.ip().to_canonical().to_string(),
        source_port: from.port(),
        version: None,
        pdu: TrapPdu::Malformed,
        user: None,
        community_matched: None,
        engine_id: None,
        trap_oid: None,
        trap_name: None,
        uptime: None,
        varbinds: Vec::new(),
        device_id: None,
        device_name: None,
        raw_hex: Some(hex(bytes)),
        error: Some(error),
    }
}
