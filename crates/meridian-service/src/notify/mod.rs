//! Notification use cases. Here: the desktop's, the mute (kept in the
//! store, so it survives a restart and silences every channel), the
//! active-alarm counts for the tray, and which bus events become a desktop
//! notification (the rules are `meridian-core::notify`'s; delivering it is
//! the front end's job). E-mail and webhook channels, routes and the
//! delivery log are in [`channels`]; the delivery worker in [`worker`],
//! the sending itself in [`send`].

mod channels;
pub(crate) mod send;
pub(crate) mod worker;

pub use channels::{ChannelInput, ChannelView, DeliveryLogEntry, DeliveryLogFilter, OutboxEntry, RouteView};
pub use send::SIGNATURE_HEADER;
pub use worker::NotifyConfig;

use chrono::{DateTime, Utc};
use meridian_core::notify::{self, AlarmCounts, NotificationText};
use meridian_core::DeviceKey;
use meridian_store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};
use crate::events::CoreEvent;

/// The settings key holding [`NotificationSettings`].
const SETTINGS_KEY: &str = "notifications";

/// Notification preferences. `mutedUntil` is null when not muted (a mute
/// that has run out reads as null too).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotificationSettings {
    #[ts(type = "string | null")]
    pub muted_until: Option<DateTime<Utc>>,
}

impl App {
    /// Mutes desktop notifications for `hours` (1..=168) from `now`.
    pub async fn mute_notifications(&self, hours: i64, now: DateTime<Utc>) -> Result<NotificationSettings, ApiError> {
        let until = notify::mute_until(hours, now)?;
        let settings = NotificationSettings { muted_until: Some(until) };
        self.save_notification_settings(&settings, now).await?;
        tracing::info!(hours, until = %until, "desktop notifications muted");
        Ok(settings)
    }

    pub async fn unmute_notifications(&self) -> Result<NotificationSettings, ApiError> {
        let settings = NotificationSettings::default();
        self.save_notification_settings(&settings, Utc::now()).await?;
        tracing::info!("desktop notifications unmuted");
        Ok(settings)
    }

    pub async fn notification_settings(&self) -> Result<NotificationSettings, ApiError> {
        let mut s = self.load_notification_settings().await?;
        s.muted_until = s.muted_until.filter(|until| notify::is_muted(Some(*until), Utc::now()));
        Ok(s)
    }

    /// Active alarms by severity.
    pub async fn active_alarm_counts(&self) -> Result<AlarmCounts, ApiError> {
        Ok(self.store.active_alarm_counts().await?)
    }

    /// The notification `event` calls for, if any: a critical or major
    /// alarm raised since `started` (when this front end started), while
    /// not muted. Reads the mute only for events that pass the cheap checks.
    pub async fn alarm_notification(
        &self,
        event: &CoreEvent,
        started: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<NotificationText>, ApiError> {
        let CoreEvent::AlarmRaised { alarm } = event else { return Ok(None) };
        if !notify::notifies(alarm, started, None, now) {
            return Ok(None);
        }
        let muted_until = self.load_notification_settings().await?.muted_until;
        if !notify::notifies(alarm, started, muted_until, now) {
            tracing::debug!(alarm = %alarm.id, "notification muted");
            return Ok(None);
        }
        // The alarm stores the device id; people know devices by name. A
        // device removed meanwhile leaves the managed object to show.
        let name = match alarm.device_id {
            Some(id) => self.store.get_device(&DeviceKey::Id(id)).await.ok().map(|d| d.name),
            None => None,
        };
        Ok(Some(notify::notification_text(alarm, name.as_deref())))
    }

    async fn load_notification_settings(&self) -> Result<NotificationSettings, ApiError> {
        Ok(load_settings(&self.store).await?)
    }

    /// Starts the delivery worker for e-mail and webhook channels (the
    /// monitor does, beside its pollers). Idempotent.
    pub async fn start_notifier(&self, cfg: NotifyConfig) -> Result<(), ApiError> {
        let mut slot = self.notifier.lock().await;
        if slot.is_none() {
            let n = worker::start(self.store.clone(), self.vault.clone(), self.subscribe(), cfg)
                .map_err(|e| ApiError::new(ApiErrorKind::Internal, e))?;
            *slot = Some(n);
        }
        Ok(())
    }

    /// Stops the delivery worker; what it has not sent stays in the outbox.
    pub async fn stop_notifier(&self) {
        if let Some(n) = self.notifier.lock().await.take() {
            n.stop().await;
        }
    }

    /// Timeouts and retries for `send_test` (the worker's come with the
    /// monitor's configuration).
    pub(crate) fn notify_config(&self) -> NotifyConfig {
        NotifyConfig::default()
    }
}

async fn load_settings(store: &Store) -> Result<NotificationSettings, StoreError> {
    match store.get_setting(SETTINGS_KEY).await? {
        None => Ok(NotificationSettings::default()),
        // A value this build cannot read (hand-edited, or from a newer
        // build) must not stop notifications: treat it as unmuted.
        Some(v) => Ok(serde_json::from_value(v).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "stored notification settings unreadable; treating as not muted");
            NotificationSettings::default()
        })),
    }
}

/// The mute every channel honours. Unreadable counts as not muted (and is
/// logged): a broken setting must not silence alarms.
pub(crate) async fn muted_until(store: &Store) -> Option<DateTime<Utc>> {
    match load_settings(store).await {
        Ok(s) => s.muted_until,
        Err(e) => {
            tracing::warn!(error = %e, "reading the notification mute failed; treating as not muted");
            None
        }
    }
}

impl App {
    async fn save_notification_settings(&self, s: &NotificationSettings, now: DateTime<Utc>) -> Result<(), ApiError> {
        let value = serde_json::to_value(s)
            .map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("notification settings: {e}")))?;
        Ok(self.store.set_setting(SETTINGS_KEY, &value, now).await?)
    }
}
