//! `monitor`, `status` and `alarms`. (Being written.)

use clap::{Args, Subcommand};
use meridian_service::{ApiError, ApiErrorKind, App};

use crate::output::Out;

#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// Stop after this many seconds (default: run until Ctrl-C).
    #[arg(long)]
    pub duration: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum AlarmsCmd {
    List,
}

pub async fn monitor(_app: &App, _a: MonitorArgs, _out: Out) -> Result<(), ApiError> {
    Err(ApiError::new(ApiErrorKind::Internal, "not implemented yet"))
}

pub async fn alarms(_app: &App, _c: AlarmsCmd, _out: Out) -> Result<(), ApiError> {
    Err(ApiError::new(ApiErrorKind::Internal, "not implemented yet"))
}

pub async fn status(_app: &App, _out: Out) -> Result<(), ApiError> {
    Err(ApiError::new(ApiErrorKind::Internal, "not implemented yet"))
}
