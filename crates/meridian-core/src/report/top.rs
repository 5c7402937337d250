//! Top N: the busiest interfaces, the worst round-trip time and loss, and
//! the devices with the most alarms over a period.

use std::collections::BTreeMap;

use super::{number, Chart, Report, Table};
use crate::metric::Builtin;

/// One series' average and peak over the period.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSummary {
    pub device: String,
    /// The interface's name (interface metrics only).
    pub interface: Option<String>,
    pub speed_bps: Option<u64>,
    pub metric: Builtin,
    pub avg: f64,
    pub max: f64,
}

/// The metrics a top-N report reads.
pub const METRICS: [Builtin; 4] = [Builtin::IfInBps, Builtin::IfOutBps, Builtin::RttMs, Builtin::LossPct];

#[derive(Debug, Clone, PartialEq)]
struct Utilisation {
    device: String,
    interface: String,
    avg_pct: f64,
    peak_pct: f64,
    speed_bps: u64,
}

/// Per interface with a known speed: the busier direction's average and
/// peak rate as a share of the speed.
fn utilisation(series: &[SeriesSummary]) -> Vec<Utilisation> {
    let mut by_if: BTreeMap<(&str, &str), Utilisation> = BTreeMap::new();
    for s in series {
        let (Some(name), Some(speed)) = (&s.interface, s.speed_bps.filter(|&b| b > 0)) else { continue };
        if !matches!(s.metric, Builtin::IfInBps | Builtin::IfOutBps) {
            continue;
        }
        let pct = |v: f64| v / speed as f64 * 100.0;
        let u = by_if.entry((&s.device, name)).or_insert_with(|| Utilisation {
            device: s.device.clone(),
            interface: name.clone(),
            avg_pct: 0.0,
            peak_pct: 0.0,
            speed_bps: speed,
        });
        u.avg_pct = u.avg_pct.max(pct(s.avg));
        u.peak_pct = u.peak_pct.max(pct(s.max));
    }
    by_if.into_values().collect()
}

/// The `n` series of `metric` with the highest average (ties by device),
/// those averaging above `floor` only.
fn worst(series: &[SeriesSummary], metric: Builtin, n: usize, floor: f64) -> Vec<&SeriesSummary> {
    let mut v: Vec<&SeriesSummary> =
        series.iter().filter(|s| s.metric == metric && s.interface.is_none() && s.avg > floor).collect();
    v.sort_by(|a, b| b.avg.total_cmp(&a.avg).then_with(|| a.device.cmp(&b.device)));
    v.truncate(n);
    v
}

/// The four top-N tables; the chart shows the busiest interfaces.
/// `alarms` is the count of alarms raised in the period per device name.
pub fn top_report(mut report: Report, series: &[SeriesSummary], alarms: &[(String, i64)], n: usize) -> Report {
    let mut busy = utilisation(series);
    busy.sort_by(|a, b| {
        b.avg_pct.total_cmp(&a.avg_pct).then_with(|| (&a.device, &a.interface).cmp(&(&b.device, &b.interface)))
    });
    busy.truncate(n);
    let mut t =
        Table::new("Busiest interfaces", &["device", "interface", "avg_util_pct", "peak_util_pct", "speed_bps"]);
    let mut chart = Chart {
        title: "Busiest interfaces (average utilisation, %)".to_owned(),
        unit: "%".to_owned(),
        labels: Vec::new(),
        values: Vec::new(),
        max: None,
    };
    for u in &busy {
        t.rows.push(vec![
            u.device.clone(),
            u.interface.clone(),
            number(u.avg_pct, 3),
            number(u.peak_pct, 3),
            u.speed_bps.to_string(),
        ]);
        chart.labels.push(format!("{} {}", u.device, u.interface));
        chart.values.push(u.avg_pct);
    }
    report.tables.push(t);

    let mut t = Table::new("Worst round-trip time", &["device", "avg_rtt_ms", "max_rtt_ms"]);
    for s in worst(series, Builtin::RttMs, n, f64::NEG_INFINITY) {
        t.rows.push(vec![s.device.clone(), number(s.avg, 3), number(s.max, 3)]);
    }
    report.tables.push(t);

    let mut t = Table::new("Worst loss", &["device", "avg_loss_pct", "max_loss_pct"]);
    for s in worst(series, Builtin::LossPct, n, 0.0) {
        t.rows.push(vec![s.device.clone(), number(s.avg, 3), number(s.max, 3)]);
    }
    report.tables.push(t);

    let mut counts: Vec<&(String, i64)> = alarms.iter().filter(|(_, c)| *c > 0).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.truncate(n);
    let mut t = Table::new("Most alarms", &["device", "alarms"]);
    for (d, c) in counts {
        t.rows.push(vec![d.clone(), c.to_string()]);
    }
    report.tables.push(t);

    if report.tables.iter().all(|t| t.rows.is_empty()) {
        report.notes.push("No data: nothing was measured and no alarm was raised in this period.".to_owned());
    }
    report.chart = chart;
    report
}
