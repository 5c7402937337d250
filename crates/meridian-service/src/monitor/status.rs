//! What `meridian status` shows. The monitor process holds the data
//! directory, so another process cannot open the store to ask; the monitor
//! therefore writes `<data-dir>/status.json` every few seconds (atomically)
//! and `meridian status` reads that file.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiErrorKind};
use crate::writer::WriterStats;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MonitorStatus {
    pub running: bool,
    pub pid: u32,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    pub devices: u64,
    pub jobs: u64,
    pub in_flight: u64,
    pub icmp_ok: u64,
    pub icmp_failed: u64,
    pub snmp_ok: u64,
    pub snmp_failed: u64,
    pub skipped_ticks: u64,
    pub devices_up: u64,
    pub devices_down: u64,
    pub devices_degraded: u64,
    pub active_alarms: u64,
    pub queue_depth: u64,
    pub queue_capacity: u64,
    pub samples_written: u64,
    pub samples_dropped: u64,
    pub samples_late: u64,
    /// Failed batch commits, retried or dropped.
    #[serde(default)]
    pub write_errors: u64,
    /// Why the store refuses writes, while it does.
    #[serde(default)]
    pub store_error: Option<String>,
    pub store_bytes: i64,
    /// Rows and bytes per history tier, from the rollup job.
    #[serde(default)]
    pub tiers: Vec<meridian_store::TierSize>,
    /// Polls that got their turn to send, and of those the ones that began
    /// more than one interval after their tick (the scheduler's lag).
    #[serde(default)]
    pub polls_started: u64,
    #[serde(default)]
    pub polls_late: u64,
    /// Space on the data directory's filesystem, when statvfs answers.
    #[serde(default)]
    pub disk: Option<meridian_core::selfwatch::DiskSpace>,
    /// Meridian's alarms about itself, active now (the store refusing
    /// writes included).
    #[serde(default)]
    pub self_alarms: Vec<meridian_core::alarm::AlarmSpec>,
    /// When this monitor started.
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    /// Committed writer batches and the microseconds they took.
    #[serde(default)]
    pub writer_batches: u64,
    #[serde(default)]
    pub writer_batch_micros: u64,
    /// Rule evaluation passes and the microseconds they took.
    #[serde(default)]
    pub rule_passes: u64,
    #[serde(default)]
    pub rule_micros: u64,
}

impl MonitorStatus {
    /// Successful polls over all polls, in percent (100 with no polls yet).
    pub fn success_rate(&self) -> f64 {
        let ok = self.icmp_ok + self.snmp_ok;
        let all = ok + self.icmp_failed + self.snmp_failed;
        if all == 0 {
            100.0
        } else {
            ok as f64 * 100.0 / all as f64
        }
    }
}

/// What the map and device pages show live for one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DeviceLive {
    pub device_id: meridian_core::DeviceId,
    pub state: meridian_core::state::DeviceState,
    /// Average RTT of the last successful ICMP poll, in milliseconds.
    pub rtt_ms: Option<f64>,
    pub loss_pct: Option<f64>,
    /// Last time the device answered anything.
    #[ts(type = "string | null")]
    pub last_seen: Option<DateTime<Utc>>,
    #[ts(type = "string | null")]
    pub last_poll: Option<DateTime<Utc>>,
    /// The state is the last one known before the monitor started and no
    /// poll of this run has confirmed it yet.
    #[serde(default)]
    pub stale: bool,
    /// For a stale state, when the device entered it.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub since: Option<DateTime<Utc>>,
    /// The agent's sysUpTime at its last answer, in whole seconds (`uptime_at`
    /// says when); the uptime now is that plus the time since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub uptime_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string")]
    pub uptime_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default)]
pub(crate) struct Shared {
    pub live: Mutex<std::collections::HashMap<meridian_core::DeviceId, DeviceLive>>,
    pub icmp_ok: AtomicU64,
    pub icmp_failed: AtomicU64,
    pub snmp_ok: AtomicU64,
    pub snmp_failed: AtomicU64,
    pub in_flight: AtomicU64,
    pub skipped: AtomicU64,
    pub polls_started: AtomicU64,
    pub polls_late: AtomicU64,
    /// Rule evaluation: passes (one per poll result) and the time they took.
    pub rule_passes: AtomicU64,
    pub rule_micros: AtomicU64,
    pub gauges: Mutex<Gauges>,
    /// Written by the rollup job, not the supervisor.
    pub tiers: Mutex<Vec<meridian_store::TierSize>>,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Gauges {
    pub devices: u64,
    pub jobs: u64,
    pub up: u64,
    pub down: u64,
    pub degraded: u64,
    pub active_alarms: u64,
    pub writer: Option<WriterStats>,
    pub store_error: Option<String>,
    pub store_bytes: i64,
    pub running: bool,
    pub disk: Option<meridian_core::selfwatch::DiskSpace>,
    pub self_alarms: Vec<meridian_core::alarm::AlarmSpec>,
    /// The store-write alarm, while raised.
    pub store_alarm: Option<meridian_core::alarm::AlarmSpec>,
    pub started_at: Option<DateTime<Utc>>,
}

impl Shared {
    /// Records a poll's outcome for the live view.
    pub(crate) fn update_live(
        &self,
        device: meridian_core::DeviceId,
        state: meridian_core::state::DeviceState,
        at: DateTime<Utc>,
        answered: bool,
        f: impl FnOnce(&mut DeviceLive),
    ) {
        if let Ok(mut m) = self.live.lock() {
            let l = m.entry(device).or_insert_with(|| DeviceLive {
                device_id: device,
                state,
                rtt_ms: None,
                loss_pct: None,
                last_seen: None,
                last_poll: None,
                stale: false,
                since: None,
                uptime_secs: None,
                uptime_at: None,
            });
            l.state = state;
            l.stale = false;
            l.since = None;
            l.last_poll = Some(at);
            if answered {
                l.last_seen = Some(at);
            }
            f(l);
        }
    }

    /// The last known states from before this run, marked stale, for the
    /// devices no poll has reported yet: after a restart the map and the
    /// table show what was known instead of every device unknown.
    pub(crate) fn seed_live(
        &self,
        known: impl IntoIterator<Item = (meridian_core::DeviceId, meridian_core::state::DeviceState, DateTime<Utc>)>,
    ) {
        if let Ok(mut m) = self.live.lock() {
            for (device_id, state, since) in known {
                m.entry(device_id).or_insert(DeviceLive {
                    device_id,
                    state,
                    rtt_ms: None,
                    loss_pct: None,
                    last_seen: None,
                    last_poll: None,
                    stale: true,
                    since: Some(since),
                    uptime_secs: None,
                    uptime_at: None,
                });
            }
        }
    }

    pub(crate) fn set_live_state(&self, device: meridian_core::DeviceId, state: meridian_core::state::DeviceState) {
        if let Ok(mut m) = self.live.lock() {
            if let Some(l) = m.get_mut(&device) {
                l.state = state;
            }
        }
    }

    pub(crate) fn rules_timed(&self, took: std::time::Duration) {
        self.rule_passes.fetch_add(1, Ordering::Relaxed);
        self.rule_micros.fetch_add(u64::try_from(took.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// (passes, microseconds) of rule evaluation so far.
    pub(crate) fn rule_timing(&self) -> (u64, u64) {
        (self.rule_passes.load(Ordering::Relaxed), self.rule_micros.load(Ordering::Relaxed))
    }

    /// The writer's counters as the supervisor last copied them.
    pub(crate) fn writer(&self) -> Option<WriterStats> {
        self.gauges.lock().ok().and_then(|g| g.writer)
    }

    pub(crate) fn snapshot(&self) -> MonitorStatus {
        let g = self.gauges.lock().map(|g| g.clone()).unwrap_or_default();
        let w = g.writer.unwrap_or_default();
        let ld = |a: &AtomicU64| a.load(Ordering::Relaxed);
        MonitorStatus {
            running: g.running,
            pid: std::process::id(),
            updated_at: Some(Utc::now()),
            devices: g.devices,
            jobs: g.jobs,
            in_flight: ld(&self.in_flight),
            icmp_ok: ld(&self.icmp_ok),
            icmp_failed: ld(&self.icmp_failed),
            snmp_ok: ld(&self.snmp_ok),
            snmp_failed: ld(&self.snmp_failed),
            skipped_ticks: ld(&self.skipped),
            devices_up: g.up,
            devices_down: g.down,
            devices_degraded: g.degraded,
            active_alarms: g.active_alarms,
            queue_depth: w.queue_depth,
            queue_capacity: w.queue_capacity,
            samples_written: w.written,
            samples_dropped: w.dropped,
            samples_late: w.late,
            write_errors: w.write_errors,
            store_error: g.store_error.clone(),
            store_bytes: g.store_bytes,
            tiers: self.tiers.lock().map(|t| t.clone()).unwrap_or_default(),
            polls_started: ld(&self.polls_started),
            polls_late: ld(&self.polls_late),
            disk: g.disk,
            self_alarms: g.store_alarm.iter().chain(&g.self_alarms).cloned().collect(),
            started_at: g.started_at,
            writer_batches: w.batches,
            writer_batch_micros: w.batch_micros,
            rule_passes: ld(&self.rule_passes),
            rule_micros: ld(&self.rule_micros),
        }
    }
}

/// Atomically (temp file and rename) when the disk allows; on a full disk
/// the old file is overwritten in place, which needs no new blocks, so
/// `meridian status` still shows the drops while they happen.
pub(crate) fn write_status_file(dir: &Path, s: &MonitorStatus) {
    let path = dir.join("status.json");
    let tmp = dir.join("status.json.tmp");
    let body = match serde_json::to_vec_pretty(s) {
        Ok(b) => b,
        Err(e) => return tracing::warn!(error = %e, "could not encode the status"),
    };
    let result = std::fs::write(&tmp, &body).and_then(|()| std::fs::rename(&tmp, &path)).or_else(|e| {
        let _ = std::fs::remove_file(&tmp);
        overwrite_in_place(&path, &body).map_err(|_| e)
    });
    if let Err(e) = result {
        tracing::warn!(path = %path.display(), error = %e, "could not write status file");
    }
}

fn overwrite_in_place(path: &Path, body: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    f.write_all(body)?;
    f.set_len(body.len() as u64)
}

/// The last status a monitor wrote into `dir`, if any.
pub fn read_status_file(dir: &Path) -> Result<Option<MonitorStatus>, ApiError> {
    let path = dir.join("status.json");
    match std::fs::read(&path) {
        Ok(b) => serde_json::from_slice(&b)
            .map(Some)
            .map_err(|e| ApiError::new(ApiErrorKind::Store, format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ApiError::new(ApiErrorKind::Store, format!("{}: {e}", path.display()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::state::DeviceState;
    use meridian_core::DeviceId;

    #[test]
    fn seeded_states_are_stale_until_a_poll_reports() {
        let shared = Shared::default();
        let (a, b) = (DeviceId(uuid::Uuid::from_u128(1)), DeviceId(uuid::Uuid::from_u128(2)));
        let t = |s: i64| DateTime::<Utc>::from_timestamp(1_700_000_000 + s, 0).expect("time");
        // b was polled before the seeding arrives: its fresh state stays.
        shared.update_live(b, DeviceState::Up, t(5), true, |_| {});
        shared.seed_live([(a, DeviceState::Down, t(0)), (b, DeviceState::Down, t(0))]);
        let get = |id| shared.live.lock().expect("lock").get(&id).cloned().expect("live");
        assert_eq!((get(a).state, get(a).stale, get(a).since), (DeviceState::Down, true, Some(t(0))));
        assert_eq!((get(b).state, get(b).stale), (DeviceState::Up, false));
        shared.update_live(a, DeviceState::Up, t(10), true, |_| {});
        assert_eq!(
            (get(a).state, get(a).stale, get(a).since, get(a).last_poll),
            (DeviceState::Up, false, None, Some(t(10)))
        );
    }
}
