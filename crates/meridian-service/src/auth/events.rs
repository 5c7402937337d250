//! Core events as a team caller may see them: each event is about a device,
//! a site, nothing in particular, or something only every-site callers see
//! (discovery, credentials); a caller gets an event only when their scope
//! covers its site, as for listings.

use meridian_core::access::{require, Action, Target};
use meridian_core::event::InventoryEntity;
use meridian_core::{DeviceId, DeviceKey, SiteId};
use tokio::sync::broadcast;

use super::Caller;
use crate::app::App;
use crate::error::ApiError;
use crate::events::CoreEvent;

/// What an event is about, for the site filter.
enum About {
    Device(DeviceId),
    Site(SiteId),
    /// Carries no record (rules or maintenance changed): everyone.
    Nothing,
    /// Not site-bound data (discovery, credentials): every-site callers.
    Unscoped,
}

fn about(e: &CoreEvent) -> About {
    match e {
        CoreEvent::InventoryChanged { entity: InventoryEntity::Device, id, .. } => {
            uuid::Uuid::parse_str(id).map(|u| About::Device(DeviceId(u))).unwrap_or(About::Unscoped)
        }
        CoreEvent::InventoryChanged { entity: InventoryEntity::Site, id, .. } => {
            uuid::Uuid::parse_str(id).map(|u| About::Site(SiteId(u))).unwrap_or(About::Unscoped)
        }
        CoreEvent::InventoryChanged { .. } => About::Unscoped,
        CoreEvent::DeviceStateChanged { device_id, .. }
        | CoreEvent::PollRequested { device_id }
        | CoreEvent::PtpChanged { device_id, .. } => About::Device(*device_id),
        CoreEvent::AlarmRaised { alarm }
        | CoreEvent::AlarmCleared { alarm }
        | CoreEvent::AlarmAcknowledged { alarm } => alarm.device_id.map(About::Device).unwrap_or(About::Unscoped),
        CoreEvent::DiscoveryProgress { .. }
        | CoreEvent::DiscoveryFound { .. }
        | CoreEvent::DiscoveryFinished { .. } => About::Unscoped,
        CoreEvent::RulesChanged | CoreEvent::MaintenanceChanged => About::Nothing,
    }
}

/// One caller's event stream.
pub struct EventFeed {
    caller: Caller,
    rx: broadcast::Receiver<CoreEvent>,
}

impl App {
    /// Subscribes now; events published before this call are not replayed.
    pub fn events_for(&self, caller: &Caller) -> Result<EventFeed, ApiError> {
        require(&caller.actor, Action::Read, Target::Global)?;
        Ok(EventFeed { caller: caller.clone(), rx: self.subscribe() })
    }

    /// The next event the feed's caller may see; `None` once the bus closes.
    /// A subscriber that fell behind skips what it missed (logged).
    pub async fn next_event(&self, feed: &mut EventFeed) -> Option<CoreEvent> {
        loop {
            let e = match feed.rx.recv().await {
                Ok(e) => e,
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(skipped = n, user = %feed.caller.actor.name, "event subscriber fell behind");
                    continue;
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            if self.may_see(&feed.caller, &e).await {
                return Some(e);
            }
        }
    }

    async fn may_see(&self, caller: &Caller, e: &CoreEvent) -> bool {
        let scope = &caller.actor.sites;
        match about(e) {
            About::Nothing => true,
            About::Unscoped => scope.covers(None),
            About::Site(s) => scope.covers(Some(s)),
            // A device gone since (a removal) is visible to every-site callers only.
            About::Device(d) => match self.store.get_device(&DeviceKey::Id(d)).await {
                Ok(dev) => scope.covers(dev.site_id),
                Err(_) => scope.covers(None),
            },
        }
    }
}
