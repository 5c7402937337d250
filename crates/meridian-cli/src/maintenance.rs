//! `meridian maintenance`: list, add or replace, remove maintenance windows.
//! Alarms raised for a device inside an open window are recorded but not
//! notified; times are UTC.

use clap::{Args, Subcommand};
use meridian_service::{ApiError, App, MaintenanceWindow};
use serde_json::{json, Value};

use crate::output::{print_json, table, Out};

#[derive(Debug, Subcommand)]
pub enum MaintenanceCmd {
    /// Every window: name, schedule, scope, open now.
    List,
    /// Add a window, or replace the one with this name.
    Add(Box<AddArgs>),
    /// Remove a window by name or id.
    Remove { window: String },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    name: String,
    /// Devices (names) it covers; repeat or separate with commas.
    #[arg(long, value_delimiter = ',')]
    device: Vec<String>,
    #[arg(long, value_delimiter = ',')]
    tag: Vec<String>,
    #[arg(long, value_delimiter = ',')]
    site: Vec<String>,
    /// Every device.
    #[arg(long)]
    all: bool,
    /// A one-off window: start (RFC 3339, e.g. 2026-12-05T02:00:00Z) ...
    #[arg(long, requires = "to", conflicts_with_all = ["weekly", "cron"])]
    from: Option<String>,
    /// ... and end.
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// Weekly on these days (mon,tue,...) at `--at` for `--minutes`.
    #[arg(long, value_delimiter = ',', requires_all = ["at", "minutes"], conflicts_with = "cron")]
    weekly: Vec<String>,
    /// Time of day for `--weekly`, HH:MM UTC.
    #[arg(long)]
    at: Option<String>,
    /// Each time this five-field cron expression fires (UTC), for `--minutes`.
    #[arg(long, requires = "minutes")]
    cron: Option<String>,
    /// How long a weekly or cron window stays open.
    #[arg(long)]
    minutes: Option<u32>,
    #[arg(long, default_value = "")]
    comment: String,
}

pub async fn maintenance(app: &App, c: MaintenanceCmd, out: Out) -> Result<(), ApiError> {
    match c {
        MaintenanceCmd::List => {
            let windows = app.list_maintenance().await?;
            if out.json {
                return print_json(&windows);
            }
            let rows = windows
                .iter()
                .map(|v| {
                    let schedule = serde_json::to_value(&v.window.schedule).unwrap_or(Value::Null);
                    let scope = serde_json::to_value(&v.window.scope).unwrap_or(Value::Null);
                    vec![
                        v.window.name.clone(),
                        if v.open_now { "open".into() } else { "closed".into() },
                        compact(&schedule),
                        compact(&scope),
                        v.id.clone(),
                    ]
                })
                .collect();
            table(&["NAME", "NOW", "SCHEDULE (UTC)", "SCOPE", "ID"], rows);
            Ok(())
        }
        MaintenanceCmd::Add(a) => {
            let window = build(*a)?;
            let view = app.put_maintenance(window).await?;
            let state = if view.open_now { "open now" } else { "not open now" };
            out.one(&view, || format!("saved maintenance window {} ({state})", view.window.name))
        }
        MaintenanceCmd::Remove { window } => {
            app.remove_maintenance(&window).await?;
            out.one(&json!({ "removed": window }), || format!("removed maintenance window {window}"))
        }
    }
}

/// The window the flags describe. Field checks are the service's; this
/// only says which schedule flags are missing.
fn build(a: AddArgs) -> Result<MaintenanceWindow, ApiError> {
    let schedule = match (a.from, a.to, a.weekly.is_empty(), a.cron) {
        (Some(start), Some(end), true, None) => json!({ "kind": "once", "start": start, "end": end }),
        (None, None, false, None) => {
            json!({ "kind": "weekly", "days": a.weekly, "start": a.at, "minutes": a.minutes })
        }
        (None, None, true, Some(expr)) => json!({ "kind": "cron", "expr": expr, "minutes": a.minutes }),
        _ => return Err(ApiError::field("schedule", "give --from and --to, or --weekly with --at, or --cron")),
    };
    let v = json!({
        "name": a.name,
        "comment": a.comment,
        "scope": { "all": a.all, "devices": a.device, "tags": a.tag, "sites": a.site },
        "schedule": schedule,
    });
    serde_json::from_value(v).map_err(|e| ApiError::field("schedule", e.to_string()))
}

fn compact(v: &Value) -> String {
    match v {
        Value::Object(m) => m
            .iter()
            .filter(|(_, v)| !matches!(v, Value::Array(a) if a.is_empty()) && *v != &Value::Bool(false))
            .map(|(k, v)| format!("{k}={}", compact(v)))
            .collect::<Vec<_>>()
            .join(" "),
        Value::Array(a) => a.iter().map(compact).collect::<Vec<_>>().join(","),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
