//! Five-field cron expressions (minute hour day-of-month month day-of-week),
//! as crontab(5) reads them, for recurring maintenance windows.
//!
//! Each field is a bit set, so matching a minute is five bit tests. Day of
//! month and day of week follow Vixie cron: when both are restricted, a day
//! matching either one matches (`0 2 1 * mon` is the 1st and every Monday).

use chrono::{DateTime, Datelike, Timelike, Utc};

use crate::error::{CoreError, FieldError};

/// A parsed expression. Build with [`Cron::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cron {
    minutes: u64,
    hours: u64,
    days: u64,
    months: u64,
    weekdays: u64,
    days_restricted: bool,
    weekdays_restricted: bool,
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    /// The value names count from (1 for months, 0 for weekdays).
    names_from: u32,
}

const FIELDS: [Field; 5] = [
    Field { name: "minute", min: 0, max: 59, names: &[], names_from: 0 },
    Field { name: "hour", min: 0, max: 23, names: &[], names_from: 0 },
    Field { name: "day of month", min: 1, max: 31, names: &[], names_from: 0 },
    Field { name: "month", min: 1, max: 12, names: &MONTHS, names_from: 1 },
    // 7 is Sunday too, as in crontab(5); folded onto 0 after parsing.
    Field { name: "day of week", min: 0, max: 7, names: &WEEKDAYS, names_from: 0 },
];

impl Cron {
    /// Parses `expr`; errors name the field that is wrong, under `field`.
    pub fn parse(field: &str, expr: &str) -> Result<Self, CoreError> {
        let parts: Vec<&str> = expr.split_whitespace().collect();
        if parts.len() != 5 {
            return Err(CoreError::field(
                field,
                format!("a cron expression has 5 fields (minute hour day month weekday), not {}", parts.len()),
            ));
        }
        let mut sets = [0u64; 5];
        let mut errors = Vec::new();
        for (i, (part, spec)) in parts.iter().zip(FIELDS.iter()).enumerate() {
            match parse_field(part, spec) {
                Ok(bits) => sets[i] = bits,
                Err(m) => errors.push(FieldError::new(field, format!("{}: {m}", spec.name))),
            }
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let mut weekdays = sets[4];
        if weekdays & (1 << 7) != 0 {
            weekdays = (weekdays & !(1 << 7)) | 1;
        }
        Ok(Self {
            minutes: sets[0],
            hours: sets[1],
            days: sets[2],
            months: sets[3],
            weekdays,
            days_restricted: !parts[2].starts_with('*'),
            weekdays_restricted: !parts[4].starts_with('*'),
        })
    }

    /// Whether the expression fires in the minute containing `t`.
    pub fn matches(&self, t: DateTime<Utc>) -> bool {
        let bit = |set: u64, v: u32| set & (1u64 << v) != 0;
        let day = bit(self.days, t.day());
        let weekday = bit(self.weekdays, t.weekday().num_days_from_sunday());
        let day_ok = match (self.days_restricted, self.weekdays_restricted) {
            (true, true) => day || weekday,
            _ => day && weekday,
        };
        bit(self.minutes, t.minute()) && bit(self.hours, t.hour()) && bit(self.months, t.month()) && day_ok
    }
}

fn parse_field(text: &str, f: &Field) -> Result<u64, String> {
    let mut bits = 0u64;
    for item in text.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => {
                let step: u32 = s.parse().map_err(|_| format!("step '{s}' is not a number"))?;
                if step == 0 || step > f.max {
                    return Err(format!("step {step} must be 1 to {}", f.max));
                }
                (r, step)
            }
            None => (item, 1),
        };
        let (lo, hi) = if range == "*" {
            (f.min, f.max)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a, f)?, value(b, f)?)
        } else {
            let v = value(range, f)?;
            // `5/15` means from 5 to the end in steps of 15.
            (v, if step > 1 { f.max } else { v })
        };
        if lo > hi {
            return Err(format!("range {lo}-{hi} runs backwards"));
        }
        bits |= (lo..=hi).step_by(step as usize).fold(0u64, |acc, v| acc | (1u64 << v));
    }
    Ok(bits)
}

fn value(text: &str, f: &Field) -> Result<u32, String> {
    let lower = text.to_ascii_lowercase();
    if let Some(i) = f.names.iter().position(|n| *n == lower) {
        return Ok(i as u32 + f.names_from);
    }
    let v: u32 = text.parse().map_err(|_| format!("'{text}' is not a number"))?;
    if v < f.min || v > f.max {
        return Err(format!("{v} is outside {}-{}", f.min, f.max));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("valid time")
    }

    #[test]
    fn every_field_form_matches_as_crontab_says() {
        // 2026-12-05 is a Saturday.
        let c = Cron::parse("cron", "30 2 * * sat").expect("parses");
        assert!(c.matches(at(2026, 12, 5, 2, 30)));
        assert!(!c.matches(at(2026, 12, 5, 2, 31)));
        assert!(!c.matches(at(2026, 12, 6, 2, 30)));
        let c = Cron::parse("cron", "*/15 8-17 * jan-mar,dec 1-5").expect("parses");
        assert!(c.matches(at(2026, 12, 3, 8, 45)));
        assert!(!c.matches(at(2026, 12, 3, 8, 50)));
        assert!(!c.matches(at(2026, 12, 5, 9, 0)), "Saturday is not 1-5");
        assert!(!c.matches(at(2026, 6, 3, 9, 0)), "June is not listed");
        // 7 is Sunday; 2026-12-06 is a Sunday.
        assert!(Cron::parse("cron", "0 0 * * 7").expect("parses").matches(at(2026, 12, 6, 0, 0)));
        // Both day fields restricted: either matches.
        let c = Cron::parse("cron", "0 3 1 * mon").expect("parses");
        assert!(c.matches(at(2026, 12, 1, 3, 0)), "the 1st (a Tuesday)");
        assert!(c.matches(at(2026, 12, 7, 3, 0)), "a Monday");
        assert!(!c.matches(at(2026, 12, 8, 3, 0)));
    }

    #[test]
    fn bad_expressions_name_the_field() {
        for (expr, needle) in [
            ("* * * *", "5 fields"),
            ("60 * * * *", "minute: 60 is outside 0-59"),
            ("* 5-2 * * *", "hour: range 5-2 runs backwards"),
            ("* * 0 * *", "day of month: 0 is outside 1-31"),
            ("* * * foo *", "month: 'foo' is not a number"),
            ("*/0 * * * *", "minute: step 0"),
            ("* * * * 8", "day of week: 8 is outside 0-7"),
        ] {
            let e = Cron::parse("schedule.cron", expr).expect_err(expr).to_string();
            assert!(e.contains(needle) && e.starts_with("schedule.cron"), "{expr}: {e}");
        }
    }
}
