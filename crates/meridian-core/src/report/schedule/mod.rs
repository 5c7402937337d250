//! The arithmetic of scheduled reports: which period a daily, weekly or
//! monthly schedule covers, when it next runs, and what is due after the
//! monitor was down. All in UTC (no daylight-saving gaps): days start at
//! 00:00, weeks on Monday (ISO 8601), months on the 1st.
//!
//! A run covers the last whole period that ended at or before `now`. After
//! downtime only that latest period is due, once: a monitor off for a week
//! writes one daily report on its return, not seven (the missed ones can be
//! run by hand with `meridian report`).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod input;
#[cfg(test)]
mod input_tests;
mod mail;

pub use input::{run_due, ReportSchedule, ScheduleInput, ScheduleRun, MAX_RECIPIENTS};
pub use mail::{mail_text, MAIL_ROWS};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Cadence {
    Daily,
    Weekly,
    Monthly,
}

impl std::str::FromStr for Cadence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "daily" => Ok(Self::Daily),
            "weekly" => Ok(Self::Weekly),
            "monthly" => Ok(Self::Monthly),
            _ => Err(format!("'{s}' is not one of daily, weekly, monthly")),
        }
    }
}

/// One period a scheduled report covers: `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    #[ts(type = "string")]
    pub from: DateTime<Utc>,
    #[ts(type = "string")]
    pub to: DateTime<Utc>,
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::MIN).and_utc()
}

/// The first instant of the period of `cadence` that holds `t`.
pub fn period_start(cadence: Cadence, t: DateTime<Utc>) -> DateTime<Utc> {
    let day = t.date_naive();
    match cadence {
        Cadence::Daily => midnight(day),
        Cadence::Weekly => midnight(day - Duration::days(i64::from(day.weekday().num_days_from_monday()))),
        // Day 1 of a month always exists.
        Cadence::Monthly => midnight(day.with_day(1).unwrap_or(day)),
    }
}

/// The period after the one starting at `start` begins here.
fn next_start(cadence: Cadence, start: DateTime<Utc>) -> DateTime<Utc> {
    match cadence {
        Cadence::Daily => start + Duration::days(1),
        Cadence::Weekly => start + Duration::days(7),
        Cadence::Monthly => {
            let d = start.date_naive();
            let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
            NaiveDate::from_ymd_opt(y, m, 1).map_or(start + Duration::days(31), midnight)
        }
    }
}

/// The period before the one starting at `start`.
fn previous_start(cadence: Cadence, start: DateTime<Utc>) -> DateTime<Utc> {
    period_start(cadence, start - Duration::seconds(1))
}

/// The last whole period that ended at or before `now`.
pub fn last_whole_period(cadence: Cadence, now: DateTime<Utc>) -> Period {
    let to = period_start(cadence, now);
    Period { from: previous_start(cadence, to), to }
}

/// When the schedule next has a period to write, after `now`: the end of
/// the period holding `now`.
pub fn next_run(cadence: Cadence, now: DateTime<Utc>) -> DateTime<Utc> {
    next_start(cadence, period_start(cadence, now))
}

/// What a schedule must write at `now`, given the end of the last period it
/// wrote (`None`: never) and when it was created (no period that ended
/// before its creation is due). At most one period: the latest.
pub fn due(
    cadence: Cadence,
    last_written_to: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Period> {
    let p = last_whole_period(cadence, now);
    if p.to <= created_at || last_written_to.is_some_and(|t| t >= p.to) {
        return None;
    }
    Some(p)
}

/// The period's name in file names: `2026-12-03`, `2026-W49`, `2026-11`.
pub fn period_label(cadence: Cadence, p: &Period) -> String {
    let d = p.from.date_naive();
    match cadence {
        Cadence::Daily => d.format("%Y-%m-%d").to_string(),
        Cadence::Weekly => {
            let w = d.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
        Cadence::Monthly => d.format("%Y-%m").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
    }

    fn period(from: &str, to: &str) -> Period {
        Period { from: t(from), to: t(to) }
    }

    #[test]
    fn daily_periods_cross_month_and_leap_year_ends() {
        assert_eq!(
            last_whole_period(Cadence::Daily, t("2028-03-01T00:30:00Z")),
            period("2028-02-29T00:00:00Z", "2028-03-01T00:00:00Z")
        );
        assert_eq!(
            last_whole_period(Cadence::Daily, t("2027-01-01T00:00:00Z")),
            period("2026-12-31T00:00:00Z", "2027-01-01T00:00:00Z")
        );
        assert_eq!(next_run(Cadence::Daily, t("2026-12-31T23:59:59Z")), t("2027-01-01T00:00:00Z"));
        assert_eq!(next_run(Cadence::Daily, t("2027-01-01T00:00:00Z")), t("2027-01-02T00:00:00Z"));
        let p = last_whole_period(Cadence::Daily, t("2026-12-04T03:00:00Z"));
        assert_eq!(period_label(Cadence::Daily, &p), "2026-12-03");
    }

    #[test]
    fn weeks_start_on_monday_and_keep_their_iso_year() {
        // 2027-01-03 is a Sunday; its week began Monday 2026-12-28 (ISO week 53 of 2026).
        let p = last_whole_period(Cadence::Weekly, t("2027-01-04T08:00:00Z"));
        assert_eq!(p, period("2026-12-28T00:00:00Z", "2027-01-04T00:00:00Z"));
        assert_eq!(period_label(Cadence::Weekly, &p), "2026-W53");
        assert_eq!(next_run(Cadence::Weekly, t("2027-01-03T23:00:00Z")), t("2027-01-04T00:00:00Z"));
        assert_eq!(next_run(Cadence::Weekly, t("2027-01-04T00:00:00Z")), t("2027-01-11T00:00:00Z"));
    }

    #[test]
    fn months_of_every_length() {
        assert_eq!(
            last_whole_period(Cadence::Monthly, t("2028-03-15T12:00:00Z")),
            period("2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z")
        );
        assert_eq!(
            last_whole_period(Cadence::Monthly, t("2027-01-01T00:00:00Z")),
            period("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z")
        );
        assert_eq!(
            last_whole_period(Cadence::Monthly, t("2026-05-31T23:59:59Z")),
            period("2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z")
        );
        assert_eq!(next_run(Cadence::Monthly, t("2026-01-31T10:00:00Z")), t("2026-02-01T00:00:00Z"));
        assert_eq!(next_run(Cadence::Monthly, t("2026-12-31T10:00:00Z")), t("2027-01-01T00:00:00Z"));
        let p = last_whole_period(Cadence::Monthly, t("2026-12-04T00:00:00Z"));
        assert_eq!(period_label(Cadence::Monthly, &p), "2026-11");
    }

    #[test]
    fn downtime_catches_up_once_and_a_written_period_is_not_due_again() {
        let created = t("2026-11-01T09:00:00Z");
        // Created mid-day: the day it was created in is not whole after it.
        assert_eq!(due(Cadence::Daily, None, created, t("2026-11-01T23:00:00Z")), None);
        let first = due(Cadence::Daily, None, created, t("2026-11-02T00:00:05Z"));
        assert_eq!(first, Some(period("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")));
        let written = first.map(|p| p.to);
        assert_eq!(due(Cadence::Daily, written, created, t("2026-11-02T18:00:00Z")), None);
        // Down for five days: one report, for the latest whole day.
        let back = t("2026-11-07T10:00:00Z");
        assert_eq!(
            due(Cadence::Daily, written, created, back),
            Some(period("2026-11-06T00:00:00Z", "2026-11-07T00:00:00Z"))
        );
        assert_eq!(due(Cadence::Daily, Some(t("2026-11-07T00:00:00Z")), created, back), None);
        // A monthly schedule created in November first writes November, on 1 December.
        let m = t("2026-11-10T00:00:00Z");
        assert_eq!(due(Cadence::Monthly, None, m, t("2026-11-30T23:59:59Z")), None);
        assert_eq!(
            due(Cadence::Monthly, None, m, t("2026-12-01T00:00:00Z")),
            Some(period("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"))
        );
    }
}
