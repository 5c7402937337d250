//! What the device page shows of the past: bucketed metric series, state
//! changes and the interfaces with their latest rates, plus the rules for
//! which time ranges may be asked for and how coarse their buckets are.

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, FieldError};
use crate::ids::DeviceId;
use crate::metric::{Instance, MetricKey, SeriesKey};
use crate::state::DeviceState;

/// Longest range a chart may ask for; retention is shorter, so more is noise.
pub const MAX_SPAN_DAYS: i64 = 400;
/// Fewest and most points (buckets) per series a chart may ask for.
pub const MIN_POINTS: u32 = 10;
pub const MAX_POINTS: u32 = 2000;

/// Bucket widths a person reads without arithmetic, in seconds. Wider ranges
/// step on in whole days (see [`bucket_secs`]).
const NICE_WIDTHS: [i64; 18] =
    [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/// One metric of a device (or of one of its interfaces) over a range, as
/// parallel arrays so a chart library takes them without copying: `t[i]` is
/// the start of bucket `i` in unix seconds, `avg/min/max[i]` its aggregates.
/// Buckets without samples are absent, not zero.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SeriesData {
    pub metric: MetricKey,
    pub unit: String,
    /// Set for interface metrics.
    pub if_index: Option<u32>,
    /// Set for a metric with one series per table row: the storage area's
    /// description, a template table's row index.
    pub row: Option<String>,
    /// The interface's name (or description) when it has one.
    pub interface: Option<String>,
    #[ts(type = "Array<number>")]
    pub t: Vec<i64>,
    pub avg: Vec<f64>,
    pub min: Vec<f64>,
    pub max: Vec<f64>,
}

impl SeriesData {
    /// An empty series for `key`, to be filled bucket by bucket.
    pub fn empty(key: &SeriesKey, unit: &str, interface: Option<String>) -> Self {
        let row = match &key.instance {
            Instance::Row(r) => Some(r.clone()),
            Instance::Device | Instance::Interface(_) => None,
        };
        Self {
            metric: key.metric.clone(),
            unit: unit.to_owned(),
            if_index: key.if_index(),
            row,
            interface,
            t: Vec::new(),
            avg: Vec::new(),
            min: Vec::new(),
            max: Vec::new(),
        }
    }
}

/// A device's state changed, as the monitor logged it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StateChange {
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub from: DeviceState,
    pub to: DeviceState,
}

/// An interface as last polled, with its most recent traffic rates.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InterfaceView {
    pub if_index: u32,
    pub name: Option<String>,
    pub descr: Option<String>,
    pub alias: Option<String>,
    #[ts(type = "number | null")]
    pub speed_bps: Option<u64>,
    pub admin_status: Option<String>,
    pub oper_status: Option<String>,
    /// Latest rates in bit/s; `None` when no rate is recent enough to trust.
    pub in_bps: Option<f64>,
    pub out_bps: Option<f64>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// Everything the device page charts for one range.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeviceHistory {
    pub device_id: DeviceId,
    #[ts(type = "string")]
    pub from: DateTime<Utc>,
    #[ts(type = "string")]
    pub to: DateTime<Utc>,
    /// Width of every bucket in `series`.
    #[ts(type = "number")]
    pub bucket_secs: i64,
    /// The coarsest history tier the series were read from (raw samples,
    /// or a 5-minute, 1-hour or 1-day rollup; see `rollup::plan`).
    pub tier: crate::rollup::Tier,
    /// The interface whose traffic `series` carries (asked for, else the
    /// busiest); `None` when the device has no polled interfaces.
    pub if_index: Option<u32>,
    pub series: Vec<SeriesData>,
    /// State changes within the range, newest first.
    pub states: Vec<StateChange>,
}

/// A checked history request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryRange {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub bucket_secs: i64,
}

/// Checks a request (every broken rule at once, named as the request names
/// its fields) and picks its bucket width.
pub fn validate_range(from: DateTime<Utc>, to: DateTime<Utc>, max_points: u32) -> Result<HistoryRange, CoreError> {
    let mut errors = Vec::new();
    let span = (to - from).num_seconds();
    if from >= to {
        errors.push(FieldError::new("to", "must be after from"));
    } else if span > MAX_SPAN_DAYS * 86_400 {
        errors.push(FieldError::new("from", format!("the range must be at most {MAX_SPAN_DAYS} days")));
    }
    if !(MIN_POINTS..=MAX_POINTS).contains(&max_points) {
        errors.push(FieldError::new("maxPoints", format!("must be between {MIN_POINTS} and {MAX_POINTS}")));
    }
    if !errors.is_empty() {
        return Err(CoreError::Validation(errors));
    }
    Ok(HistoryRange { from, to, bucket_secs: bucket_secs(span, max_points) })
}

/// The narrowest "nice" bucket width that covers `span_secs` in at most
/// `max_points` buckets. Buckets are aligned to the unix epoch, not to the
/// range start, so a sliding "last hour" keeps its bucket edges between
/// refreshes and the chart does not shimmer.
pub fn bucket_secs(span_secs: i64, max_points: u32) -> i64 {
    // Fewer than two would leave no width that fits.
    let points = i64::from(max_points).max(2);
    let span = span_secs.max(1);
    // Alignment can cut a bucket at each end, so allow for one extra.
    let fits = |w: i64| ceil_div(span, w) < points;
    if let Some(w) = NICE_WIDTHS.iter().copied().find(|&w| fits(w)) {
        return w;
    }
    let days = (ceil_div(span, 86_400) / (points - 1).max(1)).max(1);
    (days..).map(|d| d * 86_400).find(|&w| fits(w)).unwrap_or(span)
}

/// The interface a traffic chart starts on: the one moving the most bits
/// now, else the first that is up, else the first. Ties go to the lower
/// ifIndex, so the choice does not flicker between refreshes.
pub fn busiest(ifaces: &[InterfaceView]) -> Option<u32> {
    let rate = |i: &InterfaceView| i.in_bps.unwrap_or(0.0).max(0.0) + i.out_bps.unwrap_or(0.0).max(0.0);
    let mut best: Option<(&InterfaceView, f64)> = None;
    for i in ifaces {
        let r = rate(i);
        if r > 0.0 && best.is_none_or(|(b, br)| r > br || (r == br && i.if_index < b.if_index)) {
            best = Some((i, r));
        }
    }
    best.map(|(i, _)| i.if_index)
        .or_else(|| ifaces.iter().find(|i| i.oper_status.as_deref() == Some("up")).map(|i| i.if_index))
        .or_else(|| ifaces.first().map(|i| i.if_index))
}

/// `a / b` rounded up, for positive operands (`i64::div_ceil` is unstable).
fn ceil_div(a: i64, b: i64) -> i64 {
    a / b + i64::from(a % b != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + secs, 0).single().expect("valid")
    }

    /// The fields a request was refused for (none if it was accepted).
    fn fields(r: Result<HistoryRange, CoreError>) -> Vec<String> {
        r.err().map(|e| e.fields().iter().map(|f| f.field.clone()).collect()).unwrap_or_default()
    }

    #[test]
    fn buckets_stay_under_the_point_budget() {
        for span in [1, 59, 3600, 6 * 3600, 86_400, 7 * 86_400, 30 * 86_400, 400 * 86_400] {
            for points in [MIN_POINTS, 100, 600, MAX_POINTS] {
                let w = bucket_secs(span, points);
                assert!(w >= 1);
                // epoch alignment can add one partial bucket at the start
                assert!(ceil_div(span, w) < i64::from(points), "span {span} points {points} width {w}");
            }
        }
    }

    #[test]
    fn buckets_are_nice_and_as_fine_as_allowed() {
        assert_eq!(bucket_secs(3600, 600), 10);
        assert_eq!(bucket_secs(86_400, 600), 300);
        assert_eq!(bucket_secs(7 * 86_400, 600), 1800);
        assert_eq!(bucket_secs(30 * 86_400, 600), 7200);
        assert_eq!(bucket_secs(60, 2000), 1);
        // beyond a day per bucket, whole days
        let w = bucket_secs(400 * 86_400, 10);
        assert_eq!(w % 86_400, 0);
        assert_eq!(w, 45 * 86_400);
    }

    #[test]
    fn a_good_range_gets_its_bucket() {
        let r = validate_range(t(0), t(3600), 600).expect("valid");
        assert_eq!((r.from, r.to, r.bucket_secs), (t(0), t(3600), 10));
        assert!(validate_range(t(0), t(400 * 86_400), MIN_POINTS).is_ok());
        assert!(validate_range(t(0), t(1), MAX_POINTS).is_ok());
    }

    fn iface(if_index: u32, oper: &str, rates: Option<(f64, f64)>) -> InterfaceView {
        InterfaceView {
            if_index,
            name: Some(format!("if{if_index}")),
            descr: None,
            alias: None,
            speed_bps: None,
            admin_status: Some("up".into()),
            oper_status: Some(oper.into()),
            in_bps: rates.map(|r| r.0),
            out_bps: rates.map(|r| r.1),
            updated_at: t(0),
        }
    }

    #[test]
    fn the_busiest_interface_leads() {
        let ifs = [iface(1, "up", Some((10.0, 0.0))), iface(2, "up", Some((5.0, 50.0))), iface(3, "down", None)];
        assert_eq!(busiest(&ifs), Some(2));
        // equal traffic: the lower ifIndex, whatever the order
        let tie = [iface(7, "up", Some((1.0, 1.0))), iface(4, "up", Some((2.0, 0.0)))];
        assert_eq!(busiest(&tie), Some(4));
        // no rates yet: the first one that is up, else the first
        assert_eq!(busiest(&[iface(1, "down", None), iface(2, "up", Some((0.0, 0.0)))]), Some(2));
        assert_eq!(busiest(&[iface(9, "down", None)]), Some(9));
        assert_eq!(busiest(&[]), None);
    }

    #[test]
    fn bad_ranges_name_their_fields() {
        assert_eq!(fields(validate_range(t(10), t(10), 600)), ["to"]);
        assert_eq!(fields(validate_range(t(10), t(0), 600)), ["to"]);
        assert_eq!(fields(validate_range(t(0), t(400 * 86_400 + 1), 600)), ["from"]);
        assert_eq!(fields(validate_range(t(0), t(60), 9)), ["maxPoints"]);
        assert_eq!(fields(validate_range(t(0), t(60), 2001)), ["maxPoints"]);
        // all problems at once
        assert_eq!(fields(validate_range(t(5), t(0), 0)), ["to", "maxPoints"]);
    }
}
