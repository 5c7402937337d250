//! What an alarm's timeline (`meridian_core::alarm_timeline`) reads: its
//! event-log steps and the alarms of its condition handed over to or from
//! at its raise and clear instants (a rule's severity change).

use meridian_core::alarm::{Alarm, AlarmId, AlarmStep, Severity};
use meridian_core::alarm_timeline::LoggedStep;
use sqlx::Row;
use uuid::Uuid;

use crate::alarms::{from_row, SELECT};
use crate::error::StoreError;
use crate::store::Store;

impl Store {
    /// The alarm's steps in the event log, oldest first. A row whose action
    /// or detail this build does not know is left out, not guessed at.
    pub async fn alarm_log(&self, id: AlarmId) -> Result<Vec<LoggedStep>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, actor, action, detail FROM event_log WHERE entity = 'alarm' AND entity_id = $1 ORDER BY at, id",
        )
        .bind(id.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let action: String = r.try_get("action")?;
            let Ok(step) = serde_json::from_value::<AlarmStep>(serde_json::Value::String(action)) else { continue };
            let detail: serde_json::Value = r.try_get("detail")?;
            let field = |k: &str| detail.get(k).cloned().unwrap_or(serde_json::Value::Null);
            out.push(LoggedStep {
                at: r.try_get("at")?,
                actor: r.try_get("actor")?,
                step,
                severity: serde_json::from_value::<Option<Severity>>(field("severity")).ok().flatten(),
                suppressed_by: serde_json::from_value::<Option<Uuid>>(field("suppressedBy"))
                    .ok()
                    .flatten()
                    .map(AlarmId),
                maintenance: serde_json::from_value::<Option<String>>(field("maintenance")).ok().flatten(),
            });
        }
        Ok(out)
    }

    /// The alarm of the same condition cleared as `a` was raised, and the
    /// one raised as `a` cleared.
    pub async fn alarm_neighbours(&self, a: &Alarm) -> Result<(Option<Alarm>, Option<Alarm>), StoreError> {
        let q = format!(
            "{SELECT} WHERE managed_object = $1 AND specific_problem = $2 AND probable_cause = $3 AND id <> $4 \
             AND (cleared_at = $5 OR raised_at = $6) ORDER BY raised_at"
        );
        let rows = sqlx::query(&q)
            .bind(&a.managed_object)
            .bind(&a.specific_problem)
            .bind(&a.probable_cause)
            .bind(a.id.0)
            .bind(a.raised_at)
            .bind(a.cleared_at)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let all: Vec<Alarm> = rows.iter().map(from_row).collect::<Result<_, _>>()?;
        let before = all.iter().find(|b| b.cleared_at == Some(a.raised_at)).cloned();
        let after = all.iter().find(|x| a.cleared_at == Some(x.raised_at)).cloned();
        Ok((before, after))
    }
}
