//! Notification channels, routes, the outbox and the delivery log.
//!
//! Channels and routes are JSON definitions beside their names, audited in
//! the same transaction as each change (like rules). The outbox holds one
//! row per alarm x channel delivery; everything an alarm calls for is
//! enqueued in one transaction, and each attempt updates its row and adds
//! its log line in one transaction, so a crash between the two cannot
//! happen and a restart finds every undelivered row still due.

use chrono::{DateTime, Utc};
use meridian_core::notification::{AlarmContext, Channel, DeliveryKind, Route};
use sqlx::postgres::PgRow;
use sqlx::{Connection, Row};
use uuid::Uuid;

use crate::definitions::Kind;
use crate::error::StoreError;
use crate::store::Store;

pub use crate::definitions::Stored;

const CHANNELS: Kind = Kind { table: "notify_channels", entity: "notify_channel" };
const ROUTES: Kind = Kind { table: "notify_routes", entity: "notify_route" };

/// A delivery's state in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    Pending,
    /// The last attempt failed; the next is at `next_attempt_at`.
    Failed,
    Sent,
    /// Out of attempts.
    Dead,
    /// An escalation no longer needed (acknowledged or cleared in time).
    Cancelled,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Failed => "failed",
            Self::Sent => "sent",
            Self::Dead => "dead",
            Self::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "failed" => Self::Failed,
            "sent" => Self::Sent,
            "dead" => Self::Dead,
            "cancelled" => Self::Cancelled,
            _ => Self::Pending,
        }
    }
}

/// A delivery to enqueue.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub channel_id: Uuid,
    pub route: Option<String>,
    pub kind: DeliveryKind,
    pub due: DateTime<Utc>,
    /// None for a test message.
    pub item: Option<AlarmContext>,
}

/// One outbox row.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: Uuid,
    pub alarm_id: Option<Uuid>,
    pub channel_id: Uuid,
    pub route: Option<String>,
    pub kind: DeliveryKind,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub item: Option<AlarmContext>,
}

/// What one attempt (or a decision not to send) did to a row.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub outbox_id: Uuid,
    pub channel_id: Uuid,
    pub channel: String,
    pub alarm_id: Option<Uuid>,
    pub kind: DeliveryKind,
    /// The attempt's number (1 for the first); a cancellation repeats the
    /// attempts made so far.
    pub attempt: u32,
    /// `Sent`, `Failed` (with `next_attempt_at`), `Dead` or `Cancelled`.
    pub state: OutboxState,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub status: Option<String>,
    pub error: Option<String>,
}

/// One line of the delivery log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRow {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub outbox_id: Option<Uuid>,
    pub channel: String,
    pub alarm_id: Option<Uuid>,
    pub kind: String,
    pub attempt: u32,
    pub outcome: String,
    pub status: Option<String>,
    pub error: Option<String>,
}

/// Which log lines to read; newest first.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    pub channel: Option<String>,
    pub alarm_id: Option<Uuid>,
    pub limit: i64,
}

impl Store {
    pub async fn list_channels(&self) -> Result<Vec<Stored<Channel>>, StoreError> {
        self.list_definitions(CHANNELS).await
    }

    pub async fn put_channel(&self, c: &Channel, now: DateTime<Utc>, actor: &str) -> Result<(Uuid, bool), StoreError> {
        self.put_definition(CHANNELS, &c.name, c, now, actor).await
    }

    /// Removes the channel (name or id) with its outbox rows; returns it so
    /// the caller can drop its secrets from the vault.
    pub async fn delete_channel(
        &self,
        key: &str,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Option<Stored<Channel>>, StoreError> {
        self.delete_definition(CHANNELS, key, now, actor).await
    }

    pub async fn list_routes(&self) -> Result<Vec<Stored<Route>>, StoreError> {
        self.list_definitions(ROUTES).await
    }

    pub async fn put_route(&self, r: &Route, now: DateTime<Utc>, actor: &str) -> Result<(Uuid, bool), StoreError> {
        self.put_definition(ROUTES, &r.name, r, now, actor).await
    }

    pub async fn delete_route(
        &self,
        key: &str,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Option<Stored<Route>>, StoreError> {
        self.delete_definition(ROUTES, key, now, actor).await
    }

    /// Enqueues every delivery in one transaction. A delivery already
    /// queued for the same alarm, channel and kind is skipped. Returns the
    /// ids of the rows written.
    pub async fn enqueue_deliveries(&self, ds: &[NewDelivery], now: DateTime<Utc>) -> Result<Vec<Uuid>, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let mut ids = Vec::with_capacity(ds.len());
        for d in ds {
            let payload = match &d.item {
                Some(item) => serde_json::to_value(item)
                    .map_err(|e| StoreError::Encode { what: "notification", detail: e.to_string() })?,
                None => serde_json::Value::Null,
            };
            let id: Option<Uuid> = sqlx::query_scalar(
                "INSERT INTO notify_outbox (id, alarm_id, channel_id, route, kind, state, attempts, next_attempt_at, \
                 created_at, updated_at, payload) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7, $7, $8) \
                 ON CONFLICT (alarm_id, channel_id, kind) WHERE alarm_id IS NOT NULL DO NOTHING RETURNING id",
            )
            .bind(Uuid::now_v7())
            .bind(d.item.as_ref().map(|i| i.alarm.id.0))
            .bind(d.channel_id)
            .bind(&d.route)
            .bind(d.kind.as_str())
            .bind(d.due)
            .bind(now)
            .bind(payload)
            .fetch_optional(&mut *tx)
            .await?;
            ids.extend(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Deliveries due by `now` (pending or waiting to retry), oldest first.
    pub async fn due_deliveries(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<OutboxRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "{OUTBOX_SELECT} WHERE state IN ('pending', 'failed') AND next_attempt_at <= $1 \
             ORDER BY next_attempt_at, id LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(outbox_row).collect()
    }

    /// When the next delivery falls due, if any is waiting.
    pub async fn next_delivery_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(sqlx::query_scalar("SELECT min(next_attempt_at) FROM notify_outbox WHERE state IN ('pending', 'failed')")
            .fetch_one(&mut *self.conn().await?)
            .await?)
    }

    /// The outbox rows of one alarm (tests, diagnostics).
    pub async fn outbox_for_alarm(&self, alarm_id: Uuid) -> Result<Vec<OutboxRow>, StoreError> {
        let rows = sqlx::query(&format!("{OUTBOX_SELECT} WHERE alarm_id = $1 ORDER BY created_at, id"))
            .bind(alarm_id)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(outbox_row).collect()
    }

    /// Puts off a delivery without counting an attempt (the channel's rate
    /// limit, or a digest still collecting).
    pub async fn defer_delivery(&self, id: Uuid, until: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE notify_outbox SET next_attempt_at = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(until)
            .bind(now)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    /// Records attempts: each row's new state and its log line, all in one
    /// transaction (a digest's rows share one attempt).
    pub async fn record_attempts(&self, attempts: &[Attempt], now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        for a in attempts {
            let attempts = i32::try_from(a.attempt).unwrap_or(i32::MAX);
            sqlx::query(
                "UPDATE notify_outbox SET state = $2, attempts = $3, next_attempt_at = coalesce($4, next_attempt_at), \
                 updated_at = $5 WHERE id = $1",
            )
            .bind(a.outbox_id)
            .bind(a.state.as_str())
            .bind(attempts)
            .bind(a.next_attempt_at)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let outcome = match a.state {
                OutboxState::Pending | OutboxState::Failed => "failed",
                other => other.as_str(),
            };
            sqlx::query(
                "INSERT INTO notify_log (id, at, outbox_id, channel_id, channel, alarm_id, kind, attempt, outcome, \
                 status, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(Uuid::now_v7())
            .bind(now)
            .bind(a.outbox_id)
            .bind(a.channel_id)
            .bind(&a.channel)
            .bind(a.alarm_id)
            .bind(a.kind.as_str())
            .bind(attempts)
            .bind(outcome)
            .bind(&a.status)
            .bind(&a.error)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Cancels an alarm's escalations that have not gone out yet (it was
    /// acknowledged or cleared). Returns how many.
    pub async fn cancel_escalations(&self, alarm_id: Uuid, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let r = sqlx::query(
            "UPDATE notify_outbox SET state = 'cancelled', updated_at = $2 \
             WHERE alarm_id = $1 AND kind = 'escalation' AND state IN ('pending', 'failed')",
        )
        .bind(alarm_id)
        .bind(now)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(r.rows_affected())
    }

    /// Logs one attempt of a built-in channel that has no outbox or channel
    /// row (the desktop's notifications): `error` None means it was shown.
    pub async fn log_builtin_attempt(
        &self,
        channel: &str,
        at: DateTime<Utc>,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO notify_log (id, at, outbox_id, channel_id, channel, alarm_id, kind, attempt, outcome, \
             status, error) VALUES ($1, $2, NULL, NULL, $3, NULL, 'immediate', 1, $4, NULL, $5)",
        )
        .bind(Uuid::now_v7())
        .bind(at)
        .bind(channel)
        .bind(if error.is_none() { "sent" } else { "failed" })
        .bind(error)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    pub async fn delivery_log(&self, f: &LogFilter) -> Result<Vec<LogRow>, StoreError> {
        let limit = if f.limit <= 0 { 100 } else { f.limit.min(10_000) };
        let rows = sqlx::query(
            "SELECT id, at, outbox_id, channel, alarm_id, kind, attempt, outcome, status, error FROM notify_log \
             WHERE ($1::text IS NULL OR channel = $1) AND ($2::uuid IS NULL OR alarm_id = $2) \
             ORDER BY at DESC, id DESC LIMIT $3",
        )
        .bind(&f.channel)
        .bind(f.alarm_id)
        .bind(limit)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(LogRow {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    outbox_id: r.try_get("outbox_id")?,
                    channel: r.try_get("channel")?,
                    alarm_id: r.try_get("alarm_id")?,
                    kind: r.try_get("kind")?,
                    attempt: u32::try_from(r.try_get::<i32, _>("attempt")?).unwrap_or(0),
                    outcome: r.try_get("outcome")?,
                    status: r.try_get("status")?,
                    error: r.try_get("error")?,
                })
            })
            .collect()
    }
}

const OUTBOX_SELECT: &str = "SELECT id, alarm_id, channel_id, route, kind, state, attempts, next_attempt_at, payload \
                             FROM notify_outbox";

fn outbox_row(r: &PgRow) -> Result<OutboxRow, StoreError> {
    let kind: String = r.try_get("kind")?;
    let payload: serde_json::Value = r.try_get("payload")?;
    let item = if payload.is_null() {
        None
    } else {
        Some(
            serde_json::from_value::<AlarmContext>(payload)
                .map_err(|e| StoreError::Encode { what: "notification", detail: e.to_string() })?,
        )
    };
    Ok(OutboxRow {
        id: r.try_get("id")?,
        alarm_id: r.try_get("alarm_id")?,
        channel_id: r.try_get("channel_id")?,
        route: r.try_get("route")?,
        kind: DeliveryKind::parse(&kind).unwrap_or(DeliveryKind::Immediate),
        state: OutboxState::parse(&r.try_get::<String, _>("state")?),
        attempts: u32::try_from(r.try_get::<i32, _>("attempts")?).unwrap_or(0),
        next_attempt_at: r.try_get("next_attempt_at")?,
        item,
    })
}
