//! Syslog messages as values: facility, severity (RFC 5424 6.2.1), the
//! parsed fields both RFC 3164 and RFC 5424 carry, structured data, and the
//! year a BSD timestamp lacks. The wire parsers live in
//! `meridian-probe::syslog`; this module holds what the store, the service
//! and rules share, and is pure (the receive time is passed in).

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::CoreError;
use crate::DeviceId;

/// Syslog severity, 0 (emergency) to 7 (debug). Lower is worse, so "at most
/// warning" means `<= Warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyslogSeverity {
    Emergency = 0,
    Alert = 1,
    Critical = 2,
    Error = 3,
    Warning = 4,
    Notice = 5,
    Info = 6,
    Debug = 7,
}

impl SyslogSeverity {
    pub const ALL: [Self; 8] = [
        Self::Emergency,
        Self::Alert,
        Self::Critical,
        Self::Error,
        Self::Warning,
        Self::Notice,
        Self::Info,
        Self::Debug,
    ];

    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.get(usize::from(code)).copied()
    }

    pub fn code(self) -> u8 {
        self as u8
    }

    /// The keyword of RFC 5424 table 2 as `logger -p` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Emergency => "emerg",
            Self::Alert => "alert",
            Self::Critical => "crit",
            Self::Error => "err",
            Self::Warning => "warning",
            Self::Notice => "notice",
            Self::Info => "info",
            Self::Debug => "debug",
        }
    }
}

impl fmt::Display for SyslogSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Accepts the number, the short keyword and the long name
/// (`4`, `warning`, `warn`; `3`, `err`, `error`), case-insensitive.
impl FromStr for SyslogSeverity {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self, CoreError> {
        let t = s.trim().to_ascii_lowercase();
        if let Ok(n) = t.parse::<u8>() {
            return Self::from_code(n).ok_or_else(|| CoreError::field("severity", "a number from 0 to 7"));
        }
        let found = match t.as_str() {
            "emerg" | "emergency" | "panic" => Self::Emergency,
            "alert" => Self::Alert,
            "crit" | "critical" => Self::Critical,
            "err" | "error" => Self::Error,
            "warning" | "warn" => Self::Warning,
            "notice" => Self::Notice,
            "info" | "informational" => Self::Info,
            "debug" => Self::Debug,
            _ => {
                return Err(CoreError::field(
                    "severity",
                    format!("unknown severity {s:?}; use 0-7 or emerg, alert, crit, err, warning, notice, info, debug"),
                ))
            }
        };
        Ok(found)
    }
}

/// The facility keyword for a code 0..=23 (RFC 5424 table 1, as logger and
/// rsyslog name them); `None` above 23.
pub fn facility_name(code: u8) -> Option<&'static str> {
    const NAMES: [&str; 24] = [
        "kern",
        "user",
        "mail",
        "daemon",
        "auth",
        "syslog",
        "lpr",
        "news",
        "uucp",
        "cron",
        "authpriv",
        "ftp",
        "ntp",
        "security",
        "console",
        "solaris-cron",
        "local0",
        "local1",
        "local2",
        "local3",
        "local4",
        "local5",
        "local6",
        "local7",
    ];
    NAMES.get(usize::from(code)).copied()
}

/// One SD-ELEMENT of RFC 5424: `[id name="value" ...]`, values unescaped.
/// Parameter names may repeat, so they stay a list in wire order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SdElement {
    pub id: String,
    pub params: Vec<SdParam>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SdParam {
    pub name: String,
    pub value: String,
}

/// Which grammar a message was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyslogFormat {
    Rfc3164,
    Rfc5424,
    /// Did not parse; the raw text is kept in `message`.
    Malformed,
}

impl SyslogFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rfc3164 => "rfc3164",
            Self::Rfc5424 => "rfc5424",
            Self::Malformed => "malformed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "rfc3164" => Some(Self::Rfc3164),
            "rfc5424" => Some(Self::Rfc5424),
            "malformed" => Some(Self::Malformed),
            _ => None,
        }
    }
}

/// A parsed syslog message. Every field but `message` may be absent: RFC
/// 5424's NILVALUE, or a BSD sender that left it out.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyslogMessage {
    pub facility: Option<u8>,
    pub severity: Option<SyslogSeverity>,
    /// The sender's own timestamp, in UTC.
    pub device_time: Option<DateTime<Utc>>,
    pub host: Option<String>,
    pub app: Option<String>,
    pub procid: Option<String>,
    pub msgid: Option<String>,
    pub structured_data: Vec<SdElement>,
    pub message: String,
}

impl SyslogMessage {
    /// Splits a PRI value (0..=191) into facility and severity.
    pub fn set_pri(&mut self, pri: u8) {
        self.facility = Some(pri / 8);
        self.severity = SyslogSeverity::from_code(pri % 8);
    }
}

/// One received message as the store takes it: parsed, or kept raw
/// (`format` Malformed, the text in `message.message`, why in `error`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyslogRecord {
    pub received_at: DateTime<Utc>,
    /// The sender's address, canonical (an IPv4-mapped IPv6 address as IPv4).
    pub source: IpAddr,
    pub format: SyslogFormat,
    pub message: SyslogMessage,
    pub error: Option<String>,
    /// Cut at the maximum message size.
    pub truncated: bool,
}

/// A stored message as search returns it: the parsed fields (flattened
/// into the same JSON object) and what the receiver and store added.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyslogEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub received_at: DateTime<Utc>,
    #[serde(flatten)]
    pub msg: SyslogMessage,
    pub source: String,
    pub device_id: Option<DeviceId>,
    pub device_name: Option<String>,
    pub format: SyslogFormat,
    pub error: Option<String>,
    pub truncated: bool,
}

/// Search filters; all optional, combined with AND. Newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyslogQuery {
    /// Words that must all occur in the message (full-text, not stemmed).
    pub text: Option<String>,
    pub device: Option<DeviceId>,
    /// This severity or worse (numerically lower or equal).
    pub severity: Option<SyslogSeverity>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// At most this many (default 100, at most 10,000).
    pub limit: Option<u32>,
}

impl SyslogQuery {
    pub const DEFAULT_LIMIT: u32 = 100;
    pub const MAX_LIMIT: u32 = 10_000;

    /// Field errors for a limit of 0 or above the maximum, a time range that
    /// ends before it starts, or text with no word in it.
    pub fn validate(&self) -> Result<(), CoreError> {
        let mut errors = Vec::new();
        if let Some(l) = self.limit.filter(|l| *l == 0 || *l > Self::MAX_LIMIT) {
            errors.push(crate::FieldError::new("limit", format!("{l} is not between 1 and {}", Self::MAX_LIMIT)));
        }
        if let (Some(a), Some(b)) = (self.since, self.until) {
            if b < a {
                errors.push(crate::FieldError::new("until", "ends before since"));
            }
        }
        if self.text.as_ref().is_some_and(|t| !t.chars().any(char::is_alphanumeric)) {
            errors.push(crate::FieldError::new("text", "give at least one word to search for"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(errors))
        }
    }

    pub fn limit(&self) -> u32 {
        self.limit.unwrap_or(Self::DEFAULT_LIMIT).clamp(1, Self::MAX_LIMIT)
    }
}

/// A BSD timestamp ("Mmm dd hh:mm:ss") has no year. Take the latest year,
/// among the receive year and its neighbours, that does not put the message
/// more than [`FUTURE_SLACK_DAYS`] after it arrived: a message is about now
/// or from the past (a sender's clock that lags, a relay that held it), so
/// "Dec 31 23:59:59" received on Jan 1 is last year's, "Jan 1 00:00:01"
/// received a second early on Dec 31 is next year's, and Cisco's unsynced
/// "*Mar 1" received in December is this year's. The clock time is read as
/// UTC (the sender's zone is not on the wire). `None` for a day that exists
/// in none of those years (Feb 30; Feb 29 outside a leap year).
pub fn infer_year(month: u32, day: u32, time: NaiveTime, received: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let y = received.year();
    let latest = received + chrono::Duration::days(FUTURE_SLACK_DAYS);
    [y - 1, y, y + 1]
        .into_iter()
        .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
        .map(|d| Utc.from_utc_datetime(&d.and_time(time)))
        .filter(|t| *t <= latest)
        .max()
}

/// How far ahead of the receiver a sender's clock may be before a BSD
/// timestamp is taken as last year's.
pub const FUTURE_SLACK_DAYS: i64 = 7;

/// A point in time as people type it for a search: RFC 3339
/// (`2026-12-03T15:00:00Z`) or an age before `now` (`90s`, `15m`, `2h`,
/// `7d`). `field` names the input in the error.
pub fn parse_time(input: &str, now: DateTime<Utc>, field: &str) -> Result<DateTime<Utc>, CoreError> {
    let s = input.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let bad =
        || CoreError::field(field, format!("{input:?} is neither an RFC 3339 time nor an age like 15m, 2h or 7d"));
    let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let n: i64 = s[..split].parse().map_err(|_| bad())?;
    let secs = match &s[split..] {
        "s" => n,
        "m" => n.checked_mul(60).ok_or_else(bad)?,
        "h" => n.checked_mul(3_600).ok_or_else(bad)?,
        "d" => n.checked_mul(86_400).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    chrono::Duration::try_seconds(secs).and_then(|d| now.checked_sub_signed(d)).ok_or_else(bad)
}

/// Receiver counters, as the service reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct SyslogCounters {
    /// Messages read off a socket (datagrams or TCP frames).
    #[ts(type = "number")]
    pub received: u64,
    /// Messages written to the store.
    #[ts(type = "number")]
    pub stored: u64,
    /// Messages that did not parse (kept as raw text).
    #[ts(type = "number")]
    pub malformed: u64,
    /// Messages cut at the size limit.
    #[ts(type = "number")]
    pub truncated: u64,
    /// Messages lost because the writer fell behind (channel full) or the store refused them.
    #[ts(type = "number")]
    pub dropped: u64,
    /// Rows removed by retention or the size cap.
    #[ts(type = "number")]
    pub purged: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("ok").with_timezone(&Utc)
    }

    #[test]
    fn year_is_the_latest_not_far_in_the_future() {
        let t = NaiveTime::from_hms_opt(23, 59, 59).expect("ok");
        assert_eq!(infer_year(12, 31, t, at("2027-01-01T00:00:05Z")), Some(at("2026-12-31T23:59:59Z")));
        let t = NaiveTime::from_hms_opt(0, 0, 1).expect("ok");
        assert_eq!(infer_year(1, 1, t, at("2026-12-31T23:59:58Z")), Some(at("2027-01-01T00:00:01Z")));
        assert_eq!(infer_year(6, 1, t, at("2026-06-02T00:00:00Z")), Some(at("2026-06-01T00:00:01Z")));
        assert_eq!(infer_year(2, 30, t, at("2026-06-02T00:00:00Z")), None);
        assert_eq!(infer_year(3, 1, t, at("2026-12-03T00:00:00Z")), Some(at("2026-03-01T00:00:01Z")));
        assert_eq!(infer_year(12, 31, t, at("2026-12-03T00:00:00Z")), Some(at("2025-12-31T00:00:01Z")));
        assert_eq!(infer_year(12, 9, t, at("2026-12-03T00:00:00Z")), Some(at("2026-12-09T00:00:01Z")), "6 days ahead");
        assert_eq!(infer_year(2, 29, t, at("2027-02-28T00:00:00Z")), None);
        assert_eq!(infer_year(2, 29, t, at("2028-03-01T00:00:00Z")), Some(at("2028-02-29T00:00:01Z")));
    }

    #[test]
    fn times_as_typed() {
        let now = at("2026-12-03T15:00:00Z");
        assert_eq!(parse_time("15m", now, "since").expect("ok"), at("2026-12-03T14:45:00Z"));
        assert_eq!(parse_time("2d", now, "since").expect("ok"), at("2026-12-01T15:00:00Z"));
        assert_eq!(parse_time("2026-12-01T00:00:00+01:00", now, "since").expect("ok"), at("2026-11-30T23:00:00Z"));
        for bad in ["", "m", "15", "15w", "-5m", "99999999999999999999d", "yesterday"] {
            let e = parse_time(bad, now, "until").expect_err("an error");
            assert_eq!(e.fields()[0].field, "until", "{bad:?}");
        }
    }

    #[test]
    fn severity_names_and_order() {
        assert_eq!("warn".parse::<SyslogSeverity>().expect("ok"), SyslogSeverity::Warning);
        assert_eq!("3".parse::<SyslogSeverity>().expect("ok"), SyslogSeverity::Error);
        assert_eq!("ERR".parse::<SyslogSeverity>().expect("ok"), SyslogSeverity::Error);
        let e = "8".parse::<SyslogSeverity>().expect_err("an error");
        assert_eq!(e.fields()[0].field, "severity");
        assert!("loud".parse::<SyslogSeverity>().is_err());
        assert!(SyslogSeverity::Error < SyslogSeverity::Warning);
        let mut m = SyslogMessage::default();
        m.set_pri(189);
        assert_eq!((m.facility, m.severity), (Some(23), Some(SyslogSeverity::Notice)));
        assert_eq!(facility_name(23), Some("local7"));
        assert_eq!(facility_name(24), None);
    }
}
