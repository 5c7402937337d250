//! The syslog writer: one task takes received messages off the receiver's
//! bounded channel, writes them in batches (by size or age), hands each
//! stored message to live subscribers, and purges by age and row count on
//! a timer. The receiver never waits for it: a full channel is a counted
//! drop at the socket.

use chrono::Utc;
use meridian_core::reclaim::Reclaim;
use meridian_core::syslog::SyslogRecord;
use meridian_probe::syslog::ReceiverCounters;
use meridian_store::{Reclaimable, Store};
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};

use super::SyslogConfig;
use crate::batching::next_batch;
use crate::monitor::received::{offer, Received, ReceivedTx};

pub(super) struct Writer {
    pub store: Arc<Store>,
    pub cfg: SyslogConfig,
    pub counters: Arc<ReceiverCounters>,
    pub live: broadcast::Sender<SyslogRecord>,
    /// The running monitor, for managed devices' messages (event rules).
    pub monitor: Option<ReceivedTx>,
}

impl Writer {
    /// Runs until every sender is gone (the receiver stopped) and the
    /// queue is written.
    pub async fn run(self, mut rx: mpsc::Receiver<SyslogRecord>) {
        let mut batch = Vec::with_capacity(self.cfg.batch_size);
        let mut purge = tokio::time::interval(self.cfg.purge_every);
        let mut reclaim = Reclaim::hourly();
        loop {
            tokio::select! {
                more = next_batch(&mut rx, &mut batch, self.cfg.batch_size, self.cfg.max_delay) => {
                    if !more {
                        break;
                    }
                    self.write(&mut batch).await;
                }
                _ = purge.tick() => {
                    // A batch the tick cut short is written first.
                    self.write(&mut batch).await;
                    self.purge(&mut reclaim).await;
                }
            }
        }
        self.write(&mut batch).await;
        tracing::debug!("syslog writer drained and stopped");
    }

    async fn write(&self, batch: &mut Vec<SyslogRecord>) {
        if batch.is_empty() {
            return;
        }
        match self.store.insert_syslog(batch).await {
            Ok(devices) => {
                ReceiverCounters::add(&self.counters.stored, devices.len() as u64);
                for (m, device) in batch.drain(..).zip(devices) {
                    if let (Some(d), Some(tx)) = (device, &self.monitor) {
                        offer(tx, d, Received::Syslog(Box::new(m.clone())));
                    }
                    // No subscriber is normal.
                    let _ = self.live.send(m);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, messages = batch.len(), "syslog batch write failed; dropped");
                ReceiverCounters::add(&self.counters.dropped, batch.len() as u64);
                batch.clear();
            }
        }
    }

    async fn purge(&self, reclaim: &mut Reclaim) {
        let now = Utc::now();
        let cutoff = now - chrono::Duration::days(i64::from(self.cfg.retention_days));
        match self.store.purge_syslog(cutoff, self.cfg.max_rows, 5_000).await {
            Ok(p) if p.expired + p.over_cap > 0 => {
                ReceiverCounters::add(&self.counters.purged, p.expired + p.over_cap);
                tracing::info!(expired = p.expired, over_cap = p.over_cap, "syslog messages purged");
                reclaim.purged(p.expired + p.over_cap);
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "syslog purge failed"),
        }
        crate::reclaim::if_due(&self.store, reclaim, Reclaimable::SyslogMessages, now).await;
    }
}
