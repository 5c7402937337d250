//! The team server's audit trail (`audit_trail`, migration 0020): appended
//! to, never changed; a trigger refuses UPDATE, DELETE and TRUNCATE.

use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;

use crate::error::StoreError;
use crate::store::Store;

/// One audit row as written and as read back (`AuditEntry` in the UI's
/// bindings). `before`/`after` never hold a secret or a hash.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "AuditEntry")]
pub struct AuditRow {
    /// 0 until written.
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub actor: String,
    #[ts(type = "string | null")]
    pub actor_id: Option<Uuid>,
    /// The caller's address, or `local` for the desktop and CLI.
    pub source: String,
    /// e.g. `login`, `login.failed`, `device.add`, `alarm.ack`, `user.role`.
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    #[ts(type = "string | null")]
    pub site_id: Option<Uuid>,
    #[ts(type = "unknown")]
    pub before: Option<serde_json::Value>,
    #[ts(type = "unknown")]
    pub after: Option<serde_json::Value>,
}

/// Narrows a listing; every text filter is an exact match.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: i64,
}

impl Store {
    pub async fn append_audit(&self, a: &AuditRow) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO audit_trail (at, actor, actor_id, source, action, entity, entity_id, site_id, before, after) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(a.at)
        .bind(&a.actor)
        .bind(a.actor_id)
        .bind(&a.source)
        .bind(&a.action)
        .bind(&a.entity)
        .bind(&a.entity_id)
        .bind(a.site_id)
        .bind(&a.before)
        .bind(&a.after)
        .fetch_one(&mut *self.conn().await?)
        .await?)
    }

    /// Newest first.
    pub async fn list_audit(&self, q: &AuditQuery) -> Result<Vec<AuditRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, at, actor, actor_id, source, action, entity, entity_id, site_id, before, after \
             FROM audit_trail WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2) \
             AND ($3::text IS NULL OR entity = $3) AND ($4::text IS NULL OR entity_id = $4) \
             AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6) \
             ORDER BY at DESC, id DESC LIMIT $7",
        )
        .bind(&q.actor)
        .bind(&q.action)
        .bind(&q.entity)
        .bind(&q.entity_id)
        .bind(q.since)
        .bind(q.until)
        .bind(q.limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditRow {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    actor_id: r.try_get("actor_id")?,
                    source: r.try_get("source")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                    site_id: r.try_get("site_id")?,
                    before: r.try_get("before")?,
                    after: r.try_get("after")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }
}
