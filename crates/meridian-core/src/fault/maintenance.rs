//! Maintenance windows: when planned work is expected to break things.
//!
//! An alarm raised while its device is in a window is recorded and shown,
//! marked with the window's name, but not notified. When the window ends
//! and the condition still holds, the alarm is announced then (the service
//! does that on its status tick). Times are UTC: a window's start is the
//! same instant on every desktop of a team, whatever their time zones.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cron::Cron;
use crate::error::{CoreError, FieldError};
use crate::rules::{DeviceFacts, RuleScope};

/// The longest window, in minutes: a week. Anything longer is not
/// maintenance but a device nobody should be monitoring (disable it).
pub const MINUTES_MAX: u32 = 7 * 24 * 60;
pub const NAME_MAX: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    fn weekday(self) -> Weekday {
        match self {
            Day::Mon => Weekday::Mon,
            Day::Tue => Weekday::Tue,
            Day::Wed => Weekday::Wed,
            Day::Thu => Weekday::Thu,
            Day::Fri => Weekday::Fri,
            Day::Sat => Weekday::Sat,
            Day::Sun => Weekday::Sun,
        }
    }
}

/// When a window is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum WindowSchedule {
    /// From `start` until `end`.
    #[serde(rename_all = "camelCase")]
    Once {
        #[ts(type = "string")]
        start: DateTime<Utc>,
        #[ts(type = "string")]
        end: DateTime<Utc>,
    },
    /// On each of `days` at `start` ("HH:MM", UTC) for `minutes`.
    #[serde(rename_all = "camelCase")]
    Weekly { days: Vec<Day>, start: String, minutes: u32 },
    /// Each time the cron expression fires (UTC), for `minutes`.
    #[serde(rename_all = "camelCase")]
    Cron { expr: String, minutes: u32 },
}

/// A window as users write it (in TOML or the desktop's form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MaintenanceWindow {
    pub name: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default = "yes")]
    pub enabled: bool,
    pub scope: RuleScope,
    pub schedule: WindowSchedule,
}

fn yes() -> bool {
    true
}

impl MaintenanceWindow {
    /// Checks every field at once.
    pub fn validate(&self) -> Result<(), CoreError> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > NAME_MAX {
            errors.push(FieldError::new("name", format!("must be 1 to {NAME_MAX} characters")));
        }
        if self.scope.names_nothing() {
            errors.push(FieldError::new("scope", "name at least one device, tag or site, or set all = true"));
        }
        match &self.schedule {
            WindowSchedule::Once { start, end } => {
                if end <= start {
                    errors.push(FieldError::new("schedule.end", "must be after the start"));
                }
            }
            WindowSchedule::Weekly { days, start, minutes } => {
                if days.is_empty() {
                    errors.push(FieldError::new("schedule.days", "name at least one day"));
                }
                if parse_hhmm(start).is_none() {
                    errors.push(FieldError::new("schedule.start", "must be a time of day as HH:MM (UTC)"));
                }
                check_minutes(*minutes, &mut errors);
            }
            WindowSchedule::Cron { expr, minutes } => {
                if let Err(CoreError::Validation(e)) = Cron::parse("schedule.expr", expr) {
                    errors.extend(e);
                }
                check_minutes(*minutes, &mut errors);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(errors))
        }
    }

    /// Whether the window is open at `now`. An invalid window (never stored,
    /// since every write validates) is never open.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        if !self.enabled {
            return false;
        }
        match &self.schedule {
            WindowSchedule::Once { start, end } => *start <= now && now < *end,
            WindowSchedule::Weekly { days, start, minutes } => {
                let Some(at) = parse_hhmm(start) else { return false };
                let length = Duration::minutes(i64::from(*minutes));
                // A window opened on one of the last eight days may still be open.
                (0..=7).any(|back| {
                    let date = (now - Duration::days(back)).date_naive();
                    let opens = date.and_time(at).and_utc();
                    days.iter().any(|d| d.weekday() == date.weekday()) && opens <= now && now < opens + length
                })
            }
            WindowSchedule::Cron { expr, minutes } => {
                let Ok(cron) = Cron::parse("schedule.expr", expr) else { return false };
                let now_minute = now - Duration::seconds(i64::from(now.timestamp().rem_euclid(60) as u32));
                // Open if it fired in any of the last `minutes` minutes (this one included).
                (0..i64::from(*minutes)).any(|back| cron.matches(now_minute - Duration::minutes(back)))
            }
        }
    }
}

/// Most cron minutes [`MaintenanceWindow::open_intervals`] steps through (a
/// 400-day report period plus a week's lead); past it the rest is ignored.
const CRON_STEPS_MAX: i64 = 410 * 24 * 60;

impl MaintenanceWindow {
    /// The stretches of `[from, to)` the window is open, clipped to it, in
    /// time order (they may overlap; reports merge them). The same rules as
    /// [`MaintenanceWindow::is_open`], for a whole period at once.
    pub fn open_intervals(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if !self.enabled || from >= to {
            return Vec::new();
        }
        let clip = |a: DateTime<Utc>, b: DateTime<Utc>| (a.max(from) < b.min(to)).then(|| (a.max(from), b.min(to)));
        match &self.schedule {
            WindowSchedule::Once { start, end } => clip(*start, *end).into_iter().collect(),
            WindowSchedule::Weekly { days, start, minutes } => {
                let Some(at) = parse_hhmm(start) else { return Vec::new() };
                let length = Duration::minutes(i64::from(*minutes));
                let mut out = Vec::new();
                // From eight days back: a window opened then may reach into the period.
                let mut date = (from - Duration::days(8)).date_naive();
                while date <= to.date_naive() {
                    if days.iter().any(|d| d.weekday() == date.weekday()) {
                        let opens = date.and_time(at).and_utc();
                        out.extend(clip(opens, opens + length));
                    }
                    let Some(next) = date.succ_opt() else { break };
                    date = next;
                }
                out
            }
            WindowSchedule::Cron { expr, minutes } => {
                let Ok(cron) = Cron::parse("schedule.expr", expr) else { return Vec::new() };
                let length = Duration::minutes(i64::from(*minutes));
                let first = from - length;
                let first = first - Duration::seconds(first.timestamp().rem_euclid(60));
                let mut out = Vec::new();
                let mut t = first;
                let mut steps = 0;
                while t < to && steps < CRON_STEPS_MAX {
                    if cron.matches(t) {
                        out.extend(clip(t, t + length));
                    }
                    t += Duration::minutes(1);
                    steps += 1;
                }
                out
            }
        }
    }
}

fn check_minutes(minutes: u32, errors: &mut Vec<FieldError>) {
    if minutes == 0 || minutes > MINUTES_MAX {
        errors.push(FieldError::new("schedule.minutes", format!("must be 1 to {MINUTES_MAX} (a week)")));
    }
}

fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    let (h, m) = s.trim().split_once(':')?;
    if h.len() > 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// The name of the first open window that covers the device, if any.
pub fn open_window<'a>(windows: &'a [MaintenanceWindow], device: &DeviceFacts, now: DateTime<Utc>) -> Option<&'a str> {
    windows.iter().find(|w| w.scope.matches(device) && w.is_open(now)).map(|w| w.name.as_str())
}
