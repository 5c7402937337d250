//! `meridian import devices FILE.csv [--dry-run]`.

use std::path::PathBuf;

use clap::Subcommand;
use meridian_service::{ApiError, App};

use crate::output::Out;

#[derive(Debug, Subcommand)]
pub enum ImportCmd {
    /// Devices and their sites from CSV with the header
    /// `name,address,site,lat,lon,tags` (tags separated by `;`). Missing
    /// sites are created. Any bad row refuses the whole file: every bad row
    /// is named and nothing is written.
    Devices {
        file: PathBuf,
        /// Check the file and say what would be imported; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

pub async fn import(app: &App, cmd: ImportCmd, out: Out) -> Result<(), ApiError> {
    match cmd {
        ImportCmd::Devices { file, dry_run } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| ApiError::field("file", format!("cannot read {}: {e}", file.display())))?;
            let r = app.import_devices(&bytes, dry_run).await?;
            out.one(&r, || {
                let (verb, create) = if r.dry_run { ("would import", "create") } else { ("imported", "created") };
                let sites = if r.sites_created.is_empty() {
                    String::new()
                } else {
                    format!(" and {create} site(s) {}", r.sites_created.join(", "))
                };
                format!("{verb} {} device(s){sites}{}", r.devices.len(), if r.dry_run { " (dry run)" } else { "" })
            })
        }
    }
}
