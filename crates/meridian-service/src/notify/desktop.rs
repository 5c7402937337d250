//! Which alarms the desktop shell shows as notifications, and when: a
//! critical or major alarm raised since the shell started, once it has
//! outlasted the notification delay, if it still passes the gate then. The
//! pending set lives in memory: after a restart nothing raised before it is
//! announced anyway (`core::notify::may_notify`).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use meridian_core::alarm::Alarm;
use meridian_core::notification::{notify_due, Pending};
use meridian_core::notify::{self, NotificationText};
use meridian_core::DeviceKey;
use meridian_store::{Store, StoreError};
use tokio::sync::{broadcast, mpsc};

use crate::events::CoreEvent;

/// Longest sleep while nothing is pending: the loop wakes on events anyway.
const IDLE: Duration = Duration::from_secs(3600);

/// The notification `alarm` calls for now, if any: the gate every channel
/// shares with the desktop's severity floor and the stored mute, worded
/// with the device's current name.
pub(crate) async fn text_for(
    store: &Store,
    alarm: &Alarm,
    started: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<NotificationText>, StoreError> {
    // The cheap checks first; the mute is read only for what passes them.
    if !notify::notifies(alarm, started, None, now) {
        return Ok(None);
    }
    let muted_until = super::gate_settings(store).await.muted_until;
    if !notify::notifies(alarm, started, muted_until, now) {
        tracing::debug!(alarm = %alarm.id, "notification muted");
        return Ok(None);
    }
    // People know devices by name; a device removed meanwhile leaves the
    // managed object to show.
    let name = match alarm.device_id {
        Some(id) => store.get_device(&DeviceKey::Id(id)).await.ok().map(|d| d.name),
        None => None,
    };
    Ok(Some(notify::notification_text(alarm, name.as_deref())))
}

/// Starts the task; it ends when the bus closes or the receiver is dropped.
pub(crate) fn spawn(
    store: Arc<Store>,
    mut events: broadcast::Receiver<CoreEvent>,
    started: DateTime<Utc>,
) -> mpsc::Receiver<NotificationText> {
    let (tx, rx) = mpsc::channel(64);
    tokio::spawn(async move {
        let mut pending = Pending::default();
        loop {
            let wait = pending.next_due().map_or(IDLE, |t| (t - Utc::now()).to_std().unwrap_or(Duration::ZERO));
            let ready = tokio::select! {
                ev = events.recv() => match ev {
                    Ok(e) => on_event(&store, &mut pending, &e, started).await,
                    Err(broadcast::error::RecvError::Lagged(skipped)) => {
                        tracing::warn!(skipped, "the desktop notifier fell behind; some alarms were not announced");
                        continue;
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                _ = tokio::time::sleep(wait) => due_now(&store, &mut pending, started).await,
            };
            for text in ready {
                if tx.send(text).await.is_err() {
                    return;
                }
            }
        }
    });
    rx
}

async fn on_event(
    store: &Store,
    pending: &mut Pending,
    e: &CoreEvent,
    started: DateTime<Utc>,
) -> Vec<NotificationText> {
    let now = Utc::now();
    match e {
        CoreEvent::AlarmRaised { alarm } if notify::notifies(alarm, started, None, now) => {
            let due = notify_due(alarm, super::gate_settings(store).await.delay_secs);
            if due > now {
                tracing::debug!(alarm = %alarm.id, due = %due, "notification waits out the delay");
                pending.add(alarm.id, due);
                return Vec::new();
            }
            words(store, alarm, started, now).await.into_iter().collect()
        }
        CoreEvent::AlarmCleared { alarm } | CoreEvent::AlarmAcknowledged { alarm } => {
            pending.forget(&alarm.id);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The alarms whose delay has run out, as stored now, through the gate.
async fn due_now(store: &Store, pending: &mut Pending, started: DateTime<Utc>) -> Vec<NotificationText> {
    let now = Utc::now();
    let mut out = Vec::new();
    for id in pending.take_due(now) {
        match store.get_alarm(&id.to_string()).await {
            Ok(a) if !a.is_acked() => out.extend(words(store, &a, started, now).await),
            Ok(_) => {}
            Err(e) => tracing::warn!(alarm = %id, error = %e, "cannot read a delayed alarm"),
        }
    }
    out
}

async fn words(store: &Store, alarm: &Alarm, started: DateTime<Utc>, now: DateTime<Utc>) -> Option<NotificationText> {
    text_for(store, alarm, started, now).await.unwrap_or_else(|e| {
        tracing::warn!(alarm = %alarm.id, error = %e, "cannot decide on a notification");
        None
    })
}
