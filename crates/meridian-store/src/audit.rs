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

/// One row of the event log as read back: inventory changes, device state
/// changes and alarm steps. The console's event-log view reads it as is
/// (`EventLogEntry` in the UI's bindings). `detail` is the entry's own JSON
/// (e.g. `{"from": "up", "to": "down"}` for a state change).
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "EventLogEntry")]
pub struct EventLogRow {
    /// The log's sequence number (a bigint in the store; far below 2^53).
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub actor: String,
    /// What happened, e.g. `device.add`, `device.state`, or an `AlarmStep`.
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// Any JSON (an object for every entry written today); the UI narrows it.
    #[ts(type = "unknown")]
    pub detail: serde_json::Value,
}

impl crate::store::Store {
    /// The newest `limit` entries, newest first (id breaks ties within one instant).
    pub async fn event_log(&self, limit: i64) -> Result<Vec<EventLogRow>, crate::error::StoreError> {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT id, at, actor, action, entity, entity_id, detail FROM event_log ORDER BY at DESC, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EventLogRow {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }
}
