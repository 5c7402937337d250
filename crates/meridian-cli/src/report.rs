//! `meridian report availability|top|alarms`: the tables on stdout (or the
//! report as JSON with `--json`) and any of PDF, CSV, SVG and PNG files.
//! Every output is rendered before the first file is written, so a bad
//! request or a failed rendering leaves no file behind.

use std::path::PathBuf;

use chrono::Utc;
use clap::Args;
use meridian_service::{parse_time, render_report, ApiError, App, Report, ReportFormat, ReportKind, ReportRequest};

use crate::output::{print_json, Out};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// availability, top or alarms.
    pub kind: ReportKind,
    /// Only the devices of this site (name or id).
    #[arg(long, conflicts_with_all = ["tag", "device"])]
    pub site: Option<String>,
    /// Only the devices with this tag.
    #[arg(long, conflicts_with = "device")]
    pub tag: Option<String>,
    /// Only this device (name or id).
    #[arg(long)]
    pub device: Option<String>,
    /// Start of the period: RFC 3339 or an age like 24h or 7d.
    #[arg(long)]
    pub from: String,
    /// End of the period [default: now].
    #[arg(long)]
    pub to: Option<String>,
    /// Rows per table of the top report [default: 10].
    #[arg(long)]
    pub top: Option<u32>,
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

pub async fn report(app: &App, a: ReportArgs, out: Out) -> Result<(), ApiError> {
    let now = Utc::now();
    let from = parse_time(&a.from, now, "from")?;
    let to = a.to.as_deref().map(|t| parse_time(t, now, "to")).transpose()?.unwrap_or(now);
    let req = ReportRequest { kind: a.kind, from, to, site: a.site, tag: a.tag, device: a.device, top_n: a.top };
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
    print!("{}", text(&report));
    for (path, _, _) in &files {
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// The report as aligned plain-text tables.
fn text(r: &Report) -> String {
    let mut s = format!("{} — {}\n{}\n", r.title, r.scope, r.period());
    for n in &r.notes {
        s.push_str(n);
        s.push('\n');
    }
    for t in &r.tables {
        s.push_str(&format!("\n{}\n", t.title));
        let mut widths: Vec<usize> = t.columns.iter().map(|c| c.chars().count()).collect();
        for row in &t.rows {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(c.chars().count());
            }
        }
        for row in std::iter::once(&t.columns).chain(&t.rows) {
            let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
            s.push_str(cells.join("  ").trim_end());
            s.push('\n');
        }
        if t.rows.is_empty() {
            s.push_str("(none)\n");
        }
    }
    s
}
