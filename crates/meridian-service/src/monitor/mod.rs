//! The monitoring engine as the service runs it: a supervisor task drives the
//! pure scheduler and device monitors from `meridian-core` with the probe
//! engines, writes samples through the batch writer, stores alarms and
//! publishes `CoreEvent`s. Inventory edits take effect without a restart.

mod extras;
mod fault;
mod inventory;
mod poll;
mod pollnow;
mod ptp;
pub(crate) mod received;
mod rules;
mod status;
mod supervisor;
mod synce;
mod wander;

use std::sync::Arc;
use std::time::Duration;

use meridian_core::schedule::Intervals;
use meridian_core::state::MonitorConfig as Thresholds;
use meridian_probe::icmp::PingConfig;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub(crate) use ptp::client_dir as ptp_client_dir;
pub use status::{read_status_file, DeviceLive, MonitorStatus};
pub use supervisor::interface_row;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};
use crate::rollups::RollupConfig;
use crate::writer::WriterConfig;

#[derive(Debug, Clone)]
pub struct MonitorConfig {
    pub intervals: Intervals,
    pub thresholds: Thresholds,
    /// One ICMP poll: a short burst, so one lost packet is not a failure.
    pub ping: PingConfig,
    pub snmp_timeout: Duration,
    pub snmp_retries: u32,
    /// Polls in flight at once, across all devices.
    pub max_concurrent_polls: usize,
    pub writer: WriterConfig,
    /// How often `status.json` is rewritten.
    pub status_every: Duration,
    /// When raises and clears of one alarm count as flapping.
    pub flap: meridian_core::fault::FlapConfig,
    /// The rollup job run beside the monitor; `None` runs none.
    pub rollups: Option<RollupConfig>,
    /// The notification worker started with the monitor.
    pub notify: crate::notify::NotifyConfig,
    /// The syslog receiver run beside the monitor; `None` runs none.
    pub syslog: Option<crate::syslog::SyslogConfig>,
    /// Where the trap receiver listens beside the monitor (`--trap-port`);
    /// `None` takes the `traps` setting's port, and runs none without one.
    pub traps: Option<std::net::SocketAddr>,
    /// The periodic wander check of watched PTP clients; `None` runs none.
    pub wander: Option<crate::wander::WanderCheckConfig>,
    /// How alarm changes owed to a northbound target are retried.
    pub forward_retry: meridian_core::notification::RetryPolicy,
    /// Install the templates' default rules not installed before, at start.
    pub default_rules: bool,
    /// How often scheduled reports are checked and the due ones run;
    /// `None` runs none.
    pub report_every: Option<Duration>,
    /// No poll starts until this long after the monitor started: devices
    /// keep showing their last known state, marked stale, meanwhile. Zero
    /// (the default) polls at once. See `AppConfig::poll_start_delay`.
    pub start_delay: Duration,
}

impl Default for MonitorConfig {
    fn default() -> Self {
        Self {
            intervals: Intervals::default(),
            thresholds: Thresholds::default(),
            ping: PingConfig {
                count: 3,
                interval: Duration::from_millis(200),
                timeout: Duration::from_secs(1),
                payload_size: 56,
            },
            snmp_timeout: Duration::from_secs(2),
            snmp_retries: 1,
            max_concurrent_polls: 512,
            writer: WriterConfig::default(),
            status_every: Duration::from_secs(2),
            flap: meridian_core::fault::FlapConfig::default(),
            rollups: Some(RollupConfig::default()),
            notify: crate::notify::NotifyConfig::default(),
            syslog: None,
            traps: None,
            wander: Some(crate::wander::WanderCheckConfig::default()),
            forward_retry: meridian_core::forward::retry_policy(),
            default_rules: true,
            report_every: Some(Duration::from_secs(60)),
            start_delay: Duration::ZERO,
        }
    }
}

/// A running monitor. Dropping it without `stop` leaves the task running
/// until the runtime ends; `App::shutdown` stops it.
pub struct MonitorHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    status: Arc<status::Shared>,
    /// The trap receiver running beside the monitor.
    traps: Option<crate::traps::TrapService>,
    /// The northbound forwarder, sending alarm changes while the monitor runs.
    forwarder: Option<JoinHandle<()>>,
    /// The scheduled-report runner.
    reports: Option<crate::reports::runner::ReportJob>,
}

impl MonitorHandle {
    pub fn status(&self) -> MonitorStatus {
        self.status.snapshot()
    }

    /// The trap receiver's address, engine id and counters, when one runs.
    pub fn traps(&self) -> Option<&crate::traps::TrapService> {
        self.traps.as_ref()
    }

    pub(crate) fn writer_stats(&self) -> Option<crate::writer::WriterStats> {
        self.status.writer()
    }

    pub(crate) fn rule_timing(&self) -> (u64, u64) {
        self.status.rule_timing()
    }

    /// Graceful: finishes in-flight polls (bounded by their timeouts), writes
    /// every queued sample, then returns.
    pub async fn stop(mut self) {
        // The receiver stops first, so no link trap arrives at a stopping monitor.
        drop(self.traps.take());
        if let Some(r) = self.reports.take() {
            r.stop().await;
        }
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::warn!(error = %e, "monitor task ended abnormally");
        }
        if let Some(f) = self.forwarder.take() {
            f.abort();
        }
    }
}

/// The facts rule scopes match on, as the monitor builds them; the poll
/// template is looked up only when `with_template` (one query per device).
pub(crate) async fn rule_facts(
    store: &meridian_store::Store,
    d: &meridian_core::inventory::Device,
    with_template: bool,
) -> meridian_core::rules::DeviceFacts {
    let template = if with_template { extras::for_device(store, d.id).await.0 } else { None };
    rules::facts(d, template)
}

/// The name of the template a device polls with (see `extras::for_device`).
pub(crate) async fn device_template(store: &meridian_store::Store, device: meridian_core::DeviceId) -> Option<String> {
    extras::for_device(store, device).await.0
}

impl App {
    /// The monitor settings this app was configured with (poll intervals
    /// from flags, environment or config file; defaults otherwise).
    pub fn monitor_config(&self) -> MonitorConfig {
        let mut m = MonitorConfig::default();
        if let Some(i) = self.cfg.icmp_interval {
            m.intervals.icmp = i;
        }
        if let Some(s) = self.cfg.snmp_interval {
            m.intervals.snmp = s;
        }
        if let Some(v) = self.cfg.inventory_interval {
            m.intervals.inventory = v;
        }
        if let Some(d) = self.cfg.poll_start_delay {
            m.start_delay = d;
        }
        m.syslog = crate::syslog::SyslogConfig::from_settings(&self.cfg.syslog);
        m
    }

    /// Starts polling every enabled device.
    pub async fn start_monitor(&self, cfg: MonitorConfig) -> Result<(), ApiError> {
        let mut slot = self.monitor.lock().await;
        if slot.is_some() {
            return Err(ApiError::new(ApiErrorKind::Conflict, "the monitor is already running"));
        }
        // Before the engine loads the rules, so the defaults are in force from the first poll.
        if cfg.default_rules {
            if let Err(e) = self.seed_default_rules().await {
                tracing::warn!(error = %e, "cannot install the default alarm rules");
            }
        }
        // Notifications go out wherever alarms are raised; the worker is
        // separate from the supervisor and only listens to the event bus.
        // It subscribes first, so the monitor's first alarms reach it.
        self.start_notifier(cfg.notify.clone()).await?;
        // The receivers bind their ports before polling starts, so a refused
        // port fails the start cleanly; they hand managed devices' events to
        // the supervisor (link traps, event rules).
        let (received_tx, received_rx) = tokio::sync::mpsc::channel(received::QUEUE);
        if let Some(sc) = cfg.syslog.clone() {
            if let Err(e) = self.start_syslog_feeding(sc, Some(received_tx.clone())).await {
                self.stop_notifier().await;
                return Err(e);
            }
        }
        let rollups = cfg.rollups.clone();
        let report_every = cfg.report_every;
        let trap_bind = match cfg.traps {
            Some(b) => Some(b),
            None => self.trap_settings().await?.port.map(crate::traps::trap_bind),
        };
        let traps = match trap_bind {
            Some(bind) => match self.start_traps(bind, Some(received_tx), None).await {
                Ok(t) => Some(t),
                Err(e) => {
                    self.stop_syslog().await;
                    self.stop_notifier().await;
                    return Err(e);
                }
            },
            None => None,
        };
        // Subscribed before polling starts, so the first alarms go north too.
        // v3 traps go out as the engine the trap receiver answers for, or,
        // without a receiver, as that engine started afresh.
        let engine = match &traps {
            Some(t) => Ok(t.engine().clone()),
            None => self.local_engine().await,
        };
        let engine = match engine {
            Ok(e) => e,
            Err(e) => {
                self.stop_syslog().await;
                self.stop_notifier().await;
                return Err(e);
            }
        };
        let cx = crate::forward::SendContext {
            store: self.store.clone(),
            vault: self.vault.clone(),
            vaults: self.vaults.clone(),
            engine,
        };
        let forwarder = crate::forward::start_forwarder(cx, self.subscribe(), cfg.forward_retry.clone());
        match supervisor::start(self, cfg, received_rx).await {
            Ok(mut handle) => {
                handle.traps = traps;
                handle.forwarder = Some(forwarder);
                handle.reports = report_every.map(|every| crate::reports::runner::spawn(self.report_runner(), every));
                if let Some(rc) = rollups {
                    self.start_rollup_job(rc, &handle).await;
                }
                *slot = Some(handle);
                Ok(())
            }
            Err(e) => {
                forwarder.abort();
                self.stop_syslog().await;
                self.stop_notifier().await;
                Err(e)
            }
        }
    }

    /// The history tiers are built beside the monitor; the job reports the
    /// tier sizes into the monitor's status.
    async fn start_rollup_job(&self, cfg: RollupConfig, handle: &MonitorHandle) {
        let status = handle.status.clone();
        let job = crate::rollups::spawn(self.store.clone(), cfg, move |sizes| {
            if let Ok(mut t) = status.tiers.lock() {
                *t = sizes;
            }
        });
        if let Some(old) = self.rollup_job.lock().await.replace(job) {
            old.stop().await;
        }
    }

    pub async fn stop_monitor(&self) {
        if let Some(job) = self.rollup_job.lock().await.take() {
            job.stop().await;
        }
        if let Some(h) = self.monitor.lock().await.take() {
            h.stop().await;
        }
        self.stop_syslog().await;
        self.stop_notifier().await;
    }

    /// The running monitor's trap receiver: address, engine id (hex) and counters.
    pub async fn trap_receiver_status(
        &self,
    ) -> Option<(std::net::SocketAddr, String, meridian_probe::snmp::trap::ReceiverStats)> {
        let slot = self.monitor.lock().await;
        let t = slot.as_ref()?.traps()?;
        Some((t.local_addr(), t.engine_id_hex(), t.stats()))
    }

    pub async fn monitor_status(&self) -> Option<MonitorStatus> {
        self.monitor.lock().await.as_ref().map(MonitorHandle::status)
    }

    /// Live state of every monitored device (empty when the monitor is off).
    pub async fn device_live(&self) -> Vec<DeviceLive> {
        match self.monitor.lock().await.as_ref() {
            Some(h) => h.status.live.lock().map(|m| m.values().cloned().collect()).unwrap_or_default(),
            None => Vec::new(),
        }
    }
}
