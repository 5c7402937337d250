//! One poll of one device: what the ICMP and SNMP engines are asked and how
//! their answers are read. No state here; the supervisor owns that.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use meridian_core::classify::Metric;
use meridian_core::credential::SnmpCredential;
use meridian_core::poll::{IcmpReading, IfReading, SnmpReading, StorageReading};
use meridian_probe::icmp::{IcmpEngine, PingConfig};
use meridian_probe::snmp::{Oid, SnmpEngine, Target, Value, VarBind};
use meridian_probe::ProbeError;

/// The default poll set: what every SNMP device is asked, whatever its template.
mod oids {
    pub const SYS_DESCR: &str = "1.3.6.1.2.1.1.1.0";
    pub const SYS_OBJECT_ID: &str = "1.3.6.1.2.1.1.2.0";
    pub const SYS_UPTIME: &str = "1.3.6.1.2.1.1.3.0";
    pub const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
    pub const SYS_LOCATION: &str = "1.3.6.1.2.1.1.6.0";
    pub const IF_TABLE: &str = "1.3.6.1.2.1.2.2.1";
    pub const IF_X_TABLE: &str = "1.3.6.1.2.1.31.1.1.1";
    pub const HR_PROCESSOR_LOAD: &str = "1.3.6.1.2.1.25.3.3.1.2";
    pub const HR_STORAGE: &str = "1.3.6.1.2.1.25.2.3.1";
    pub const UCD_LOAD: &str = "1.3.6.1.4.1.2021.10.1.3";
}

pub async fn icmp(engine: &IcmpEngine, addr: Result<IpAddr, String>, cfg: &PingConfig) -> IcmpReading {
    let ip = match addr {
        Ok(ip) => ip,
        Err(e) => return IcmpReading { error: Some(e), ..IcmpReading::default() },
    };
    match engine.ping(ip, cfg).await {
        Ok(r) => IcmpReading {
            ok: r.stats.received > 0,
            rtt_ms: r.stats.rtt_avg.map(millis),
            jitter_ms: r.stats.jitter.map(millis),
            loss_pct: Some(r.stats.loss_percent),
            error: r.last_error,
        },
        Err(e) => IcmpReading { error: Some(e.to_string()), ..IcmpReading::default() },
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub async fn snmp(
    engine: &SnmpEngine,
    addr: SocketAddr,
    cred: SnmpCredential,
    timeout: Duration,
    retries: u32,
    extras: &[Metric],
) -> Result<SnmpReading, ProbeError> {
    let t = Target { addr, credential: cred, timeout, retries };
    let sys: Vec<Oid> = [oids::SYS_DESCR, oids::SYS_OBJECT_ID, oids::SYS_UPTIME, oids::SYS_NAME, oids::SYS_LOCATION]
        .iter()
        .map(|o| o.parse())
        .collect::<Result<_, _>>()?;
    // The system group decides "the agent answers"; the tables are optional
    // (an agent may restrict views), so their failures only log.
    let sysvals = engine.get(&t, &sys).await?;
    let mut r = SnmpReading::default();
    for vb in &sysvals {
        let o = vb.oid.to_string();
        match (o.trim_start_matches('.'), &vb.value) {
            (oids::SYS_UPTIME, Value::TimeTicks(t)) => r.sys_uptime = Some(u64::from(*t)),
            (oids::SYS_NAME, v) => r.sys_name = text(v),
            (oids::SYS_DESCR, v) => r.sys_descr = text(v),
            (oids::SYS_LOCATION, v) => r.sys_location = text(v),
            (oids::SYS_OBJECT_ID, Value::Oid(id)) => r.sys_object_id = Some(id.to_string()),
            _ => {}
        }
    }
    let mut ifs: BTreeMap<u32, IfReading> = BTreeMap::new();
    for root in [oids::IF_TABLE, oids::IF_X_TABLE] {
        for vb in walk_quiet(engine, &t, root).await {
            read_if_column(root, &vb, &mut ifs);
        }
    }
    r.interfaces = ifs.into_values().collect();
    for vb in walk_quiet(engine, &t, oids::HR_PROCESSOR_LOAD).await {
        if let Value::Integer(v) = vb.value {
            r.cpu_loads.push(v as f64);
        }
    }
    r.storage = read_storage(&walk_quiet(engine, &t, oids::HR_STORAGE).await);
    for vb in walk_quiet(engine, &t, oids::UCD_LOAD).await {
        if let Some(v) = text(&vb.value).and_then(|s| s.trim().parse().ok()) {
            r.load_avg.push(v);
        }
    }
    r.template_rows = super::extras::poll(engine, &t, extras).await;
    r.synce = super::synce::poll(engine, &t).await;
    Ok(r)
}

async fn walk_quiet(engine: &SnmpEngine, t: &Target, root: &str) -> Vec<VarBind> {
    let Ok(oid) = root.parse::<Oid>() else { return Vec::new() };
    match engine.walk(t, &oid).await {
        Ok(v) => v,
        Err(e) => {
            tracing::debug!(target = %t.addr, root, error = %e, "optional walk failed");
            Vec::new()
        }
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::OctetString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}

fn unsigned(v: &Value) -> Option<u64> {
    match v {
        Value::Counter32(x) | Value::Gauge32(x) | Value::TimeTicks(x) => Some(u64::from(*x)),
        Value::Counter64(x) => Some(*x),
        Value::Integer(x) => u64::try_from(*x).ok(),
        _ => None,
    }
}

/// `root.column.ifIndex` -> the column and the index.
fn column_and_index(root: &str, vb: &VarBind) -> Option<(u32, u32)> {
    let root: Oid = root.parse().ok()?;
    let arcs = vb.oid.arcs();
    let rest = arcs.get(root.arcs().len()..)?;
    match rest {
        [col, idx] => Some((*col, *idx)),
        _ => None,
    }
}

fn read_if_column(root: &str, vb: &VarBind, ifs: &mut BTreeMap<u32, IfReading>) {
    let Some((col, idx)) = column_and_index(root, vb) else { return };
    let e = ifs.entry(idx).or_insert_with(|| IfReading { if_index: idx, ..Default::default() });
    let v = &vb.value;
    if root == oids::IF_TABLE {
        match col {
            2 => e.descr = text(v),
            // 0 is "unknown" (RFC 2863), kept as no speed rather than 0 bit/s.
            5 => e.speed_bps = e.speed_bps.or(unsigned(v).filter(|s| *s > 0)),
            7 => e.admin_status = unsigned(v).and_then(|x| i64::try_from(x).ok()),
            8 => e.oper_status = unsigned(v).and_then(|x| i64::try_from(x).ok()),
            10 => e.in_octets = e.in_octets.or(unsigned(v).map(|x| (x, false))),
            13 => e.in_discards = unsigned(v),
            14 => e.in_errors = unsigned(v),
            16 => e.out_octets = e.out_octets.or(unsigned(v).map(|x| (x, false))),
            19 => e.out_discards = unsigned(v),
            20 => e.out_errors = unsigned(v),
            _ => {}
        }
    } else {
        match col {
            1 => e.name = text(v),
            18 => e.alias = text(v).filter(|a| !a.is_empty()),
            6 => e.in_octets = unsigned(v).map(|x| (x, true)),
            10 => e.out_octets = unsigned(v).map(|x| (x, true)),
            // ifHighSpeed is in Mbit/s and wins over the 32-bit ifSpeed,
            // which saturates at 4.29 Gbit/s.
            15 => {
                if let Some(m) = unsigned(v).filter(|m| *m > 0) {
                    e.speed_bps = Some(m.saturating_mul(1_000_000));
                }
            }
            _ => {}
        }
    }
}

/// hrStorageTypes.1, hrStorageOther.
const HR_STORAGE_OTHER: &str = "1.3.6.1.2.1.25.2.1.1";

/// hrStorageEntry columns 2-6 of one row.
#[derive(Default)]
struct StorageRow {
    /// hrStorageOther rows are not used/size pairs: net-snmp reports its
    /// "Cached memory" and "Shared memory" with used = size (always 100 %),
    /// "Available memory" with used = 0, so they are left out.
    other: bool,
    descr: Option<String>,
    unit: Option<u64>,
    size: Option<u64>,
    used: Option<u64>,
}

fn read_storage(rows: &[VarBind]) -> Vec<StorageReading> {
    let mut by_index: BTreeMap<u32, StorageRow> = BTreeMap::new();
    for vb in rows {
        let Some((col, idx)) = column_and_index(oids::HR_STORAGE, vb) else { continue };
        let e = by_index.entry(idx).or_default();
        match col {
            2 => {
                e.other =
                    matches!(&vb.value, Value::Oid(t) if t.to_string().trim_start_matches('.') == HR_STORAGE_OTHER)
            }
            3 => e.descr = text(&vb.value),
            4 => e.unit = unsigned(&vb.value),
            5 => e.size = unsigned(&vb.value),
            6 => e.used = unsigned(&vb.value),
            _ => {}
        }
    }
    by_index
        .into_values()
        .filter(|r| !r.other)
        .filter_map(|r| {
            let (descr, unit, size, used) = (r.descr?, r.unit?, r.size?, r.used?);
            (size > 0).then(|| StorageReading {
                descr,
                used_pct: used as f64 * 100.0 / size as f64,
                size_bytes: size.saturating_mul(unit),
            })
        })
        .collect()
}

/// One poll of a device's due custom items: their GET, with sysUpTime so a
/// counter item's rate sees an agent restart.
pub async fn items(
    engine: &SnmpEngine,
    addr: SocketAddr,
    cred: SnmpCredential,
    timeout: Duration,
    retries: u32,
    metrics: &[Metric],
) -> Result<(Option<u64>, Vec<meridian_core::mib::MibRow>), ProbeError> {
    let t = Target { addr, credential: cred, timeout, retries };
    let uptime = match engine.get(&t, &[oids::SYS_UPTIME.parse()?]).await?.first().map(|vb| &vb.value) {
        Some(Value::TimeTicks(t)) => Some(u64::from(*t)),
        _ => None,
    };
    Ok((uptime, super::extras::poll(engine, &t, metrics).await))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vb(oid: &str, value: Value) -> VarBind {
        VarBind { oid: oid.parse().expect("oid"), value }
    }

    fn row(idx: u32, kind: u32, descr: &str, size: i64, used: i64) -> Vec<VarBind> {
        let col = |c: u32| format!("{}.{c}.{idx}", oids::HR_STORAGE);
        let kind = format!("1.3.6.1.2.1.25.2.1.{kind}").parse().expect("type oid");
        vec![
            vb(&col(2), Value::Oid(kind)),
            vb(&col(3), Value::OctetString(descr.as_bytes().to_vec())),
            vb(&col(4), Value::Integer(1024)),
            vb(&col(5), Value::Integer(size)),
            vb(&col(6), Value::Integer(used)),
        ]
    }

    /// As net-snmp answers on Linux: the hrStorageOther pseudo-rows would
    /// read "Cached 100 %, Shared 100 %, Available 0 %".
    #[test]
    fn storage_keeps_ram_disks_and_swap_and_leaves_out_other_rows() {
        let rows: Vec<VarBind> = [
            row(1, 2, "Physical memory", 1000, 250),
            row(7, 1, "Cached memory", 480, 480),
            row(8, 1, "Shared memory", 9, 9),
            row(11, 1, "Available memory", 900, 0),
            row(10, 3, "Swap space", 0, 0),
            row(36, 4, "/", 2000, 500),
        ]
        .concat();
        let got: Vec<(String, f64)> = read_storage(&rows).into_iter().map(|s| (s.descr, s.used_pct)).collect();
        assert_eq!(got, [("Physical memory".to_owned(), 25.0), ("/".to_owned(), 25.0)]);
    }
}
