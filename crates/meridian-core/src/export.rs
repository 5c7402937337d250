//! Exports of inventory, alarms and raw samples as CSV or JSON: the checked
//! request and the CSV renderers. The service reads, this module writes.

use std::str::FromStr;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::alarm::Alarm;
use crate::csv::write_row;
use crate::error::{CoreError, FieldError};
use crate::inventory::Site;

/// Most raw samples one export returns; a longer range is split.
pub const MAX_EXPORT_SAMPLES: usize = 2_000_000;
/// The range alarms and samples cover when none is given: the last day.
pub const DEFAULT_SPAN_HOURS: i64 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportWhat {
    Devices,
    Sites,
    Alarms,
    Samples,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    #[default]
    Csv,
    Json,
}

impl FromStr for ExportWhat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "devices" => Ok(Self::Devices),
            "sites" => Ok(Self::Sites),
            "alarms" => Ok(Self::Alarms),
            "samples" => Ok(Self::Samples),
            _ => Err(format!("'{s}' is not one of devices, sites, alarms, samples")),
        }
    }
}

impl FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "csv" => Ok(Self::Csv),
            "json" => Ok(Self::Json),
            _ => Err(format!("'{s}' is not one of csv, json")),
        }
    }
}

/// What to export, as a front end asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportRequest {
    pub what: ExportWhat,
    #[serde(default)]
    pub format: ExportFormat,
    #[ts(type = "string | null")]
    pub from: Option<DateTime<Utc>>,
    #[ts(type = "string | null")]
    pub to: Option<DateTime<Utc>>,
    /// A device name or id (alarms and samples only).
    pub device: Option<String>,
}

/// A request that passed the rules: alarms and samples get a range (the
/// last day up to `now` when none was given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidExport {
    pub what: ExportWhat,
    pub format: ExportFormat,
    pub range: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub device: Option<String>,
}

pub fn validate_export(r: &ExportRequest, now: DateTime<Utc>) -> Result<ValidExport, CoreError> {
    let mut errors = Vec::new();
    let ranged = matches!(r.what, ExportWhat::Alarms | ExportWhat::Samples);
    let range = if ranged {
        let to = r.to.unwrap_or(now);
        let from = r.from.unwrap_or(to - Duration::hours(DEFAULT_SPAN_HOURS));
        if from >= to {
            errors.push(FieldError::new("to", "must be after from (the range is reversed or empty)"));
        }
        Some((from, to))
    } else {
        if r.from.is_some() || r.to.is_some() {
            errors.push(FieldError::new("from", "only alarms and samples take a time range"));
        }
        None
    };
    let device = r.device.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned);
    if device.is_some() && !ranged {
        errors.push(FieldError::new("device", "only alarms and samples are exported per device"));
    }
    if !errors.is_empty() {
        return Err(CoreError::Validation(errors));
    }
    Ok(ValidExport { what: r.what, format: r.format, range, device })
}

/// One raw sample with what it measures spelled out.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SampleRow {
    pub at: DateTime<Utc>,
    pub device: String,
    pub metric: String,
    pub if_index: Option<u32>,
    pub unit: String,
    pub value: f64,
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn opt_time(t: Option<DateTime<Utc>>) -> String {
    t.map(time).unwrap_or_default()
}

/// The serde spelling of an enum value (`quality_of_service`), one spelling
/// for JSON and CSV.
fn word<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|j| j.as_str().map(str::to_owned)).unwrap_or_default()
}

pub fn sites_csv(sites: &[Site]) -> String {
    let mut out = String::new();
    write_row(&mut out, &["name", "lat", "lon", "devices"]);
    for s in sites {
        let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        write_row(&mut out, &[s.name.clone(), num(s.lat), num(s.lon), s.device_count.to_string()]);
    }
    out
}

/// `device_name` resolves an alarm's device id (empty when it has none).
pub fn alarms_csv(alarms: &[Alarm], device_name: impl Fn(&Alarm) -> String) -> String {
    let mut out = String::new();
    write_row(
        &mut out,
        &[
            "id",
            "device",
            "managed_object",
            "event_type",
            "probable_cause",
            "specific_problem",
            "severity",
            "additional_text",
            "raised_at",
            "cleared_at",
            "acked_at",
            "acked_by",
        ],
    );
    for a in alarms {
        write_row(
            &mut out,
            &[
                a.id.0.to_string(),
                device_name(a),
                a.managed_object.clone(),
                word(&a.event_type),
                a.probable_cause.clone(),
                a.specific_problem.clone(),
                word(&a.perceived_severity),
                a.additional_text.clone(),
                time(a.raised_at),
                opt_time(a.cleared_at),
                opt_time(a.acked_at),
                a.acked_by.clone().unwrap_or_default(),
            ],
        );
    }
    out
}

pub fn samples_csv(rows: &[SampleRow]) -> String {
    let mut out = String::new();
    write_row(&mut out, &["at", "device", "metric", "if_index", "unit", "value"]);
    for r in rows {
        let if_index = r.if_index.map(|i| i.to_string()).unwrap_or_default();
        write_row(
            &mut out,
            &[time(r.at), r.device.clone(), r.metric.clone(), if_index, r.unit.clone(), r.value.to_string()],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(what: ExportWhat) -> ExportRequest {
        ExportRequest { what, format: ExportFormat::Csv, from: None, to: None, device: None }
    }

    fn fields(r: Result<ValidExport, CoreError>) -> Vec<String> {
        r.expect_err("refused").fields().iter().map(|f| f.field.clone()).collect()
    }

    #[test]
    fn ranges_default_to_the_last_day_and_must_run_forwards() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        let v = validate_export(&req(ExportWhat::Samples), now).expect("valid");
        assert_eq!(v.range, Some((now - Duration::hours(24), now)));
        let reversed = ExportRequest { from: Some(now), to: Some(now - Duration::hours(1)), ..req(ExportWhat::Alarms) };
        assert_eq!(fields(validate_export(&reversed, now)), ["to"]);
        let empty = ExportRequest { from: Some(now), to: Some(now), ..req(ExportWhat::Samples) };
        assert_eq!(fields(validate_export(&empty, now)), ["to"]);
        let inventory = ExportRequest { from: Some(now), device: Some("r1".into()), ..req(ExportWhat::Devices) };
        assert_eq!(fields(validate_export(&inventory, now)), ["from", "device"]);
        assert!(validate_export(&req(ExportWhat::Sites), now).expect("valid").range.is_none());
    }

    #[test]
    fn samples_render_one_row_each() {
        let at = DateTime::from_timestamp(1_800_000_000, 5_000_000).expect("time");
        let rows = [SampleRow {
            at,
            device: "r,1".into(),
            metric: "rtt_ms".into(),
            if_index: None,
            unit: "ms".into(),
            value: 1.5,
        }];
        assert_eq!(
            samples_csv(&rows),
            "at,device,metric,if_index,unit,value\n2027-01-15T08:00:00.005Z,\"r,1\",rtt_ms,,ms,1.5\n"
        );
    }
}
