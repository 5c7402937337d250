//! The supervisor task: one loop that owns the scheduler and every device's
//! monitor, so no lock guards them. Polls run as tasks (capped by a
//! semaphore) and report back over a channel; the loop turns their results
//! into observations, applies the monitors' actions to the store, publishes
//! events, and feeds samples to the batch writer.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use meridian_core::classify::Metric;
use meridian_core::clock::ntp_alarms::NtpThresholds;
use meridian_core::clock::ntp_watch::NtpWatch;
use meridian_core::clock::ptp_watch::PtpWatchConfig;
use meridian_core::clock::synce::SynceWatch;
use meridian_core::credential::SnmpCredential;
use meridian_core::event::InventoryEntity;
use meridian_core::fault::EventRules;
use meridian_core::interpret::Interpreter;
use meridian_core::inventory::Device;
use meridian_core::metric::{Builtin, NamedSample, SeriesKey};
use meridian_core::ntp::NtpReading;
use meridian_core::poll::{status_name, IcmpReading, IfReading, SnmpReading};
use meridian_core::ptp::PtpSnapshot;
use meridian_core::rules::{RuleAction, RuleEngine};
use meridian_core::sample::Sample;
use meridian_core::schedule::{JobKey, PollKind, Scheduler};
use meridian_core::state::{Action, CountOverride, DeviceMonitor, DeviceState};
use meridian_core::DeviceId;
use meridian_probe::icmp::IcmpEngine;
use meridian_probe::ntp::{NtpClient, UdpNtpClient};
use meridian_probe::snmp::SnmpEngine;
use meridian_probe::RetryPolicy;
use meridian_store::{InterfaceRow, Store, StoreError};
use std::net::SocketAddr;
use tokio::sync::{broadcast, mpsc, watch, Semaphore};
use uuid::Uuid;

mod alarms;
mod devices;
mod items;
mod received;
mod self_alarm;
mod selfwatch;

use super::extras;
use super::fault::Fault;
use super::inventory;
use super::poll;
use super::ptp::{self, PtpSlot};
use super::received::{load_event_rules, ReceivedRx};
use super::rules;
use super::status::{write_status_file, Shared};
use super::wander::{Checked, WanderChecker};
use super::{MonitorConfig, MonitorHandle};
use crate::app::App;
use crate::credentials::load_credential;
use crate::error::{ApiError, ApiErrorKind};
use crate::events::CoreEvent;
use crate::target::{self, snmp_engine, EngineUse};
use crate::topology::{announce_links, InventoryReport};
use crate::writer::{spawn_writer, SampleSink};

const ACTOR: &str = "monitor";

/// How often the status file's store size is refreshed. The status itself is
/// rewritten every `status_every` (2 s); asking the embedded store for its
/// size that often was the largest single cost of an idle monitor (see
/// `Store::size_bytes`), and nobody needs the size to the second.
const STORE_SIZE_EVERY: Duration = Duration::from_secs(60);

/// A device's own monitoring settings beyond its record.
struct Own {
    counts: CountOverride,
    ntp_port: Option<u16>,
    ptp: Option<PtpWatchConfig>,
    role: Option<meridian_core::clock::role::TimingRole>,
}

enum Done {
    Icmp { key: JobKey, at: DateTime<Utc>, out: IcmpReading },
    Snmp { key: JobKey, at: DateTime<Utc>, out: Result<SnmpReading, String> },
    Inventory { key: JobKey, at: DateTime<Utc>, out: Result<InventoryReport, String> },
    Ntp { key: JobKey, at: DateTime<Utc>, out: Result<NtpReading, String> },
    Ptp { key: JobKey, at: DateTime<Utc>, out: Result<PtpSnapshot, String> },
    Items { key: JobKey, at: DateTime<Utc>, out: items::ItemsOut },
}

struct Entry {
    device: Device,
    monitor: DeviceMonitor,
    cred: Option<SnmpCredential>,
    /// Turns this device's readings into observations and samples.
    interp: Interpreter,
    /// The store's id of each series this monitor has written.
    series: HashMap<SeriesKey, i64>,
    if_ids: HashMap<u32, Uuid>,
    /// The poll template's metrics beyond the built-in set.
    extras: Arc<Vec<Metric>>,
    /// The poll template's name, for rule scopes.
    template: Option<String>,
    /// Interface names from the last answered poll, for rule patterns and texts.
    if_names: HashMap<u32, String>,
    /// The device's NTP server, when watched: its port and state.
    ntp: Option<(u16, NtpWatch)>,
    /// The device's PTP clock, when watched.
    ptp: Option<PtpSlot>,
    /// Its SyncE sources' expected quality levels and alarms.
    synce: SynceWatch,
    /// The custom items it polls.
    items: items::DeviceItems,
}

struct Supervisor {
    store: Arc<Store>,
    data_dir: PathBuf,
    vaults: Arc<meridian_store::vault::Vaults>,
    events: broadcast::Sender<CoreEvent>,
    inventory: broadcast::Receiver<CoreEvent>,
    cfg: MonitorConfig,
    sched: Scheduler,
    devices: HashMap<DeviceId, Entry>,
    icmp: IcmpEngine,
    snmp: Arc<SnmpEngine>,
    sink: SampleSink,
    permits: Arc<Semaphore>,
    done_tx: mpsc::Sender<Done>,
    done_rx: mpsc::Receiver<Done>,
    shared: Arc<Shared>,
    /// The last store size read, and when.
    store_bytes: Option<(i64, Instant)>,
    /// The alarm rules, fed every sample.
    rules: RuleEngine,
    /// Every custom item; each device's share is in its entry.
    items: Vec<meridian_core::items::CustomItem>,
    /// Flapping, maintenance windows and topology suppression.
    fault: Fault,
    /// Queries watched NTP servers.
    ntp: Arc<UdpNtpClient>,
    /// Traps and syslog messages of managed devices, from the receivers.
    received: ReceivedRx,
    /// The event rules (traps and syslog to alarms).
    event_rules: EventRules,
    /// Meridian's own alarm while its store cannot write.
    store_alarm: self_alarm::StoreAlarm,
    /// Meridian's other alarms about itself (cap, disk, lag, drops).
    self_watch: selfwatch::SelfWatching,
    /// The periodic wander check and its verdicts, when configured.
    wander: Option<WanderChecker>,
    wander_rx: mpsc::Receiver<Checked>,
}

/// Last known states of the devices this run polls, shown stale until
/// their first poll. A store that cannot answer only costs the seeding.
async fn seed_last_states(sup: &Supervisor) {
    match sup.store.last_device_states().await {
        Ok(known) => sup.shared.seed_live(known.into_iter().filter(|(id, ..)| sup.devices.contains_key(id))),
        Err(e) => tracing::warn!(error = %e, "cannot read the last known device states"),
    }
}

pub(super) async fn start(app: &App, cfg: MonitorConfig, received: ReceivedRx) -> Result<MonitorHandle, ApiError> {
    let icmp = IcmpEngine::new();
    // Refuse to start rather than report every device down when this process
    // may not send ICMP; the message names the sysctl or capability to fix it.
    icmp.planned_mode().map_err(|e| ApiError::new(ApiErrorKind::Validation, e.to_string()))?;
    let snmp = snmp_engine(EngineUse::Monitor).await?;
    let (sink, writer) = spawn_writer(app.store.clone(), cfg.writer);
    let (done_tx, done_rx) = mpsc::channel(cfg.max_concurrent_polls.max(1) * 2);
    let shared = Arc::new(Shared::default());
    let fault = Fault::load(&app.store, cfg.flap).await;
    let (wander, wander_rx) = match cfg.wander.clone() {
        Some(w) => {
            let (c, rx) = WanderChecker::new(w);
            (Some(c), rx)
        }
        None => (None, mpsc::channel(1).1),
    };
    let mut sup = Supervisor {
        store: app.store.clone(),
        data_dir: app.cfg.data_dir.clone(),
        vaults: app.vaults.clone(),
        events: app.events.clone(),
        inventory: app.subscribe(),
        permits: Arc::new(Semaphore::new(cfg.max_concurrent_polls.max(1))),
        cfg,
        sched: Scheduler::new(),
        devices: HashMap::new(),
        icmp,
        snmp: Arc::new(snmp),
        sink,
        done_tx,
        done_rx,
        shared: shared.clone(),
        store_bytes: None,
        rules: rules::load(&app.store).await,
        items: items::load(&app.store).await,
        fault,
        ntp: Arc::new(UdpNtpClient::new(RetryPolicy::default())),
        received,
        event_rules: load_event_rules(&app.store).await,
        store_alarm: self_alarm::StoreAlarm::default(),
        self_watch: selfwatch::SelfWatching::start(&app.store, Utc::now()).await,
        wander,
        wander_rx,
    };
    sup.reload_all(Utc::now()).await?;
    seed_last_states(&sup).await;
    let (stop, stop_rx) = watch::channel(false);
    let task = tokio::spawn(async move {
        sup.run(stop_rx).await;
        // Every sink clone is gone once `sup` is: the writer drains and ends.
        drop(sup);
        if let Err(e) = writer.await {
            tracing::warn!(error = %e, "sample writer ended abnormally");
        }
    });
    tracing::info!("monitor started");
    Ok(MonitorHandle { stop, task, status: shared, traps: None, forwarder: None, reports: None })
}

impl Supervisor {
    async fn run(&mut self, mut stop: watch::Receiver<bool>) {
        self.shared
            .gauges
            .lock()
            .map(|mut g| {
                g.running = true;
                g.started_at = Some(Utc::now());
            })
            .ok();
        let mut last_status = Instant::now() - self.cfg.status_every;
        // Until then no poll starts (the configured start delay): the live
        // view keeps the seeded last known states, marked stale. Everything
        // else (events, receivers, status) runs as usual meanwhile.
        let hold_until = Instant::now() + self.cfg.start_delay;
        if !self.cfg.start_delay.is_zero() {
            tracing::info!(delay = ?self.cfg.start_delay, "holding the first polls");
        }
        loop {
            let held = hold_until.saturating_duration_since(Instant::now());
            // Both are reads of the scheduler's due index, not scans, so
            // they run on every turn (each completed poll is one).
            if held.is_zero() {
                for key in self.sched.next_due(Utc::now()) {
                    self.spawn_poll(key);
                }
            }
            if last_status.elapsed() >= self.cfg.status_every {
                self.publish_status().await;
                last_status = Instant::now();
            }
            let due_in =
                self.sched.next_wakeup().and_then(|t| (t - Utc::now()).to_std().ok()).unwrap_or(Duration::ZERO);
            let wait = due_in.max(held).min(self.cfg.status_every);
            tokio::select! {
                _ = stop.changed() => break,
                _ = tokio::time::sleep(wait) => {}
                Some(done) = self.done_rx.recv() => self.on_done(done).await,
                ev = self.inventory.recv() => self.on_event(ev).await,
                Some((device, r)) = self.received.recv() => self.on_received(device, r).await,
                Some((device, verdicts)) = self.wander_rx.recv() => self.on_wander(device, verdicts).await,
            }
        }
        self.drain().await;
        self.shared.gauges.lock().map(|mut g| g.running = false).ok();
        self.publish_status().await;
        tracing::info!("monitor stopped");
    }

    /// Waits for polls in flight, bounded by the longest a poll can take.
    async fn drain(&mut self) {
        let snmp_worst = self.cfg.snmp_timeout * (self.cfg.snmp_retries + 1) * 8;
        let ping_worst = self.cfg.ping.interval * self.cfg.ping.count + self.cfg.ping.timeout;
        let deadline = tokio::time::Instant::now() + snmp_worst.max(ping_worst) + Duration::from_secs(1);
        while self.shared.in_flight.load(Ordering::Relaxed) > 0 {
            match tokio::time::timeout_at(deadline, self.done_rx.recv()).await {
                Ok(Some(done)) => self.on_done(done).await,
                Ok(None) | Err(_) => break,
            }
        }
    }

    fn spawn_poll(&mut self, key: JobKey) {
        if key.kind == PollKind::Items {
            if self.spawn_items(key) {
                self.shared.in_flight.fetch_add(1, Ordering::Relaxed);
            } else {
                self.sched.completed(key, Utc::now());
            }
            return;
        }
        let Some(e) = self.devices.get(&key.device) else { return };
        let permits = self.permits.clone();
        // The tick this run is for: its start is late when it waited for a
        // permit longer than one interval.
        let started = self.sched.status(key).map(|j| StartWatch {
            shared: self.shared.clone(),
            tick: j.next_due,
            interval: j.interval,
        });
        let tx = self.done_tx.clone();
        self.shared.in_flight.fetch_add(1, Ordering::Relaxed);
        match key.kind {
            PollKind::Icmp => {
                let engine = self.icmp.clone();
                let ping = self.cfg.ping.clone();
                let address = e.device.address.clone();
                tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await;
                    StartWatch::note(started);
                    let ip = target::resolve(&address).await.map_err(|e| e.to_string());
                    let out = poll::icmp(&engine, ip, &ping).await;
                    let _ = tx.send(Done::Icmp { key, at: Utc::now(), out }).await;
                });
            }
            PollKind::Snmp => {
                let (engine, device, cred) = (self.snmp.clone(), e.device.clone(), e.cred.clone());
                let extras = e.extras.clone();
                let (timeout, retries) = (self.cfg.snmp_timeout, self.cfg.snmp_retries);
                tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await;
                    StartWatch::note(started);
                    let out = match (target::snmp_addr(&device).await, cred) {
                        (Ok(addr), Some(cred)) => {
                            poll::snmp(&engine, addr, cred, timeout, retries, &extras).await.map_err(|e| e.to_string())
                        }
                        (Err(e), _) => Err(e.to_string()),
                        (_, None) => Err("no SNMP credential".into()),
                    };
                    let _ = tx.send(Done::Snmp { key, at: Utc::now(), out }).await;
                });
            }
            PollKind::Ntp => {
                let Some((port, _)) = e.ntp.as_ref().map(|(p, w)| (*p, w)) else {
                    self.shared.in_flight.fetch_sub(1, Ordering::Relaxed);
                    return;
                };
                let address = e.device.address.clone();
                let client = self.ntp.clone();
                tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await;
                    StartWatch::note(started);
                    let out = match target::resolve(&address).await {
                        Ok(ip) => client.query(SocketAddr::new(ip, port)).await.map_err(|e| e.to_string()),
                        Err(e) => Err(e.to_string()),
                    };
                    let _ = tx.send(Done::Ntp { key, at: Utc::now(), out }).await;
                });
            }
            PollKind::Ptp => {
                let Some(slot) = e.ptp.as_ref() else {
                    self.shared.in_flight.fetch_sub(1, Ordering::Relaxed);
                    return;
                };
                let query = slot.query(&self.data_dir, e.device.address.clone());
                tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await;
                    StartWatch::note(started);
                    let out = query.await;
                    let _ = tx.send(Done::Ptp { key, at: Utc::now(), out }).await;
                });
            }
            PollKind::Items => {}
            PollKind::Inventory => {
                let (store, engine, device, cred) =
                    (self.store.clone(), self.snmp.clone(), e.device.clone(), e.cred.clone());
                tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await;
                    StartWatch::note(started);
                    let out = match (target::snmp_addr(&device).await, cred) {
                        (Ok(addr), Some(cred)) => inventory::poll(store, engine, device, addr, cred).await,
                        (Err(e), _) => Err(e.to_string()),
                        (_, None) => Err("no SNMP credential".into()),
                    };
                    let _ = tx.send(Done::Inventory { key, at: Utc::now(), out }).await;
                });
            }
        }
    }

    async fn on_done(&mut self, done: Done) {
        self.shared.in_flight.fetch_sub(1, Ordering::Relaxed);
        let (key, at) = match &done {
            Done::Icmp { key, at, .. }
            | Done::Snmp { key, at, .. }
            | Done::Inventory { key, at, .. }
            | Done::Ntp { key, at, .. }
            | Done::Ptp { key, at, .. }
            | Done::Items { key, at, .. } => (*key, *at),
        };
        let skipped = self.sched.completed(key, Utc::now());
        self.shared.skipped.fetch_add(skipped, Ordering::Relaxed);
        let Some(e) = self.devices.get_mut(&key.device) else { return };
        let mut if_rows = None;
        let mut uptime = None;
        let mut synce_actions = Vec::new();
        let (answered, meaning) = match done {
            Done::Items { out, .. } => return self.on_items(key, at, out).await,
            Done::Ntp { out, .. } => {
                let Some((_, watch)) = e.ntp.as_mut() else { return };
                if let Err(err) = &out {
                    tracing::debug!(device = %e.device.name, error = %err, "ntp");
                }
                let (samples, actions) = watch.poll(out.ok());
                self.write_samples(key.device, at, samples).await;
                self.apply(key.device, actions, at).await;
                return;
            }
            Done::Ptp { out, .. } => {
                let Some(slot) = e.ptp.as_mut() else { return };
                let name = e.device.name.clone();
                let poll = slot.on_poll(at, out, &name);
                // Rules see PTP samples like any other: an offset rule replaces the default limit.
                let rule_actions: Vec<RuleAction> =
                    poll.samples.iter().flat_map(|s| self.rules.observe(key.device, s, None, at)).collect();
                self.write_samples(key.device, at, poll.samples).await;
                self.apply(key.device, poll.actions, at).await;
                self.apply_rules(rule_actions, at).await;
                ptp::announce(&self.store, &self.events, key.device, &name, poll.events).await;
                return;
            }
            Done::Icmp { out, .. } => {
                self.fault.last_icmp.insert(key.device, at);
                let counter = if out.ok { &self.shared.icmp_ok } else { &self.shared.icmp_failed };
                counter.fetch_add(1, Ordering::Relaxed);
                if let Some(err) = &out.error {
                    tracing::debug!(device = %e.device.name, error = %err, "icmp");
                }
                (out.ok, e.interp.icmp(at, &out))
            }
            Done::Inventory { out, .. } => {
                match out {
                    Ok(report) if report.links_changed => announce_links(&self.events, key.device),
                    Ok(_) => {}
                    Err(err) => tracing::debug!(device = %e.device.name, error = %err, "inventory poll"),
                }
                // The pass re-classified the device: its template may have changed.
                let (template, metrics) = extras::for_device(&self.store, key.device).await;
                e.extras = Arc::new(metrics);
                if template != e.template {
                    e.template = template;
                    self.rules.set_device(rules::facts(&e.device, e.template.clone()));
                    self.sync_items(key.device, at);
                }
                return;
            }
            Done::Snmp { out: Err(err), .. } => {
                self.shared.snmp_failed.fetch_add(1, Ordering::Relaxed);
                tracing::debug!(device = %e.device.name, error = %err, "snmp");
                (false, e.interp.snmp_failed(at))
            }
            Done::Snmp { out: Ok(r), .. } => {
                self.shared.snmp_ok.fetch_add(1, Ordering::Relaxed);
                uptime = r.sys_uptime;
                if_rows = Some(r.interfaces.iter().map(interface_row).collect::<Vec<_>>());
                e.if_names = r.interfaces.iter().map(|i| (i.if_index, i.label())).collect();
                let mut meaning = e.interp.snmp(at, &r, &e.extras);
                let (samples, actions) = e.synce.poll(&r.synce);
                meaning.samples.extend(samples);
                synce_actions = actions;
                (true, meaning)
            }
        };
        let mut actions = synce_actions;
        for o in meaning.observations {
            actions.extend(e.monitor.observe(o));
        }
        let mut rule_actions = Vec::new();
        let rules_started = std::time::Instant::now();
        for s in &meaning.samples {
            let label = s.key.if_index().and_then(|i| e.if_names.get(&i)).map(String::as_str);
            rule_actions.extend(self.rules.observe(key.device, s, label, at));
        }
        self.shared.rules_timed(rules_started.elapsed());
        self.update_live(key, at, answered, &meaning.samples, uptime);
        let device = key.device;
        if let Some(rows) = if_rows {
            match self.store.upsert_interfaces(device, &rows, at).await {
                Ok(ids) => {
                    if let Some(e) = self.devices.get_mut(&device) {
                        e.if_ids = rows.iter().map(|r| r.if_index).zip(ids).collect();
                    }
                }
                Err(err) => tracing::warn!(error = %err, "storing interfaces"),
            }
        }
        self.write_samples(device, at, meaning.samples).await;
        self.apply(device, actions, at).await;
        self.apply_rules(rule_actions, at).await;
    }

    /// Rule alarms go through `apply` like the state machine's own.
    async fn apply_rules(&mut self, actions: Vec<RuleAction>, at: DateTime<Utc>) {
        for (device, action) in rules::as_actions(actions) {
            self.apply(device, vec![action], at).await;
        }
    }

    /// The live view (`meridian status`, the desktop's markers) after a
    /// poll: state from the monitor, RTT and loss from the ICMP samples.
    /// A failed ping clears the RTT: a stale one beside 100 % loss reads as live.
    /// An SNMP answer also brings the agent's sysUpTime (`ticks`).
    fn update_live(&self, key: JobKey, at: DateTime<Utc>, answered: bool, samples: &[NamedSample], ticks: Option<u64>) {
        let Some(e) = self.devices.get(&key.device) else { return };
        let value = |b: Builtin| samples.iter().find(|s| s.key == SeriesKey::device(b)).map(|s| s.value);
        self.shared.update_live(key.device, e.monitor.state(), at, answered, |l| {
            if key.kind == PollKind::Icmp {
                l.rtt_ms = value(Builtin::RttMs);
                l.loss_pct = value(Builtin::LossPct);
            }
            if let Some(t) = ticks {
                l.uptime_secs = Some(meridian_core::uptime::ticks_to_secs(t));
                l.uptime_at = Some(at);
            }
        });
    }

    async fn write_samples(&mut self, device: DeviceId, at: DateTime<Utc>, samples: Vec<NamedSample>) {
        for s in samples {
            let Some(e) = self.devices.get_mut(&device) else { return };
            let series = match e.series.get(&s.key) {
                Some(id) => *id,
                None => {
                    let iface = s.key.if_index().and_then(|i| e.if_ids.get(&i).copied());
                    match self.store.ensure_series(device, iface, &s.key.stored_metric(), &s.unit).await {
                        Ok(id) => {
                            e.series.insert(s.key, id);
                            id
                        }
                        Err(err) => {
                            tracing::warn!(error = %err, "series");
                            continue;
                        }
                    }
                }
            };
            self.sink.send(Sample { at, series, value: s.value }).await;
        }
    }

    fn publish(&self, e: CoreEvent) {
        let _ = self.events.send(e);
    }

    async fn on_event(&mut self, ev: Result<CoreEvent, broadcast::error::RecvError>) {
        let now = Utc::now();
        match ev {
            Ok(CoreEvent::InventoryChanged { entity: InventoryEntity::Device, id, .. }) => {
                self.reload_device(&id, now).await
            }
            // Links changed by an inventory pass, maybe this monitor's own:
            // nothing to reschedule, but parents may have moved.
            Ok(CoreEvent::InventoryChanged { entity: InventoryEntity::Link, .. }) => {
                self.fault.reload_topology(&self.store).await
            }
            Ok(CoreEvent::RulesChanged) => self.reload_rules(now).await,
            Ok(CoreEvent::MaintenanceChanged) => self.fault.reload_windows(&self.store).await,
            Ok(CoreEvent::PollRequested { device_id }) => {
                self.sched.poll_now(device_id, now);
            }
            Ok(CoreEvent::InventoryChanged { .. }) | Err(broadcast::error::RecvError::Lagged(_)) => {
                if let Err(e) = self.reload_all(now).await {
                    tracing::warn!(error = %e, "reloading inventory");
                }
            }
            _ => {}
        }
    }

    /// A new engine from the stored rules. Alarms of rules that still exist
    /// are taken over by the new engine; those of removed rules clear.
    async fn reload_rules(&mut self, now: DateTime<Utc>) {
        // Custom items are announced as rule changes: both say what is watched.
        self.reload_items(now).await;
        self.rules = rules::load(&self.store).await;
        self.event_rules = load_event_rules(&self.store).await;
        tracing::info!(rules = self.rules.rule_count(), "alarm rules reloaded");
        let ids: Vec<DeviceId> = self.devices.keys().copied().collect();
        for id in ids {
            let Some(e) = self.devices.get(&id) else { continue };
            self.rules.set_device(rules::facts(&e.device, e.template.clone()));
            match self.store.active_alarms_for_device(id).await {
                Ok(active) => {
                    let actions = self.rules.restore(id, &active, now);
                    self.apply_rules(actions, now).await;
                }
                Err(e) => tracing::warn!(error = %e, "loading active alarms"),
            }
        }
    }

    async fn publish_status(&mut self) {
        // "No data" rules are judged here, every status interval (2 s).
        let silent = self.rules.tick(Utc::now());
        self.apply_rules(silent, Utc::now()).await;
        self.tick_fault(Utc::now()).await;
        self.check_store(Utc::now()).await;
        self.tick_wander(Utc::now());
        let store_bytes = match self.store_bytes {
            Some((bytes, at)) if at.elapsed() < STORE_SIZE_EVERY => bytes,
            _ => {
                let bytes = self.store.size_bytes().await.unwrap_or_else(|e| {
                    tracing::debug!(error = %e, "store size");
                    0
                });
                self.store_bytes = Some((bytes, Instant::now()));
                bytes
            }
        };
        self.tick_self_watch(u64::try_from(store_bytes).ok().filter(|b| *b > 0), Utc::now()).await;
        if let Ok(mut g) = self.shared.gauges.lock() {
            g.devices = self.devices.len() as u64;
            g.jobs = self.sched.len() as u64;
            let count = |s: DeviceState| self.devices.values().filter(|e| e.monitor.state() == s).count() as u64;
            g.up = count(DeviceState::Up);
            g.down = count(DeviceState::Down);
            g.degraded = count(DeviceState::Degraded);
            g.active_alarms = self.devices.values().map(|e| e.monitor.active_alarms().count() as u64).sum();
            g.writer = Some(self.sink.stats());
            g.store_bytes = store_bytes;
        }
        write_status_file(&self.data_dir, &self.shared.snapshot());
    }
}

impl Supervisor {
    /// Starts a wander check of the watched clocks that follow a master, when due.
    fn tick_wander(&mut self, now: DateTime<Utc>) {
        let Some(w) = self.wander.as_mut() else { return };
        let devices: Vec<(DeviceId, String)> = self
            .devices
            .iter()
            .filter(|(_, e)| e.ptp.as_ref().is_some_and(PtpSlot::wander_checked))
            .map(|(id, e)| (*id, e.device.name.clone()))
            .collect();
        w.tick(&self.store, devices, self.cfg.intervals.ptp.as_secs_f64(), now);
    }

    async fn on_wander(&mut self, device: DeviceId, verdicts: Option<Vec<meridian_core::timing::MaskVerdict>>) {
        let Some(slot) = self.devices.get_mut(&device).and_then(|e| e.ptp.as_mut()) else { return };
        if !slot.wander_checked() {
            return;
        }
        let actions = slot.wander.check(verdicts.as_deref());
        self.apply(device, actions, Utc::now()).await;
    }
}

/// Counts a poll's start, and whether it was late, once it has its permit.
struct StartWatch {
    shared: Arc<Shared>,
    tick: DateTime<Utc>,
    interval: Duration,
}

impl StartWatch {
    fn note(w: Option<Self>) {
        let Some(w) = w else { return };
        w.shared.polls_started.fetch_add(1, Ordering::Relaxed);
        let waited = (Utc::now() - w.tick).to_std().unwrap_or_default();
        if waited > w.interval {
            w.shared.polls_late.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The store's row for one polled interface (public for the poll-path bench).
pub fn interface_row(i: &IfReading) -> InterfaceRow {
    InterfaceRow {
        if_index: i.if_index,
        name: i.name.clone(),
        descr: i.descr.clone(),
        alias: i.alias.clone(),
        speed_bps: i.speed_bps,
        admin_status: status_name(i.admin_status).map(str::to_owned),
        oper_status: status_name(i.oper_status).map(str::to_owned),
    }
}
