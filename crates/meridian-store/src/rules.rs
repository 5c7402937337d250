//! Alarm rules: the service validates a rule, the store keeps it as JSON
//! beside its name, and every change is audited in the same transaction.

use chrono::{DateTime, Utc};
use meridian_core::rules::Rule;
use serde_json::json;
use sqlx::{Connection, Row};
use uuid::Uuid;

use crate::audit::{record, AuditEntry};
use crate::error::StoreError;
use crate::store::Store;

/// A stored rule and its id (the `rule:<id>` of its alarms).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRule {
    pub id: Uuid,
    pub rule: Rule,
    pub updated_at: DateTime<Utc>,
}

impl Store {
    /// Every rule, by name. A definition this build cannot read (written by
    /// a newer Meridian) is skipped with a warning rather than stopping the
    /// monitor.
    pub async fn list_rules(&self) -> Result<Vec<StoredRule>, StoreError> {
        let rows = sqlx::query("SELECT id, definition, updated_at FROM rules ORDER BY name")
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: Uuid = r.try_get("id")?;
            match serde_json::from_value::<Rule>(r.try_get("definition")?) {
                Ok(rule) => out.push(StoredRule { id, rule, updated_at: r.try_get("updated_at")? }),
                Err(e) => tracing::warn!(%id, error = %e, "skipping a rule this version cannot read"),
            }
        }
        Ok(out)
    }

    /// Stores `rule` under its name: a new row, or the named rule replaced
    /// (its id, and so its alarms, kept). Says which, with the id.
    pub async fn put_rule(&self, rule: &Rule, now: DateTime<Utc>, actor: &str) -> Result<(Uuid, bool), StoreError> {
        let definition =
            serde_json::to_value(rule).map_err(|e| StoreError::Encode { what: "rule", detail: e.to_string() })?;
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let new_id = Uuid::now_v7();
        let (id, created): (Uuid, bool) = sqlx::query_as(
            "INSERT INTO rules (id, name, definition, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, updated_at = EXCLUDED.updated_at \
             RETURNING id, (xmax = 0) AS created",
        )
        .bind(new_id)
        .bind(&rule.name)
        .bind(&definition)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let action = if created { "rule.add" } else { "rule.update" };
        let entry =
            AuditEntry { at: now, actor, action, entity: "rule", entity_id: id.to_string(), detail: definition };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok((id, created))
    }

    /// Removes the rule with this name or id; says whether there was one.
    pub async fn delete_rule(&self, key: &str, now: DateTime<Utc>, actor: &str) -> Result<Option<Uuid>, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let id: Option<Uuid> = match key.parse::<Uuid>() {
            Ok(id) => sqlx::query_scalar("DELETE FROM rules WHERE id = $1 RETURNING id").bind(id),
            Err(_) => sqlx::query_scalar("DELETE FROM rules WHERE name = $1 RETURNING id").bind(key),
        }
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(id) = id {
            let detail = json!({ "key": key });
            let entry =
                AuditEntry { at: now, actor, action: "rule.remove", entity: "rule", entity_id: id.to_string(), detail };
            record(&mut tx, entry).await?;
        }
        tx.commit().await?;
        Ok(id)
    }
}
