//! Consumes the receiver's items: matches the source to a managed device,
//! stores the event, and hands managed devices' events to the monitor, where
//! a linkDown/linkUp raises or clears the interface alarm the poller does
//! and the event rules are checked.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use meridian_core::trap::TrapEvent;
use meridian_core::DeviceId;
use meridian_probe::snmp::trap::TrapItem;
use meridian_store::Store;
use tokio::sync::{broadcast, mpsc};

use super::convert;
use crate::monitor::received::{offer, Received, ReceivedTx};

pub(super) async fn run(
    store: Arc<Store>,
    mut items: mpsc::Receiver<TrapItem>,
    monitor: Option<ReceivedTx>,
    tap: Option<broadcast::Sender<TrapEvent>>,
    (keep_days, max_rows): (u32, u64),
) {
    let mut purge = tokio::time::interval(PURGE_EVERY);
    loop {
        let item = tokio::select! {
            item = items.recv() => match item {
                Some(item) => item,
                None => break,
            },
            _ = purge.tick() => {
                purge_old(&store, keep_days, max_rows).await;
                continue;
            }
        };
        let event = match item {
            TrapItem::Notification { at, from, received } => {
                let at = DateTime::<Utc>::from(at);
                let mut device = device_at(&store, from.ip()).await;
                if device.is_none() {
                    if let Some(a) = received.notification.agent_addr {
                        device = device_at(&store, IpAddr::V4(a)).await;
                    }
                }
                let event = convert::event(at, from, &received, device);
                if let (Some(d), Some(tx)) = (device, &monitor) {
                    offer(tx, d, Received::Trap(Box::new(event.clone())));
                }
                event
            }
            TrapItem::Malformed { at, from, bytes, error } => {
                tracing::debug!(%from, %error, "malformed SNMP datagram kept");
                convert::malformed(DateTime::<Utc>::from(at), from, &bytes, error)
            }
        };
        if let Err(e) = store.insert_trap_event(&event).await {
            tracing::warn!(error = %e, "storing a trap event");
        }
        if let Some(tap) = &tap {
            // No reader left is fine: the event is stored either way.
            let _ = tap.send(event);
        }
    }
}

/// How often old events are purged; the first pass runs at start.
const PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

async fn purge_old(store: &Store, keep_days: u32, max_rows: u64) {
    let cutoff = Utc::now() - chrono::Duration::days(i64::from(keep_days));
    match store.purge_trap_events(cutoff, max_rows, 5_000).await {
        Ok(p) if p.expired + p.over_cap > 0 => {
            tracing::info!(expired = p.expired, over_cap = p.over_cap, "trap events purged")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "trap event purge failed"),
    }
}

async fn device_at(store: &Store, ip: IpAddr) -> Option<DeviceId> {
    match store.device_at_address(&ip.to_canonical().to_string()).await {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(error = %e, "matching a trap source to a device");
            None
        }
    }
}
