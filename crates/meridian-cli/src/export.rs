//! `meridian export devices|sites|alarms|samples`: CSV or JSON to stdout or
//! a file. The file is written only once the export succeeded.

use std::path::PathBuf;

use chrono::Utc;
use clap::Args;
use meridian_service::{parse_time, ApiError, App, ExportFormat, ExportRequest, ExportWhat};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// devices, sites, alarms or samples.
    pub what: ExportWhat,
    /// Start of the range (alarms, samples): RFC 3339 or an age like 2h or 7d [default: 24h before --to].
    #[arg(long)]
    pub from: Option<String>,
    /// End of the range (alarms, samples) [default: now].
    #[arg(long)]
    pub to: Option<String>,
    /// Only this device (alarms, samples): name or id.
    #[arg(long)]
    pub device: Option<String>,
    /// csv or json.
    #[arg(long, default_value = "csv")]
    pub format: ExportFormat,
    /// Write here instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub async fn export(app: &App, a: ExportArgs) -> Result<(), ApiError> {
    let now = Utc::now();
    let from = a.from.as_deref().map(|t| parse_time(t, now, "from")).transpose()?;
    let to = a.to.as_deref().map(|t| parse_time(t, now, "to")).transpose()?;
    let text = app.export(ExportRequest { what: a.what, format: a.format, from, to, device: a.device }).await?;
    match a.out {
        Some(path) => std::fs::write(&path, text)
            .map_err(|e| ApiError::field("out", format!("cannot write {}: {e}", path.display()))),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}
