//! Reports: availability/SLA, top N and alarm handling over a period.
//!
//! The service reads what a report needs from the store (state history,
//! series aggregates, alarms) and hands it to the functions here, with the
//! period and `now`; they return a [`Report`]: titled tables and one chart,
//! which every output (the desktop's preview, PDF, SVG/PNG, CSV, JSON) draws
//! the same way. Nothing here reads a clock or the store.

pub mod alarms;
pub mod availability;
pub mod schedule;
mod text;
pub mod top;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::csv::write_row;
use crate::error::{CoreError, FieldError};

/// The longest period one report covers.
pub const MAX_PERIOD_DAYS: i64 = 400;
/// Rows per top-N table when none is asked for, and the most allowed.
pub const DEFAULT_TOP_N: u32 = 10;
pub const MAX_TOP_N: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ReportKind {
    Availability,
    Top,
    Alarms,
}

impl ReportKind {
    pub const fn title(self) -> &'static str {
        match self {
            Self::Availability => "Availability",
            Self::Top => "Top N",
            Self::Alarms => "Alarm handling",
        }
    }
}

impl std::str::FromStr for ReportKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "availability" => Ok(Self::Availability),
            "top" => Ok(Self::Top),
            "alarms" => Ok(Self::Alarms),
            _ => Err(format!("'{s}' is not one of availability, top, alarms")),
        }
    }
}

/// What a report is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ReportFormat {
    Pdf,
    Csv,
    Svg,
    Png,
    Json,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 5] = [Self::Pdf, Self::Csv, Self::Svg, Self::Png, Self::Json];

    /// The file name extension, also the name a URL or flag gives it.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Csv => "csv",
            Self::Svg => "svg",
            Self::Png => "png",
            Self::Json => "json",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Svg => "image/svg+xml",
            Self::Png => "image/png",
            Self::Json => "application/json",
        }
    }

    /// `pdf`, `csv`, `svg`, `png` or `json`; anything else is a `field` error.
    pub fn parse(s: &str, field: &str) -> Result<Self, CoreError> {
        Self::ALL.into_iter().find(|f| f.extension() == s.trim()).ok_or_else(|| {
            let s: String = s.chars().take(40).collect();
            CoreError::field(field, format!("unknown report format '{s}': use pdf, csv, svg, png or json"))
        })
    }
}

/// A report as a front end asks for it. At most one of `site`, `tag` and
/// `device`; none means every device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportRequest {
    pub kind: ReportKind,
    #[ts(type = "string")]
    pub from: DateTime<Utc>,
    #[ts(type = "string")]
    pub to: DateTime<Utc>,
    #[serde(default)]
    pub site: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub device: Option<String>,
    /// Rows per top-N table.
    #[serde(default)]
    pub top_n: Option<u32>,
}

/// Which devices a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Site(String),
    Tag(String),
    Device(String),
}

impl Scope {
    /// How the report's heading names it.
    pub fn label(&self) -> String {
        match self {
            Self::All => "all devices".to_owned(),
            Self::Site(s) => format!("site {s}"),
            Self::Tag(t) => format!("tag {t}"),
            Self::Device(d) => format!("device {d}"),
        }
    }
}

/// A request that passed the field rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReport {
    pub kind: ReportKind,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub scope: Scope,
    pub top_n: usize,
}

/// Checks every field at once: the period is forward, not empty and at
/// most [`MAX_PERIOD_DAYS`], starts before `now`, and one scope at most.
pub fn validate_report(r: &ReportRequest, now: DateTime<Utc>) -> Result<ValidReport, CoreError> {
    let mut errors = Vec::new();
    if r.from >= r.to {
        errors.push(FieldError::new("to", "must be after from (the period is reversed or empty)"));
    } else if r.to - r.from > Duration::days(MAX_PERIOD_DAYS) {
        errors.push(FieldError::new("from", format!("the period is longer than {MAX_PERIOD_DAYS} days")));
    }
    if r.from >= now {
        errors.push(FieldError::new("from", "is in the future: nothing can have been recorded yet"));
    }
    let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let named: Vec<(&str, String)> = [("site", clean(&r.site)), ("tag", clean(&r.tag)), ("device", clean(&r.device))]
        .into_iter()
        .filter_map(|(f, v)| v.map(|v| (f, v)))
        .collect();
    if named.len() > 1 {
        errors.push(FieldError::new(named[1].0, "give one of site, tag or device"));
    }
    let top_n = r.top_n.unwrap_or(DEFAULT_TOP_N);
    if top_n == 0 || top_n > MAX_TOP_N {
        errors.push(FieldError::new("topN", format!("must be 1 to {MAX_TOP_N}")));
    }
    if !errors.is_empty() {
        return Err(CoreError::Validation(errors));
    }
    let scope = match named.into_iter().next() {
        None => Scope::All,
        Some(("site", v)) => Scope::Site(v),
        Some(("tag", v)) => Scope::Tag(v),
        Some((_, v)) => Scope::Device(v),
    };
    Ok(ValidReport { kind: r.kind, from: r.from, to: r.to, scope, top_n: top_n as usize })
}

/// One table of a report, as text cells (the figures already formatted, so
/// PDF, CSV and the desktop show the same digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(title: &str, columns: &[&str]) -> Self {
        Self { title: title.to_owned(), columns: columns.iter().map(|c| (*c).to_owned()).collect(), rows: Vec::new() }
    }

    /// The table as CSV: its header, then its rows.
    pub fn csv(&self) -> String {
        let mut out = String::new();
        write_row(&mut out, &self.columns);
        for r in &self.rows {
            write_row(&mut out, r);
        }
        out
    }
}

/// A horizontal bar chart: one bar per label.
#[derive(Debug, Clone, PartialEq, Serialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Chart {
    pub title: String,
    /// What the values measure, for the axis ("%", "ms").
    pub unit: String,
    pub labels: Vec<String>,
    pub values: Vec<f64>,
    /// The axis end when it is fixed (100 for percentages).
    pub max: Option<f64>,
}

/// A finished report.
#[derive(Debug, Clone, PartialEq, Serialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub kind: ReportKind,
    pub title: String,
    pub scope: String,
    #[ts(type = "string")]
    pub from: DateTime<Utc>,
    #[ts(type = "string")]
    pub to: DateTime<Utc>,
    #[ts(type = "string")]
    pub generated_at: DateTime<Utc>,
    pub tables: Vec<Table>,
    pub chart: Chart,
    /// Lines said under the title, e.g. that the period holds no data.
    pub notes: Vec<String>,
}

impl Report {
    pub fn new(v: &ValidReport, scope: String, now: DateTime<Utc>) -> Self {
        Self {
            kind: v.kind,
            title: format!("{} report", v.kind.title()),
            scope,
            from: v.from,
            to: v.to,
            generated_at: now,
            tables: Vec::new(),
            chart: Chart {
                title: String::new(),
                unit: String::new(),
                labels: Vec::new(),
                values: Vec::new(),
                max: None,
            },
            notes: Vec::new(),
        }
    }

    /// "2026-11-23T00:00:00Z to 2026-11-24T00:00:00Z".
    pub fn period(&self) -> String {
        format!("{} to {}", stamp(self.from), stamp(self.to))
    }

    /// Every table as CSV, each after a `# title` line and separated by a
    /// blank line (one table: just that table, readable by any CSV reader).
    pub fn csv(&self) -> String {
        if self.tables.len() == 1 {
            return self.tables[0].csv();
        }
        let mut out = String::new();
        for (i, t) in self.tables.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            write_row(&mut out, &[format!("# {}", t.title)]);
            out.push_str(&t.csv());
        }
        out
    }
}

pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A share as a percentage with three decimals ("95.833"): an hour down in
/// a day must not round to 96.
pub fn percent(fraction: f64) -> String {
    format!("{:.3}", fraction * 100.0)
}

/// Seconds as "1h 02m 03s" (days first when there are any).
pub fn duration_text(secs: f64) -> String {
    let s = secs.max(0.0).round() as i64;
    let (d, h, m, s) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    if d > 0 {
        format!("{d}d {h:02}h {m:02}m")
    } else if h > 0 {
        format!("{h}h {m:02}m {s:02}s")
    } else {
        format!("{m}m {s:02}s")
    }
}

/// A figure with up to `decimals` digits and no trailing zeros.
pub fn number(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

#[cfg(test)]
mod tests;
