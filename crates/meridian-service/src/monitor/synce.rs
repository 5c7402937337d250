//! SyncE quality levels read from CISCO-NETSYNC-MIB (1.3.6.1.4.1.9.9.761,
//! revision 2010-10-15; OIDs as the MIB module defines them):
//! - `cnsInputSourceTable` (`.1.1.3.1`), indexed by `cnsInpSrcNetsyncIndex`:
//!   column 2 `cnsInpSrcName` (the interface's name), column 11
//!   `cnsInpSrcQualityLevel` (the level the selection process uses);
//! - `cnsSelectedInputSourceTable` (`.1.1.2.1`): column 2 `cnsSelInpSrcName`,
//!   the source the node is locked to.
//!
//! The quality-level column is walked first: an agent without the MIB
//! answers that one GETNEXT outside the subtree and costs nothing more.
//! Everything is optional, so failures only log.

use std::collections::BTreeMap;

use meridian_core::clock::synce::{QualityLevel, SynceSource};
use meridian_probe::snmp::{Oid, SnmpEngine, Target, Value, VarBind};

const INPUT_NAME: &str = "1.3.6.1.4.1.9.9.761.1.1.3.1.2";
const INPUT_QL: &str = "1.3.6.1.4.1.9.9.761.1.1.3.1.11";
const SELECTED_NAME: &str = "1.3.6.1.4.1.9.9.761.1.1.2.1.2";

pub async fn poll(engine: &SnmpEngine, t: &Target) -> Vec<SynceSource> {
    let qls = walk(engine, t, INPUT_QL).await;
    if qls.is_empty() {
        return Vec::new();
    }
    let names = walk(engine, t, INPUT_NAME).await;
    let selected = walk(engine, t, SELECTED_NAME).await;
    read(&names, &qls, &selected)
}

async fn walk(engine: &SnmpEngine, t: &Target, column: &str) -> Vec<VarBind> {
    let Ok(oid) = column.parse::<Oid>() else { return Vec::new() };
    engine.walk(t, &oid).await.unwrap_or_else(|e| {
        tracing::debug!(target = %t.addr, column, error = %e, "netsync walk");
        Vec::new()
    })
}

/// The index after `column` (the rows are indexed by one Unsigned32).
fn index(column: &str, vb: &VarBind) -> Option<u32> {
    let column: Oid = column.parse().ok()?;
    match vb.oid.arcs().get(column.arcs().len()..)? {
        [i] => Some(*i),
        _ => None,
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::OctetString(b) if !b.is_empty() => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}

/// One source per row with a defined quality level; a row without a name
/// is named by its index ("netsync 3"). A value outside the MIB's
/// enumeration is dropped (and logged), never guessed.
pub(super) fn read(names: &[VarBind], qls: &[VarBind], selected: &[VarBind]) -> Vec<SynceSource> {
    let names: BTreeMap<u32, String> =
        names.iter().filter_map(|vb| Some((index(INPUT_NAME, vb)?, text(&vb.value)?))).collect();
    let selected: Vec<String> = selected.iter().filter_map(|vb| text(&vb.value)).collect();
    let mut out = Vec::new();
    for vb in qls {
        let Some(i) = index(INPUT_QL, vb) else { continue };
        let Value::Integer(v) = vb.value else { continue };
        let Some(ql) = QualityLevel::from_netsync(v) else {
            tracing::debug!(index = i, value = v, "quality level outside CISCO-NETSYNC-MIB's enumeration");
            continue;
        };
        let name = names.get(&i).cloned().unwrap_or_else(|| format!("netsync {i}"));
        out.push(SynceSource { selected: selected.contains(&name), name, ql });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vb(oid: String, value: Value) -> VarBind {
        VarBind { oid: oid.parse().expect("oid"), value }
    }

    #[test]
    fn rows_join_names_levels_and_the_selected_source() {
        let s = |b: &str| Value::OctetString(b.as_bytes().to_vec());
        let names = [vb(format!("{INPUT_NAME}.1"), s("Gi0/0/1")), vb(format!("{INPUT_NAME}.2"), s("Gi0/0/2"))];
        let qls = [
            vb(format!("{INPUT_QL}.1"), Value::Integer(22)),
            vb(format!("{INPUT_QL}.2"), Value::Integer(2)),
            vb(format!("{INPUT_QL}.3"), Value::Integer(25)),
            vb(format!("{INPUT_QL}.4"), Value::Integer(99)),
            vb(format!("{INPUT_QL}.5"), s("PRC")),
            vb(format!("{INPUT_QL}.6.1"), Value::Integer(22)),
        ];
        let selected = [vb(format!("{SELECTED_NAME}.1"), s("Gi0/0/1"))];
        let got = read(&names, &qls, &selected);
        let want = [
            SynceSource { name: "Gi0/0/1".into(), ql: QualityLevel::Prc, selected: true },
            SynceSource { name: "Gi0/0/2".into(), ql: QualityLevel::Dnu, selected: false },
            SynceSource { name: "netsync 3".into(), ql: QualityLevel::Sec, selected: false },
        ];
        assert_eq!(got, want);
    }
}
