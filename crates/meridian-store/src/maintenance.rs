//! Maintenance windows, kept as named JSON definitions (see
//! [`crate::definitions`]).

use chrono::{DateTime, Utc};
use meridian_core::fault::MaintenanceWindow;
use uuid::Uuid;

use crate::definitions::{Kind, Stored};
use crate::error::StoreError;
use crate::store::Store;

const WINDOWS: Kind = Kind { table: "maintenance_windows", entity: "maintenance" };

impl Store {
    /// Every window, by name.
    pub async fn list_maintenance(&self) -> Result<Vec<Stored<MaintenanceWindow>>, StoreError> {
        self.list_definitions(WINDOWS).await
    }

    /// Stores `w` under its name, replacing the named one. Says whether it is new, with the id.
    pub async fn put_maintenance(
        &self,
        w: &MaintenanceWindow,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<(Uuid, bool), StoreError> {
        self.put_definition(WINDOWS, &w.name, w, now, actor).await
    }

    /// Removes the window with this name or id; says whether there was one.
    pub async fn delete_maintenance(
        &self,
        key: &str,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Option<Uuid>, StoreError> {
        Ok(self.delete_definition::<MaintenanceWindow>(WINDOWS, key, now, actor).await?.map(|s| s.id))
    }
}
