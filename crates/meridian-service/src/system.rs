//! The system page: Meridian's own figures (the ones `/metrics` serves)
//! and its active self-alarms, in one type. The desktop's System tab reads
//! it through `App::system_status`; `meridian status`, which cannot open a
//! store the monitor holds, builds it from the monitor's status file with
//! the same [`SystemStatus::from_parts`].

use std::path::Path;

use chrono::{DateTime, Utc};
use meridian_core::alarm::{AlarmSpec, SELF_OBJECT};
use meridian_core::selfwatch::DiskSpace;
use meridian_store::TierSize;
use serde::Serialize;
use ts_rs::TS;

use crate::app::App;
use crate::error::ApiError;
use crate::monitor::{read_status_file, MonitorStatus};
use crate::selfwatch::disk_space;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SystemStatus {
    pub monitor_running: bool,
    #[ts(type = "string | null")]
    pub monitor_started_at: Option<DateTime<Utc>>,
    #[ts(type = "number | null")]
    pub uptime_secs: Option<i64>,
    #[ts(type = "number")]
    pub devices: u64,
    #[ts(type = "number")]
    pub poll_jobs: u64,
    #[ts(type = "number")]
    pub polls_ok: u64,
    #[ts(type = "number")]
    pub polls_failed: u64,
    #[ts(type = "number")]
    pub polls_in_flight: u64,
    /// Polls started, and those started more than one interval late.
    #[ts(type = "number")]
    pub polls_started: u64,
    #[ts(type = "number")]
    pub polls_late: u64,
    #[ts(type = "number")]
    pub ticks_skipped: u64,
    #[ts(type = "number")]
    pub queue_depth: u64,
    #[ts(type = "number")]
    pub queue_capacity: u64,
    #[ts(type = "number")]
    pub samples_written: u64,
    #[ts(type = "number")]
    pub samples_dropped: u64,
    #[ts(type = "number")]
    pub write_errors: u64,
    /// Mean time of one committed writer batch, and of one rule pass.
    pub writer_batch_ms: Option<f64>,
    pub rule_pass_ms: Option<f64>,
    #[ts(type = "number")]
    pub store_bytes: i64,
    #[ts(type = "number | null")]
    pub store_cap_bytes: Option<u64>,
    pub tiers: Vec<TierSize>,
    pub disk: Option<DiskSpace>,
    pub store_error: Option<String>,
    /// Meridian's active alarms about itself.
    pub self_alarms: Vec<AlarmSpec>,
    /// The trap receiver's intake, when one runs in this process.
    pub traps: Option<IntakeFigures>,
    /// The syslog receiver's intake, when one runs in this process.
    pub syslog: Option<IntakeFigures>,
}

/// What an event receiver took in and what became of it: every message is
/// stored, or counted as dropped (its queue was full or the store refused
/// its batch), refused (a wrong community or v3 key) or malformed (kept).
/// Losses under a flood show here rather than only in a log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IntakeFigures {
    #[ts(type = "number")]
    pub received: u64,
    #[ts(type = "number")]
    pub stored: u64,
    #[ts(type = "number")]
    pub dropped: u64,
    #[ts(type = "number")]
    pub refused: u64,
    #[ts(type = "number")]
    pub malformed: u64,
}

/// What the store side adds when the store can be asked (the desktop);
/// `None` parts fall back to what the monitor's status carries.
#[derive(Debug, Clone, Default)]
pub struct StoreSide {
    pub store_bytes: Option<i64>,
    pub tiers: Option<Vec<TierSize>>,
    pub store_cap_bytes: Option<u64>,
    pub self_alarms: Option<Vec<AlarmSpec>>,
}

fn mean_ms(micros: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| micros as f64 / n as f64 / 1000.0)
}

impl SystemStatus {
    /// One monitor's status (None: no monitor runs) with the store's side
    /// and the disk, at `now`.
    pub fn from_parts(
        m: Option<&MonitorStatus>,
        store: StoreSide,
        disk: Option<DiskSpace>,
        now: DateTime<Utc>,
    ) -> Self {
        let d = MonitorStatus::default();
        let s = m.unwrap_or(&d);
        let running = m.is_some_and(|m| m.running);
        let started = s.started_at.filter(|_| running);
        Self {
            monitor_running: running,
            monitor_started_at: started,
            uptime_secs: started.map(|t| (now - t).num_seconds().max(0)),
            devices: s.devices,
            poll_jobs: s.jobs,
            polls_ok: s.icmp_ok + s.snmp_ok,
            polls_failed: s.icmp_failed + s.snmp_failed,
            polls_in_flight: s.in_flight,
            polls_started: s.polls_started,
            polls_late: s.polls_late,
            ticks_skipped: s.skipped_ticks,
            queue_depth: s.queue_depth,
            queue_capacity: s.queue_capacity,
            samples_written: s.samples_written,
            samples_dropped: s.samples_dropped,
            write_errors: s.write_errors,
            writer_batch_ms: mean_ms(s.writer_batch_micros, s.writer_batches),
            rule_pass_ms: mean_ms(s.rule_micros, s.rule_passes),
            store_bytes: store.store_bytes.unwrap_or(s.store_bytes),
            store_cap_bytes: store.store_cap_bytes,
            tiers: store.tiers.unwrap_or_else(|| s.tiers.clone()),
            disk: disk.or(s.disk),
            store_error: s.store_error.clone(),
            self_alarms: store.self_alarms.unwrap_or_else(|| s.self_alarms.clone()),
            traps: None,
            syslog: None,
        }
    }
}

/// `meridian status`: the figures from the status file a monitor keeps in
/// `data_dir` (`None` for the monitor part when none runs), without opening
/// the store.
pub fn system_status_offline(
    data_dir: &Path,
    alive: impl Fn(u32) -> bool,
    now: DateTime<Utc>,
) -> Result<(Option<MonitorStatus>, SystemStatus), ApiError> {
    let st = read_status_file(data_dir)?;
    let live = st.as_ref().filter(|s| s.running && alive(s.pid));
    let sys = SystemStatus::from_parts(live, StoreSide::default(), disk_space(data_dir), now);
    Ok((st, sys))
}

impl App {
    /// Meridian's own figures and self-alarms, for the System tab.
    pub async fn system_status(&self, now: DateTime<Utc>) -> Result<SystemStatus, ApiError> {
        let m = self.monitor_status().await;
        let store = self.store_status().await?;
        let cap = self.self_watch_settings().await.map(|s| s.store_cap_bytes).unwrap_or(None);
        let alarms = self.list_alarms(true, 1000).await?;
        let self_alarms = alarms.iter().filter(|a| a.managed_object == SELF_OBJECT).map(|a| a.spec()).collect();
        let side = StoreSide {
            store_bytes: Some(store.size_bytes),
            tiers: Some(store.tiers),
            store_cap_bytes: cap,
            self_alarms: Some(self_alarms),
        };
        let mut status = SystemStatus::from_parts(m.as_ref(), side, disk_space(&self.cfg.data_dir), now);
        status.traps = self.monitor.lock().await.as_ref().and_then(|h| h.traps()).map(|t| {
            let (r, w) = (t.stats(), t.intake_counts());
            IntakeFigures {
                received: r.received,
                stored: w.stored,
                dropped: r.drops + w.store_failed,
                refused: r.auth_failures,
                malformed: r.malformed,
            }
        });
        status.syslog = self.syslog_status().await.map(|s| IntakeFigures {
            received: s.counters.received,
            stored: s.counters.stored,
            dropped: s.counters.dropped,
            refused: 0,
            malformed: s.counters.malformed,
        });
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_come_from_the_monitor_and_the_store_side_wins() {
        let t0 = DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        let m = MonitorStatus {
            running: true,
            started_at: Some(t0),
            icmp_ok: 7,
            snmp_ok: 3,
            icmp_failed: 1,
            writer_batches: 4,
            writer_batch_micros: 10_000,
            store_bytes: 5,
            ..Default::default()
        };
        let later = t0 + chrono::Duration::seconds(90);
        let s = SystemStatus::from_parts(Some(&m), StoreSide::default(), None, later);
        assert_eq!((s.uptime_secs, s.polls_ok, s.polls_failed, s.store_bytes), (Some(90), 10, 1, 5));
        assert_eq!((s.writer_batch_ms, s.rule_pass_ms), (Some(2.5), None));
        let side = StoreSide { store_bytes: Some(4096), store_cap_bytes: Some(8192), ..Default::default() };
        let s = SystemStatus::from_parts(Some(&m), side, None, later);
        assert_eq!((s.store_bytes, s.store_cap_bytes), (4096, Some(8192)));
        let stopped = MonitorStatus { running: false, ..m };
        let s = SystemStatus::from_parts(Some(&stopped), StoreSide::default(), None, later);
        assert_eq!((s.monitor_running, s.uptime_secs), (false, None));
    }
}
