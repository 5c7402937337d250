//! Diagnostic commands: `ping`, `sweep`, `snmp get|walk`. (Being written.)

use clap::{Args, Subcommand};
use meridian_service::ApiError;

use crate::cli::{Cli, Command};

#[derive(Debug, Args)]
pub struct PingArgs {
    /// Addresses to ping.
    #[arg(required = true)]
    pub addresses: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// CIDR ranges, e.g. 127.1.0.0/24.
    #[arg(required = true)]
    pub ranges: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum SnmpCmd {
    Get { target: String, oids: Vec<String> },
}

pub enum Handled {
    Done(Result<(), ApiError>),
    NotDiag(Box<Cli>),
}

pub async fn run(cli: Cli) -> Handled {
    match cli.command {
        Command::Ping(_) | Command::Sweep(_) | Command::Snmp(_) => {
            Handled::Done(Err(ApiError::new(meridian_service::ApiErrorKind::Internal, "not implemented yet")))
        }
        _ => Handled::NotDiag(Box::new(cli)),
    }
}
