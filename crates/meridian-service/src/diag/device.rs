//! Ping and walk one managed device, as the desktop's device menu asks: the
//! device's own address (resolved in `crate::target`, as the monitor does)
//! and its stored credential, so the user types nothing but the subtree.

use std::time::Duration;

use meridian_core::validate::diag::{PingOptions, SnmpOptions};
use meridian_core::DeviceKey;
use meridian_probe::snmp::Target;
use serde::Serialize;
use ts_rs::TS;

use super::ping::{ping, PingResult};
use super::snmp::{parse_named_oid, walk_roots, VarBindView};
use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};
use crate::target::{resolve, snmp_addr, snmp_engine, EngineUse};

/// Rows a walk returns at most; a whole-tree walk of a large router runs to
/// hundreds of thousands, which no dialog can show.
pub const WALK_MAX_ROWS: usize = 5_000;

/// The answer to a device walk.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeviceWalk {
    pub device: String,
    /// The agent asked, `ADDR:PORT`.
    pub agent: String,
    pub rows: Vec<VarBindView>,
    /// More rows came back than [`WALK_MAX_ROWS`]; the first ones are kept.
    pub truncated: bool,
}

impl App {
    /// Four echo requests to the device's address, 250 ms apart.
    pub async fn ping_device(&self, key: &DeviceKey) -> Result<PingResult, ApiError> {
        let d = self.store.get_device(key).await?;
        let ip = resolve(&d.address).await?;
        let opts = PingOptions { count: 4, interval_ms: 250, ..PingOptions::default() };
        ping(&[ip.to_string()], &opts)
            .await?
            .pop()
            .ok_or_else(|| ApiError::new(ApiErrorKind::Internal, "ping returned no result"))
    }

    /// Walks the subtree `root` (numeric or a MIB name, `.1` for the whole
    /// tree) of the device's agent with its stored credential; rows are named
    /// through the loaded MIBs. A bad OID or unknown name is refused before
    /// the store or the network is touched.
    pub async fn walk_device(&self, key: &DeviceKey, root: &str) -> Result<DeviceWalk, ApiError> {
        let mibs = self.mibs();
        let root = match root.trim().trim_start_matches('.') {
            "" | "1" => None,
            _ => Some(parse_named_oid(root, Some(mibs.set())).map_err(|e| ApiError::field("root", e.message))?),
        };
        let d = self.store.get_device(key).await?;
        let credential = self.device_secret(&d, "walk it").await?;
        let addr = snmp_addr(&d).await?;
        let opts = SnmpOptions::default();
        let target =
            Target { addr, credential, timeout: Duration::from_millis(opts.timeout_ms), retries: opts.retries };
        let engine = snmp_engine(EngineUse::OneDevice).await?;
        // One row past the cap tells a cut walk from one that ended there.
        let mut rows = walk_roots(&engine, &target, &[root], WALK_MAX_ROWS + 1, Some(mibs.set())).await?;
        let truncated = rows.len() > WALK_MAX_ROWS;
        rows.truncate(WALK_MAX_ROWS);
        Ok(DeviceWalk { device: d.name, agent: addr.to_string(), rows, truncated })
    }
}
