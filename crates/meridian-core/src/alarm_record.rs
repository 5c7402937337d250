//! The stored X.733 alarm record and the operator's lifecycle on it:
//! acknowledge (with a comment), clear, and comment. Pure rules; the service
//! loads the record, applies one of these, and writes it back.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;
use uuid::Uuid;

use crate::alarm::{AlarmKey, AlarmSpec, EventType, Severity};
use crate::error::CoreError;
use crate::ids::DeviceId;
use crate::validate::{Checker, NAME_MAX};

/// Longest comment, in characters: room for a shift hand-over note.
pub const COMMENT_MAX: usize = 2000;

/// An alarm's id. UUIDv7 for the same reason as the other ids (see `ids`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(type = "string")]
pub struct AlarmId(pub Uuid);

impl AlarmId {
    pub fn from_uuid(u: Uuid) -> Self {
        Self(u)
    }
}

impl fmt::Display for AlarmId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One alarm as stored (the `alarms` table). Cleared alarms keep their
/// original severity: history should show that a critical alarm happened;
/// `cleared_at` says it is over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Alarm {
    pub id: AlarmId,
    pub device_id: Option<DeviceId>,
    pub managed_object: String,
    pub event_type: EventType,
    pub probable_cause: String,
    pub specific_problem: String,
    pub perceived_severity: Severity,
    pub additional_text: String,
    #[ts(type = "string")]
    pub raised_at: DateTime<Utc>,
    #[ts(type = "string | null")]
    pub cleared_at: Option<DateTime<Utc>>,
    #[ts(type = "string | null")]
    pub acked_at: Option<DateTime<Utc>>,
    pub acked_by: Option<String>,
    pub ack_comment: Option<String>,
    /// Bumped on every change; later sync uses it for conflict detection.
    #[ts(type = "number")]
    pub version: i64,
    /// The root-cause alarm this one is a symptom of (a parent device is
    /// down): recorded and shown under its root, never notified.
    #[ts(type = "string | null")]
    pub suppressed_by: Option<AlarmId>,
    /// The maintenance window in force when it was raised: recorded, not
    /// notified until the window ends with the condition still present.
    pub maintenance: Option<String>,
}

/// A step in an alarm's life, as the event log records it (its `action`).
/// One spelling for the writers in Rust and the console's words in TypeScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum AlarmStep {
    #[serde(rename = "alarm.raise")]
    Raise,
    /// Held after its raise because its condition started flapping: the
    /// row's `suppressedBy` is the flapping alarm. Ends with a release (the
    /// condition outlasted the flapping) or a clear.
    #[serde(rename = "alarm.hold")]
    Hold,
    /// A held alarm (suppressed, or raised in a maintenance window) announced.
    #[serde(rename = "alarm.release")]
    Release,
    #[serde(rename = "alarm.ack")]
    Ack,
    #[serde(rename = "alarm.clear")]
    Clear,
    #[serde(rename = "alarm.comment")]
    Comment,
}

impl AlarmStep {
    pub const fn action(self) -> &'static str {
        match self {
            Self::Raise => "alarm.raise",
            Self::Hold => "alarm.hold",
            Self::Release => "alarm.release",
            Self::Ack => "alarm.ack",
            Self::Clear => "alarm.clear",
            Self::Comment => "alarm.comment",
        }
    }
}

/// A note an operator adds to an alarm. Kept apart from the record so that
/// an alarm can collect any number of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AlarmComment {
    pub alarm_id: AlarmId,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub by: String,
    pub text: String,
}

impl Alarm {
    /// A new active alarm from a monitor's decision.
    pub fn raise(id: AlarmId, device_id: Option<DeviceId>, spec: AlarmSpec, at: DateTime<Utc>) -> Self {
        Self {
            id,
            device_id,
            managed_object: spec.managed_object,
            event_type: spec.event_type,
            probable_cause: spec.probable_cause,
            specific_problem: spec.specific_problem,
            perceived_severity: spec.perceived_severity,
            additional_text: spec.additional_text,
            raised_at: at,
            cleared_at: None,
            acked_at: None,
            acked_by: None,
            ack_comment: None,
            version: 1,
            suppressed_by: None,
            maintenance: None,
        }
    }

    /// Recorded but kept from notifications: a symptom of another alarm, or
    /// raised inside a maintenance window.
    pub fn is_held(&self) -> bool {
        self.suppressed_by.is_some() || self.maintenance.is_some()
    }

    /// The monitor's decision this alarm was raised from.
    pub fn spec(&self) -> AlarmSpec {
        AlarmSpec {
            managed_object: self.managed_object.clone(),
            event_type: self.event_type,
            probable_cause: self.probable_cause.clone(),
            specific_problem: self.specific_problem.clone(),
            perceived_severity: self.perceived_severity,
            additional_text: self.additional_text.clone(),
        }
    }

    pub fn key(&self) -> AlarmKey {
        AlarmKey {
            managed_object: self.managed_object.clone(),
            probable_cause: self.probable_cause.clone(),
            specific_problem: self.specific_problem.clone(),
        }
    }

    pub fn is_active(&self) -> bool {
        self.cleared_at.is_none()
    }

    pub fn is_acked(&self) -> bool {
        self.acked_at.is_some()
    }

    /// An operator takes ownership. Cleared alarms may still be acknowledged
    /// (X.733 keeps the two independent: ack says someone saw it). A second
    /// acknowledgement is a conflict, so two operators learn of each other.
    pub fn acknowledge(&mut self, by: &str, comment: Option<&str>, at: DateTime<Utc>) -> Result<(), CoreError> {
        let mut c = Checker::new();
        let by = c.text("by", by, NAME_MAX);
        let comment = comment.map(str::trim).filter(|t| !t.is_empty()).map(|t| comment_text(&mut c, "comment", t));
        self.not_before_raise(&mut c, at);
        c.finish(())?;
        if let Some(when) = self.acked_at {
            let who = self.acked_by.as_deref().unwrap_or("someone");
            return Err(CoreError::Conflict(format!("alarm {} was already acknowledged by {who} at {when}", self.id)));
        }
        self.acked_at = Some(at);
        self.acked_by = Some(by);
        self.ack_comment = comment;
        self.version += 1;
        Ok(())
    }

    /// Ends the alarm: a monitor saw the condition end, or an operator
    /// cleared it by hand. Clearing twice is a conflict.
    pub fn clear(&mut self, at: DateTime<Utc>) -> Result<(), CoreError> {
        let mut c = Checker::new();
        self.not_before_raise(&mut c, at);
        c.finish(())?;
        if let Some(when) = self.cleared_at {
            return Err(CoreError::Conflict(format!("alarm {} was already cleared at {when}", self.id)));
        }
        self.cleared_at = Some(at);
        self.version += 1;
        Ok(())
    }

    /// A validated comment on this alarm, active or not.
    pub fn comment(&self, by: &str, text: &str, at: DateTime<Utc>) -> Result<AlarmComment, CoreError> {
        let mut c = Checker::new();
        let by = c.text("by", by, NAME_MAX);
        let trimmed = text.trim();
        let text = if trimmed.is_empty() {
            c.fail("text", "must not be empty");
            String::new()
        } else {
            comment_text(&mut c, "text", trimmed)
        };
        self.not_before_raise(&mut c, at);
        c.finish(AlarmComment { alarm_id: self.id, at, by, text })
    }

    fn not_before_raise(&self, c: &mut Checker, at: DateTime<Utc>) {
        if at < self.raised_at {
            c.fail("at", "is before the alarm was raised");
        }
    }
}

/// Free text may span lines (hand-over notes do), but other control
/// characters would garble terminals, logs and CSV exports.
fn comment_text(c: &mut Checker, field: &str, text: &str) -> String {
    if text.chars().count() > COMMENT_MAX {
        c.fail(field, format!("must be at most {COMMENT_MAX} characters"));
    } else if text.chars().any(|ch| ch.is_control() && ch != '\n' && ch != '\t') {
        c.fail(field, "must not contain control characters other than line breaks and tabs");
    }
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alarm::{cause, problem};
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0).single().expect("valid time")
    }

    fn alarm() -> Alarm {
        let spec = AlarmSpec {
            managed_object: "device=x".into(),
            event_type: EventType::Communications,
            probable_cause: cause::COMMUNICATIONS_SUBSYSTEM_FAILURE.into(),
            specific_problem: problem::ICMP_NO_REPLY.into(),
            perceived_severity: Severity::Critical,
            additional_text: "no reply".into(),
        };
        Alarm::raise(AlarmId::from_uuid(Uuid::from_u128(1)), None, spec, t(0))
    }

    #[test]
    fn raise_carries_the_spec_and_key() {
        let a = alarm();
        assert!(a.is_active() && !a.is_acked());
        assert_eq!(a.version, 1);
        assert_eq!(a.key().probable_cause, "communicationsSubsystemFailure");
        assert_eq!(a.key().specific_problem, "icmpNoReply");
    }

    #[test]
    fn acknowledge_records_who_when_and_why_once() {
        let mut a = alarm();
        a.acknowledge(" alice ", Some("  on it\nticket 42 "), t(10)).expect("ack");
        assert_eq!((a.acked_at, a.acked_by.as_deref()), (Some(t(10)), Some("alice")));
        assert_eq!(a.ack_comment.as_deref(), Some("on it\nticket 42"));
        assert_eq!(a.version, 2);
        let e = a.acknowledge("bob", None, t(11)).expect_err("second ack");
        assert!(matches!(&e, CoreError::Conflict(m) if m.contains("alice")), "{e:?}");
        assert_eq!(a.acked_by.as_deref(), Some("alice"));
        assert_eq!(a.version, 2);
    }

    #[test]
    fn acknowledge_validates_its_inputs() {
        let mut a = alarm();
        let e = a.acknowledge("", Some(&"x".repeat(COMMENT_MAX + 1)), t(-1)).expect_err("invalid");
        let f: Vec<_> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(f, ["by", "comment", "at"]);
        assert!(!a.is_acked());
        // A blank comment is no comment.
        a.acknowledge("alice", Some("   "), t(1)).expect("ack");
        assert_eq!(a.ack_comment, None);
    }

    #[test]
    fn clear_once_and_keep_the_severity() {
        let mut a = alarm();
        a.clear(t(30)).expect("clear");
        assert!(!a.is_active());
        assert_eq!(a.perceived_severity, Severity::Critical);
        assert!(matches!(a.clear(t(31)), Err(CoreError::Conflict(_))));
        assert_eq!(a.cleared_at, Some(t(30)));
        // A cleared alarm can still be acknowledged.
        a.acknowledge("alice", None, t(40)).expect("ack after clear");
        assert_eq!(a.version, 3);
        assert_eq!(alarm().clear(t(-5)).expect_err("early").fields()[0].field, "at");
    }

    #[test]
    fn comments_are_validated() {
        let a = alarm();
        let c = a.comment("bob", " rebooted by vendor\n\tplanned ", t(5)).expect("comment");
        assert_eq!(
            (c.alarm_id, c.by.as_str(), c.text.as_str(), c.at),
            (a.id, "bob", "rebooted by vendor\n\tplanned", t(5))
        );
        let e = a.comment("bob", "bell\u{7}", t(5)).expect_err("control char");
        assert_eq!(e.fields()[0].field, "text");
        assert_eq!(a.comment("bob", "  ", t(5)).expect_err("empty").fields()[0].field, "text");
    }

    #[test]
    fn serialises_camel_case_for_the_ui() {
        let v = serde_json::to_value(alarm()).expect("json");
        for k in
            ["managedObject", "eventType", "probableCause", "perceivedSeverity", "raisedAt", "clearedAt", "ackedBy"]
        {
            assert!(v.get(k).is_some(), "missing {k} in {v}");
        }
        assert_eq!(v["eventType"], "communications");
        let back: Alarm = serde_json::from_value(v).expect("round trip");
        assert_eq!(back, alarm());
    }
}
