//! `meridian history`: the history tiers' sizes, a rollup pass now, and
//! each tier's retention.

use chrono::Utc;
use clap::Subcommand;
use meridian_service::{ApiError, App, Retention, TierSize};

use crate::output::{table, Out};

#[derive(Debug, Subcommand)]
pub enum HistoryCmd {
    /// Rows and disk size of raw samples and each rollup tier.
    Tiers,
    /// Build the rollups the tiers lack and apply retention, now (the
    /// running monitor does this every minute).
    Rollup,
    /// Show how long each tier is kept, or change it (only the given fields).
    Retention {
        #[arg(long)]
        raw_days: Option<u32>,
        #[arg(long)]
        five_min_days: Option<u32>,
        #[arg(long)]
        hour_days: Option<u32>,
        /// Days the 1-day tier is kept; 0 keeps it forever.
        #[arg(long)]
        day_days: Option<u32>,
    },
}

pub async fn history(app: &App, c: HistoryCmd, out: Out) -> Result<(), ApiError> {
    match c {
        HistoryCmd::Tiers => {
            let sizes = app.tier_sizes().await?;
            if out.json {
                return crate::output::print_json(&sizes);
            }
            print_tiers(&sizes);
            Ok(())
        }
        HistoryCmd::Rollup => {
            let r = app.run_rollups(Utc::now()).await?;
            out.one(&r, || {
                let [m5, h1, d1] = r.buckets;
                let [raw, p5, ph, pd] = r.purged;
                format!(
                    "built {m5} 5-min, {h1} 1-hour and {d1} 1-day buckets; deleted {raw} raw, {p5} 5-min, {ph} 1-hour, \
                     {pd} 1-day rows{}{}",
                    if r.reclaimed { "; their space is free for new rows" } else { "" },
                    if r.cut_short { " (more left for the next pass)" } else { "" }
                )
            })
        }
        HistoryCmd::Retention { raw_days, five_min_days, hour_days, day_days } => {
            let mut keep = app.retention().await?;
            let changed = raw_days.is_some() || five_min_days.is_some() || hour_days.is_some() || day_days.is_some();
            if changed {
                let d = day_days.map(|d| (d != 0).then_some(d));
                keep = Retention {
                    raw_days: raw_days.unwrap_or(keep.raw_days),
                    five_min_days: five_min_days.unwrap_or(keep.five_min_days),
                    hour_days: hour_days.unwrap_or(keep.hour_days),
                    day_days: d.unwrap_or(keep.day_days),
                };
                keep = app.set_retention(keep, Utc::now()).await?;
            }
            out.one(&keep, || {
                let day = keep.day_days.map_or("forever".to_owned(), |d| format!("{d} days"));
                format!(
                    "raw:    {} days\n5 min:  {} days\n1 hour: {} days\n1 day:  {day}",
                    keep.raw_days, keep.five_min_days, keep.hour_days
                )
            })
        }
    }
}

/// One row per tier: rows (the planner's estimate) and bytes on disk.
pub fn print_tiers(sizes: &[TierSize]) {
    let rows = sizes
        .iter()
        .map(|s| vec![s.tier.name().to_owned(), s.rows.to_string(), format!("{:.1} MiB", s.bytes as f64 / 1_048_576.0)])
        .collect();
    table(&["TIER", "ROWS", "SIZE"], rows);
}
