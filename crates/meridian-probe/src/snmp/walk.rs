//! WALK: GETBULK for v2c/v3 (GETNEXT for v1) from a root until the answer
//! leaves the subtree or the agent says endOfMibView.
//!
//! max-repetitions adapts: it halves on tooBig or a timeout (a reply that
//! never comes is often one too large for the path), and grows by half
//! while replies come back quickly, within [1, bulk_max].

use std::time::Instant;

use meridian_core::credential::SnmpVersion;

use super::engine::{SnmpEngine, Target};
use super::oid::Oid;
use super::pdu;
use super::value::{Value, VarBind};
use crate::ProbeError;

/// Timeouts tolerated in one walk (each one already includes the target's
/// own retries) while shrinking max-repetitions.
const WALK_TIMEOUTS: u32 = 3;

impl SnmpEngine {
    /// Walks the subtree under `root` (not including `root` itself).
    pub async fn walk(&self, t: &Target, root: &Oid) -> Result<Vec<VarBind>, ProbeError> {
        self.walk_from(t, root.arcs(), root.clone(), usize::MAX).await
    }

    /// Walks the whole `iso` (`.1`) tree, as `snmpbulkwalk ... .1` does.
    pub async fn walk_all(&self, t: &Target) -> Result<Vec<VarBind>, ProbeError> {
        self.walk_from(t, &[1], Oid::from_arcs(vec![1, 0])?, usize::MAX).await
    }

    /// Walks `root` (the whole tree for `None`) and stops asking once `limit`
    /// rows are in: a person reading a walk in a dialog needs the first few
    /// thousand rows in a second, not a large router's whole tree after
    /// minutes.
    pub async fn walk_at_most(&self, t: &Target, root: Option<&Oid>, limit: usize) -> Result<Vec<VarBind>, ProbeError> {
        match root {
            Some(r) => self.walk_from(t, r.arcs(), r.clone(), limit).await,
            None => self.walk_from(t, &[1], Oid::from_arcs(vec![1, 0])?, limit).await,
        }
    }

    async fn walk_from(
        &self,
        t: &Target,
        prefix: &[u32],
        start: Oid,
        limit: usize,
    ) -> Result<Vec<VarBind>, ProbeError> {
        let v1 = t.credential.version() == SnmpVersion::V1;
        let max = self.config().bulk_max.max(1);
        let mut reps = self.config().bulk_start.clamp(1, max);
        let mut timeouts = 0;
        let mut out = Vec::new();
        let mut cur = start;
        loop {
            let asked = Instant::now();
            let res = if v1 {
                self.request(t, pdu::GET_NEXT, 0, 0, std::slice::from_ref(&cur)).await
            } else {
                self.request(t, pdu::GET_BULK, 0, reps, std::slice::from_ref(&cur)).await
            };
            let pdu = match res {
                Ok(p) => p,
                Err(ProbeError::SnmpTimeout { .. }) if !v1 && reps > 1 && timeouts < WALK_TIMEOUTS => {
                    timeouts += 1;
                    reps = (reps / 2).max(1);
                    continue;
                }
                Err(e) => return Err(e),
            };
            match pdu.error_status {
                0 => {}
                // v1 ends a walk with noSuchName.
                2 if v1 => break,
                1 if reps > 1 => {
                    reps = (reps / 2).max(1);
                    continue;
                }
                1 => return Err(ProbeError::SnmpTooBig { target: t.addr }),
                code => {
                    return Err(ProbeError::SnmpErrorStatus {
                        target: t.addr,
                        status: pdu::error_status_name(code),
                        code,
                        index: pdu.error_index,
                    })
                }
            }
            if pdu.varbinds.is_empty() {
                break;
            }
            let mut done = false;
            for vb in pdu.varbinds {
                if matches!(vb.value, Value::EndOfMibView) || !vb.oid.arcs().starts_with(prefix) {
                    done = true;
                    break;
                }
                // Loop protection: a misbehaving agent that repeats or goes
                // backwards would otherwise keep us walking forever.
                if vb.oid <= cur {
                    return Err(ProbeError::SnmpOidNotIncreasing {
                        target: t.addr,
                        root: prefix.iter().map(|a| format!(".{a}")).collect(),
                        prev: cur.to_string(),
                        next: vb.oid.to_string(),
                    });
                }
                cur = vb.oid.clone();
                // noSuchObject/noSuchInstance do not occur in GETNEXT/BULK
                // answers from a correct agent; keep them visible if they do.
                out.push(vb);
                if out.len() >= limit {
                    done = true;
                    break;
                }
            }
            if done {
                break;
            }
            if !v1 && asked.elapsed() < t.timeout / 8 && reps < max {
                reps = (reps + reps / 2 + 1).min(max);
            }
        }
        Ok(out)
    }
}
