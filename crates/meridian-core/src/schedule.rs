//! The poll schedule, as a pure data structure the service drives.
//!
//! Every job (one device × one poll kind) runs on a fixed grid: the instants
//! `epoch + offset + k × interval`, where `offset` is a hash of the job key.
//! So start times are spread across the interval (no thundering herd of all
//! devices at :00), the same device keeps the same phase across restarts and
//! machines, and no random numbers are involved, which keeps tests exact.
//!
//! The service loop is: sleep until [`Scheduler::next_wakeup`], take
//! [`Scheduler::next_due`], run those polls, and report each with
//! [`Scheduler::completed`]. A job that overruns its interval is never run
//! twice in a row to "catch up": the ticks it missed are skipped and counted.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;
use ts_rs::TS;

use crate::error::CoreError;
use crate::ids::DeviceId;

pub const DEFAULT_ICMP_INTERVAL: Duration = Duration::from_secs(30);
pub const DEFAULT_SNMP_INTERVAL: Duration = Duration::from_secs(60);
/// Inventory (ENTITY-MIB, LLDP/CDP neighbours) changes rarely and walking it is
/// heavy on a big switch, so it is polled hourly, not every SNMP cycle.
pub const DEFAULT_INVENTORY_INTERVAL: Duration = Duration::from_secs(3600);
/// Shorter intervals would let one busy device crowd out the rest.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);
/// Longer intervals are a typo; the cap also keeps grid arithmetic in range.
pub const MAX_INTERVAL: Duration = Duration::from_secs(86_400);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PollKind {
    Icmp,
    Snmp,
    /// Physical inventory and neighbours, which refresh the topology links.
    Inventory,
    /// An NTP query to the device's NTP server.
    Ntp,
    /// PTP management GETs to the device's clock.
    Ptp,
    /// The device's custom items (`crate::items`), at their shortest interval.
    Items,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobKey {
    pub device: DeviceId,
    pub kind: PollKind,
}

impl JobKey {
    pub fn new(device: DeviceId, kind: PollKind) -> Self {
        Self { device, kind }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    pub key: JobKey,
    pub interval: Duration,
}

/// Per-kind intervals applied to every enabled device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intervals {
    pub icmp: Duration,
    pub snmp: Duration,
    pub inventory: Duration,
    /// Watched NTP servers: ntpd's own shortest poll (64 s).
    pub ntp: Duration,
    /// Watched PTP clocks: a few announce intervals, so a lost master shows within one poll or two.
    pub ptp: Duration,
}

impl Default for Intervals {
    fn default() -> Self {
        Self {
            icmp: DEFAULT_ICMP_INTERVAL,
            snmp: DEFAULT_SNMP_INTERVAL,
            inventory: DEFAULT_INVENTORY_INTERVAL,
            ntp: Duration::from_secs(64),
            ptp: Duration::from_secs(10),
        }
    }
}

/// A job's bookkeeping, for `meridian status` and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobStatus {
    pub interval: Duration,
    pub next_due: DateTime<Utc>,
    pub in_flight: bool,
    /// Runs completed.
    pub runs: u64,
    /// Ticks dropped because the previous run was still going (or the
    /// service was not scheduling, e.g. the laptop slept).
    pub skipped: u64,
}

/// Grid arithmetic is in milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    interval_ms: i64,
    offset_ms: i64,
    next_due_ms: i64,
    /// The tick being run, if any. Such a job is never handed out again.
    in_flight: Option<i64>,
    runs: u64,
    skipped: u64,
}

impl Entry {
    /// The first grid instant at or after `t_ms`.
    fn grid_at_or_after(&self, t_ms: i64) -> i64 {
        let since = t_ms - self.offset_ms;
        let k = since.div_euclid(self.interval_ms) + i64::from(since.rem_euclid(self.interval_ms) != 0);
        self.offset_ms + k * self.interval_ms
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scheduler {
    jobs: BTreeMap<JobKey, Entry>,
    /// (next due, key) of every job not in flight, so the next due jobs and
    /// the next wakeup are read from the front instead of scanning every
    /// job (a profile of 1,000 idle devices had those scans at 5-6% of the
    /// engine's CPU: they ran ~33 times a second).
    due: BTreeSet<(i64, JobKey)>,
}

impl Scheduler {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    pub fn keys(&self) -> impl Iterator<Item = JobKey> + '_ {
        self.jobs.keys().copied()
    }

    /// Adds a job, or changes its interval. Re-upserting an unchanged job is
    /// a no-op, so the service may re-apply the whole inventory on any edit.
    /// A new or re-timed job first runs at the next tick of its grid, at most
    /// one interval from `now`.
    pub fn upsert(&mut self, job: Job, now: DateTime<Utc>) -> Result<(), CoreError> {
        if !(MIN_INTERVAL..=MAX_INTERVAL).contains(&job.interval) {
            return Err(CoreError::field("interval", "must be between 1 second and 1 day"));
        }
        let interval_ms = i64::try_from(job.interval.as_millis()).unwrap_or(i64::MAX);
        if let Some(e) = self.jobs.get(&job.key) {
            if e.interval_ms == interval_ms {
                return Ok(());
            }
        }
        let previous = self.jobs.get(&job.key).copied();
        if let Some(p) = previous.filter(|p| p.in_flight.is_none()) {
            self.due.remove(&(p.next_due_ms, job.key));
        }
        let mut e = Entry {
            interval_ms,
            offset_ms: phase_offset_ms(&job.key, interval_ms),
            next_due_ms: 0,
            in_flight: previous.and_then(|p| p.in_flight),
            runs: previous.map_or(0, |p| p.runs),
            skipped: previous.map_or(0, |p| p.skipped),
        };
        e.next_due_ms = e.grid_at_or_after(now.timestamp_millis());
        if e.in_flight.is_none() {
            self.due.insert((e.next_due_ms, job.key));
        }
        self.jobs.insert(job.key, e);
        Ok(())
    }

    /// Applies one device's inventory state: the jobs it should have are
    /// upserted, the rest removed. `snmp` says whether it has SNMP credentials.
    pub fn sync_device(
        &mut self,
        device: DeviceId,
        enabled: bool,
        snmp: bool,
        intervals: &Intervals,
        now: DateTime<Utc>,
    ) -> Result<(), CoreError> {
        if !enabled {
            self.remove(device);
            return Ok(());
        }
        self.upsert(Job { key: JobKey::new(device, PollKind::Icmp), interval: intervals.icmp }, now)?;
        for (kind, interval) in [(PollKind::Snmp, intervals.snmp), (PollKind::Inventory, intervals.inventory)] {
            let key = JobKey::new(device, kind);
            if snmp {
                self.upsert(Job { key, interval }, now)?;
            } else {
                self.remove_job(key);
            }
        }
        Ok(())
    }

    /// Schedules one more kind of poll for `device` every `interval`, or
    /// stops it (`None`). For polls that depend on per-device settings
    /// beyond SNMP (an NTP server or a PTP clock to watch).
    pub fn sync_job(
        &mut self,
        device: DeviceId,
        kind: PollKind,
        interval: Option<Duration>,
        now: DateTime<Utc>,
    ) -> Result<(), CoreError> {
        let key = JobKey::new(device, kind);
        match interval {
            Some(interval) => self.upsert(Job { key, interval }, now),
            None => {
                self.remove_job(key);
                Ok(())
            }
        }
    }

    /// Removes every job of `device`; returns how many there were. A run in
    /// flight finishes, and its `completed` is then ignored.
    pub fn remove(&mut self, device: DeviceId) -> usize {
        let keys: Vec<JobKey> = self.jobs.keys().filter(|k| k.device == device).copied().collect();
        keys.into_iter().filter(|k| self.remove_job(*k)).count()
    }

    pub fn remove_job(&mut self, key: JobKey) -> bool {
        let Some(e) = self.jobs.remove(&key) else { return false };
        if e.in_flight.is_none() {
            self.due.remove(&(e.next_due_ms, key));
        }
        true
    }

    /// Hands out the jobs due at `now`, most overdue first, and marks them in
    /// flight: they are not handed out again until [`Self::completed`].
    pub fn next_due(&mut self, now: DateTime<Utc>) -> Vec<JobKey> {
        let now_ms = now.timestamp_millis();
        let mut due = Vec::new();
        while let Some(&(at, key)) = self.due.first() {
            if at > now_ms {
                break;
            }
            self.due.pop_first();
            if let Some(e) = self.jobs.get_mut(&key) {
                e.in_flight = Some(at);
                due.push(key);
            }
        }
        due
    }

    /// When the earliest job not in flight is due, if any. An upsert can add
    /// an earlier tick, so the service loop must also wake on inventory
    /// changes, not only at this instant.
    pub fn next_wakeup(&self) -> Option<DateTime<Utc>> {
        let &(ms, _) = self.due.first()?;
        DateTime::from_timestamp_millis(ms)
    }

    /// Records that the run of `key` finished at `now`, whatever its result.
    /// The next run is the first tick at or after `now`; ticks that passed
    /// while it ran are skipped, counted, and returned. Unknown or idle jobs
    /// are ignored (the job was removed or re-added meanwhile) and return 0.
    pub fn completed(&mut self, key: JobKey, now: DateTime<Utc>) -> u64 {
        let Some(e) = self.jobs.get_mut(&key) else { return 0 };
        let Some(tick) = e.in_flight.take() else { return 0 };
        let following = e.grid_at_or_after(tick + 1);
        e.next_due_ms = e.grid_at_or_after(now.timestamp_millis().max(tick + 1));
        let skipped = u64::try_from((e.next_due_ms - following) / e.interval_ms).unwrap_or(0);
        e.runs += 1;
        e.skipped += skipped;
        self.due.insert((e.next_due_ms, key));
        skipped
    }

    /// "Poll now": the device's ICMP and SNMP jobs that are not already in
    /// flight become due at `now`, ahead of their grid; after that run they
    /// return to their grid (see [`Self::completed`]). The inventory pass
    /// keeps its own pace: it walks whole tables. Returns how many jobs were
    /// brought forward (0 for an unknown or disabled device, or when every
    /// poll is already running).
    pub fn poll_now(&mut self, device: DeviceId, now: DateTime<Utc>) -> usize {
        let now_ms = now.timestamp_millis();
        let mut moved = 0;
        for kind in [PollKind::Icmp, PollKind::Snmp] {
            let key = JobKey::new(device, kind);
            let Some(e) = self.jobs.get_mut(&key) else { continue };
            if e.in_flight.is_some() || e.next_due_ms <= now_ms {
                continue;
            }
            self.due.remove(&(e.next_due_ms, key));
            e.next_due_ms = now_ms;
            self.due.insert((now_ms, key));
            moved += 1;
        }
        moved
    }

    pub fn status(&self, key: JobKey) -> Option<JobStatus> {
        let e = self.jobs.get(&key)?;
        Some(JobStatus {
            interval: Duration::from_millis(u64::try_from(e.interval_ms).unwrap_or(0)),
            next_due: DateTime::from_timestamp_millis(e.next_due_ms)?,
            in_flight: e.in_flight.is_some(),
            runs: e.runs,
            skipped: e.skipped,
        })
    }
}

/// Where in its interval a job's grid sits: a stable hash of the key, so the
/// spread is deterministic. Exposed for `meridian status` and tests.
pub fn phase_offset(key: &JobKey, interval: Duration) -> Duration {
    let ms = i64::try_from(interval.as_millis()).unwrap_or(i64::MAX).max(1);
    Duration::from_millis(u64::try_from(phase_offset_ms(key, ms)).unwrap_or(0))
}

fn phase_offset_ms(key: &JobKey, interval_ms: i64) -> i64 {
    // FNV-1a then a splitmix64 finaliser: std's hasher is not guaranteed
    // stable across Rust releases, and phases should not move on upgrade.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let kind = match key.kind {
        PollKind::Icmp => 1u8,
        PollKind::Snmp => 2u8,
        PollKind::Inventory => 3u8,
        PollKind::Ntp => 4u8,
        PollKind::Ptp => 5u8,
        PollKind::Items => 6u8,
    };
    for b in key.device.0.as_bytes().iter().chain(std::iter::once(&kind)) {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    i64::try_from(h % u64::try_from(interval_ms).unwrap_or(1)).unwrap_or(0)
}
