//! Meridian's alarms about itself, the service half: the thresholds as a
//! stored setting, and the measuring the pure judgement
//! (`meridian_core::selfwatch`) is fed with. The monitor's supervisor runs
//! the judgement every status tick (`monitor/supervisor/selfwatch.rs`).

use std::path::Path;

use chrono::{DateTime, Utc};
use meridian_core::selfwatch::{DiskSpace, SelfWatchSettings};
use meridian_store::Store;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};

/// The settings key holding [`SelfWatchSettings`].
pub(crate) const SELF_WATCH_KEY: &str = "selfWatch";

/// The stored thresholds, the defaults until set. An unreadable stored value
/// is logged and the defaults are used: the monitor must not stop watching
/// itself over a bad setting.
pub(crate) async fn load_settings(store: &Store) -> SelfWatchSettings {
    match store.get_setting(SELF_WATCH_KEY).await {
        Ok(Some(v)) => serde_json::from_value(v).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the stored selfWatch setting is unreadable; using the defaults");
            SelfWatchSettings::default()
        }),
        Ok(None) => SelfWatchSettings::default(),
        Err(e) => {
            tracing::debug!(error = %e, "reading the selfWatch setting");
            SelfWatchSettings::default()
        }
    }
}

/// Free and total space of the filesystem holding `dir`; `None` where it
/// cannot be read (or on a platform without statvfs).
pub fn disk_space(dir: &Path) -> Option<DiskSpace> {
    #[cfg(unix)]
    {
        match rustix::fs::statvfs(dir) {
            Ok(s) => Some(DiskSpace {
                free_bytes: s.f_bavail.saturating_mul(s.f_frsize),
                total_bytes: s.f_blocks.saturating_mul(s.f_frsize),
            }),
            Err(e) => {
                tracing::debug!(dir = %dir.display(), error = %e, "statvfs");
                None
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

impl App {
    /// The self-alarm thresholds (the defaults until set).
    pub async fn self_watch_settings(&self) -> Result<SelfWatchSettings, ApiError> {
        match self.store.get_setting(SELF_WATCH_KEY).await? {
            Some(v) => serde_json::from_value(v).map_err(|e| {
                ApiError::new(
                    ApiErrorKind::Store,
                    format!("the stored selfWatch setting is unreadable ({e}); set it again"),
                )
            }),
            None => Ok(SelfWatchSettings::default()),
        }
    }

    /// Checks and stores the thresholds; a refused value changes nothing.
    /// A running monitor takes them within a minute.
    pub async fn set_self_watch_settings(
        &self,
        s: SelfWatchSettings,
        now: DateTime<Utc>,
    ) -> Result<SelfWatchSettings, ApiError> {
        s.validate()?;
        let value =
            serde_json::to_value(&s).map_err(|e| ApiError::new(ApiErrorKind::Internal, format!("selfWatch: {e}")))?;
        self.store.set_setting(SELF_WATCH_KEY, &value, now).await?;
        tracing::info!(?s, "self-watch thresholds set");
        Ok(s)
    }
}
