//! Alarm use cases for operators: list, acknowledge (with a comment), clear
//! by hand, comment. The rules are `meridian-core`'s; this loads, applies,
//! saves with a version check, and announces.

use chrono::Utc;
use meridian_core::alarm::{Alarm, AlarmComment, AlarmStep};
use meridian_core::alarm_timeline::{timeline, Neighbours, TimelineEntry};

use crate::app::App;
use crate::error::ApiError;
use crate::events::CoreEvent;
use meridian_core::validate::list_limit;

/// One entry of the event log: the store's row, which is also the UI's type.
pub type EventLogEntry = meridian_store::EventLogRow;

impl App {
    /// The event log, newest first; at most `limit` (1 to 10,000) entries.
    pub async fn event_log(&self, limit: i64) -> Result<Vec<EventLogEntry>, ApiError> {
        let rows = self.store.event_log(list_limit(limit, 10_000)?).await?;
        Ok(rows)
    }

    /// Newest first; at most `limit` (1 to 100,000).
    pub async fn list_alarms(&self, active_only: bool, limit: i64) -> Result<Vec<Alarm>, ApiError> {
        Ok(self.store.list_alarms(active_only, list_limit(limit, 100_000)?).await?)
    }

    /// An alarm with its comments (`meridian alarms show`), oldest first.
    pub async fn show_alarm(&self, id: &str) -> Result<(Alarm, Vec<AlarmComment>), ApiError> {
        let a = self.store.get_alarm(id).await?;
        let notes = self.store.alarm_comments(a.id).await?;
        Ok((a, notes))
    }

    /// The alarm's life, oldest first: raised, held, released, severity
    /// changes, acknowledgement, comments, cleared (`core::alarm_timeline`).
    pub async fn alarm_timeline(&self, id: &str) -> Result<Vec<TimelineEntry>, ApiError> {
        let a = self.store.get_alarm(id).await?;
        let log = self.store.alarm_log(a.id).await?;
        let notes = self.store.alarm_comments(a.id).await?;
        let (before, after) = self.store.alarm_neighbours(&a).await?;
        let n = Neighbours { before: before.as_ref(), after: after.as_ref() };
        Ok(timeline(&a, &log, &notes, &n))
    }

    pub async fn ack_alarm(&self, id: &str, comment: Option<&str>) -> Result<Alarm, ApiError> {
        self.ack_alarm_by(&self.cfg.actor, id, comment).await
    }

    /// `actor` is the name the alarm and the event log record.
    pub(crate) async fn ack_alarm_by(&self, actor: &str, id: &str, comment: Option<&str>) -> Result<Alarm, ApiError> {
        let mut a = self.store.get_alarm(id).await?;
        let read_version = a.version;
        let now = Utc::now();
        a.acknowledge(actor, comment, now)?;
        let saved = self.store.save_alarm(&a, read_version).await?;
        self.store.log_alarm(now, actor, AlarmStep::Ack, &saved).await?;
        if let Some(text) = comment.filter(|t| !t.trim().is_empty()) {
            self.store.add_alarm_comment(&saved.comment(actor, text, now)?).await?;
        }
        self.publish(CoreEvent::AlarmAcknowledged { alarm: saved.clone() });
        Ok(saved)
    }

    /// A manual clear. The monitor raises the alarm again if the condition
    /// is still there at its next poll.
    pub async fn clear_alarm(&self, id: &str) -> Result<Alarm, ApiError> {
        self.clear_alarm_by(&self.cfg.actor, id).await
    }

    pub(crate) async fn clear_alarm_by(&self, actor: &str, id: &str) -> Result<Alarm, ApiError> {
        let mut a = self.store.get_alarm(id).await?;
        let read_version = a.version;
        let now = Utc::now();
        a.clear(now)?;
        let saved = self.store.save_alarm(&a, read_version).await?;
        self.store.log_alarm(now, actor, AlarmStep::Clear, &saved).await?;
        self.publish(CoreEvent::AlarmCleared { alarm: saved.clone() });
        Ok(saved)
    }

    pub async fn comment_alarm(&self, id: &str, text: &str) -> Result<AlarmComment, ApiError> {
        self.comment_alarm_by(&self.cfg.actor, id, text).await
    }

    pub(crate) async fn comment_alarm_by(&self, actor: &str, id: &str, text: &str) -> Result<AlarmComment, ApiError> {
        let a = self.store.get_alarm(id).await?;
        let note = a.comment(actor, text, Utc::now())?;
        self.store.add_alarm_comment(&note).await?;
        self.store.log_alarm(note.at, actor, AlarmStep::Comment, &a).await?;
        Ok(note)
    }
}
