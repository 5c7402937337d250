//! Custom items ([`meridian_core::items::CustomItem`]), kept as JSON beside
//! their unique key (target and name) and, for a device's item, the device
//! (so removing the device removes its items). Every change is audited in
//! the same transaction.

use chrono::{DateTime, Utc};
use meridian_core::items::{CustomItem, ItemTarget};
use serde_json::json;
use sqlx::{Connection, Row};
use uuid::Uuid;

use crate::audit::{record, AuditEntry};
use crate::error::StoreError;
use crate::store::Store;

const ENTITY: &str = "item";

/// A stored item and its id.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredItem {
    pub id: Uuid,
    pub item: CustomItem,
    pub updated_at: DateTime<Utc>,
}

fn encode(item: &CustomItem) -> Result<serde_json::Value, StoreError> {
    serde_json::to_value(item).map_err(|e| StoreError::Encode { what: ENTITY, detail: e.to_string() })
}

impl Store {
    /// Every item, by key. One this build cannot read is skipped (logged).
    pub async fn list_items(&self) -> Result<Vec<StoredItem>, StoreError> {
        let rows = sqlx::query("SELECT id, definition, updated_at FROM custom_items ORDER BY name")
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: Uuid = r.try_get("id")?;
            match serde_json::from_value::<CustomItem>(r.try_get("definition")?) {
                Ok(item) => out.push(StoredItem { id, item, updated_at: r.try_get("updated_at")? }),
                Err(e) => tracing::warn!(%id, error = %e, "skipping an item this version cannot read"),
            }
        }
        Ok(out)
    }

    /// Stores `item` under its target and name: a new row, or that item
    /// replaced (its id kept). Says which, with the id.
    pub async fn put_item(
        &self,
        item: &CustomItem,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<(Uuid, bool), StoreError> {
        let value = encode(item)?;
        let device = match &item.target {
            ItemTarget::Device(d) => Some(d.0),
            ItemTarget::Template(_) => None,
        };
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let (id, created): (Uuid, bool) = sqlx::query_as(
            "INSERT INTO custom_items (id, name, device_id, definition, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, updated_at = EXCLUDED.updated_at \
             RETURNING id, (xmax = 0) AS created",
        )
        .bind(Uuid::now_v7())
        .bind(item.target.key(&item.name))
        .bind(device)
        .bind(&value)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let action = if created { "item.add" } else { "item.update" };
        let entry = AuditEntry { at: now, actor, action, entity: ENTITY, entity_id: id.to_string(), detail: value };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok((id, created))
    }

    /// Removes the item with this id or key (`device:<id>/name`); returns it.
    pub async fn delete_item(
        &self,
        key: &str,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Option<StoredItem>, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let column = if key.parse::<Uuid>().is_ok() { "id::text" } else { "name" };
        let sql = format!("DELETE FROM custom_items WHERE {column} = $1 RETURNING id, definition, updated_at");
        let Some(row) = sqlx::query(&sql).bind(key).fetch_optional(&mut *tx).await? else {
            return Ok(None);
        };
        let id: Uuid = row.try_get("id")?;
        let item = serde_json::from_value::<CustomItem>(row.try_get("definition")?)
            .map_err(|e| StoreError::Encode { what: ENTITY, detail: e.to_string() })?;
        let entry = AuditEntry {
            at: now,
            actor,
            action: "item.remove",
            entity: ENTITY,
            entity_id: id.to_string(),
            detail: json!({ "key": key }),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(Some(StoredItem { id, item, updated_at: row.try_get("updated_at")? }))
    }

    /// Records that a template's default rule was installed; false when it
    /// was before (so it is not installed again, even if since removed).
    pub async fn mark_default_rule_seeded(
        &self,
        template: &str,
        rule: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO default_rules_seeded (template, rule_name, seeded_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(template)
        .bind(rule)
        .bind(now)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The (template, rule name) pairs installed before.
    pub async fn seeded_default_rules(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(sqlx::query_as("SELECT template, rule_name FROM default_rules_seeded ORDER BY template, rule_name")
            .fetch_all(&mut *self.conn().await?)
            .await?)
    }
}
