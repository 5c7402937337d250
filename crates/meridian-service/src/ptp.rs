//! Watching a device's PTP clock through the management protocol: where its
//! agent is reached (a local ptp4l's UNIX socket, or UDP port 320). The
//! monitor polls it (`PollKind::Ptp`, `monitor::ptp`), stores offset, path
//! delay, steps removed and the grandmaster's class, raises the
//! `core::clock::ptp_alarms` and announces grandmaster changes. `ptp_tree`
//! reads the hierarchy of the watched clocks.

use std::collections::BTreeMap;

use meridian_core::clock::ptp_tree::{ptp_tree, ClockLink, TreeNode};
use meridian_core::clock::ptp_watch::{PtpWatchConfig, PtpWatchEndpoint};
use meridian_core::event::{ChangeAction, InventoryEntity};
use meridian_core::ptp::{ClockIdentity, PortState, PtpSnapshot};
use meridian_core::{CoreError, DeviceKey};
use meridian_probe::ptp::PtpClient;
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::devicemap;
use crate::error::ApiError;

const SETTINGS_KEY: &str = "ptp_watch";

impl App {
    /// The device's PTP watch, if it has one.
    pub async fn ptp_watch(&self, key: &DeviceKey) -> Result<Option<PtpWatchConfig>, ApiError> {
        let d = self.store.get_device(key).await?;
        Ok(devicemap::load::<PtpWatchConfig>(&self.store, SETTINGS_KEY).await.remove(&d.id))
    }

    /// Starts (`Some`) or stops (`None`) watching the device's PTP clock.
    /// A refused setting writes nothing.
    pub async fn set_ptp_watch(&self, key: &DeviceKey, watch: Option<PtpWatchConfig>) -> Result<(), ApiError> {
        if let Some(w) = &watch {
            w.validate()?;
        }
        let d = self.store.get_device(key).await?;
        // UDP to the device's own address: management over UDP is IPv4 here.
        if let Some(PtpWatchEndpoint::Udp { address: None }) = watch.as_ref().map(|w| &w.endpoint) {
            if d.address.parse::<std::net::Ipv6Addr>().is_ok() {
                return Err(CoreError::field("address", "the device's address is IPv6; give an IPv4 address").into());
            }
        }
        devicemap::put(&self.store, SETTINGS_KEY, d.id, watch.clone()).await?;
        tracing::info!(device = %d.name, ?watch, "PTP watch set");
        self.changed(InventoryEntity::Device, &d.id.to_string(), ChangeAction::Updated);
        Ok(())
    }
}

/// Every device's PTP watch.
pub(crate) async fn load(
    store: &meridian_store::Store,
) -> std::collections::BTreeMap<meridian_core::DeviceId, PtpWatchConfig> {
    devicemap::load::<PtpWatchConfig>(store, SETTINGS_KEY).await
}

/// One clock in the PTP hierarchy as the UI and CLI show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PtpTreeNode {
    /// The clock identity, printed as pmc does.
    pub clock: String,
    /// The watched device that answered as this clock, if any.
    pub device: Option<String>,
    /// False for a parent a child named but no watched device answered as.
    pub seen: bool,
    /// The device's timing role, when it has one.
    pub role: Option<meridian_core::clock::role::TimingRole>,
    pub port_state: Option<String>,
    pub offset_ns: Option<f64>,
    pub path_delay_ns: Option<f64>,
    pub steps_removed: Option<u16>,
    pub children: Vec<PtpTreeNode>,
}

/// A watched device whose clock did not answer.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PtpTreeMiss {
    pub device: String,
    pub error: String,
}

/// The hierarchy of the watched clocks, read now.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PtpTree {
    /// Grandmasters (and unwatched parents) at the roots.
    pub roots: Vec<PtpTreeNode>,
    pub unreachable: Vec<PtpTreeMiss>,
}

impl App {
    /// Asks every watched PTP clock (concurrently, each bounded by the
    /// client's timeouts) for its data sets and draws the hierarchy from
    /// their parent ports (`core::clock::ptp_tree`). A read: works with or
    /// without the monitor running, and changes nothing.
    pub async fn ptp_tree(&self) -> Result<PtpTree, ApiError> {
        let watches = load(&self.store).await;
        let roles = self.store.timing_roles().await?;
        let dir = crate::monitor::ptp_client_dir(&self.cfg.data_dir);
        let mut tasks = tokio::task::JoinSet::new();
        for d in self.store.list_devices().await? {
            let Some(w) = watches.get(&d.id).cloned() else { continue };
            let dir = dir.clone();
            let role = roles.get(&d.id).copied();
            tasks.spawn(async move {
                let out = async {
                    let c = crate::diag::open_ptp(&w.endpoint, w.domain, &dir, Some(&d.address)).await?;
                    c.snapshot().await.map_err(crate::error::probe_error)
                }
                .await;
                ((d.name, role), out)
            });
        }
        let mut answered: Vec<(Answered, PtpSnapshot)> = Vec::new();
        let mut unreachable = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok((who, Ok(s))) => answered.push((who, s)),
                Ok(((device, _), Err(e))) => unreachable.push(PtpTreeMiss { device, error: e.detail }),
                Err(e) => tracing::warn!(error = %e, "PTP tree query task"),
            }
        }
        answered.sort_by(|a, b| a.0.cmp(&b.0));
        unreachable.sort_by(|a, b| a.device.cmp(&b.device));
        let links: Vec<ClockLink> = answered
            .iter()
            .map(|(_, s)| ClockLink { clock: s.default.clock_identity, parent: Some(s.parent.parent_port.clock) })
            .collect();
        let by_clock: BTreeMap<ClockIdentity, &(Answered, PtpSnapshot)> =
            answered.iter().map(|a| (a.1.default.clock_identity, a)).collect();
        let roots = ptp_tree(&links).iter().map(|n| node(n, &by_clock)).collect();
        Ok(PtpTree { roots, unreachable })
    }
}

/// The device name and timing role of a clock that answered.
type Answered = (String, Option<meridian_core::clock::role::TimingRole>);

fn node(n: &TreeNode, by_clock: &BTreeMap<ClockIdentity, &(Answered, PtpSnapshot)>) -> PtpTreeNode {
    let found = by_clock.get(&n.clock);
    let snap = found.map(|(_, s)| s);
    // Offset and delay mean something only towards a master.
    let measuring = snap.filter(|s| matches!(s.port.state, PortState::Slave | PortState::Uncalibrated));
    PtpTreeNode {
        clock: n.clock.to_string(),
        device: found.map(|((name, _), _)| name.clone()),
        seen: n.seen,
        role: found.and_then(|((_, role), _)| *role),
        port_state: snap.map(|s| format!("{:?}", s.port.state).to_uppercase()),
        offset_ns: measuring.map(|s| s.current.offset_from_master_ns),
        path_delay_ns: measuring.map(|s| s.current.mean_path_delay_ns),
        steps_removed: snap.map(|s| s.current.steps_removed),
        children: n.children.iter().map(|c| node(c, by_clock)).collect(),
    }
}
