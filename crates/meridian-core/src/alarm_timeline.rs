//! An alarm's life as one time-ordered list (the alarm detail's history):
//! raised, held (suppressed under a root cause, in a maintenance window, or
//! later because its condition started flapping), released, severity
//! changed, acknowledged, commented, cleared.
//!
//! Pure: the store hands over the alarm's event-log steps, its comments and
//! the alarms of the same condition on either side of it. A rule's severity
//! change is recorded as a clear and a raise at the same instant (the store
//! keeps one active alarm per condition), so that pair reads here as one
//! "severity changed" step. Steps the log no longer has (purged, or written
//! before the log existed) are rebuilt from the alarm's own fields.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::alarm::{Alarm, AlarmComment, AlarmId, AlarmStep, Severity};

/// One step of the event log for this alarm, as the store read it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedStep {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub step: AlarmStep,
    pub severity: Option<Severity>,
    pub suppressed_by: Option<AlarmId>,
    pub maintenance: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TimelineKind {
    Raised,
    /// Recorded under a root-cause alarm (`related`): not notified.
    Suppressed,
    /// Raised inside a maintenance window (`window`): not notified.
    InMaintenance,
    /// Held: its condition started flapping after the raise; `related` is
    /// the flapping alarm. Not notified until the flapping ends.
    Flapping,
    /// A held alarm announced after all (its root or window ended).
    Released,
    /// `previous` to `severity`; `related` is the alarm on the other side.
    SeverityChanged,
    Acknowledged,
    Comment,
    Cleared,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub kind: TimelineKind,
    /// Who: a user, or the monitor's own name.
    pub actor: String,
    pub severity: Option<Severity>,
    pub previous: Option<Severity>,
    pub related: Option<AlarmId>,
    pub window: Option<String>,
    /// A comment's text.
    pub text: Option<String>,
}

impl TimelineEntry {
    fn new(at: DateTime<Utc>, kind: TimelineKind, actor: &str) -> Self {
        Self {
            at,
            kind,
            actor: actor.to_owned(),
            severity: None,
            previous: None,
            related: None,
            window: None,
            text: None,
        }
    }
}

/// The alarm's neighbours in its condition's life: the alarm cleared at the
/// instant this one was raised, and the one raised as this one cleared.
#[derive(Debug, Clone, Default)]
pub struct Neighbours<'a> {
    pub before: Option<&'a Alarm>,
    pub after: Option<&'a Alarm>,
}

/// Whether `other` is the same condition at another severity.
fn same_condition(a: &Alarm, other: &Alarm) -> bool {
    other.id != a.id
        && other.managed_object == a.managed_object
        && other.probable_cause == a.probable_cause
        && other.specific_problem == a.specific_problem
        && other.perceived_severity != a.perceived_severity
}

/// Time-ordered (ties keep the order things happen in: raised before held).
pub fn timeline(a: &Alarm, log: &[LoggedStep], comments: &[AlarmComment], n: &Neighbours<'_>) -> Vec<TimelineEntry> {
    // Handed over at one instant: rules clear and raise in one step.
    let before = n.before.filter(|b| b.cleared_at == Some(a.raised_at) && same_condition(a, b));
    let after = n.after.filter(|x| a.cleared_at == Some(x.raised_at) && same_condition(a, x));
    let mut out = Vec::new();
    let has = |s: AlarmStep| log.iter().any(|l| l.step == s);
    let raise = log.iter().find(|l| l.step == AlarmStep::Raise);
    let raised_by = raise.map_or("", |l| l.actor.as_str());
    let mut e = match before {
        Some(b) => {
            let mut e = TimelineEntry::new(a.raised_at, TimelineKind::SeverityChanged, raised_by);
            e.previous = Some(b.perceived_severity);
            e.related = Some(b.id);
            e
        }
        None => TimelineEntry::new(a.raised_at, TimelineKind::Raised, raised_by),
    };
    e.severity = Some(a.perceived_severity);
    out.push(e);
    // What the raise recorded; without its log row, what the alarm says now.
    let suppressed_by = raise.map_or(a.suppressed_by, |l| l.suppressed_by);
    let window = raise.map_or(a.maintenance.clone(), |l| l.maintenance.clone());
    if let Some(root) = suppressed_by {
        let mut e = TimelineEntry::new(a.raised_at, TimelineKind::Suppressed, raised_by);
        e.related = Some(root);
        out.push(e);
    }
    if let Some(w) = window {
        let mut e = TimelineEntry::new(a.raised_at, TimelineKind::InMaintenance, raised_by);
        e.window = Some(w);
        out.push(e);
    }
    for l in log {
        let kind = match l.step {
            AlarmStep::Hold => {
                let mut e = TimelineEntry::new(l.at, TimelineKind::Flapping, &l.actor);
                e.related = l.suppressed_by;
                out.push(e);
                continue;
            }
            AlarmStep::Release => TimelineKind::Released,
            AlarmStep::Ack => TimelineKind::Acknowledged,
            // A clear that handed over to a new severity is that change.
            AlarmStep::Clear if after.is_some() => continue,
            AlarmStep::Clear => TimelineKind::Cleared,
            // The raise is above; comments come with their text below.
            AlarmStep::Raise | AlarmStep::Comment => continue,
        };
        out.push(TimelineEntry::new(l.at, kind, &l.actor));
    }
    if !has(AlarmStep::Ack) {
        if let Some(at) = a.acked_at {
            out.push(TimelineEntry::new(at, TimelineKind::Acknowledged, a.acked_by.as_deref().unwrap_or("")));
        }
    }
    match (after, a.cleared_at) {
        (Some(x), Some(at)) => {
            let mut e = TimelineEntry::new(at, TimelineKind::SeverityChanged, "");
            e.previous = Some(a.perceived_severity);
            e.severity = Some(x.perceived_severity);
            e.related = Some(x.id);
            out.push(e);
        }
        (None, Some(at)) if !has(AlarmStep::Clear) => out.push(TimelineEntry::new(at, TimelineKind::Cleared, "")),
        _ => {}
    }
    for c in comments.iter().filter(|c| c.alarm_id == a.id) {
        let mut e = TimelineEntry::new(c.at, TimelineKind::Comment, &c.by);
        e.text = Some(c.text.clone());
        out.push(e);
    }
    // Stable: entries at one instant keep the order pushed above.
    out.sort_by_key(|e| e.at);
    out
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use uuid::Uuid;

    use super::*;
    use crate::alarm::{AlarmSpec, EventType};

    fn t(s: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, 0).single().expect("time") + Duration::seconds(s)
    }

    fn alarm(n: u128, severity: Severity, raised: i64, cleared: Option<i64>) -> Alarm {
        let spec = AlarmSpec {
            managed_object: "device=1".into(),
            event_type: EventType::QualityOfService,
            probable_cause: "thresholdCrossed".into(),
            specific_problem: "rule:7".into(),
            perceived_severity: severity,
            additional_text: "CPU high".into(),
        };
        let mut a = Alarm::raise(AlarmId(Uuid::from_u128(n)), None, spec, t(raised));
        a.cleared_at = cleared.map(t);
        a
    }

    fn step(at: i64, actor: &str, step: AlarmStep) -> LoggedStep {
        LoggedStep { at: t(at), actor: actor.into(), step, severity: None, suppressed_by: None, maintenance: None }
    }

    fn kinds(e: &[TimelineEntry]) -> Vec<TimelineKind> {
        e.iter().map(|e| e.kind).collect()
    }

    #[test]
    fn a_life_from_raise_to_clear_in_time_order() {
        let a = alarm(1, Severity::Major, 0, Some(300));
        let root = AlarmId(Uuid::from_u128(99));
        let mut raise = step(0, "monitor", AlarmStep::Raise);
        raise.suppressed_by = Some(root);
        let log = [
            raise,
            step(60, "monitor", AlarmStep::Release),
            step(120, "ana", AlarmStep::Ack),
            step(120, "ana", AlarmStep::Comment),
            step(300, "monitor", AlarmStep::Clear),
        ];
        let notes = [
            AlarmComment { alarm_id: a.id, at: t(200), by: "bo".into(), text: "ticket 42".into() },
            AlarmComment { alarm_id: a.id, at: t(120), by: "ana".into(), text: "on it".into() },
        ];
        let tl = timeline(&a, &log, &notes, &Neighbours::default());
        use TimelineKind::*;
        assert_eq!(kinds(&tl), [Raised, Suppressed, Released, Acknowledged, Comment, Comment, Cleared]);
        assert_eq!(tl[1].related, Some(root));
        assert_eq!((tl[3].actor.as_str(), tl[4].text.as_deref()), ("ana", Some("on it")));
        assert_eq!(tl[5].text.as_deref(), Some("ticket 42"));
        assert_eq!(tl[0].severity, Some(Severity::Major));
    }

    #[test]
    fn a_rule_clearing_and_raising_at_one_instant_is_a_severity_change() {
        let minor = alarm(1, Severity::Minor, 0, Some(100));
        let major = alarm(2, Severity::Major, 100, Some(200));
        let log = [step(100, "monitor", AlarmStep::Raise), step(200, "monitor", AlarmStep::Clear)];
        let tl = timeline(&major, &log, &[], &Neighbours { before: Some(&minor), after: None });
        use TimelineKind::*;
        assert_eq!(kinds(&tl), [SeverityChanged, Cleared]);
        assert_eq!(
            (tl[0].previous, tl[0].severity, tl[0].related),
            (Some(Severity::Minor), Some(Severity::Major), Some(minor.id))
        );
        // Seen from the minor alarm: its clear was the change, not an end.
        let log = [step(0, "monitor", AlarmStep::Raise), step(100, "monitor", AlarmStep::Clear)];
        let tl = timeline(&minor, &log, &[], &Neighbours { before: None, after: Some(&major) });
        assert_eq!(kinds(&tl), [Raised, SeverityChanged]);
        assert_eq!(tl[1].severity, Some(Severity::Major));
        // A later alarm of the condition, not at the same instant, is not a change.
        let later = alarm(3, Severity::Major, 150, None);
        let tl = timeline(&minor, &log, &[], &Neighbours { before: None, after: Some(&later) });
        assert_eq!(kinds(&tl), [Raised, Cleared]);
    }

    #[test]
    fn a_hold_under_flapping_is_a_step_naming_the_flapping_alarm() {
        let a = alarm(1, Severity::Minor, 0, Some(400));
        let flapping = AlarmId(Uuid::from_u128(77));
        let mut hold = step(100, "monitor", AlarmStep::Hold);
        hold.suppressed_by = Some(flapping);
        let log = [
            step(0, "monitor", AlarmStep::Raise),
            hold,
            step(250, "monitor", AlarmStep::Release),
            step(400, "monitor", AlarmStep::Clear),
        ];
        // The alarm as stored now still names the flapping alarm: the raise
        // row, which did not, decides that it was not held when raised.
        let mut now = a.clone();
        now.suppressed_by = Some(flapping);
        let tl = timeline(&now, &log, &[], &Neighbours::default());
        use TimelineKind::*;
        assert_eq!(kinds(&tl), [Raised, Flapping, Released, Cleared]);
        assert_eq!((tl[1].at, tl[1].related, tl[1].actor.as_str()), (t(100), Some(flapping), "monitor"));
    }

    #[test]
    fn without_log_rows_the_alarm_fields_tell_its_life() {
        let mut a = alarm(1, Severity::Critical, 0, Some(90));
        a.acked_at = Some(t(30));
        a.acked_by = Some("ana".into());
        a.maintenance = Some("Saturday patching".into());
        let tl = timeline(&a, &[], &[], &Neighbours::default());
        use TimelineKind::*;
        assert_eq!(kinds(&tl), [Raised, InMaintenance, Acknowledged, Cleared]);
        assert_eq!(tl[1].window.as_deref(), Some("Saturday patching"));
        assert_eq!(tl[2].actor, "ana");
    }
}
