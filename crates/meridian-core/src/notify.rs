//! Desktop notification policy: which alarms interrupt the operator, how
//! long a mute may last, what the notification and the tray icon say.
//!
//! Pure: the caller passes the clock, the time the app started, the mute
//! and the device's name. The shell only delivers what this decides.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::alarm::{parse_interface_object, Alarm, Severity};
use crate::error::CoreError;

/// Shortest and longest mute, in hours. A week is the longest: a mute
/// forgotten for longer means alarms nobody hears about.
pub const MUTE_HOURS_MIN: i64 = 1;
pub const MUTE_HOURS_MAX: i64 = 168;

/// Longest notification title and body, in characters. Notification
/// servers cut or wrap long text anyway; the console has the full alarm.
pub const TITLE_MAX: usize = 120;
pub const BODY_MAX: usize = 300;

/// Active alarms by severity: the header chips, the tray tooltip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlarmCounts {
    pub critical: u32,
    pub major: u32,
    pub minor: u32,
    pub warning: u32,
    pub indeterminate: u32,
}

impl AlarmCounts {
    /// Adds `n` alarms of `severity`. `Cleared` is not an active severity.
    pub fn add(&mut self, severity: Severity, n: u32) {
        let slot = match severity {
            Severity::Critical => &mut self.critical,
            Severity::Major => &mut self.major,
            Severity::Minor => &mut self.minor,
            Severity::Warning => &mut self.warning,
            Severity::Indeterminate => &mut self.indeterminate,
            Severity::Cleared => return,
        };
        *slot = slot.saturating_add(n);
    }

    pub fn total(&self) -> u32 {
        [self.critical, self.major, self.minor, self.warning, self.indeterminate]
            .into_iter()
            .fold(0, u32::saturating_add)
    }
}

/// When a mute of `hours` started at `now` ends. Hours are whole and in
/// `MUTE_HOURS_MIN..=MUTE_HOURS_MAX`; anything else is a field error.
pub fn mute_until(hours: i64, now: DateTime<Utc>) -> Result<DateTime<Utc>, CoreError> {
    if !(MUTE_HOURS_MIN..=MUTE_HOURS_MAX).contains(&hours) {
        return Err(CoreError::field("hours", format!("must be between {MUTE_HOURS_MIN} and {MUTE_HOURS_MAX}")));
    }
    Ok(now + Duration::hours(hours))
}

/// A mute that has run out is no mute.
pub fn is_muted(muted_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    muted_until.is_some_and(|until| now < until)
}

/// Severities worth interrupting someone for: a critical or major alarm
/// means service is lost or a deliberate configuration failed; minor and
/// below wait in the console.
pub fn severity_notifies(s: Severity) -> bool {
    matches!(s, Severity::Critical | Severity::Major)
}

/// Whether a newly raised alarm should notify the desktop: the gate every
/// channel shares ([`may_notify`]) plus the desktop's severity floor.
pub fn notifies(alarm: &Alarm, started: DateTime<Utc>, muted_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    may_notify(alarm, started, muted_until, now) && severity_notifies(alarm.perceived_severity)
}

/// The one gate in front of every notification channel (desktop, e-mail,
/// webhooks, escalations): an active alarm, not held (a symptom of another,
/// or raised in a maintenance window: announced when released), raised
/// since `started`, while not muted. Alarms raised before `started` never notify: a restart must
/// not replay what the operator has already been told about (or can see in
/// the console). Anything that should silence an alarm everywhere belongs
/// here, not in one channel's path; channels add only their own routing.
pub fn may_notify(
    alarm: &Alarm,
    started: DateTime<Utc>,
    muted_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    alarm.is_active() && !alarm.is_held() && alarm.raised_at >= started && !is_muted(muted_until, now)
}

/// What a notification says. Plain text; the shell escapes it for servers
/// that read markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationText {
    pub title: String,
    pub body: String,
    pub severity: Severity,
}

impl NotificationText {
    /// Critical alarms ask the notification server to keep the bubble up.
    pub fn is_critical(&self) -> bool {
        self.severity == Severity::Critical
    }
}

/// The notification for `alarm`. `device_name` is the device's current
/// name (the alarm stores only its id); without it the managed object is
/// shown. Only alarm fields go in: no credentials or addresses.
pub fn notification_text(alarm: &Alarm, device_name: Option<&str>) -> NotificationText {
    let object = object_label(alarm, device_name);
    let title = clip(&format!("{} alarm: {object}", severity_label(alarm.perceived_severity)), TITLE_MAX);
    // Plain words first; the detail (additional text) follows.
    let mut body = crate::alarm_words::problem_text(&alarm.probable_cause, &alarm.specific_problem);
    if !alarm.additional_text.trim().is_empty() {
        body.push_str(" \u{2014} ");
        body.push_str(alarm.additional_text.trim());
    }
    NotificationText { title, body: clip(&body, BODY_MAX), severity: alarm.perceived_severity }
}

fn object_label(alarm: &Alarm, device_name: Option<&str>) -> String {
    match (alarm.device_id, device_name.map(str::trim).filter(|n| !n.is_empty())) {
        (Some(id), Some(name)) => match parse_interface_object(id, &alarm.managed_object) {
            Some(if_index) => format!("{name} ifIndex {if_index}"),
            None => name.to_owned(),
        },
        _ => alarm.managed_object.clone(),
    }
}

pub fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::Major => "Major",
        Severity::Minor => "Minor",
        Severity::Warning => "Warning",
        Severity::Indeterminate => "Indeterminate",
        Severity::Cleared => "Cleared",
    }
}

/// One line, no control characters (they garble notification bubbles and
/// logs), at most `max` characters with an ellipsis when cut.
fn clip(s: &str, max: usize) -> String {
    let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let flat = flat.trim();
    if flat.chars().count() <= max {
        return flat.to_owned();
    }
    let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
    out.push('\u{2026}');
    out
}

impl AlarmCounts {
    /// The tray's summary: "No active alarms", "1 active alarm",
    /// "3 active alarms (1 critical, 1 major)". Only critical and major are
    /// broken out: they are the ones that notify.
    pub fn summary(&self) -> String {
        let total = self.total();
        if total == 0 {
            return "No active alarms".to_owned();
        }
        let noun = if total == 1 { "alarm" } else { "alarms" };
        let serious: Vec<String> = [(self.critical, "critical"), (self.major, "major")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, label)| format!("{n} {label}"))
            .collect();
        if serious.is_empty() {
            format!("{total} active {noun}")
        } else {
            format!("{total} active {noun} ({})", serious.join(", "))
        }
    }

    /// The tray tooltip (Windows, macOS; Linux trays show none).
    pub fn tray_tooltip(&self) -> String {
        format!("Meridian: {}", self.summary())
    }

    /// The worst active severity (the tray icon's colour); `None` when quiet.
    pub fn worst(&self) -> Option<Severity> {
        [
            (self.critical, Severity::Critical),
            (self.major, Severity::Major),
            (self.minor, Severity::Minor),
            (self.warning, Severity::Warning),
            (self.indeterminate, Severity::Indeterminate),
        ]
        .into_iter()
        .find(|(n, _)| *n > 0)
        .map(|(_, s)| s)
    }

    /// The short label beside the tray icon where the platform shows one
    /// (macOS menu bar, some Linux panels): the count, or nothing when quiet.
    pub fn tray_title(&self) -> Option<String> {
        let total = self.total();
        (total > 0).then(|| total.to_string())
    }
}

/// The tray menu's line about the mute: "Notifications on", or
/// "Notifications muted until 14:05" with the end as the caller shows it
/// (local time, formatted by the shell).
pub fn mute_state_text(muted_until: Option<&str>) -> String {
    match muted_until {
        None => "Notifications on".to_owned(),
        Some(t) => format!("Notifications muted until {t}"),
    }
}
