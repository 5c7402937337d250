//! Asking one SNMP agent who it is: the system group, its engine and LLDP
//! chassis ids, which classification subtrees it answers, and its chassis
//! row, then the classifier's verdict. Also the full inventory walk
//! (ENTITY-MIB, LLDP, CDP) that runs when a device is added or refreshed.

use std::net::SocketAddr;
use std::time::Duration;

use meridian_core::classify::{self, Classification, DeviceFacts, Tables, ENT_CLASS_CHASSIS};
use meridian_core::credential::SnmpCredential;
use meridian_core::discovery::SnmpIdentity;
use meridian_core::mib::{MibRow, RawValue};
use meridian_probe::snmp::{Oid, SnmpEngine, Target, Value, VarBind};
use meridian_probe::ProbeError;

const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";
const SYS_OBJECT_ID: &str = "1.3.6.1.2.1.1.2.0";
const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const SYS_LOCATION: &str = "1.3.6.1.2.1.1.6.0";
const SYS_SERVICES: &str = "1.3.6.1.2.1.1.7.0";
const ENGINE_ID: &str = "1.3.6.1.6.3.10.2.1.1.0";
const LLDP_LOC_CHASSIS_SUBTYPE: &str = "1.0.8802.1.1.2.1.3.1.0";
const LLDP_LOC_CHASSIS_ID: &str = "1.0.8802.1.1.2.1.3.2.0";
/// entPhysicalTable's entry; columns are appended.
const ENT_PHYSICAL_ENTRY: &str = "1.3.6.1.2.1.47.1.1.1.1";
const ENT_CLASS_COLUMN: u32 = 5;
/// The chassis columns classification reads: descr, model, serial, firmware, software.
const ENT_CHASSIS_COLUMNS: [u32; 6] = [2, 5, 13, 11, 9, 10];
pub const LLDP_REM_TABLE: &str = "1.0.8802.1.1.2.1.4.1.1";
pub const LLDP_REM_MAN_ADDR_TABLE: &str = "1.0.8802.1.1.2.1.4.2.1";
pub const LLDP_LOC_PORT_TABLE: &str = "1.0.8802.1.1.2.1.3.7.1";
pub const CDP_CACHE_TABLE: &str = "1.3.6.1.4.1.9.9.23.1.2.1.1";
pub const ENT_PHYSICAL_TABLE: &str = "1.3.6.1.2.1.47.1.1.1";
const BRIDGE_MIB: &str = "1.3.6.1.2.1.17";
const DOT1D_BASE_NUM_PORTS: &str = "1.3.6.1.2.1.17.1.2.0";
const IF_TYPE_COLUMN: &str = "1.3.6.1.2.1.2.2.1.3";

fn oid(s: &str) -> Oid {
    s.parse().expect("only called on this module's constant OIDs, which are valid")
}

/// A probe-independent copy of a varbind; exceptions have no row.
pub fn mib_row(vb: &VarBind) -> Option<MibRow> {
    let value = match &vb.value {
        Value::Integer(v) => RawValue::Int(*v),
        Value::OctetString(b) | Value::Opaque(b) => RawValue::Octets(b.clone()),
        Value::Oid(o) => RawValue::Oid(o.arcs().to_vec()),
        Value::IpAddress(a) => RawValue::Ip(a.octets()),
        Value::Counter32(v) | Value::Gauge32(v) | Value::TimeTicks(v) => RawValue::Uint(u64::from(*v)),
        Value::Counter64(v) => RawValue::Uint(*v),
        Value::Null => RawValue::Null,
        Value::NoSuchObject | Value::NoSuchInstance | Value::EndOfMibView => return None,
    };
    Some(MibRow { oid: vb.oid.arcs().to_vec(), value })
}

pub fn mib_rows(vbs: &[VarBind]) -> Vec<MibRow> {
    vbs.iter().filter_map(mib_row).collect()
}

fn text(v: &Value) -> String {
    match v {
        Value::OctetString(b) => meridian_core::mib::octets_text(b),
        Value::Oid(o) => o.to_string().trim_start_matches('.').to_string(),
        _ => String::new(),
    }
}

/// Engine ids are stored as plain lower-case hex, as net-snmp prints them.
fn hex(b: &[u8]) -> String {
    meridian_core::mib::hex_string(b).replace(':', "")
}

/// The target for `addr` with `credential`.
pub fn target(addr: SocketAddr, credential: SnmpCredential, timeout: Duration, retries: u32) -> Target {
    Target { addr, credential, timeout, retries }
}

/// GET that tolerates v1's all-or-nothing errors: on an error status the
/// OIDs are fetched one by one and the missing ones left out.
async fn get_lenient(engine: &SnmpEngine, t: &Target, oids: &[&str]) -> Result<Vec<VarBind>, ProbeError> {
    let list: Vec<Oid> = oids.iter().map(|o| oid(o)).collect();
    match engine.get(t, &list).await {
        Err(ProbeError::SnmpErrorStatus { .. }) => {
            let mut out = Vec::new();
            for o in list {
                if let Ok(mut got) = engine.get(t, std::slice::from_ref(&o)).await {
                    out.append(&mut got);
                }
            }
            Ok(out)
        }
        other => other,
    }
}

/// The agent's identity, or the error of the first request: a timeout here
/// means "wrong credential or no agent", and the caller tries the next.
pub async fn identity(engine: &SnmpEngine, t: &Target) -> Result<SnmpIdentity, ProbeError> {
    let sys = get_lenient(engine, t, &[SYS_DESCR, SYS_OBJECT_ID, SYS_NAME, SYS_LOCATION, SYS_SERVICES]).await?;
    let mut id = SnmpIdentity { port: t.addr.port(), ..SnmpIdentity::default() };
    for vb in &sys {
        match vb.oid.to_string().trim_start_matches('.') {
            SYS_DESCR => id.sys_descr = text(&vb.value),
            SYS_OBJECT_ID => id.sys_object_id = text(&vb.value),
            SYS_NAME => id.sys_name = text(&vb.value),
            SYS_LOCATION => id.sys_location = text(&vb.value),
            SYS_SERVICES => {
                id.sys_services = match vb.value {
                    Value::Integer(v) => u8::try_from(v).ok(),
                    _ => None,
                }
            }
            _ => {}
        }
    }
    // The agent answered; the rest is optional and must not fail the probe.
    let extra =
        get_lenient(engine, t, &[ENGINE_ID, LLDP_LOC_CHASSIS_SUBTYPE, LLDP_LOC_CHASSIS_ID]).await.unwrap_or_default();
    for vb in &extra {
        if vb.oid.to_string().trim_start_matches('.') == ENGINE_ID {
            if let Value::OctetString(b) = &vb.value {
                id.engine_id = Some(hex(b)).filter(|h| !h.is_empty());
            }
        }
    }
    id.chassis_id = meridian_core::topology::parse_lldp_local_chassis(&mib_rows(&extra));
    Ok(id)
}

/// Classification subtrees the agent answers: one GETNEXT per root, in one PDU.
async fn answered_subtrees(engine: &SnmpEngine, t: &Target) -> Vec<String> {
    let roots: Vec<String> = Tables::shipped().kind_rules.subtrees.iter().map(|r| r.oid.clone()).collect();
    let oids: Vec<Oid> = roots.iter().filter_map(|r| r.parse().ok()).collect();
    let Ok(next) = engine.get_next(t, &oids).await else { return Vec::new() };
    oids.iter()
        .zip(next.iter())
        .filter(|(root, vb)| !vb.value.is_exception() && vb.oid.starts_with(root))
        .map(|(root, _)| format!(".{}", root.to_string().trim_start_matches('.')))
        .collect()
}

/// The chassis rows of ENTITY-MIB (class 3), with the columns classify reads.
async fn chassis_rows(engine: &SnmpEngine, t: &Target) -> Vec<MibRow> {
    let class_col = oid(&format!("{ENT_PHYSICAL_ENTRY}.{ENT_CLASS_COLUMN}"));
    let Ok(classes) = engine.walk(t, &class_col).await else { return Vec::new() };
    let chassis: Vec<u32> = classes
        .iter()
        .filter(|vb| vb.value == Value::Integer(i64::from(ENT_CLASS_CHASSIS)))
        .filter_map(|vb| vb.oid.arcs().last().copied())
        .take(2)
        .collect();
    let mut rows = Vec::new();
    for index in chassis {
        let oids: Vec<String> =
            ENT_CHASSIS_COLUMNS.iter().map(|c| format!("{ENT_PHYSICAL_ENTRY}.{c}.{index}")).collect();
        let refs: Vec<&str> = oids.iter().map(String::as_str).collect();
        if let Ok(got) = get_lenient(engine, t, &refs).await {
            rows.extend(mib_rows(&got));
        }
    }
    rows
}

/// A bridge's port count and, when it is big enough to matter, how many of the
/// agent's interfaces are Ethernet: what tells a switch nothing else names.
/// Only agents that answered BRIDGE-MIB are asked (one GET), and the ifType
/// column is walked only for a bridge of `min_ports` or more.
async fn port_counts(engine: &SnmpEngine, t: &Target, subtrees: &[String]) -> (Option<u32>, Option<u32>) {
    if !subtrees.iter().any(|s| s.trim_start_matches('.') == BRIDGE_MIB) {
        return (None, None);
    }
    let bridge = match engine.get(t, &[oid(DOT1D_BASE_NUM_PORTS)]).await {
        Ok(vbs) => vbs.first().and_then(|vb| match vb.value {
            Value::Integer(n) => u32::try_from(n).ok(),
            _ => None,
        }),
        Err(_) => None,
    };
    let rules = &Tables::shipped().kind_rules;
    if !rules.counts_ports_of(bridge) {
        return (bridge, None);
    }
    match engine.walk(t, &oid(IF_TYPE_COLUMN)).await {
        Ok(vbs) => {
            let types = vbs.iter().filter_map(|vb| match vb.value {
                Value::Integer(v) => Some(v),
                _ => None,
            });
            (bridge, Some(rules.ethernet_ports(types)))
        }
        Err(e) => {
            tracing::debug!(agent = %t.addr, error = %e, "ifType walk failed");
            (bridge, None)
        }
    }
}

/// Everything classification reads, fetched, then classified.
pub async fn classify_agent(engine: &SnmpEngine, t: &Target, id: &SnmpIdentity) -> Classification {
    let entities = meridian_core::entity::parse_entities(&chassis_rows(engine, t).await);
    let subtrees = answered_subtrees(engine, t).await;
    let (bridge_ports, ethernet_ports) = port_counts(engine, t, &subtrees).await;
    let facts = DeviceFacts {
        sys_object_id: id.sys_object_id.clone(),
        sys_descr: id.sys_descr.clone(),
        sys_name: id.sys_name.clone(),
        sys_services: id.sys_services,
        entities: entities.iter().map(|e| e.to_entity_row()).collect(),
        subtrees,
        bridge_ports,
        ethernet_ports,
    };
    classify::classify(&facts)
}

/// A walk that treats "nothing there" and agent errors as an empty table:
/// inventory is best effort per table, and one missing MIB must not hide
/// the others.
pub async fn walk_table(engine: &SnmpEngine, t: &Target, root: &str) -> Vec<MibRow> {
    match engine.walk(t, &oid(root)).await {
        Ok(vbs) => mib_rows(&vbs),
        Err(e) => {
            tracing::debug!(agent = %t.addr, table = root, error = %e, "inventory walk failed");
            Vec::new()
        }
    }
}
