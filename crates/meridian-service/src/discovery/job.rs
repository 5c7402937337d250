//! One discovery run: an ICMP sweep, then an SNMP probe of the responders,
//! each credential tried in order. Results are stored as they are found, so
//! a crash or a cancel keeps what was learned; progress is published a few
//! times a second, not per address.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use meridian_core::classify::Classification;
use meridian_core::credential::SnmpCredential;
use meridian_core::discovery::{
    fold_same_agent, match_existing, suggested_name, DiscoveryMode, DiscoveryPhase, DiscoveryProgress, DiscoveryRun,
    FoundDevice, KnownIdentity, RunState, SnmpIdentity,
};
use meridian_core::{CredentialId, DeviceId, DeviceKey};
use meridian_probe::icmp::{self, IcmpEngine};
use meridian_probe::snmp::SnmpEngine;
use meridian_store::Store;
use tokio::sync::{broadcast, mpsc, watch};

use super::identify;
use crate::error::{probe_error, ApiError};
use crate::events::CoreEvent;
use crate::target::{snmp_engine, EngineUse};

/// Agents probed at once. snmpsim-like agents and small CPEs serialise
/// requests, so more mostly adds timeouts; fping-style ICMP has its own cap.
const SNMP_CONCURRENCY: usize = 64;
/// ICMP requests in flight during the sweep. With mostly dead addresses a
/// sweep takes about `ceil(targets / this) * timeout`: a /16 with 100 live
/// hosts and a 200 ms timeout took 26 s at 512 and 0.9 s at 16,384. Above
/// that, the first burst of sends can outlast a short timeout on a busy
/// 2-core machine, and replies were missed (5-10 of 100 at 32,768 with the
/// CPU loaded). See docs/PERFORMANCE.md, "Discovery of a /16".
const SWEEP_CONCURRENCY: usize = 16_384;
const TICK: Duration = Duration::from_millis(250);

/// A credential to try: a saved one (with its id) or one given for this run.
#[derive(Clone)]
pub(crate) struct Cred {
    pub id: Option<CredentialId>,
    pub label: String,
    pub secret: SnmpCredential,
}

/// What a worker learned about one address: which credential answered, the
/// agent's identity and its classification; `None` when nothing answered.
type Hit = Option<(usize, SnmpIdentity, Classification)>;

pub(crate) struct Job {
    pub store: Arc<Store>,
    pub events: broadcast::Sender<CoreEvent>,
    pub run: DiscoveryRun,
    pub targets: Vec<IpAddr>,
    pub creds: Vec<Cred>,
    pub cancel: watch::Receiver<bool>,
}

/// Counters the workers bump and the ticker publishes.
#[derive(Default)]
struct Progress {
    phase: AtomicU8,
    probed: AtomicU64,
    total: AtomicU64,
    found: AtomicU64,
}

impl Progress {
    fn snapshot(&self, run: &DiscoveryRun) -> DiscoveryProgress {
        let phase = match self.phase.load(Ordering::Relaxed) {
            0 => DiscoveryPhase::Sweep,
            1 => DiscoveryPhase::Snmp,
            _ => DiscoveryPhase::Done,
        };
        DiscoveryProgress {
            run_id: run.id,
            phase,
            probed: self.probed.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
            found: self.found.load(Ordering::Relaxed),
        }
    }

    fn enter(&self, phase: u8, total: usize) {
        self.phase.store(phase, Ordering::Relaxed);
        self.probed.store(0, Ordering::Relaxed);
        self.total.store(total as u64, Ordering::Relaxed);
    }
}

fn cancelled(rx: &watch::Receiver<bool>) -> bool {
    *rx.borrow()
}

async fn wait_cancel(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow_and_update() {
        if rx.changed().await.is_err() {
            // The registry dropped the sender: nobody can cancel any more.
            std::future::pending::<()>().await;
        }
    }
}

impl Job {
    /// Runs to the end and returns the final record; never fails, since
    /// failure is a state of the run.
    pub async fn run(mut self) -> DiscoveryRun {
        let progress = Arc::new(Progress::default());
        let ticker = self.spawn_ticker(progress.clone());
        let outcome = self.execute(&progress).await;
        ticker.abort();
        let (state, error) = match outcome {
            Ok(s) => (s, None),
            Err(e) => (RunState::Failed, Some(e.detail)),
        };
        self.run.state = state;
        self.run.error = error;
        self.run.finished_at = Some(Utc::now());
        self.run.found = progress.found.load(Ordering::Relaxed);
        if let Err(e) =
            self.store.update_discovery_progress(self.run.id, self.run.total, self.run.probed, self.run.found).await
        {
            tracing::warn!(run = %self.run.id, error = %e, "discovery progress not saved");
        }
        if let Err(e) = self.store.finish_discovery_run(self.run.id, state, Utc::now(), self.run.error.as_deref()).await
        {
            tracing::warn!(run = %self.run.id, error = %e, "discovery run end not saved");
        }
        progress.phase.store(2, Ordering::Relaxed);
        let _ = self.events.send(CoreEvent::DiscoveryProgress { progress: progress.snapshot(&self.run) });
        let _ = self.events.send(CoreEvent::DiscoveryFinished { run: self.run.clone() });
        tracing::info!(run = %self.run.id, state = state.as_str(), found = self.run.found, "discovery finished");
        self.run
    }

    fn spawn_ticker(&self, progress: Arc<Progress>) -> tokio::task::JoinHandle<()> {
        let events = self.events.clone();
        let store = self.store.clone();
        let run = self.run.clone();
        tokio::spawn(async move {
            let mut last = None;
            let mut every = tokio::time::interval(TICK);
            let mut ticks = 0u64;
            loop {
                every.tick().await;
                let now = progress.snapshot(&run);
                if last != Some(now) {
                    let _ = events.send(CoreEvent::DiscoveryProgress { progress: now });
                    last = Some(now);
                    // The stored counters are for a reviewer, not live display.
                    ticks += 1;
                    if ticks.is_multiple_of(8) {
                        let _ = store.update_discovery_progress(run.id, run.total, now.probed, now.found).await;
                    }
                }
            }
        })
    }

    async fn execute(&mut self, progress: &Arc<Progress>) -> Result<RunState, ApiError> {
        let req = self.run.request.clone();
        let timeout = Duration::from_millis(req.timeout_ms);
        let mut alive: BTreeMap<IpAddr, bool> = BTreeMap::new();
        if req.mode != DiscoveryMode::SnmpOnly {
            progress.enter(0, self.targets.len());
            let opts =
                icmp::SweepOptions { concurrency: SWEEP_CONCURRENCY, timeout, retries: req.retries, payload_size: 56 };
            let p = progress.clone();
            let engine = IcmpEngine::new();
            let sweep = engine.sweep(self.targets.clone(), &opts, move |s| {
                p.probed.store(s.probed as u64, Ordering::Relaxed);
                if req.mode == DiscoveryMode::IcmpOnly {
                    p.found.store(s.alive as u64, Ordering::Relaxed);
                }
            });
            // Dropping the sweep stops it: its threads see the stop flag
            // within 20 ms (on other platforms its JoinSet aborts the tasks).
            let report = tokio::select! {
                r = sweep => r.map_err(probe_error)?,
                () = wait_cancel(self.cancel.clone()) => return Ok(RunState::Cancelled),
            };
            self.run.probed = report.total as u64;
            alive = report.alive.iter().map(|a| (*a, true)).collect();
        }
        let snmp_targets: Vec<IpAddr> = match req.mode {
            DiscoveryMode::IcmpOnly => Vec::new(),
            DiscoveryMode::SnmpOnly => self.targets.clone(),
            DiscoveryMode::IcmpThenSnmp if req.snmp_without_ping => self.targets.clone(),
            DiscoveryMode::IcmpThenSnmp => alive.keys().copied().collect(),
        };
        let known = self.store.known_identities().await?;
        let mut found: Vec<FoundDevice> = Vec::new();
        // Known devices that answered SNMP: their inventory and links are refreshed at the end.
        let mut known_hits: Vec<(DeviceId, SocketAddr, SnmpCredential)> = Vec::new();
        if req.mode == DiscoveryMode::IcmpOnly {
            // The sweep counted responders live; `save` counts them again as stored.
            progress.found.store(0, Ordering::Relaxed);
            for addr in alive.keys() {
                let f = self.found_device(*addr, true, None, &known);
                self.keep(f, progress, &mut found).await?;
            }
        } else {
            progress.enter(1, snmp_targets.len());
            progress.found.store(0, Ordering::Relaxed);
            let (tx, mut rx) = mpsc::channel(64);
            let workers = self.spawn_snmp_workers(snmp_targets, tx, progress.clone()).await?;
            while let Some((addr, hit)) = rx.recv().await {
                let alive_here = alive.get(&addr).copied().unwrap_or(false);
                let Some((cred, id, class)) = hit else {
                    // No SNMP: still a device if it answered ping.
                    if alive_here {
                        let f = self.found_device(addr, true, None, &known);
                        self.keep(f, progress, &mut found).await?;
                    }
                    continue;
                };
                let mut f = self.found_device(addr, alive_here, Some(id), &known);
                f.credential_id = self.creds.get(cred).and_then(|c| c.id);
                f.credential_label = self.creds.get(cred).map(|c| c.label.clone());
                f.classification = Some(class);
                if let (Some(device), Some(c)) = (f.existing, self.creds.get(cred)) {
                    known_hits.push((device, SocketAddr::new(addr, req.port), c.secret.clone()));
                }
                self.keep(f, progress, &mut found).await?;
            }
            for w in workers {
                let _ = w.await;
            }
            self.run.probed = progress.probed.load(Ordering::Relaxed);
        }
        self.fold(found, progress).await?;
        if cancelled(&self.cancel) {
            return Ok(RunState::Cancelled);
        }
        self.refresh_known(known_hits).await;
        Ok(RunState::Completed)
    }

    /// A re-discovery that meets a managed device refreshes its inventory and
    /// links, as the monitor's inventory poll does. It asks the address and
    /// credential that just answered rather than the device's stored target:
    /// a device matched by engine id or sysName may have answered on another
    /// of its addresses. A failure is the device's, not the run's: it is
    /// logged and the run still completes.
    async fn refresh_known(&self, hits: Vec<(DeviceId, SocketAddr, SnmpCredential)>) {
        if hits.is_empty() {
            return;
        }
        let engine = match snmp_engine(EngineUse::OneDevice).await {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(error = %e, "no inventory refresh after discovery");
                return;
            }
        };
        for (id, addr, secret) in hits {
            if cancelled(&self.cancel) {
                return;
            }
            let device = match self.store.get_device(&DeviceKey::Id(id)).await {
                Ok(d) => d,
                Err(e) => {
                    tracing::debug!(device = %id, error = %e, "known device gone before its refresh");
                    continue;
                }
            };
            match crate::topology::refresh_device(&self.store, &engine, &device, addr, secret, Utc::now()).await {
                Ok(r) if r.links_changed => crate::topology::announce_links(&self.events, id),
                Ok(_) => {}
                Err(e) => tracing::warn!(device = %device.name, error = %e, "inventory refresh after discovery"),
            }
        }
    }

    fn found_device(
        &self,
        addr: IpAddr,
        alive: bool,
        snmp: Option<SnmpIdentity>,
        known: &[KnownIdentity],
    ) -> FoundDevice {
        let address = addr.to_string();
        let existing = match_existing(&address, snmp.as_ref(), known);
        FoundDevice {
            run_id: self.run.id,
            suggested_name: suggested_name(snmp.as_ref().map(|s| s.sys_name.as_str()), &address),
            address,
            other_addresses: Vec::new(),
            alive,
            rtt_ms: None,
            snmp,
            credential_id: None,
            credential_label: None,
            classification: None,
            existing: existing.map(|(id, _)| id),
            matched_by: existing.map(|(_, how)| how),
            added: None,
        }
    }

    /// Stores a responder, counts and announces it, and keeps it for folding.
    async fn keep(&self, f: FoundDevice, progress: &Progress, found: &mut Vec<FoundDevice>) -> Result<(), ApiError> {
        self.store.save_discovery_result(&f).await?;
        progress.found.fetch_add(1, Ordering::Relaxed);
        let _ = self.events.send(CoreEvent::DiscoveryFound { device: Box::new(f.clone()) });
        found.push(f);
        Ok(())
    }

    /// One agent on several addresses becomes one result (see `fold_same_agent`).
    async fn fold(&self, found: Vec<FoundDevice>, progress: &Progress) -> Result<(), ApiError> {
        let before = found.len();
        let folded = fold_same_agent(found);
        if folded.len() == before {
            return Ok(());
        }
        for f in &folded {
            for other in &f.other_addresses {
                self.store.delete_discovery_result(self.run.id, other).await?;
            }
            if !f.other_addresses.is_empty() {
                self.store.save_discovery_result(f).await?;
            }
        }
        progress.found.store(folded.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    async fn spawn_snmp_workers(
        &self,
        targets: Vec<IpAddr>,
        tx: mpsc::Sender<(IpAddr, Hit)>,
        progress: Arc<Progress>,
    ) -> Result<Vec<tokio::task::JoinHandle<()>>, ApiError> {
        let engine = Arc::new(snmp_engine(EngineUse::Discovery { workers: SNMP_CONCURRENCY }).await?);
        let targets = Arc::new(targets);
        let next = Arc::new(AtomicU64::new(0));
        let creds = Arc::new(self.creds.clone());
        let (port, timeout, retries) =
            (self.run.request.port, Duration::from_millis(self.run.request.timeout_ms), self.run.request.retries);
        let workers = (0..SNMP_CONCURRENCY.min(targets.len()))
            .map(|_| {
                let (engine, targets, next, creds, tx, progress, cancel) = (
                    engine.clone(),
                    targets.clone(),
                    next.clone(),
                    creds.clone(),
                    tx.clone(),
                    progress.clone(),
                    self.cancel.clone(),
                );
                tokio::spawn(async move {
                    // In-flight probes finish on cancel (bounded by the
                    // credentials' timeouts); no new address is started.
                    while !cancelled(&cancel) {
                        let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                        let Some(addr) = targets.get(i).copied() else { break };
                        let hit = probe(&engine, SocketAddr::new(addr, port), &creds, timeout, retries).await;
                        progress.probed.fetch_add(1, Ordering::Relaxed);
                        if tx.send((addr, hit)).await.is_err() {
                            break;
                        }
                    }
                })
            })
            .collect();
        Ok(workers)
    }
}

/// Tries each credential in order; the first that gets an answer wins.
async fn probe(engine: &SnmpEngine, addr: SocketAddr, creds: &[Cred], timeout: Duration, retries: u32) -> Hit {
    for (i, c) in creds.iter().enumerate() {
        let t = identify::target(addr, c.secret.clone(), timeout, retries);
        match identify::identity(engine, &t).await {
            Ok(id) => {
                let class = identify::classify_agent(engine, &t, &id).await;
                return Some((i, id, class));
            }
            Err(e) => tracing::debug!(agent = %addr, credential = %c.label, error = %e, "no SNMP answer"),
        }
    }
    None
}
