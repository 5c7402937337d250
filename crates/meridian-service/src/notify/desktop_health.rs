//! Whether the desktop's notifications reach the user. The shell reports
//! each real delivery attempt (notify-rust's answer); it goes into the same
//! delivery log as the e-mail and webhook channels', as channel `desktop`,
//! and the newest line says whether delivery is failing now: a later
//! success clears it.

use chrono::{DateTime, Utc};
use meridian_store::notify::LogFilter;
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::error::ApiError;

/// The delivery log's name for the desktop channel (a name no user channel may take).
pub const DESKTOP_CHANNEL: &str = meridian_core::notification::channel::DESKTOP_LOG_NAME;

/// The desktop channel's last delivery: failing with why, or fine.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DesktopDelivery {
    pub failing: bool,
    /// The platform's error of the last attempt, when it failed.
    pub reason: Option<String>,
    /// When the last attempt was; null before the first.
    #[ts(type = "string | null")]
    pub at: Option<DateTime<Utc>>,
}

impl App {
    /// Logs one desktop notification attempt; `error` is the platform's
    /// answer when it could not be shown.
    pub async fn record_desktop_delivery(&self, at: DateTime<Utc>, error: Option<&str>) -> Result<(), ApiError> {
        Ok(self.store.log_builtin_attempt(DESKTOP_CHANNEL, at, error).await?)
    }

    pub async fn desktop_delivery(&self) -> Result<DesktopDelivery, ApiError> {
        let f = LogFilter { channel: Some(DESKTOP_CHANNEL.into()), limit: 1, ..LogFilter::default() };
        Ok(match self.store.delivery_log(&f).await?.into_iter().next() {
            None => DesktopDelivery { failing: false, reason: None, at: None },
            Some(r) => DesktopDelivery { failing: r.outcome != "sent", reason: r.error, at: Some(r.at) },
        })
    }
}
