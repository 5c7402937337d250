//! Notification use cases. Here: the desktop's, the mute (kept in the
//! store, so it survives a restart and silences every channel), the
//! active-alarm counts for the tray, and which bus events become a desktop
//! notification (the rules are `meridian-core::notify`'s; delivering it is
//! the front end's job). E-mail and webhook channels, routes and the
//! delivery log are in [`channels`]; the delivery worker in [`worker`],
//! the sending itself in [`send`].

mod channels;
mod desktop;
mod desktop_health;
pub(crate) mod send;
pub(crate) mod worker;

pub use channels::{ChannelInput, ChannelView, DeliveryLogEntry, DeliveryLogFilter, OutboxEntry, RouteView};
pub use desktop_health::{DesktopDelivery, DESKTOP_CHANNEL};
pub use send::SIGNATURE_HEADER;
pub use worker::NotifyConfig;

use chrono::{DateTime, Utc};
use meridian_core::notification::{validate_delay, DELAY_SECS_DEFAULT};
use meridian_core::notify::{self, AlarmCounts, NotificationText};
use meridian_store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};
use crate::events::CoreEvent;

/// The settings key holding [`NotificationSettings`].
const SETTINGS_KEY: &str = "notifications";

/// Notification preferences. `mutedUntil` is null when not muted (a mute
/// that has run out reads as null too). `delaySecs` is how long an alarm
/// below critical must last before any channel tells anyone
/// (`core::notification::delay`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotificationSettings {
    #[ts(type = "string | null")]
    pub muted_until: Option<DateTime<Utc>>,
    // Settings saved before the delay existed read as the default.
    #[serde(default = "default_delay")]
    pub delay_secs: u32,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        Self { muted_until: None, delay_secs: DELAY_SECS_DEFAULT }
    }
}

fn default_delay() -> u32 {
    DELAY_SECS_DEFAULT
}

impl App {
    /// Mutes desktop notifications for `hours` (1..=168) from `now`.
    pub async fn mute_notifications(&self, hours: i64, now: DateTime<Utc>) -> Result<NotificationSettings, ApiError> {
        let until = notify::mute_until(hours, now)?;
        let settings = NotificationSettings { muted_until: Some(until), ..self.load_notification_settings().await? };
        self.save_notification_settings(&settings, now).await?;
        tracing::info!(hours, until = %until, "desktop notifications muted");
        Ok(settings)
    }

    pub async fn unmute_notifications(&self) -> Result<NotificationSettings, ApiError> {
        let settings = NotificationSettings { muted_until: None, ..self.load_notification_settings().await? };
        self.save_notification_settings(&settings, Utc::now()).await?;
        tracing::info!("desktop notifications unmuted");
        Ok(settings)
    }

    /// Sets the notification delay (seconds, `0..=3600`): alarms below
    /// critical that clear, are acknowledged or are taken over sooner
    /// notify no channel. Applies to alarms raised from now on.
    pub async fn set_notification_delay(&self, secs: i64) -> Result<NotificationSettings, ApiError> {
        let delay_secs = validate_delay(secs)?;
        let settings = NotificationSettings { delay_secs, ..self.load_notification_settings().await? };
        self.save_notification_settings(&settings, Utc::now()).await?;
        tracing::info!(delay_secs, "notification delay set");
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

    /// The notification `event` calls for now, if any: a critical or major
    /// alarm raised since `started` (when this front end started), while
    /// not muted. The delay is not applied here: see
    /// [`App::desktop_notifications`].
    pub async fn alarm_notification(
        &self,
        event: &CoreEvent,
        started: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<NotificationText>, ApiError> {
        let CoreEvent::AlarmRaised { alarm } = event else { return Ok(None) };
        Ok(desktop::text_for(&self.store, alarm, started, now).await?)
    }

    /// The desktop notifications to show from now on, each when its alarm
    /// has outlasted the notification delay and still passes the gate.
    /// `started` is when the front end started: nothing raised before it is
    /// announced. `events` is a subscription taken when the front end
    /// started ([`App::subscribe`]), so no alarm falls between the two. Must
    /// be called inside the runtime.
    pub fn desktop_notifications(
        &self,
        events: tokio::sync::broadcast::Receiver<CoreEvent>,
        started: DateTime<Utc>,
    ) -> tokio::sync::mpsc::Receiver<NotificationText> {
        desktop::spawn(self.store.clone(), events, started)
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

/// The mute and delay every channel honours. Unreadable counts as not
/// muted with the default delay (and is logged): a broken setting must not
/// silence alarms.
pub(crate) async fn gate_settings(store: &Store) -> NotificationSettings {
    match load_settings(store).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "reading the notification settings failed; treating as not muted");
            NotificationSettings::default()
        }
    }
}

pub(crate) async fn muted_until(store: &Store) -> Option<DateTime<Utc>> {
    gate_settings(store).await.muted_until
}

impl App {
    async fn save_notification_settings(&self, s: &NotificationSettings, now: DateTime<Utc>) -> Result<(), ApiError> {
        let value = serde_json::to_value(s)
            .map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("notification settings: {e}")))?;
        Ok(self.store.set_setting(SETTINGS_KEY, &value, now).await?)
    }
}
