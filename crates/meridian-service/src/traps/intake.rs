//! Consumes the receiver's items: matches the source to a managed device,
//! stores the event, and hands linkDown/linkUp of managed devices to the
//! monitor, whose device state machine raises or clears the same interface
//! alarm the poller does.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use meridian_core::observation::InterfaceStatus;
use meridian_core::trap::{link_observation, TrapEvent};
use meridian_core::DeviceId;
use meridian_probe::snmp::trap::TrapItem;
use meridian_store::Store;
use tokio::sync::{broadcast, mpsc};

use super::convert;

/// A link trap for a managed device, for the supervisor.
pub(crate) type LinkTrap = (DeviceId, InterfaceStatus);

pub(super) async fn run(
    store: Arc<Store>,
    mut items: mpsc::Receiver<TrapItem>,
    links: Option<mpsc::Sender<LinkTrap>>,
    tap: Option<broadcast::Sender<TrapEvent>>,
) {
    while let Some(item) = items.recv().await {
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
                if let (Some(d), Some(links), Some(oid)) = (device, &links, &event.trap_oid) {
                    if let Some(obs) = link_observation(oid, &event.varbinds, at) {
                        if links.try_send((d, obs)).is_err() {
                            tracing::warn!(device = %d, "monitor busy or stopped: link trap not applied");
                        }
                    }
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

async fn device_at(store: &Store, ip: IpAddr) -> Option<DeviceId> {
    match store.device_at_address(&ip.to_canonical().to_string()).await {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(error = %e, "matching a trap source to a device");
            None
        }
    }
}
