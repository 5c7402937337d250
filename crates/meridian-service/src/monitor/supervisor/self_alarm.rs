//! Meridian's alarm about itself: its store refuses the sample writer's
//! batches (a full disk, most likely). Polling goes on and the drops are
//! counted; this alarm tells the operator that history is being lost.
//!
//! The alarm is announced on the bus at once, even when the store cannot
//! take the alarm row either (it may: a small row often fits a page that
//! has room); storing it is retried every status tick until it succeeds,
//! and it is cleared once a batch commits again.

use chrono::{DateTime, Utc};
use meridian_core::alarm::{cause, problem, store_write_alarm, Alarm, AlarmId, AlarmKey, AlarmStep, SELF_OBJECT};
use uuid::Uuid;

use super::{Supervisor, ACTOR};
use crate::events::CoreEvent;

#[derive(Debug, Default)]
pub(super) struct StoreAlarm {
    /// The raised alarm and whether the store has it yet.
    active: Option<(Alarm, bool)>,
    /// Whether an alarm left active by an earlier run was looked for.
    swept: bool,
}

impl Supervisor {
    /// Run every status tick: raises, stores or clears the alarm as the
    /// writer's last commit went.
    pub(super) async fn check_store(&mut self, now: DateTime<Utc>) {
        let fault = self.sink.fault();
        if let Ok(mut g) = self.shared.gauges.lock() {
            g.store_error = fault.as_ref().map(|f| f.error.clone());
        }
        let active = self.store_alarm.active.take();
        self.store_alarm.active = match (fault, active) {
            (Some(f), None) => {
                let spec = store_write_alarm(f.disk_full, self.sink.stats().dropped, &f.error);
                tracing::error!(error = %f.error, disk_full = f.disk_full, "the store cannot write; samples are dropped");
                let alarm = Alarm::raise(AlarmId(Uuid::now_v7()), None, spec, now);
                let (alarm, stored) = self.store_self_alarm(alarm, now).await;
                self.publish(CoreEvent::AlarmRaised { alarm: alarm.clone() });
                Some((alarm, stored))
            }
            (Some(_), Some((alarm, false))) => Some(self.store_self_alarm(alarm, now).await),
            (Some(_), Some(kept)) => Some(kept),
            (None, Some((alarm, stored))) => {
                let (alarm, stored) = if stored { (alarm, true) } else { self.store_self_alarm(alarm, now).await };
                if stored && self.clear_self_alarm(&alarm.key(), now).await {
                    tracing::info!("the store writes again");
                    None
                } else {
                    Some((alarm, stored))
                }
            }
            (None, None) => {
                if !self.store_alarm.swept {
                    self.store_alarm.swept = true;
                    for c in [cause::STORAGE_CAPACITY_PROBLEM, cause::UNDERLYING_RESOURCE_UNAVAILABLE] {
                        let key = AlarmKey {
                            managed_object: SELF_OBJECT.to_owned(),
                            probable_cause: c.to_owned(),
                            specific_problem: problem::STORE_WRITE_FAILED.to_owned(),
                        };
                        self.clear_self_alarm(&key, now).await;
                    }
                }
                None
            }
        };
        let spec = self.store_alarm.active.as_ref().map(|(a, _)| a.spec());
        if let Ok(mut g) = self.shared.gauges.lock() {
            g.store_alarm = spec;
        }
    }

    /// The stored alarm (an active one of an earlier run, if any) and
    /// whether the store took it.
    async fn store_self_alarm(&mut self, alarm: Alarm, at: DateTime<Utc>) -> (Alarm, bool) {
        match self.store.raise_alarm(&alarm).await {
            Ok((stored, created)) => {
                if created {
                    self.log_self(at, AlarmStep::Raise, &stored).await;
                }
                (stored, true)
            }
            Err(e) => {
                tracing::debug!(error = %e, "storing the store's own alarm; retried next tick");
                (alarm, false)
            }
        }
    }

    /// Clears and announces the alarm; false when the store refused.
    pub(super) async fn clear_self_alarm(&mut self, key: &AlarmKey, at: DateTime<Utc>) -> bool {
        match self.store.clear_alarm_key(key, at).await {
            Ok(Some(cleared)) => {
                self.log_self(at, AlarmStep::Clear, &cleared).await;
                self.publish(CoreEvent::AlarmCleared { alarm: cleared });
                true
            }
            Ok(None) => true,
            Err(e) => {
                tracing::debug!(error = %e, "clearing the store's own alarm; retried next tick");
                false
            }
        }
    }

    pub(super) async fn log_self(&self, at: DateTime<Utc>, step: AlarmStep, a: &Alarm) {
        if let Err(e) = self.store.log_alarm(at, ACTOR, step, a).await {
            tracing::debug!(error = %e, ?step, "logging the store's own alarm");
        }
    }
}
