//! `meridian`: the command-line face of Meridian. Every subcommand is a thin
//! call into `meridian-service`; this binary only parses, prints and sets
//! exit codes (0 ok, 1 refused or failed, 2 usage).

mod cli;
mod commands;
mod diag;
mod discover;
mod event_rules;
mod export;
mod forward;
mod generate;
mod history;
mod import;
mod items;
mod maintenance;
mod mib;
mod monitor;
mod notify;
mod output;
mod report;
mod report_schedule;
mod report_schedule_edit;
mod rules;
mod syslog;
mod timing;
mod timing_live;
mod traps;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use meridian_service::{ApiError, App, AppConfig};

use crate::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let json = cli.json;
    // Packaging output needs neither a runtime nor a data directory.
    let cli = match cli {
        Cli { command: cli::Command::Generate(cmd), .. } => {
            return generate::run(cmd).unwrap_or_else(|e| {
                report(&e, json);
                ExitCode::FAILURE
            })
        }
        cli => cli,
    };
    // Diagnostics are one conversation at a time (a walk waits for each
    // reply; a sweep runs on threads of its own), so one runtime thread
    // serves them with no cross-thread wakeups: a GETNEXT walk of snmpd
    // took about a third less CPU this way. The store and the monitor want
    // both cores.
    let mut builder = if diag::is_diag(&cli.command) {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    let rt = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            report(&e, json);
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, ApiError> {
    // Diagnostics work without a data directory, so they run while the
    // desktop app or `meridian monitor` holds it.
    let cli = match diag::run(cli).await {
        diag::Handled::Done(r) => return r,
        diag::Handled::NotDiag(cli) => *cli,
    };
    if let cli::Command::Status = cli.command {
        return monitor::status(cli.data_dir.clone(), output::Out { json: cli.json }).await.map(|()| ExitCode::SUCCESS);
    }
    let mut cfg = AppConfig::load(cli.data_dir.clone())?;
    if let Some(f) = cli.vault_passphrase_file.clone() {
        cfg.vault_passphrase_file = Some(f);
    }
    if let Some(d) = cli.mib_dir.clone() {
        cfg.mib_dir = Some(d);
    }
    let app = App::open(cfg).await?;
    let result = commands::dispatch(&app, cli.command, cli.json).await;
    app.close().await;
    result.map(|()| ExitCode::SUCCESS)
}

/// One line on stderr always; with `--json` also the structured error on
/// stdout so scripts can switch on `kind` and `fields`.
fn report(e: &ApiError, json: bool) {
    if json {
        let body = serde_json::json!({ "error": e });
        let _ = writeln!(std::io::stdout(), "{body}");
    }
    let kind = serde_json::to_value(e.kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    eprintln!("error: {} ({kind})", e.detail.replace('\n', " "));
}

/// Quiet by default (warnings only, on stderr) so output stays parseable;
/// `MERIDIAN_LOG=info` or `RUST_LOG` shows more. Colour only on a terminal:
/// a log redirected to a file (a service unit, the crash tests) stays plain.
fn init_tracing() {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("MERIDIAN_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        // wasmer logs its guest's exit as a warning; the store's own error says what failed.
        .unwrap_or_else(|_| EnvFilter::new("warn,wasmer_wasix=error"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}
