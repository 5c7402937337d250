//! Core events as a team caller may see them: each event is about a device,
//! a site, nothing in particular, or something only every-site callers see
//! (discovery, credentials); a caller gets an event only when their scope
//! covers its site, as for listings.

use meridian_core::access::{require, Action, Target};
use meridian_core::event::InventoryEntity;
use std::sync::Arc;

use meridian_core::{DeviceId, DeviceKey, SiteId};
use meridian_store::Store;
use tokio::sync::broadcast;

use super::Caller;
use crate::app::App;
use crate::cluster::{events_missed, Audience, SharedEvent};
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
        CoreEvent::RulesChanged | CoreEvent::MaintenanceChanged | CoreEvent::EventsMissed { .. } => About::Nothing,
    }
}

/// Who may see `e`: the device's site is looked up now, once per event,
/// by the process that publishes it (a device gone since is seen by
/// every-site callers only).
pub(crate) async fn audience(store: &Store, e: &CoreEvent) -> Audience {
    match about(e) {
        About::Nothing => Audience::Everyone,
        About::Unscoped => Audience::Site(None),
        About::Site(s) => Audience::Site(Some(s)),
        About::Device(d) => Audience::Site(store.get_device(&DeviceKey::Id(d)).await.ok().and_then(|d| d.site_id)),
    }
}

/// One caller's event stream.
pub struct EventFeed {
    caller: Caller,
    rx: broadcast::Receiver<SharedEvent>,
}

impl EventFeed {
    pub fn caller(&self) -> &Caller {
        &self.caller
    }
}

impl App {
    /// Subscribes now to the events of every process on this database;
    /// events published before this call are not replayed.
    pub async fn events_for(&self, caller: &Caller) -> Result<EventFeed, ApiError> {
        require(&caller.actor, Action::Read, Target::Global)?;
        Ok(EventFeed { caller: caller.clone(), rx: self.cluster_events().await? })
    }

    /// The next event (its JSON) the feed's caller may see; `None` once the
    /// bus closes. A subscriber that fell behind gets `eventsMissed` with the
    /// count it skipped (logged), then the events after them.
    pub async fn next_event(&self, feed: &mut EventFeed) -> Option<Arc<str>> {
        loop {
            let e = match feed.rx.recv().await {
                Ok(e) => e,
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(skipped = n, user = %feed.caller.actor.name, "event subscriber fell behind");
                    // Told, so a browser reloads instead of drifting.
                    return Some(events_missed(n).json);
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            let scope = &feed.caller.actor.sites;
            let visible = match e.audience {
                Audience::Everyone => true,
                Audience::Site(s) => scope.covers(s),
            };
            if visible {
                return Some(e.json);
            }
        }
    }
}
