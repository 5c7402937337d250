//! The event/audit log: every inventory change is recorded in the same
//! transaction as the change, so the log can never disagree with the data.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

pub(crate) struct AuditEntry<'a> {
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub detail: serde_json::Value,
}

pub(crate) async fn record(conn: &mut PgConnection, e: AuditEntry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO event_log (at, actor, action, entity, entity_id, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(e.at)
        .bind(e.actor)
        .bind(e.action)
        .bind(e.entity)
        .bind(e.entity_id)
        .bind(e.detail)
        .execute(conn)
        .await?;
    Ok(())
}
