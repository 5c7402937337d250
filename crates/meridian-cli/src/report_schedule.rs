//! `meridian report schedule add|edit|list|remove|run|runs`: reports written to
//! a folder (and mailed through an e-mail channel) daily, weekly or
//! monthly. The running monitor (`meridian monitor`) runs the due ones
//! every minute; `run` runs one now for its last whole period.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use meridian_service::{
    ApiError, ApiErrorKind, App, Cadence, ReportFormat, ReportKind, ReportSchedule, ScheduleInput, ScheduleRun,
};

use crate::output::{print_json, table, Out};
use crate::report::ScopeArgs;

#[derive(Debug, Subcommand)]
pub enum ScheduleCmd {
    /// Add a schedule; it first runs when the current day, week or month ends.
    Add(AddArgs),
    /// Change a schedule: only the flags given change; its run log and last result stay.
    Edit(crate::report_schedule_edit::EditArgs),
    /// Every schedule with its next run and last result.
    List,
    /// Remove a schedule and its run log (its files stay).
    Remove { name: String },
    /// Run a schedule now, for its last whole period.
    Run { name: String },
    /// The run log, newest first.
    Runs {
        /// Only this schedule's runs.
        name: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Letters, digits, `-` or `_`; starts every file name.
    pub name: String,
    /// availability, top or alarms.
    pub kind: ReportKind,
    /// daily, weekly (from Monday) or monthly; periods are UTC.
    #[arg(long)]
    pub every: Cadence,
    /// The absolute directory the files are written to (it must exist).
    #[arg(long)]
    pub folder: PathBuf,
    /// Write the report as PDF.
    #[arg(long)]
    pub pdf: bool,
    /// Write every table as CSV.
    #[arg(long)]
    pub csv: bool,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Mail the files through this e-mail channel (`meridian notify channels`).
    #[arg(long)]
    pub channel: Option<String>,
    /// Mail them to this address instead of the channel's recipients (repeatable).
    #[arg(long = "to")]
    pub recipients: Vec<String>,
    /// Add it switched off.
    #[arg(long)]
    pub disabled: bool,
}

pub async fn schedule(app: &App, c: ScheduleCmd, out: Out) -> Result<(), ApiError> {
    match c {
        ScheduleCmd::Add(a) => {
            let formats =
                [(a.pdf, ReportFormat::Pdf), (a.csv, ReportFormat::Csv)].into_iter().filter(|(on, _)| *on).map(|f| f.1);
            let input = ScheduleInput {
                name: a.name,
                cadence: a.every,
                kind: a.kind,
                site: a.scope.site,
                tag: a.scope.tag,
                device: a.scope.device,
                top_n: a.scope.top,
                formats: formats.collect(),
                folder: a.folder.display().to_string(),
                channel: a.channel,
                recipients: a.recipients,
                enabled: !a.disabled,
            };
            let s = app.add_report_schedule(input).await?;
            out.one(&s, || format!("added schedule {}; first run {}", s.input.name, s.next_due.to_rfc3339()))
        }
        ScheduleCmd::Edit(a) => crate::report_schedule_edit::edit(app, a, out).await,
        ScheduleCmd::List => {
            let all = app.list_report_schedules().await?;
            if out.json {
                return print_json(&all);
            }
            if all.is_empty() {
                println!("no report schedules; add one with `meridian report schedule add`");
                return Ok(());
            }
            table(&["NAME", "EVERY", "KIND", "SCOPE", "FILES", "FOLDER", "NEXT RUN", "LAST RESULT"], rows(&all));
            Ok(())
        }
        ScheduleCmd::Remove { name } => {
            app.remove_report_schedule(&name).await?;
            out.one(&serde_json::json!({ "removed": name }), || format!("removed schedule {name}"))
        }
        ScheduleCmd::Run { name } => {
            let run = app.run_report_schedule(&name).await?;
            if out.json {
                print_json(&run)?;
            } else {
                for f in &run.files {
                    println!("wrote {f}");
                }
                if let Some(m) = &run.mailed {
                    println!("mailed ({m})");
                }
            }
            match &run.error {
                None => Ok(()),
                // Logged on the schedule too; the exit status tells a script.
                Some(e) => Err(ApiError::new(ApiErrorKind::Internal, format!("schedule {name} failed: {e}"))),
            }
        }
        ScheduleCmd::Runs { name, limit } => {
            let runs = app.report_schedule_runs(name, limit).await?;
            if out.json {
                return print_json(&runs);
            }
            table(&["SCHEDULE", "AT", "PERIOD", "RESULT", "FILES"], runs.iter().map(run_row).collect());
            Ok(())
        }
    }
}

fn rows(all: &[ReportSchedule]) -> Vec<Vec<String>> {
    all.iter()
        .map(|s| {
            let i = &s.input;
            let scope = match (&i.site, &i.tag, &i.device) {
                (Some(x), _, _) => format!("site {x}"),
                (_, Some(x), _) => format!("tag {x}"),
                (_, _, Some(x)) => format!("device {x}"),
                _ => "all".into(),
            };
            let files: Vec<&str> =
                i.formats.iter().map(|f| if *f == ReportFormat::Pdf { "pdf" } else { "csv" }).collect();
            let last = match (s.last_ok, &s.last_error) {
                (None, _) => "never ran".to_owned(),
                (Some(true), _) => "ok".to_owned(),
                (Some(false), e) => format!("failed: {}", e.as_deref().unwrap_or("")),
            };
            let next = if i.enabled { s.next_due.to_rfc3339() } else { "disabled".into() };
            vec![
                i.name.clone(),
                format!("{:?}", i.cadence).to_lowercase(),
                format!("{:?}", i.kind).to_lowercase(),
                scope,
                files.join("+"),
                i.folder.clone(),
                next,
                last,
            ]
        })
        .collect()
}

fn run_row(r: &ScheduleRun) -> Vec<String> {
    vec![
        r.schedule.clone(),
        r.at.to_rfc3339(),
        format!("{} to {}", r.period.from.to_rfc3339(), r.period.to.to_rfc3339()),
        if r.ok { "ok".into() } else { format!("failed: {}", r.error.as_deref().unwrap_or("")) },
        r.files.join(" "),
    ]
}
