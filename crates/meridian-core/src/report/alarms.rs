//! Alarm handling: how many alarms of each severity were raised in a period,
//! how many were acknowledged and cleared, and how long that took on average.

use chrono::{DateTime, Utc};

use super::{duration_text, Chart, Report, Table};
use crate::alarm::{Alarm, Severity};
use crate::notify::severity_label;

/// The severities an alarm is raised with, worst first.
const SEVERITIES: [Severity; 5] =
    [Severity::Critical, Severity::Major, Severity::Minor, Severity::Warning, Severity::Indeterminate];

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Handling {
    pub raised: i64,
    pub acked: i64,
    pub cleared: i64,
    /// Mean seconds from raise to acknowledgement, over the acknowledged.
    pub mean_ack_secs: Option<f64>,
    /// Mean seconds from raise to clear, over the cleared.
    pub mean_clear_secs: Option<f64>,
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Figures of the alarms raised in `[from, to)` among `alarms`. An
/// acknowledgement or clear after `to` still counts: it is how that alarm
/// was handled.
pub fn handling<'a>(alarms: impl IntoIterator<Item = &'a Alarm>, from: DateTime<Utc>, to: DateTime<Utc>) -> Handling {
    let (mut ack, mut clear, mut raised) = (Vec::new(), Vec::new(), 0);
    for a in alarms.into_iter().filter(|a| a.raised_at >= from && a.raised_at < to) {
        raised += 1;
        if let Some(t) = a.acked_at {
            ack.push((t - a.raised_at).num_milliseconds().max(0) as f64 / 1000.0);
        }
        if let Some(t) = a.cleared_at {
            clear.push((t - a.raised_at).num_milliseconds().max(0) as f64 / 1000.0);
        }
    }
    Handling {
        raised,
        acked: ack.len() as i64,
        cleared: clear.len() as i64,
        mean_ack_secs: mean(&ack),
        mean_clear_secs: mean(&clear),
    }
}

/// One row per severity and a total row; the chart counts by severity.
pub fn alarms_report(mut report: Report, alarms: &[Alarm]) -> Report {
    let (from, to) = (report.from, report.to);
    let mut t = Table::new(
        "Alarm handling",
        &[
            "severity",
            "raised",
            "acknowledged",
            "cleared",
            "mean_time_to_ack_s",
            "mean_time_to_clear_s",
            "mean_time_to_ack",
            "mean_time_to_clear",
        ],
    );
    let mut chart = Chart {
        title: "Alarms raised by severity".to_owned(),
        unit: "alarms".to_owned(),
        labels: Vec::new(),
        values: Vec::new(),
        max: None,
    };
    let row = |name: &str, h: Handling| {
        let secs = |v: Option<f64>| v.map(|s| format!("{s:.0}")).unwrap_or_default();
        let text = |v: Option<f64>| v.map(duration_text).unwrap_or_else(|| "-".to_owned());
        vec![
            name.to_owned(),
            h.raised.to_string(),
            h.acked.to_string(),
            h.cleared.to_string(),
            secs(h.mean_ack_secs),
            secs(h.mean_clear_secs),
            text(h.mean_ack_secs),
            text(h.mean_clear_secs),
        ]
    };
    for s in SEVERITIES {
        let h = handling(alarms.iter().filter(|a| a.perceived_severity == s), from, to);
        t.rows.push(row(severity_label(s), h));
        chart.labels.push(severity_label(s).to_owned());
        chart.values.push(h.raised as f64);
    }
    let all = handling(alarms, from, to);
    t.rows.push(row("all", all));
    if all.raised == 0 {
        report.notes.push("No data: no alarm was raised in this period.".to_owned());
    }
    report.tables.push(t);
    report.chart = chart;
    report
}
