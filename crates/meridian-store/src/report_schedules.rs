//! Scheduled reports and their run log (migration 0022). A schedule is
//! kept in plain columns (what the run log and an operator's SQL read);
//! its enums as their serde names. Adding, editing and removing one is
//! audited; a run updates the schedule and logs itself in one transaction,
//! and keeps only the newest runs of that schedule.

use chrono::{DateTime, Utc};
use meridian_core::report::schedule::{Period, ReportSchedule, ScheduleInput, ScheduleRun};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use sqlx::postgres::PgRow;
use sqlx::{Connection, Row};
use uuid::Uuid;

use crate::audit::{record, AuditEntry};
use crate::error::StoreError;
use crate::store::Store;

const ENTITY: &str = "report_schedule";

/// A stored schedule and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSchedule {
    pub id: Uuid,
    pub schedule: ReportSchedule,
}

/// Binds $1 (the id) to $13 (enabled): the schedule's input, in the column
/// order that both the insert and the update name.
fn bind_input<'q>(
    q: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    id: Uuid,
    i: &'q ScheduleInput,
) -> Result<sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>, StoreError> {
    let formats = i.formats.iter().map(name_of).collect::<Result<Vec<_>, _>>()?;
    Ok(q.bind(id)
        .bind(&i.name)
        .bind(name_of(&i.cadence)?)
        .bind(name_of(&i.kind)?)
        .bind(&i.site)
        .bind(&i.tag)
        .bind(&i.device)
        .bind(i.top_n.map(|n| i32::try_from(n).unwrap_or(i32::MAX)))
        .bind(formats)
        .bind(&i.folder)
        .bind(&i.channel)
        .bind(&i.recipients)
        .bind(i.enabled))
}

fn name_of<T: Serialize>(v: &T) -> Result<String, StoreError> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        other => Err(StoreError::Encode { what: ENTITY, detail: format!("not a name: {other:?}") }),
    }
}

fn from_name<T: DeserializeOwned>(s: String) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(s))
        .map_err(|e| StoreError::Encode { what: ENTITY, detail: e.to_string() })
}

const COLUMNS: &str = "id, name, cadence, kind, site, tag, device, top_n, formats, folder, channel, recipients, \
                       enabled, created_at, last_period_to, last_run_at, next_due, last_ok, last_error";

fn decode(r: &PgRow) -> Result<StoredSchedule, StoreError> {
    let formats: Vec<String> = r.try_get("formats")?;
    let input = ScheduleInput {
        name: r.try_get("name")?,
        cadence: from_name(r.try_get("cadence")?)?,
        kind: from_name(r.try_get("kind")?)?,
        site: r.try_get("site")?,
        tag: r.try_get("tag")?,
        device: r.try_get("device")?,
        top_n: r.try_get::<Option<i32>, _>("top_n")?.and_then(|n| u32::try_from(n).ok()),
        formats: formats.into_iter().map(from_name).collect::<Result<_, _>>()?,
        folder: r.try_get("folder")?,
        channel: r.try_get("channel")?,
        recipients: r.try_get("recipients")?,
        enabled: r.try_get("enabled")?,
    };
    Ok(StoredSchedule {
        id: r.try_get("id")?,
        schedule: ReportSchedule {
            input,
            created_at: r.try_get("created_at")?,
            last_period_to: r.try_get("last_period_to")?,
            last_run_at: r.try_get("last_run_at")?,
            next_due: r.try_get("next_due")?,
            last_ok: r.try_get("last_ok")?,
            last_error: r.try_get("last_error")?,
        },
    })
}

impl Store {
    /// Adds a schedule; a name in use is a `Duplicate` of `name`.
    pub async fn insert_report_schedule(&self, s: &ReportSchedule, actor: &str) -> Result<Uuid, StoreError> {
        let i = &s.input;
        let id = Uuid::now_v7();
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO report_schedules (id, name, cadence, kind, site, tag, device, top_n, formats, folder, \
             channel, recipients, enabled, created_at, next_due) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (name) DO NOTHING",
        );
        let inserted = bind_input(inserted, id, i)?.bind(s.created_at).bind(s.next_due).execute(&mut *tx).await?;
        if inserted.rows_affected() == 0 {
            return Err(StoreError::Duplicate { field: "name", what: "report schedule", value: i.name.clone() });
        }
        let detail = serde_json::to_value(i).map_err(|e| StoreError::Encode { what: ENTITY, detail: e.to_string() })?;
        let entry = AuditEntry {
            at: s.created_at,
            actor,
            action: "report_schedule.add",
            entity: ENTITY,
            entity_id: id.to_string(),
            detail,
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every schedule, by name.
    pub async fn list_report_schedules(&self) -> Result<Vec<StoredSchedule>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM report_schedules ORDER BY name"))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(decode).collect()
    }

    pub async fn get_report_schedule(&self, name: &str) -> Result<Option<StoredSchedule>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM report_schedules WHERE name = $1"))
            .bind(name)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        row.as_ref().map(decode).transpose()
    }

    /// Changes a schedule's input (a rename included: its runs follow its
    /// id) to `s.input` in one audited statement; a name in use is a
    /// `Duplicate` of `name`. The run state (`last_*`) is not written, so a
    /// run recorded meanwhile is kept; `next_due` becomes `s.next_due` only
    /// when the cadence changes (see `ReportSchedule::edited`), compared in
    /// the same statement. `None`: no schedule has that id.
    pub async fn update_report_schedule(
        &self,
        id: Uuid,
        s: &ReportSchedule,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Option<StoredSchedule>, StoreError> {
        let i = &s.input;
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        // In SET, `cadence` is the row's value before the update.
        let sql = format!(
            "UPDATE report_schedules SET name = $2, cadence = $3, kind = $4, site = $5, tag = $6, device = $7, \
             top_n = $8, formats = $9, folder = $10, channel = $11, recipients = $12, enabled = $13, \
             next_due = CASE WHEN cadence = $3 THEN next_due ELSE $14 END WHERE id = $1 RETURNING {COLUMNS}"
        );
        let row = bind_input(sqlx::query(&sql), id, i)?
            .bind(s.next_due)
            .fetch_optional(&mut *tx)
            .await
            .map_err(|e| crate::inventory::map_unique(e, |_| i.name.clone()))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let updated = decode(&row)?;
        let detail = serde_json::to_value(i).map_err(|e| StoreError::Encode { what: ENTITY, detail: e.to_string() })?;
        let entry = AuditEntry {
            at: now,
            actor,
            action: "report_schedule.update",
            entity: ENTITY,
            entity_id: id.to_string(),
            detail,
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(Some(updated))
    }

    /// Removes a schedule with its run log; returns it (`None`: no such name).
    pub async fn delete_report_schedule(
        &self,
        name: &str,
        now: DateTime<Utc>,
        actor: &str,
    ) -> Result<Option<StoredSchedule>, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let sql = format!("DELETE FROM report_schedules WHERE name = $1 RETURNING {COLUMNS}");
        let Some(row) = sqlx::query(&sql).bind(name).fetch_optional(&mut *tx).await? else {
            return Ok(None);
        };
        let gone = decode(&row)?;
        let entry = AuditEntry {
            at: now,
            actor,
            action: "report_schedule.remove",
            entity: ENTITY,
            entity_id: gone.id.to_string(),
            detail: json!({ "name": name }),
        };
        record(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(Some(gone))
    }

    /// Stores the schedule's state after a run and logs the run, keeping the
    /// newest `keep` runs of that schedule. `false`: the schedule was removed
    /// meanwhile (nothing is logged).
    pub async fn record_report_run(
        &self,
        id: Uuid,
        s: &ReportSchedule,
        run: &ScheduleRun,
        keep: i64,
    ) -> Result<bool, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = conn.begin().await?;
        let updated = sqlx::query(
            "UPDATE report_schedules SET last_period_to = $2, last_run_at = $3, next_due = $4, last_ok = $5, \
             last_error = $6 WHERE id = $1",
        )
        .bind(id)
        .bind(s.last_period_to)
        .bind(s.last_run_at)
        .bind(s.next_due)
        .bind(s.last_ok)
        .bind(&s.last_error)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO report_runs (schedule_id, at, period_from, period_to, ok, files, mailed, error) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(run.at)
        .bind(run.period.from)
        .bind(run.period.to)
        .bind(run.ok)
        .bind(&run.files)
        .bind(&run.mailed)
        .bind(&run.error)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM report_runs WHERE schedule_id = $1 AND id NOT IN \
             (SELECT id FROM report_runs WHERE schedule_id = $1 ORDER BY at DESC, id DESC LIMIT $2)",
        )
        .bind(id)
        .bind(keep.max(1))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A schedule's runs, newest first (all schedules' when `name` is `None`).
    pub async fn report_runs(&self, name: Option<&str>, limit: i64) -> Result<Vec<ScheduleRun>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.name, r.at, r.period_from, r.period_to, r.ok, r.files, r.mailed, r.error \
             FROM report_runs r JOIN report_schedules s ON s.id = r.schedule_id \
             WHERE $1::text IS NULL OR s.name = $1 ORDER BY r.at DESC, r.id DESC LIMIT $2",
        )
        .bind(name)
        .bind(limit.max(1))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ScheduleRun {
                    schedule: r.try_get("name")?,
                    at: r.try_get("at")?,
                    period: Period { from: r.try_get("period_from")?, to: r.try_get("period_to")? },
                    ok: r.try_get("ok")?,
                    files: r.try_get("files")?,
                    mailed: r.try_get("mailed")?,
                    error: r.try_get("error")?,
                })
            })
            .collect()
    }
}
