//! `meridian report schedule edit NAME [flags]`: only the flags given change
//! the schedule; the rest of its input is read back from the store and sent
//! whole to `App::update_report_schedule`, which checks it like an add. Its
//! run log and last-run state stay.

use std::path::PathBuf;

use clap::Args;
use meridian_service::{ApiError, App, Cadence, ReportFormat, ReportKind, ScheduleInput};

use crate::output::Out;
use crate::report::ScopeArgs;

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The schedule to change.
    pub name: String,
    /// A new name (its run log follows it; files already written keep theirs).
    #[arg(long)]
    pub rename: Option<String>,
    /// availability, top or alarms.
    #[arg(long)]
    pub kind: Option<ReportKind>,
    /// daily, weekly (from Monday) or monthly; a new cadence first runs when its current period ends.
    #[arg(long)]
    pub every: Option<Cadence>,
    /// The absolute directory the files are written to (it must exist).
    #[arg(long)]
    pub folder: Option<PathBuf>,
    /// Write PDF (with --csv or alone: the files become just those given).
    #[arg(long)]
    pub pdf: bool,
    /// Write CSV (with --pdf or alone: the files become just those given).
    #[arg(long)]
    pub csv: bool,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Report on every device (drops the site, tag or device).
    #[arg(long, conflicts_with_all = ["site", "tag", "device"])]
    pub all_devices: bool,
    /// Mail the files through this e-mail channel.
    #[arg(long)]
    pub channel: Option<String>,
    /// Stop mailing the files (drops the channel and the recipients).
    #[arg(long, conflicts_with_all = ["channel", "recipients", "no_to"])]
    pub no_channel: bool,
    /// Mail them to these addresses instead of the channel's recipients (repeatable; replaces the list).
    #[arg(long = "to")]
    pub recipients: Vec<String>,
    /// Mail them to the channel's own recipients again.
    #[arg(long, conflicts_with = "recipients")]
    pub no_to: bool,
    /// Switch it on.
    #[arg(long, conflicts_with = "disabled")]
    pub enabled: bool,
    /// Switch it off (it keeps its run log; `run` still runs it by hand).
    #[arg(long)]
    pub disabled: bool,
}

/// `i` with what the flags of `a` change.
pub fn apply(a: EditArgs, mut i: ScheduleInput) -> ScheduleInput {
    if let Some(n) = a.rename {
        i.name = n;
    }
    if let Some(k) = a.kind {
        i.kind = k;
    }
    if let Some(c) = a.every {
        i.cadence = c;
    }
    if let Some(f) = a.folder {
        i.folder = f.display().to_string();
    }
    if a.pdf || a.csv {
        let given = [(a.pdf, ReportFormat::Pdf), (a.csv, ReportFormat::Csv)];
        i.formats = given.into_iter().filter(|(on, _)| *on).map(|f| f.1).collect();
    }
    let s = a.scope;
    if a.all_devices || s.site.is_some() || s.tag.is_some() || s.device.is_some() {
        (i.site, i.tag, i.device) = (s.site, s.tag, s.device);
    }
    if s.top.is_some() {
        i.top_n = s.top;
    }
    if a.no_channel {
        (i.channel, i.recipients) = (None, Vec::new());
    }
    if a.channel.is_some() {
        i.channel = a.channel;
    }
    if a.no_to {
        i.recipients.clear();
    }
    if !a.recipients.is_empty() {
        i.recipients = a.recipients;
    }
    if a.enabled || a.disabled {
        i.enabled = a.enabled;
    }
    i
}

pub async fn edit(app: &App, a: EditArgs, out: Out) -> Result<(), ApiError> {
    let name = a.name.clone();
    let input = apply(a, app.report_schedule(&name).await?.input);
    let s = app.update_report_schedule(&name, input).await?;
    out.one(&s, || {
        let next = if s.input.enabled { format!("next run {}", s.next_due.to_rfc3339()) } else { "disabled".into() };
        format!("updated schedule {}; {next}", s.input.name)
    })
}
