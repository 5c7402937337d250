//! Maintenance windows as use cases: list, add or replace, remove. What a
//! window means is `meridian-core::fault::maintenance`; the running monitor
//! reloads its windows when `MaintenanceChanged` is announced.

use chrono::{DateTime, Utc};
use meridian_core::fault::MaintenanceWindow;
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::error::{ApiError, ApiErrorKind};
use crate::events::CoreEvent;

const ACTOR: &str = "local";

/// A stored window as front ends show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MaintenanceView {
    pub id: String,
    pub window: MaintenanceWindow,
    /// Open at the moment the list was read.
    pub open_now: bool,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

impl App {
    pub async fn list_maintenance(&self) -> Result<Vec<MaintenanceView>, ApiError> {
        let now = Utc::now();
        Ok(self
            .store
            .list_maintenance()
            .await?
            .into_iter()
            .map(|s| MaintenanceView {
                id: s.id.to_string(),
                open_now: s.def.is_open(now),
                window: s.def,
                updated_at: s.updated_at,
            })
            .collect())
    }

    /// Adds `window`, or replaces the window of the same name. Refused with
    /// field errors (and nothing written) when it does not check out.
    pub async fn put_maintenance(&self, window: MaintenanceWindow) -> Result<MaintenanceView, ApiError> {
        window.validate()?;
        let (id, _) = self.store.put_maintenance(&window, Utc::now(), ACTOR).await?;
        self.publish(CoreEvent::MaintenanceChanged);
        self.list_maintenance()
            .await?
            .into_iter()
            .find(|v| v.id == id.to_string())
            .ok_or_else(|| ApiError::new(ApiErrorKind::Internal, "the window vanished as it was written"))
    }

    /// Removes a window by name or id. Alarms it held are announced when
    /// the monitor next looks (within its status interval).
    pub async fn remove_maintenance(&self, key: &str) -> Result<(), ApiError> {
        match self.store.delete_maintenance(key, Utc::now(), ACTOR).await? {
            Some(_) => {
                self.publish(CoreEvent::MaintenanceChanged);
                Ok(())
            }
            None => Err(ApiError::new(ApiErrorKind::NotFound, format!("maintenance window '{key}' not found"))),
        }
    }
}
