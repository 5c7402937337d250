//! Northbound forwarding targets, kept as named JSON definitions (see
//! [`crate::definitions`]), and the log of their send attempts, which goes
//! in the notifications' delivery log so one screen shows both.

use chrono::{DateTime, Utc};
use meridian_core::forward::ForwardTarget;
use uuid::Uuid;

use crate::definitions::{Kind, Stored};
use crate::error::StoreError;
use crate::store::Store;

const TARGETS: Kind = Kind { table: "forward_targets", entity: "forward_target" };

/// One send attempt of a forwarded alarm change.
#[derive(Debug, Clone, PartialEq)]
pub struct ForwardAttempt {
    pub at: DateTime<Utc>,
    /// `ForwardTarget::log_channel`.
    pub channel: String,
    pub alarm_id: Uuid,
    /// `AlarmChange::log_kind`.
    pub kind: &'static str,
    pub attempt: i32,
    /// sent, failed (retried) or dead (given up).
    pub outcome: &'static str,
    pub error: Option<String>,
}

impl Store {
    pub async fn list_forward_targets(&self) -> Result<Vec<Stored<ForwardTarget>>, StoreError> {
        self.list_definitions(TARGETS).await
    }

    pub async fn put_forward_target(
        &self,
        t: &ForwardTarget,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<(Uuid, bool), StoreError> {
        self.put_definition(TARGETS, &t.name, t, now, actor).await
    }

    /// Removes the target; returns it (its vault key goes with it) if there was one.
    pub async fn delete_forward_target(
        &self,
        key: &str,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Option<Stored<ForwardTarget>>, StoreError> {
        self.delete_definition(TARGETS, key, now, actor).await
    }

    pub async fn log_forward_attempt(&self, a: &ForwardAttempt) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO notify_log (id, at, outbox_id, channel_id, channel, alarm_id, kind, attempt, outcome, \
             status, error) VALUES ($1, $2, NULL, NULL, $3, $4, $5, $6, $7, NULL, $8)",
        )
        .bind(Uuid::now_v7())
        .bind(a.at)
        .bind(&a.channel)
        .bind(a.alarm_id)
        .bind(a.kind)
        .bind(a.attempt)
        .bind(a.outcome)
        .bind(&a.error)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }
}
