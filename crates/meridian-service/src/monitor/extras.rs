//! The poll template's own metrics (beyond the built-in set): scalars in one
//! GET, table columns walked. Everything here is optional to the agent, so
//! failures only log; "the agent answers" is decided by the system group.

use meridian_core::classify::{classify, extra_metrics, select_template, Metric};
use meridian_core::mib::MibRow;
use meridian_core::DeviceId;
use meridian_probe::snmp::{Oid, SnmpEngine, Target};
use meridian_probe::ProbeError;
use meridian_store::Store;

use crate::discovery::identify::mib_rows;

/// The template a device polls with (its override, else the one its stored
/// classification selects): its name and its metrics beyond the built-in
/// set. A store error means "none this time" (logged), not a stopped monitor.
pub async fn for_device(store: &Store, device: DeviceId) -> (Option<String>, Vec<Metric>) {
    match store.device_classification(device).await {
        Ok((class, override_name)) => {
            let class = class.unwrap_or_else(|| classify(&Default::default()));
            let t = select_template(&class, override_name.as_deref());
            (Some(t.name.clone()), extra_metrics(t))
        }
        Err(e) => {
            tracing::warn!(%device, error = %e, "cannot read the device's template");
            (None, Vec::new())
        }
    }
}

pub async fn poll(engine: &SnmpEngine, t: &Target, metrics: &[Metric]) -> Vec<MibRow> {
    let mut rows = Vec::new();
    let scalars: Vec<Oid> = metrics.iter().filter(|m| !m.table).filter_map(|m| parse(&m.oid)).collect();
    if !scalars.is_empty() {
        match engine.get(t, &scalars).await {
            Ok(vbs) => rows.extend(mib_rows(&vbs)),
            // SNMPv1 fails the whole GET when one OID is unknown: ask one by one.
            Err(ProbeError::SnmpErrorStatus { .. }) => {
                for o in &scalars {
                    if let Ok(vbs) = engine.get(t, std::slice::from_ref(o)).await {
                        rows.extend(mib_rows(&vbs));
                    }
                }
            }
            Err(e) => tracing::debug!(target = %t.addr, error = %e, "template scalars"),
        }
    }
    for m in metrics.iter().filter(|m| m.table) {
        let Some(column) = parse(&m.oid) else { continue };
        match engine.walk(t, &column).await {
            Ok(vbs) => rows.extend(mib_rows(&vbs)),
            Err(e) => tracing::debug!(target = %t.addr, metric = %m.name, error = %e, "template column"),
        }
    }
    rows
}

/// Template OIDs are shipped data, checked by the core's tests; a bad one is
/// skipped with a warning rather than stopping the poll.
fn parse(oid: &str) -> Option<Oid> {
    match oid.parse() {
        Ok(o) => Some(o),
        Err(e) => {
            tracing::warn!(oid, error = %e, "template OID does not parse");
            None
        }
    }
}
