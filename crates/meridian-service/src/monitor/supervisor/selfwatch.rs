//! Meridian's alarms about itself beyond the store refusing writes: the
//! store near its cap, the data directory's disk low, polls late, samples
//! dropped. The supervisor measures every status tick and
//! `meridian_core::selfwatch::SelfWatch` judges; raises and clears go the
//! way of the store-write alarm (`self_alarm.rs`): stored, logged, and
//! announced on the bus, where the console and the notifier see them like
//! any device's alarm. A raise or clear the store refuses is retried next
//! tick.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use meridian_core::alarm::{Alarm, AlarmId, AlarmKey, AlarmSpec, AlarmStep};
use meridian_core::selfwatch::{SelfAction, SelfReadings, SelfWatch, Watched};
use uuid::Uuid;

use super::Supervisor;
use crate::events::CoreEvent;
use crate::selfwatch::{disk_space, load_settings};

/// How often a running monitor re-reads its thresholds.
const SETTINGS_EVERY: Duration = Duration::from_secs(60);

pub(super) struct SelfWatching {
    pub(super) watch: SelfWatch,
    settings_read: Instant,
    /// Raises and clears the store refused, retried every tick.
    raise: BTreeMap<AlarmKey, AlarmSpec>,
    clear: BTreeSet<AlarmKey>,
}

impl SelfWatching {
    /// Alarms a previous run left active are cleared at the first tick (the
    /// watch starts from nothing raised; one that still holds is raised
    /// again once its hold-down has passed).
    pub(super) async fn start(store: &meridian_store::Store, now: DateTime<Utc>) -> Self {
        let settings = load_settings(store).await;
        Self {
            watch: SelfWatch::new(settings, now),
            settings_read: Instant::now(),
            raise: BTreeMap::new(),
            clear: Watched::ALL.iter().map(|w| w.key()).collect(),
        }
    }
}

impl Supervisor {
    pub(super) async fn tick_self_watch(&mut self, store_bytes: Option<u64>, now: DateTime<Utc>) {
        if self.self_watch.settings_read.elapsed() >= SETTINGS_EVERY {
            let s = load_settings(&self.store).await;
            self.self_watch.watch.set_settings(s);
            self.self_watch.settings_read = Instant::now();
        }
        let disk = disk_space(&self.data_dir);
        let readings = SelfReadings {
            store_bytes,
            disk,
            polls_started: self.shared.polls_started.load(Ordering::Relaxed),
            polls_late: self.shared.polls_late.load(Ordering::Relaxed),
            samples_dropped: self.sink.stats().dropped,
        };
        for action in self.self_watch.watch.tick(&readings, now) {
            match action {
                SelfAction::Raise(spec) => {
                    tracing::warn!(problem = %spec.specific_problem, severity = ?spec.perceived_severity, text = %spec.additional_text, "self-alarm");
                    self.self_watch.clear.remove(&spec.key());
                    self.self_watch.raise.insert(spec.key(), spec);
                }
                SelfAction::Clear(key) => {
                    tracing::info!(problem = %key.specific_problem, "self-alarm cleared");
                    self.self_watch.raise.remove(&key);
                    self.self_watch.clear.insert(key);
                }
            }
        }
        let raise = std::mem::take(&mut self.self_watch.raise);
        for (key, spec) in raise {
            if !self.raise_or_regrade(&spec, now).await {
                self.self_watch.raise.insert(key, spec);
            }
        }
        let clear = std::mem::take(&mut self.self_watch.clear);
        for key in clear {
            if !self.clear_self_alarm(&key, now).await {
                self.self_watch.clear.insert(key);
            }
        }
        if let Ok(mut g) = self.shared.gauges.lock() {
            g.disk = disk;
            g.self_alarms = self.self_watch.watch.active();
        }
    }

    /// Stores a new alarm, or changes the severity and text of the active one
    /// with its key (X.733: a new grade of the same alarm); announces either.
    /// False when the store refused.
    async fn raise_or_regrade(&mut self, spec: &AlarmSpec, now: DateTime<Utc>) -> bool {
        let alarm = Alarm::raise(AlarmId(Uuid::now_v7()), None, spec.clone(), now);
        let (mut stored, created) = match self.store.raise_alarm(&alarm).await {
            Ok(r) => r,
            Err(e) => {
                tracing::debug!(error = %e, "storing a self-alarm; retried next tick");
                return false;
            }
        };
        if !created {
            if stored.perceived_severity == spec.perceived_severity {
                return true;
            }
            let version = stored.version;
            stored.perceived_severity = spec.perceived_severity;
            stored.additional_text = spec.additional_text.clone();
            stored = match self.store.save_alarm(&stored, version).await {
                Ok(a) => a,
                Err(e) => {
                    tracing::debug!(error = %e, "re-grading a self-alarm; retried next tick");
                    return false;
                }
            };
        }
        self.log_self(now, AlarmStep::Raise, &stored).await;
        self.publish(CoreEvent::AlarmRaised { alarm: stored });
        true
    }
}
