use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use meridian_store::vault::{self, SecretVault, Vaults};
use meridian_store::{DbInfo, Store};
use tokio::sync::broadcast;

use crate::config::AppConfig;
use crate::error::ApiError;
use crate::events::CoreEvent;

/// Everything a running Meridian holds: the store, the secret vault and the
/// event bus. One per process; front ends keep it in their state.
pub struct App {
    pub(crate) store: Arc<Store>,
    /// Where new secrets go (`vaults.default`).
    pub(crate) vault: Arc<dyn SecretVault>,
    /// Every backend, for secrets stored under another one.
    pub(crate) vaults: Arc<Vaults>,
    pub(crate) cfg: AppConfig,
    pub(crate) events: broadcast::Sender<CoreEvent>,
    /// The bus's relay to other processes and their events (`cluster.rs`).
    pub(crate) cluster: crate::cluster::Cluster,
    pub(crate) monitor: tokio::sync::Mutex<Option<crate::monitor::MonitorHandle>>,
    /// The history rollup job, running while the monitor runs.
    pub(crate) rollup_job: tokio::sync::Mutex<Option<crate::rollups::RollupJob>>,
    pub(crate) discoveries: Arc<crate::discovery::Registry>,
    /// The e-mail/webhook delivery worker, running beside the monitor.
    pub(crate) notifier: tokio::sync::Mutex<Option<crate::notify::worker::Notifier>>,
    /// The syslog receiver and its writer, beside the monitor or alone.
    pub(crate) syslog: tokio::sync::Mutex<Option<crate::syslog::SyslogHandle>>,
    /// The desktop's opt-in `/metrics` server task (`start_metrics`).
    pub(crate) metrics: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// The MIB set, loaded at first use (`mib.rs`).
    pub(crate) mibs: std::sync::OnceLock<crate::mib::Mibs>,
    closed: AtomicBool,
}

impl App {
    pub async fn open(cfg: AppConfig) -> Result<Self, ApiError> {
        let store = Store::open(cfg.store_config()).await?;
        let dir = cfg.data_dir.clone();
        let (forced, key) = (cfg.vault.clone(), cfg.vault_key());
        let vaults =
            tokio::task::spawn_blocking(move || vault::open_default(&dir, forced.as_deref(), key.as_ref())).await?;
        let vaults = match vaults {
            Ok(v) => Arc::new(v),
            Err(e) => {
                store.close().await;
                return Err(e.into());
            }
        };
        let vault = vaults.default.clone();
        tracing::info!(data_dir = %cfg.data_dir.display(), vault = vault.backend(), "meridian opened");
        // Slow subscribers lose the oldest events rather than stall writers.
        let (events, _) = broadcast::channel(1024);
        // A run still marked running was cut short by a crash or kill.
        match store.fail_abandoned_discovery_runs(chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(runs = n, "discovery runs interrupted by the last exit marked failed"),
            Err(e) => tracing::warn!(error = %e, "could not check for interrupted discovery runs"),
        }
        let store = Arc::new(store);
        let cluster = crate::cluster::Cluster::new(&store, &events);
        Ok(Self {
            store,
            vault,
            vaults,
            cfg,
            events,
            cluster,
            monitor: tokio::sync::Mutex::new(None),
            rollup_job: tokio::sync::Mutex::new(None),
            discoveries: Arc::default(),
            notifier: tokio::sync::Mutex::new(None),
            syslog: tokio::sync::Mutex::new(None),
            metrics: std::sync::Mutex::new(None),
            mibs: std::sync::OnceLock::new(),
            closed: AtomicBool::new(false),
        })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<CoreEvent> {
        self.events.subscribe()
    }

    pub(crate) fn publish(&self, e: CoreEvent) {
        // Inside a transaction scope the event waits for the commit.
        let Some(e) = crate::tx::defer(e) else { return };
        // No subscriber is normal (the CLI has none).
        let _ = self.events.send(e);
    }

    pub fn config(&self) -> &AppConfig {
        &self.cfg
    }

    pub async fn db_info(&self) -> Result<DbInfo, ApiError> {
        Ok(self.store.info().await?)
    }

    /// Stops the monitor (writing what it queued), then closes the store.
    /// Safe to call more than once.
    pub async fn shutdown(&self) {
        self.discoveries.cancel_all(std::time::Duration::from_secs(15)).await;
        self.stop_monitor().await;
        self.stop_syslog().await;
        self.stop_notifier().await;
        self.stop_metrics();
        self.cluster.stop();
        if !self.closed.swap(true, Ordering::SeqCst) {
            self.store.close().await;
            tracing::info!("meridian closed");
        }
    }

    pub async fn close(self) {
        self.shutdown().await;
    }
}
