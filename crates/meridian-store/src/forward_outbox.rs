//! The forwarding outbox (migration 0025): alarm changes still to send to
//! a northbound target. Written when the change happens and deleted once
//! sent or given up, so whatever is here after a crash is still owed.

use chrono::{DateTime, Utc};
use meridian_core::alarm::Alarm;
use meridian_core::forward::{AlarmChange, ForwardTarget};
use serde::{Deserialize, Serialize};
use sqlx::{Connection, Row};
use uuid::Uuid;

use crate::error::StoreError;
use crate::store::Store;

/// One change owed to one target, with the target as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct ForwardDelivery {
    pub id: Uuid,
    pub target: ForwardTarget,
    pub alarm: Alarm,
    pub change: AlarmChange,
    /// The device's name when the change happened.
    pub device: Option<String>,
    /// Attempts made so far (all failed).
    pub attempts: u32,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    alarm: Alarm,
    device: Option<String>,
}

impl Store {
    /// Queues `change` of `alarm` for each target in one transaction.
    pub async fn enqueue_forwards(
        &self,
        targets: &[Uuid],
        alarm: &Alarm,
        change: AlarmChange,
        device: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let payload = serde_json::to_value(Payload { alarm: alarm.clone(), device: device.map(str::to_owned) })
            .map_err(|e| StoreError::Encode { what: "forwarded alarm", detail: e.to_string() })?;
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        for t in targets {
            sqlx::query(
                "INSERT INTO forward_outbox (id, target_id, alarm_id, change, state, attempts, next_attempt_at, \
                 created_at, payload) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $6)",
            )
            .bind(Uuid::now_v7())
            .bind(t)
            .bind(alarm.id.0)
            .bind(change.as_str())
            .bind(now)
            .bind(&payload)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Rows due by `now`, oldest first, each only if no older row of the
    /// same target and alarm is still open: a "cleared" never overtakes
    /// its "raised". A row this build cannot read is given up with a warning.
    pub async fn due_forwards(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<ForwardDelivery>, StoreError> {
        let rows = sqlx::query(
            "SELECT o.id, o.change, o.attempts, o.payload, t.definition FROM forward_outbox o \
             JOIN forward_targets t ON t.id = o.target_id \
             WHERE o.next_attempt_at <= $1 AND NOT EXISTS (SELECT 1 FROM forward_outbox p \
               WHERE p.target_id = o.target_id AND p.alarm_id = o.alarm_id AND p.id < o.id) \
             ORDER BY o.id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: Uuid = r.try_get("id")?;
            match read_row(&r) {
                Ok(d) => out.push(d),
                Err(e) => {
                    tracing::warn!(%id, error = %e, "unreadable forwarding outbox row dropped");
                    self.forward_finished(id).await?;
                }
            }
        }
        Ok(out)
    }

    /// When the next row falls due, if any is queued.
    pub async fn next_forward_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(sqlx::query_scalar("SELECT min(next_attempt_at) FROM forward_outbox")
            .fetch_one(&mut *self.conn().await?)
            .await?)
    }

    /// Sent, or given up: the row leaves the outbox.
    pub async fn forward_finished(&self, id: Uuid) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM forward_outbox WHERE id = $1").bind(id).execute(&mut *self.conn().await?).await?;
        Ok(())
    }

    /// An attempt failed; the next one is at `next`.
    pub async fn forward_failed(&self, id: Uuid, attempts: u32, next: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE forward_outbox SET state = 'failed', attempts = $2, next_attempt_at = $3 WHERE id = $1")
            .bind(id)
            .bind(i32::try_from(attempts).unwrap_or(i32::MAX))
            .bind(next)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }
}

fn read_row(r: &sqlx::postgres::PgRow) -> Result<ForwardDelivery, StoreError> {
    let change: String = r.try_get("change")?;
    let change = AlarmChange::parse(&change)
        .ok_or_else(|| StoreError::Config(format!("forwarded change '{change}' is not known to this build")))?;
    let unreadable = |e: serde_json::Error| StoreError::Config(format!("forwarding outbox row: {e}"));
    let payload: Payload = serde_json::from_value(r.try_get("payload")?).map_err(unreadable)?;
    let target: ForwardTarget = serde_json::from_value(r.try_get("definition")?).map_err(unreadable)?;
    let attempts: i32 = r.try_get("attempts")?;
    Ok(ForwardDelivery {
        id: r.try_get("id")?,
        target,
        alarm: payload.alarm,
        change,
        device: payload.device,
        attempts: u32::try_from(attempts).unwrap_or(0),
    })
}
