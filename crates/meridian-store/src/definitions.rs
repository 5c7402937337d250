//! Named definitions kept as JSON (alarm rules, maintenance windows,
//! notification channels and routes): the
//! service validates one, the store keeps it beside its unique name, and
//! every change is audited in the same transaction. One implementation for
//! every such table; each caller names its table and its audit entity.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use sqlx::{Connection, Row};
use uuid::Uuid;

use crate::audit::{record, AuditEntry};
use crate::error::StoreError;
use crate::store::Store;

/// A table of definitions: `id uuid, name text unique, definition jsonb,
/// created_at, updated_at`. The names are constants, never user input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kind {
    pub table: &'static str,
    /// The audit entity, and the prefix of its actions (`rule.add`).
    pub entity: &'static str,
}

/// A stored definition and its id.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored<T> {
    pub id: Uuid,
    pub def: T,
    pub updated_at: DateTime<Utc>,
}

impl Store {
    /// Every definition, by name. One this build cannot read (written by a
    /// newer Meridian) is skipped with a warning rather than failing all.
    pub(crate) async fn list_definitions<T: DeserializeOwned>(&self, kind: Kind) -> Result<Vec<Stored<T>>, StoreError> {
        let rows = sqlx::query(&format!("SELECT id, definition, updated_at FROM {} ORDER BY name", kind.table))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: Uuid = r.try_get("id")?;
            match serde_json::from_value::<T>(r.try_get("definition")?) {
                Ok(def) => out.push(Stored { id, def, updated_at: r.try_get("updated_at")? }),
                Err(e) => {
                    tracing::warn!(%id, entity = kind.entity, error = %e, "skipping what this version cannot read")
                }
            }
        }
        Ok(out)
    }

    /// Stores `definition` under `name`: a new row, or the named one
    /// replaced (its id kept). Says which, with the id.
    pub(crate) async fn put_definition<T: Serialize>(
        &self,
        kind: Kind,
        name: &str,
        definition: &T,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<(Uuid, bool), StoreError> {
        let value = serde_json::to_value(definition)
            .map_err(|e| StoreError::Encode { what: kind.entity, detail: e.to_string() })?;
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let (id, created): (Uuid, bool) = sqlx::query_as(&format!(
            "INSERT INTO {} (id, name, definition, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, updated_at = EXCLUDED.updated_at \
             RETURNING id, (xmax = 0) AS created",
            kind.table
        ))
        .bind(Uuid::now_v7())
        .bind(name)
        .bind(&value)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let action = if created { format!("{}.add", kind.entity) } else { format!("{}.update", kind.entity) };
        let entry = AuditEntry {
            at: now,
            actor,
            action: &action,
            entity: kind.entity,
            entity_id: id.to_string(),
            detail: value,
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok((id, created))
    }

    /// Removes the definition with this name or id, and returns it (callers
    /// may have secrets of it to drop). A definition this build cannot read
    /// is refused rather than removed blind.
    pub(crate) async fn delete_definition<T: DeserializeOwned>(
        &self,
        kind: Kind,
        key: &str,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Option<Stored<T>>, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let column = if key.parse::<Uuid>().is_ok() { "id::text" } else { "name" };
        let sql = format!("DELETE FROM {} WHERE {column} = $1 RETURNING id, definition, updated_at", kind.table);
        let Some(row) = sqlx::query(&sql).bind(key).fetch_optional(&mut *tx).await? else {
            return Ok(None);
        };
        let id: Uuid = row.try_get("id")?;
        let def = serde_json::from_value::<T>(row.try_get("definition")?)
            .map_err(|e| StoreError::Encode { what: kind.entity, detail: e.to_string() })?;
        let action = format!("{}.remove", kind.entity);
        let entry = AuditEntry {
            at: now,
            actor,
            action: &action,
            entity: kind.entity,
            entity_id: id.to_string(),
            detail: json!({ "key": key }),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(Some(Stored { id, def, updated_at: row.try_get("updated_at")? }))
    }
}
