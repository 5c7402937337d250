//! Consumes the receiver's items: matches the source to a managed device,
//! stores the event, and hands managed devices' events to the monitor, where
//! a linkDown/linkUp raises or clears the interface alarm the poller does
//! and the event rules are checked.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use meridian_core::discovery::meaningful_engine_id;
use meridian_core::reclaim::Reclaim;
use meridian_core::trap::TrapEvent;
use meridian_core::DeviceId;
use meridian_probe::snmp::trap::{NotificationKind, Received, TrapItem};
use meridian_probe::snmp::WireVersion;
use meridian_store::{Reclaimable, Store};
use tokio::sync::{broadcast, mpsc};

use super::convert;
use crate::batching::next_batch;
use crate::monitor::received::{offer, Received as ForMonitor, ReceivedTx};

/// Most events written in one statement.
const BATCH: usize = 2048;
/// The longest a trap waits for others to share its statement: nothing
/// next to the second in which a linkDown must raise its alarm.
const WINDOW: Duration = Duration::from_millis(10);

/// Where stored events go next, and the intake's own counters.
pub(super) struct Sink {
    pub monitor: Option<ReceivedTx>,
    pub tap: Option<broadcast::Sender<TrapEvent>>,
    pub written: Arc<Written>,
}

/// Counted here rather than in the store so a flood's losses are visible
/// without a query (the receiver counts what it could not queue).
#[derive(Default)]
pub(super) struct Written {
    stored: AtomicU64,
    failed: AtomicU64,
}

impl Written {
    pub(super) fn counts(&self) -> super::IntakeCounts {
        super::IntakeCounts {
            stored: self.stored.load(Ordering::Relaxed),
            store_failed: self.failed.load(Ordering::Relaxed),
        }
    }
}

pub(super) async fn run(
    store: Arc<Store>,
    mibs: crate::mib::Mibs,
    items: mpsc::Receiver<TrapItem>,
    sink: Sink,
    retention: (u32, u64),
) {
    // Naming and device matching of one batch overlap the store's write of
    // the batch before (the database does that work, not this task). One task, so
    // aborting it stops both halves; at most two batches wait between them.
    let (tx, rx) = mpsc::channel(2);
    tokio::join!(convert_batches(&store, &mibs, items, tx), write_batches(&store, rx, sink, retention));
}

/// Takes whatever is queued (up to a batch) and turns it into events.
async fn convert_batches(
    store: &Store,
    mibs: &crate::mib::Mibs,
    mut items: mpsc::Receiver<TrapItem>,
    out: mpsc::Sender<Vec<TrapEvent>>,
) {
    let mut devices = Devices::default();
    let mut batch = Vec::with_capacity(BATCH);
    // A trap that comes alone waits at most WINDOW; under a flood, one
    // statement per batch.
    while next_batch(&mut items, &mut batch, BATCH, WINDOW).await {
        let mut events = Vec::with_capacity(batch.len());
        for item in batch.drain(..) {
            events.push(match item {
                TrapItem::Notification { at, from, received } => {
                    let agent = received.notification.agent_addr.map(IpAddr::V4);
                    let engine = sender_engine(&received);
                    let device = devices.matching(store, engine.as_deref(), from.ip(), agent).await;
                    let mut event = convert::event(
                        DateTime::<Utc>::from(at),
                        from,
                        &received,
                        device.as_ref().map(|d| d.0),
                        mibs.set(),
                    );
                    event.device_name = device.map(|d| d.1);
                    event
                }
                TrapItem::Malformed { at, from, bytes, error } => {
                    tracing::debug!(%from, %error, "malformed SNMP datagram kept");
                    convert::malformed(DateTime::<Utc>::from(at), from, &bytes, error)
                }
            });
        }
        if out.send(events).await.is_err() {
            return;
        }
    }
}

/// Stores each batch, then hands its events on; purges on a timer.
async fn write_batches(
    store: &Store,
    mut batches: mpsc::Receiver<Vec<TrapEvent>>,
    Sink { monitor, tap, written }: Sink,
    (keep_days, max_rows): (u32, u64),
) {
    let mut purge = tokio::time::interval(PURGE_EVERY);
    let mut reclaim = Reclaim::hourly();
    loop {
        let events = tokio::select! {
            b = batches.recv() => match b {
                Some(b) => b,
                None => break,
            },
            _ = purge.tick() => {
                purge_old(store, keep_days, max_rows, &mut reclaim).await;
                continue;
            }
        };
        let n = events.len() as u64;
        match store.insert_trap_events(&events).await {
            Ok(_) => written.stored.fetch_add(n, Ordering::Relaxed),
            Err(e) => {
                tracing::warn!(error = %e, events = events.len(), "storing trap events");
                written.failed.fetch_add(n, Ordering::Relaxed)
            }
        };
        for event in events {
            if let (Some(d), Some(tx)) = (event.device_id, &monitor) {
                offer(tx, d, ForMonitor::Trap(Box::new(event.clone())));
            }
            if let Some(tap) = &tap {
                // No reader left is fine: the event is stored either way.
                let _ = tap.send(event);
            }
        }
    }
}

/// The sender's snmpEngineID (hex) of a v3 trap: the sender is the
/// authoritative engine of a trap. An inform's is ours, so it names no one.
fn sender_engine(r: &Received) -> Option<String> {
    let v3_trap = r.version == WireVersion::V3 && r.notification.kind != NotificationKind::Inform;
    let hex = super::hex(&r.engine_id);
    (v3_trap && meaningful_engine_id(&hex)).then_some(hex)
}

type Named = (DeviceId, String);

/// Enabled devices by snmpEngineID and by address, read from the store at
/// most once a second and only when a source is not known: a flood from one
/// address costs no query per event, and a device added a moment ago is found.
#[derive(Default)]
struct Devices {
    by_engine: HashMap<String, Named>,
    by_address: HashMap<IpAddr, Named>,
    loaded: Option<Instant>,
}

impl Devices {
    /// For a v3 trap the device whose identity reported its engine id (it
    /// may send from any of its addresses); else the device at `source`,
    /// else (v1) at the agent address.
    async fn matching(
        &mut self,
        store: &Store,
        engine: Option<&str>,
        source: IpAddr,
        agent: Option<IpAddr>,
    ) -> Option<Named> {
        let want = |d: &Self| {
            engine
                .and_then(|e| d.by_engine.get(e))
                .or_else(|| d.by_address.get(&source.to_canonical()))
                .or_else(|| agent.and_then(|a| d.by_address.get(&a)))
                .cloned()
        };
        if let Some(d) = want(self) {
            return Some(d);
        }
        if self.loaded.is_some_and(|t| t.elapsed() < RELOAD_AFTER) {
            return None;
        }
        self.loaded = Some(Instant::now());
        match (store.device_addresses().await, store.device_engine_ids().await) {
            // Devices given by a host name have no IP here and match nothing, as in syslog.
            (Ok(addresses), Ok(engines)) => {
                self.by_address =
                    addresses.into_iter().filter_map(|(a, id, name)| Some((a.parse().ok()?, (id, name)))).collect();
                self.by_engine =
                    engines.into_iter().map(|(e, id, name)| (e.to_ascii_lowercase(), (id, name))).collect();
            }
            (Err(e), _) | (_, Err(e)) => tracing::warn!(error = %e, "matching trap sources to devices"),
        }
        want(self)
    }
}

const RELOAD_AFTER: Duration = Duration::from_secs(1);

/// How often old events are purged; the first pass runs at start.
const PURGE_EVERY: Duration = Duration::from_secs(600);

async fn purge_old(store: &Store, keep_days: u32, max_rows: u64, reclaim: &mut Reclaim) {
    let now = Utc::now();
    let cutoff = now - chrono::Duration::days(i64::from(keep_days));
    match store.purge_trap_events(cutoff, max_rows, 5_000).await {
        Ok(p) if p.expired + p.over_cap > 0 => {
            tracing::info!(expired = p.expired, over_cap = p.over_cap, "trap events purged");
            reclaim.purged(p.expired + p.over_cap);
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "trap event purge failed"),
    }
    crate::reclaim::if_due(store, reclaim, Reclaimable::TrapEvents, now).await;
}
