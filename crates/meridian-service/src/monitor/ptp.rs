//! The monitor's side of a watched PTP clock: one management client per
//! device, opened on the first poll and kept (a UNIX client rebinds nothing
//! when ptp4l restarts: it sends to the path again), the core watch that
//! judges each answer, and the grandmaster-change announcement.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use meridian_core::clock::ptp_alarms::PtpEvent;
use meridian_core::clock::ptp_watch::{PtpPoll, PtpWatch, PtpWatchConfig};
use meridian_core::clock::role::TimingRole;
use meridian_core::clock::wander_watch::WanderWatch;
use meridian_core::ptp::PtpSnapshot;
use meridian_core::DeviceId;
use meridian_probe::ptp::{PtpClient, PtpManagementClient};
use meridian_store::Store;
use tokio::sync::{broadcast, Mutex};

use crate::diag::open_ptp;
use crate::events::{CoreEvent, PtpChange};

type SharedClient = Arc<Mutex<Option<PtpManagementClient>>>;

/// One device's watched clock.
pub(super) struct PtpSlot {
    pub cfg: PtpWatchConfig,
    /// The device's timing role: how its readings are judged.
    pub role: Option<TimingRole>,
    pub watch: PtpWatch,
    /// The periodic wander check of its offset series (`monitor::wander`).
    pub wander: WanderWatch,
    client: SharedClient,
}

impl PtpSlot {
    pub fn new(device: DeviceId, cfg: PtpWatchConfig, role: Option<TimingRole>) -> Self {
        let watch = PtpWatch::new(device, cfg.thresholds(role));
        Self { cfg, role, watch, wander: WanderWatch::new(device), client: SharedClient::default() }
    }

    /// Whether its offset series is judged against wander masks: a clock
    /// that follows a master (no role counts as one, as in `ptp_alarms`).
    pub fn wander_checked(&self) -> bool {
        self.role.is_none_or(TimingRole::follows_a_master)
    }

    /// Clears everything this slot raised.
    pub fn retire(&mut self) -> Vec<meridian_core::state::Action> {
        let mut out = self.watch.retire();
        out.extend(self.wander.retire());
        out
    }

    /// The poll, to run as a task: the data sets, or why there are none.
    /// `device_address` is used when a UDP watch names no address of its own.
    pub fn query(
        &self,
        data_dir: &Path,
        device_address: String,
    ) -> impl std::future::Future<Output = Result<PtpSnapshot, String>> + Send + 'static {
        let (client, cfg, dir) = (self.client.clone(), self.cfg.clone(), client_dir(data_dir));
        async move {
            let mut held = client.lock().await;
            if held.is_none() {
                let c = open_ptp(&cfg.endpoint, cfg.domain, &dir, Some(&device_address))
                    .await
                    .map_err(|e| format!("opening the PTP management socket: {e}"))?;
                *held = Some(c);
            }
            let Some(c) = held.as_ref() else { return Err("no PTP client".into()) };
            c.snapshot().await.map_err(|e| e.to_string())
        }
    }

    pub fn on_poll(&mut self, at: DateTime<Utc>, out: Result<PtpSnapshot, String>, device: &str) -> PtpPoll {
        if let Err(err) = &out {
            tracing::debug!(device, error = %err, "ptp");
        }
        self.watch.poll(at, out.as_ref().ok())
    }
}

/// Where this process binds its client sockets: beside the store's own
/// socket, private to the user (ptp4l, as root, can still answer into it).
pub(crate) fn client_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("run").join("ptp")
}

/// Grandmaster and clock-class changes: in the event log and on the bus.
pub(super) async fn announce(
    store: &Store,
    events: &broadcast::Sender<CoreEvent>,
    device: DeviceId,
    name: &str,
    changes: Vec<PtpEvent>,
) {
    for e in changes {
        let (at, change) = match e {
            PtpEvent::GrandmasterChanged { at, from, to } => {
                (at, PtpChange::GrandmasterChanged { from: from.to_string(), to: to.to_string() })
            }
            PtpEvent::ClockClassChanged { at, grandmaster, from, to } => {
                (at, PtpChange::ClockClassChanged { grandmaster: grandmaster.to_string(), from, to })
            }
        };
        tracing::info!(device = name, ?change, "PTP change");
        let detail = serde_json::to_value(&change).unwrap_or_default();
        if let Err(err) = store.log_event(at, "monitor", change.action(), "device", device.to_string(), detail).await {
            tracing::warn!(error = %err, "logging a PTP change");
        }
        let _ = events.send(CoreEvent::PtpChanged { device_id: device, name: name.to_owned(), change, at });
    }
}

/// Starts, changes or stops the watch in `slot`; returns the clears of a
/// watch that ends. A changed watch (or role) adopts the alarms still
/// active in the store, so its first poll or check clears or keeps them.
pub(super) async fn rewatch(
    store: &Store,
    slot: &mut Option<PtpSlot>,
    device: DeviceId,
    cfg: Option<PtpWatchConfig>,
    role: Option<TimingRole>,
) -> Vec<meridian_core::state::Action> {
    if slot.as_ref().map(|s| (&s.cfg, s.role)) == cfg.as_ref().map(|c| (c, role)) {
        return Vec::new();
    }
    let retired = slot.take().map(|mut s| s.retire()).unwrap_or_default();
    let Some(cfg) = cfg else { return retired };
    let mut fresh = PtpSlot::new(device, cfg, role);
    match store.active_alarms_for_device(device).await {
        Ok(active) => {
            fresh.watch.restore(&active);
            fresh.wander.restore(&active);
        }
        Err(err) => tracing::warn!(error = %err, "loading active alarms"),
    }
    // A role that is not checked for wander (a grandmaster) drops its old verdicts.
    let cleared = if fresh.wander_checked() { Vec::new() } else { fresh.wander.retire() };
    *slot = Some(fresh);
    cleared
}
