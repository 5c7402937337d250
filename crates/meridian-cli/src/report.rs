//! `meridian report availability|top|alarms`: the tables on stdout (or the
//! report as JSON with `--json`) and any of PDF, CSV, SVG and PNG files.
//! Every output is rendered before the first file is written, so a bad
//! request or a failed rendering leaves no file behind. `meridian report
//! schedule ...` is in [`crate::report_schedule`].

use std::path::PathBuf;

use chrono::Utc;
use clap::{Args, Subcommand};
use meridian_service::{parse_time, render_report, ApiError, App, ReportFormat, ReportKind, ReportRequest};

use crate::output::{print_json, Out};

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Availability/SLA per device over a period, from state history.
    Availability(ReportArgs),
    /// The busiest interfaces, the worst RTT and loss, the most alarms.
    Top(ReportArgs),
    /// Alarm counts by severity, mean time to acknowledge and to clear.
    Alarms(ReportArgs),
    /// Reports written to a folder (and mailed) daily, weekly or monthly.
    #[command(subcommand)]
    Schedule(crate::report_schedule::ScheduleCmd),
}

/// Which devices a report covers (none: every device), and the top N's rows.
#[derive(Debug, Args)]
pub struct ScopeArgs {
    /// Only the devices of this site (name or id).
    #[arg(long, conflicts_with_all = ["tag", "device"])]
    pub site: Option<String>,
    /// Only the devices with this tag.
    #[arg(long, conflicts_with = "device")]
    pub tag: Option<String>,
    /// Only this device (name or id).
    #[arg(long)]
    pub device: Option<String>,
    /// Rows per table of the top report [default: 10].
    #[arg(long)]
    pub top: Option<u32>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Start of the period: RFC 3339 or an age like 24h or 7d.
    #[arg(long)]
    pub from: String,
    /// End of the period [default: now].
    #[arg(long)]
    pub to: Option<String>,
    /// Write the report as PDF here.
    #[arg(long)]
    pub pdf: Option<PathBuf>,
    /// Write every table as CSV here.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Write the chart as SVG here.
    #[arg(long)]
    pub svg: Option<PathBuf>,
    /// Write the chart as PNG here.
    #[arg(long)]
    pub png: Option<PathBuf>,
}

pub async fn report(app: &App, c: ReportCmd, out: Out) -> Result<(), ApiError> {
    let (kind, a) = match c {
        ReportCmd::Availability(a) => (ReportKind::Availability, a),
        ReportCmd::Top(a) => (ReportKind::Top, a),
        ReportCmd::Alarms(a) => (ReportKind::Alarms, a),
        ReportCmd::Schedule(c) => return crate::report_schedule::schedule(app, c, out).await,
    };
    let now = Utc::now();
    let from = parse_time(&a.from, now, "from")?;
    let to = a.to.as_deref().map(|t| parse_time(t, now, "to")).transpose()?.unwrap_or(now);
    let ScopeArgs { site, tag, device, top } = a.scope;
    let req = ReportRequest { kind, from, to, site, tag, device, top_n: top };
    let report = app.report(req).await?;
    let wanted = [
        (a.pdf, ReportFormat::Pdf, "pdf"),
        (a.csv, ReportFormat::Csv, "csv"),
        (a.svg, ReportFormat::Svg, "svg"),
        (a.png, ReportFormat::Png, "png"),
    ];
    let mut files = Vec::new();
    for (path, format, field) in wanted {
        if let Some(path) = path {
            files.push((path, render_report(&report, format)?, field));
        }
    }
    for (path, bytes, field) in &files {
        std::fs::write(path, bytes)
            .map_err(|e| ApiError::field(field, format!("cannot write {}: {e}", path.display())))?;
    }
    if out.json {
        return print_json(&report);
    }
    print!("{}", report.text());
    for (path, _, _) in &files {
        println!("wrote {}", path.display());
    }
    Ok(())
}
