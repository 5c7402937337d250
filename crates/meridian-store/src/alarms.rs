//! X.733 alarm records. Raising is idempotent per alarm key: the partial
//! unique index `alarms_active_key` admits one active alarm per
//! (managed object, probable cause, specific problem), so a monitor that
//! raises the same condition twice gets the existing alarm back.

use chrono::{DateTime, Utc};
use meridian_core::alarm::{Alarm, AlarmComment, AlarmId, AlarmKey, AlarmStep};
use meridian_core::DeviceId;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::postgres::PgRow;
use sqlx::Row;
use uuid::Uuid;

use crate::error::StoreError;
use crate::store::Store;

pub(crate) const SELECT: &str = "SELECT id, device_id, managed_object, event_type, probable_cause, specific_problem, \
     perceived_severity, additional_text, raised_at, cleared_at, acked_at, acked_by, ack_comment, version, suppressed_by, maintenance FROM alarms";

/// The snake_case names serde gives the enums are what the schema's CHECK
/// constraints list; going through serde keeps one spelling.
fn to_text<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|j| j.as_str().map(str::to_owned)).unwrap_or_default()
}

fn from_text<T: DeserializeOwned>(s: String) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(s.clone()))
        .map_err(|_| StoreError::Config(format!("stored alarm field '{s}' is not known to this build")))
}

pub(crate) fn from_row(r: &PgRow) -> Result<Alarm, StoreError> {
    Ok(Alarm {
        id: AlarmId(r.try_get("id")?),
        device_id: r.try_get::<Option<Uuid>, _>("device_id")?.map(DeviceId),
        managed_object: r.try_get("managed_object")?,
        event_type: from_text(r.try_get("event_type")?)?,
        probable_cause: r.try_get("probable_cause")?,
        specific_problem: r.try_get("specific_problem")?,
        perceived_severity: from_text(r.try_get("perceived_severity")?)?,
        additional_text: r.try_get("additional_text")?,
        raised_at: r.try_get("raised_at")?,
        cleared_at: r.try_get("cleared_at")?,
        acked_at: r.try_get("acked_at")?,
        acked_by: r.try_get("acked_by")?,
        ack_comment: r.try_get("ack_comment")?,
        version: r.try_get("version")?,
        suppressed_by: r.try_get::<Option<Uuid>, _>("suppressed_by")?.map(AlarmId),
        maintenance: r.try_get("maintenance")?,
    })
}

impl Store {
    /// Stores a new active alarm, or returns the active alarm that already
    /// has its key. The bool says whether this call created it.
    pub async fn raise_alarm(&self, a: &Alarm) -> Result<(Alarm, bool), StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO alarms (id, device_id, managed_object, event_type, probable_cause, specific_problem, \
             perceived_severity, additional_text, raised_at, suppressed_by, maintenance) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (managed_object, probable_cause, specific_problem) WHERE cleared_at IS NULL DO NOTHING",
        )
        .bind(a.id.0)
        .bind(a.device_id.map(|d| d.0))
        .bind(&a.managed_object)
        .bind(to_text(&a.event_type))
        .bind(&a.probable_cause)
        .bind(&a.specific_problem)
        .bind(to_text(&a.perceived_severity))
        .bind(&a.additional_text)
        .bind(a.raised_at)
        .bind(a.suppressed_by.map(|s| s.0))
        .bind(&a.maintenance)
        .execute(&mut *self.conn().await?)
        .await?
        .rows_affected()
            == 1;
        let current = self.active_alarm(&a.key()).await?.ok_or_else(|| StoreError::NotFound {
            what: "alarm",
            key: format!("{}/{}", a.managed_object, a.probable_cause),
        })?;
        Ok((current, inserted))
    }

    pub async fn active_alarm(&self, key: &AlarmKey) -> Result<Option<Alarm>, StoreError> {
        let row = sqlx::query(&format!(
            "{SELECT} WHERE managed_object = $1 AND probable_cause = $2 AND specific_problem = $3 AND cleared_at IS NULL"
        ))
        .bind(&key.managed_object)
        .bind(&key.probable_cause)
        .bind(&key.specific_problem)
        .fetch_optional(&mut *self.conn().await?)
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Clears the active alarm with this key, if any.
    pub async fn clear_alarm_key(&self, key: &AlarmKey, at: DateTime<Utc>) -> Result<Option<Alarm>, StoreError> {
        let Some(mut a) = self.active_alarm(key).await? else { return Ok(None) };
        let expected = a.version;
        a.cleared_at = Some(at);
        self.save_alarm(&a, expected).await.map(Some)
    }

    /// Writes the mutable fields (clear, acknowledge, hold) of an alarm read at
    /// `expected_version`; a concurrent change makes this a conflict.
    pub async fn save_alarm(&self, a: &Alarm, expected_version: i64) -> Result<Alarm, StoreError> {
        let done = sqlx::query(
            "UPDATE alarms SET cleared_at = $3, acked_at = $4, acked_by = $5, ack_comment = $6, \
             perceived_severity = $7, additional_text = $8, suppressed_by = $9, maintenance = $10, \
             version = version + 1 WHERE id = $1 AND version = $2",
        )
        .bind(a.id.0)
        .bind(expected_version)
        .bind(a.cleared_at)
        .bind(a.acked_at)
        .bind(&a.acked_by)
        .bind(&a.ack_comment)
        .bind(to_text(&a.perceived_severity))
        .bind(&a.additional_text)
        .bind(a.suppressed_by.map(|s| s.0))
        .bind(&a.maintenance)
        .execute(&mut *self.conn().await?)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Referenced(format!("alarm {} changed since it was read; reload and retry", a.id)));
        }
        self.get_alarm(&a.id.to_string()).await
    }

    pub async fn get_alarm(&self, id: &str) -> Result<Alarm, StoreError> {
        let row = sqlx::query(&format!("{SELECT} WHERE id::text = $1"))
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: "alarm", key: id.to_owned() })?;
        from_row(&row)
    }

    /// Newest first. `active_only` hides cleared alarms.
    pub async fn list_alarms(&self, active_only: bool, limit: i64) -> Result<Vec<Alarm>, StoreError> {
        let filter = if active_only { "WHERE cleared_at IS NULL" } else { "" };
        let rows = sqlx::query(&format!("{SELECT} {filter} ORDER BY raised_at DESC, id DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn active_alarms_for_device(&self, device: DeviceId) -> Result<Vec<Alarm>, StoreError> {
        let rows = sqlx::query(&format!("{SELECT} WHERE device_id = $1 AND cleared_at IS NULL ORDER BY raised_at"))
            .bind(device.0)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Writes a step of an alarm's life to the event log, so the log and an
    /// alarm's history read as one timeline with inventory and state changes.
    pub async fn log_alarm(
        &self,
        at: DateTime<Utc>,
        actor: &str,
        step: AlarmStep,
        a: &Alarm,
    ) -> Result<(), StoreError> {
        let detail = serde_json::json!({
            "deviceId": a.device_id,
            "managedObject": a.managed_object,
            "probableCause": a.probable_cause,
            "specificProblem": a.specific_problem,
            "severity": a.perceived_severity,
            "suppressedBy": a.suppressed_by,
            "maintenance": a.maintenance,
        });
        self.log_event(at, actor, step.action(), "alarm", a.id.to_string(), detail).await
    }

    /// Active alarms held from notifications (suppressed, or raised in a
    /// maintenance window): what the monitor may release.
    pub async fn active_held_alarms(&self) -> Result<Vec<Alarm>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE cleared_at IS NULL AND (suppressed_by IS NOT NULL OR maintenance IS NOT NULL) \
             ORDER BY raised_at"
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn add_alarm_comment(&self, c: &AlarmComment) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO alarm_comments (alarm_id, at, by_user, body) VALUES ($1, $2, $3, $4)")
            .bind(c.alarm_id.0)
            .bind(c.at)
            .bind(&c.by)
            .bind(&c.text)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    pub async fn alarm_comments(&self, id: AlarmId) -> Result<Vec<AlarmComment>, StoreError> {
        let rows =
            sqlx::query("SELECT alarm_id, at, by_user, body FROM alarm_comments WHERE alarm_id = $1 ORDER BY at, id")
                .bind(id.0)
                .fetch_all(&mut *self.conn().await?)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(AlarmComment {
                    alarm_id: AlarmId(r.try_get("alarm_id")?),
                    at: r.try_get("at")?,
                    by: r.try_get("by_user")?,
                    text: r.try_get("body")?,
                })
            })
            .collect()
    }
}
