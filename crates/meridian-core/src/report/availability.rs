//! Availability / SLA: the share of a period each device was up.
//!
//! Time counts only while the device's state was known (Up or Degraded count
//! as up, Down as down; Unknown, before the first verdict, counts neither
//! way). Maintenance windows are cut out of the period before counting, so
//! planned work is neither up nor down. A device with no known time left is
//! reported as "no data", never as 100%.
//!
//! Short periods are counted from the logged state changes; long ones from
//! the availability rollups (`state_rollups`), with the raw changes read only
//! for the ragged edges before the first and after the last whole bucket and
//! for the maintenance windows inside, whose time is taken back out.

use chrono::{DateTime, Duration, Utc};

use super::{percent, Chart, Report, Table};
use crate::rollup::state::{state_buckets, StateTime};
use crate::rollup::{align_down, align_up, Tier, Watermarks};
use crate::state::DeviceState;

/// Periods up to this long are counted from raw state changes.
pub const RAW_SPAN_DAYS: i64 = 7;
/// Bars in the chart (the worst devices; the table lists all).
pub const MAX_BARS: usize = 25;

/// `[from, to)`.
pub type Interval = (DateTime<Utc>, DateTime<Utc>);

/// A device's state when a range starts (`None`: never judged) and its
/// changes within it, in time order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    pub before: Option<DeviceState>,
    pub changes: Vec<(DateTime<Utc>, DeviceState)>,
}

/// Joins timelines read over disjoint ranges, in time order, each with the
/// start of its range: a later part's starting state becomes a change at its
/// start (Unknown when it had none). Right within each part's range, which
/// is all [`device_time`] reads of it.
pub fn splice(parts: Vec<(DateTime<Utc>, Timeline)>) -> Timeline {
    let mut out = Timeline::default();
    for (i, (start, t)) in parts.into_iter().enumerate() {
        if i == 0 {
            out.before = t.before;
        } else {
            out.changes.push((start, t.before.unwrap_or_default()));
        }
        out.changes.extend(t.changes);
    }
    out
}

/// Where a period's figures come from: raw state changes over `raw`, and the
/// rollup `tier` summed over its range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailabilityPlan {
    pub raw: Vec<Interval>,
    pub rollup: Option<(Tier, Interval)>,
}

/// Raw for short periods; else the whole 5-minute buckets the rollup job has
/// finished read from the coarsest tier that tiles them and is built that
/// far, and raw changes for the edges.
pub fn plan(from: DateTime<Utc>, to: DateTime<Utc>, marks: &Watermarks) -> AvailabilityPlan {
    let all_raw = AvailabilityPlan { raw: vec![(from, to)], rollup: None };
    if to - from <= Duration::days(RAW_SPAN_DAYS) {
        return all_raw;
    }
    let Some(done) = marks.get(Tier::FiveMin) else { return all_raw };
    let a = align_up(from, 300);
    let b = align_down(done.min(to), 300);
    if b <= a {
        return all_raw;
    }
    let tier = Tier::ROLLUPS
        .into_iter()
        .rev()
        .find(|&t| {
            t.width_secs().is_some_and(|w| align_down(a, w) == a && align_down(b, w) == b)
                && marks.get(t).is_some_and(|m| m >= b)
        })
        .unwrap_or(Tier::FiveMin);
    let raw = [(from, a), (b, to)].into_iter().filter(|(x, y)| x < y).collect();
    AvailabilityPlan { raw, rollup: Some((tier, (a, b))) }
}

/// Sorted, overlapping and touching intervals joined, empty ones dropped.
pub fn merge_intervals(mut v: Vec<Interval>) -> Vec<Interval> {
    v.retain(|(a, b)| a < b);
    v.sort();
    let mut out: Vec<Interval> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The parts of `range` outside every interval of `cut` (merged).
pub fn subtract(range: Interval, cut: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::new();
    let mut at = range.0;
    for &(a, b) in cut {
        if b <= at || a >= range.1 {
            continue;
        }
        if a > at {
            out.push((at, a));
        }
        at = at.max(b);
    }
    if at < range.1 {
        out.push((at, range.1));
    }
    out
}

/// The parts of `range` inside the intervals of `cut` (merged).
pub fn intersect(range: Interval, cut: &[Interval]) -> Vec<Interval> {
    cut.iter().map(|&(a, b)| (a.max(range.0), b.min(range.1))).filter(|(a, b)| a < b).collect()
}

fn secs(v: &[Interval]) -> i64 {
    v.iter().map(|(a, b)| (*b - *a).num_seconds()).sum()
}

/// Seconds up and known over `range` from a timeline that covers it (its
/// `before` is the state at or before `range.0`).
pub fn raw_time(t: &Timeline, range: Interval) -> StateTime {
    // Day buckets: any width would do, the buckets are summed.
    state_buckets(t.before, &t.changes, range.0, range.1, 86_400)
        .into_iter()
        .fold(StateTime::default(), |acc, (_, s)| acc.merge(s))
}

/// `a` less `b`, never below zero.
pub fn minus(a: StateTime, b: StateTime) -> StateTime {
    StateTime { up_secs: (a.up_secs - b.up_secs).max(0), known_secs: (a.known_secs - b.known_secs).max(0) }
}

/// One device's figures over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceAvailability {
    pub device: String,
    pub site: Option<String>,
    pub time: StateTime,
    /// Seconds of the period in maintenance (cut out of the denominator).
    pub maintenance_secs: i64,
}

/// The figures of one device: raw time over the plan's raw ranges outside
/// maintenance, plus the rollup's time less the raw time of the maintenance
/// inside its range. `timeline` covers the whole period; `rollup` is the
/// device's sum over the plan's rollup range.
pub fn device_time(
    plan: &AvailabilityPlan,
    timeline: &Timeline,
    rollup: StateTime,
    maintenance: &[Interval],
    period: Interval,
) -> (StateTime, i64) {
    let maintenance = merge_intervals(intersect(period, maintenance));
    let mut total = StateTime::default();
    for &range in &plan.raw {
        for part in subtract(range, &maintenance) {
            total = total.merge(raw_time(timeline, part));
        }
    }
    if let Some((_, range)) = plan.rollup {
        let inside = intersect(range, &maintenance);
        let taken = inside.iter().fold(StateTime::default(), |acc, &p| acc.merge(raw_time(timeline, p)));
        total = total.merge(minus(rollup, taken));
    }
    (total, secs(&maintenance))
}

/// The availability report: one row per device (worst first, "no data"
/// last) and the scope's total (time up over time known, all devices).
pub fn availability_report(mut report: Report, mut rows: Vec<DeviceAvailability>) -> Report {
    rows.sort_by(|a, b| {
        let key = |r: &DeviceAvailability| r.time.up_fraction().unwrap_or(f64::INFINITY);
        key(a).total_cmp(&key(b)).then_with(|| a.device.cmp(&b.device))
    });
    let mut table = Table::new(
        "Availability",
        &["device", "site", "availability_pct", "up_s", "known_s", "down_s", "maintenance_s"],
    );
    let mut chart = Chart {
        title: "Availability (%)".to_owned(),
        unit: "%".to_owned(),
        labels: Vec::new(),
        values: Vec::new(),
        max: Some(100.0),
    };
    let mut total = StateTime::default();
    for r in &rows {
        total = total.merge(r.time);
        let pct = r.time.up_fraction().map(percent).unwrap_or_else(|| "no data".to_owned());
        table.rows.push(vec![
            r.device.clone(),
            r.site.clone().unwrap_or_default(),
            pct,
            r.time.up_secs.to_string(),
            r.time.known_secs.to_string(),
            (r.time.known_secs - r.time.up_secs).to_string(),
            r.maintenance_secs.to_string(),
        ]);
        // The worst bars only: a chart of hundreds of devices reads as none.
        if let (Some(f), true) = (r.time.up_fraction(), chart.labels.len() < MAX_BARS) {
            chart.labels.push(r.device.clone());
            chart.values.push(f * 100.0);
        }
    }
    if rows.is_empty() {
        report.notes.push("No devices in this scope.".to_owned());
    } else if let Some(f) = total.up_fraction() {
        report.notes.push(format!("Overall availability: {}% ({} devices)", percent(f), rows.len()));
    } else {
        report.notes.push("No data: no device state was recorded in this period.".to_owned());
    }
    report.tables.push(table);
    report.chart = chart;
    report
}
