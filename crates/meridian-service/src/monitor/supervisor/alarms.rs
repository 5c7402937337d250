//! What the supervisor does with an alarm decision: the flapping filter,
//! maintenance windows, topology suppression and link alarms, then the
//! store and the bus. The decisions are `meridian-core::fault`'s; the
//! bookkeeping of what waits is `monitor::fault`.

use chrono::{DateTime, Utc};
use meridian_core::alarm::{parse_interface_object, problem, Alarm, AlarmId, AlarmKey, AlarmSpec, AlarmStep};
use meridian_core::fault::{condition_key, is_link_object, judge, link_down, link_on, open_window, Reach, Verdict};
use meridian_core::state::{Action, DeviceState};
use meridian_core::DeviceId;
use serde_json::json;
use uuid::Uuid;

use super::{Supervisor, ACTOR};
use crate::events::CoreEvent;
use crate::monitor::fault::{is_unreachable, unreachable_key};
use crate::monitor::rules;

impl Supervisor {
    /// Every alarm decision passes the flapping filter first.
    pub(super) async fn apply(&mut self, device: DeviceId, actions: Vec<Action>, at: DateTime<Utc>) {
        for a in actions {
            for a in self.fault.flaps.filter(device, a, at) {
                self.apply_one(device, a, at).await;
            }
        }
    }

    pub(super) async fn apply_one(&mut self, device: DeviceId, a: Action, at: DateTime<Utc>) {
        let name = self.devices.get(&device).map(|e| e.device.name.clone()).unwrap_or_default();
        {
            match a {
                Action::StateChanged { from, to } => {
                    tracing::info!(device = %name, ?from, ?to, "state changed");
                    self.shared.set_live_state(device, to);
                    let detail = json!({ "from": from, "to": to });
                    if let Err(e) =
                        self.store.log_event(at, ACTOR, "device.state", "device", device.to_string(), detail).await
                    {
                        tracing::warn!(error = %e, "logging state change");
                    }
                    self.publish(CoreEvent::DeviceStateChanged { device_id: device, name: name.clone(), from, to, at });
                }
                Action::RaiseAlarm(spec) => {
                    let verdict =
                        if is_unreachable(device, &spec.key()) { self.verdict(device, Some(at)) } else { Verdict::Own };
                    self.raise(device, spec, verdict, at).await;
                }
                Action::ClearAlarm(key) => {
                    if is_unreachable(device, &key) {
                        self.fault.waiting.remove(&device);
                    }
                    match self.store.clear_alarm_key(&key, at).await {
                        Ok(Some(alarm)) => {
                            self.fault.in_maintenance.remove(&alarm.id);
                            if is_unreachable(device, &key) {
                                self.root_cleared(&alarm, at).await;
                            }
                            let link = alarm
                                .suppressed_by
                                .filter(|_| parse_interface_object(device, &key.managed_object).is_some());
                            self.log_alarm(at, AlarmStep::Clear, &alarm).await;
                            self.publish(CoreEvent::AlarmCleared { alarm });
                            if let Some(link) = link {
                                self.link_end_cleared(link, at).await;
                            }
                        }
                        Ok(None) => {}
                        Err(e) => tracing::warn!(error = %e, "clearing alarm"),
                    }
                }
            }
        }
    }

    /// Stores a raise as the verdict says: marked with the open maintenance
    /// window, suppressed under its root cause, or held back while the
    /// device's parent is still failing.
    pub(super) async fn raise(&mut self, device: DeviceId, spec: AlarmSpec, verdict: Verdict, at: DateTime<Utc>) {
        let suppressed_by = match verdict {
            Verdict::Wait => {
                let deadline = at + self.parent_wait();
                self.fault.waiting.insert(device, (spec, at, deadline));
                return;
            }
            Verdict::Behind(root) => self.active_id(&unreachable_key(root)).await,
            Verdict::Own => None,
        };
        let suppressed_by = match suppressed_by {
            Some(root) => Some(root),
            None => self.link_alarm(device, &spec, at).await,
        };
        let mut alarm = Alarm::raise(AlarmId(Uuid::now_v7()), Some(device), spec, at);
        alarm.suppressed_by = suppressed_by;
        if let Some(e) = self.devices.get(&device) {
            let facts = rules::facts(&e.device, e.template.clone());
            alarm.maintenance = open_window(&self.fault.windows, &facts, at).map(str::to_owned);
        }
        match self.store.raise_alarm(&alarm).await {
            Ok((stored, true)) => {
                if stored.maintenance.is_some() {
                    self.fault.in_maintenance.insert(stored.id, device);
                }
                self.log_alarm(at, AlarmStep::Raise, &stored).await;
                let flapping = condition_key(&stored.key()).map(|c| (stored.id, c));
                self.publish(CoreEvent::AlarmRaised { alarm: stored });
                if let Some((id, condition)) = flapping {
                    self.hold_under_flapping(id, &condition, at).await;
                }
            }
            Ok((_, false)) => {}
            Err(e) => tracing::warn!(error = %e, "raising alarm"),
        }
    }

    /// A flapping alarm holds the condition's own alarm where the store has
    /// it active: recorded as its symptom, so no channel announces it (a
    /// raise still waiting out the notification delay included) and the
    /// console shows it under the flapping alarm. Released when the
    /// flapping ends with the condition still present (`tick_fault`). The
    /// hold is a step of its own in the event log: the raise's row says it
    /// was not held then, and its timeline is to show when and why it was.
    async fn hold_under_flapping(&mut self, flapping: AlarmId, condition: &AlarmKey, at: DateTime<Utc>) {
        let Some(id) = self.active_id(condition).await else { return };
        let mut alarm = match self.store.get_alarm(&id.to_string()).await {
            Ok(a) if a.is_active() && a.suppressed_by.is_none() => a,
            Ok(_) => return,
            Err(e) => return tracing::warn!(error = %e, "loading the alarm a flapping alarm holds"),
        };
        let expected = alarm.version;
        alarm.suppressed_by = Some(flapping);
        match self.store.save_alarm(&alarm, expected).await {
            // Announced as an update (same id, newer version): front ends
            // regroup it; the gate keeps it from every channel.
            Ok(saved) => {
                self.log_alarm(at, AlarmStep::Hold, &saved).await;
                self.publish(CoreEvent::AlarmRaised { alarm: saved })
            }
            Err(e) => tracing::warn!(error = %e, "holding an alarm under its flapping alarm"),
        }
    }

    /// An interface down on a link to another managed device: the link's
    /// alarm (raised now if it is not already), which the interface alarm
    /// is then recorded under.
    pub(super) async fn link_alarm(
        &mut self,
        device: DeviceId,
        spec: &AlarmSpec,
        at: DateTime<Utc>,
    ) -> Option<AlarmId> {
        let if_index = parse_interface_object(device, &spec.managed_object)?;
        if spec.specific_problem != problem::LINK_DOWN {
            return None;
        }
        let name = |d: DeviceId| self.devices.get(&d).map(|e| e.device.name.clone()).unwrap_or_else(|| d.to_string());
        let if_name = self.devices.get(&device).and_then(|e| e.if_names.get(&if_index)).cloned().unwrap_or_default();
        let link = link_on(&self.fault.links, device, if_index, &if_name)?;
        let link_spec = link_down(link, &name(device), &name(link.remote_device.unwrap_or(device)));
        let alarm = Alarm::raise(AlarmId(Uuid::now_v7()), Some(device), link_spec, at);
        match self.store.raise_alarm(&alarm).await {
            Ok((stored, created)) => {
                let id = stored.id;
                if created {
                    self.log_alarm(at, AlarmStep::Raise, &stored).await;
                    self.publish(CoreEvent::AlarmRaised { alarm: stored });
                }
                Some(id)
            }
            Err(e) => {
                tracing::warn!(error = %e, "raising a link alarm");
                None
            }
        }
    }

    /// An interface alarm under a link alarm cleared: the link alarm clears
    /// when no end is down any longer.
    pub(super) async fn link_end_cleared(&mut self, link: AlarmId, at: DateTime<Utc>) {
        let still_down = match self.store.active_held_alarms().await {
            Ok(held) => held.iter().any(|a| a.suppressed_by == Some(link)),
            Err(e) => return tracing::warn!(error = %e, "loading a link's interface alarms"),
        };
        let Ok(alarm) = self.store.get_alarm(&link.to_string()).await else { return };
        if still_down || !alarm.is_active() || !is_link_object(&alarm.managed_object) {
            return;
        }
        match self.store.clear_alarm_key(&alarm.key(), at).await {
            Ok(Some(cleared)) => {
                self.log_alarm(at, AlarmStep::Clear, &cleared).await;
                self.publish(CoreEvent::AlarmCleared { alarm: cleared })
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "clearing a link alarm"),
        }
    }

    /// Where a device's unreachability belongs, from its ancestors' states.
    /// With `since` (when the device was found down), an ancestor not
    /// pinged since then counts as failing: polls of a dead subtree finish
    /// in any order, and its answer is still to come.
    pub(super) fn verdict(&self, device: DeviceId, since: Option<DateTime<Utc>>) -> Verdict {
        let unheard = |d: &DeviceId| since.is_some_and(|t| self.fault.last_icmp.get(d).is_none_or(|p| *p <= t));
        // A down ancestor whose own alarm still waits has no alarm to point at yet.
        let settled = |d: &DeviceId| !self.fault.waiting.contains_key(d);
        judge(device, &self.fault.parents, |d| match self.devices.get(&d).map(|e| &e.monitor) {
            Some(m) if m.state() == DeviceState::Down && settled(&d) => Reach::Down,
            Some(m) if m.state() == DeviceState::Down => Reach::Failing,
            Some(m) if m.is_failing() || unheard(&d) => Reach::Failing,
            _ => Reach::Up,
        })
    }

    /// How long a child's raise waits for a failing parent: long enough for
    /// the parent to be declared down (its `down_after` polls), and a poll more.
    fn parent_wait(&self) -> chrono::Duration {
        let polls = self.cfg.thresholds.down_after.max(1) + 1;
        chrono::Duration::from_std(self.cfg.intervals.icmp * polls).unwrap_or(chrono::Duration::MAX)
    }

    pub(super) async fn active_id(&self, key: &AlarmKey) -> Option<AlarmId> {
        match self.store.active_alarm(key).await {
            Ok(a) => a.map(|a| a.id),
            Err(e) => {
                tracing::warn!(error = %e, "looking up a root-cause alarm");
                None
            }
        }
    }

    /// A root cause cleared: its symptoms are judged again once each child
    /// has had a poll to answer; those still silent then raise their own.
    pub(super) async fn root_cleared(&mut self, root: &Alarm, at: DateTime<Utc>) {
        let held = match self.store.active_held_alarms().await {
            Ok(h) => h,
            Err(e) => return tracing::warn!(error = %e, "loading suppressed alarms"),
        };
        let deadline = at + self.parent_wait();
        for a in held.into_iter().filter(|a| a.suppressed_by == Some(root.id)) {
            self.fault.releasing.insert(a.id, deadline);
        }
    }

    /// Flapping that went quiet, raises that waited for a parent, symptoms
    /// whose root cleared, and alarms whose maintenance window closed.
    pub(super) async fn tick_fault(&mut self, now: DateTime<Utc>) {
        // Flapping that ended: the condition's alarm is cleared or raised
        // by the tick's own actions; one it held that is still active (the
        // condition persisted) is its own fault again, announced after them.
        let mut ended = Vec::new();
        for (device, a) in self.fault.flaps.tick(now) {
            if let Action::ClearAlarm(key) = &a {
                if condition_key(key).is_some() {
                    ended.extend(self.active_id(key).await);
                }
            }
            self.apply_one(device, a, now).await;
        }
        if !ended.is_empty() {
            match self.store.active_held_alarms().await {
                Ok(held) => {
                    for a in held.into_iter().filter(|a| a.suppressed_by.is_some_and(|s| ended.contains(&s))) {
                        self.release(a.id, |_, _| Some(None)).await;
                    }
                }
                Err(e) => tracing::warn!(error = %e, "loading alarms held under flapping"),
            }
        }
        let waiting: Vec<DeviceId> = self.fault.waiting.keys().copied().collect();
        for device in waiting {
            let still_down = self.devices.get(&device).is_some_and(|e| e.monitor.state() == DeviceState::Down);
            let Some((spec, since, deadline)) = self.fault.waiting.get(&device).cloned() else { continue };
            let verdict = self.verdict(device, Some(since));
            if !still_down {
                self.fault.waiting.remove(&device);
            } else if verdict != Verdict::Wait || now >= deadline {
                self.fault.waiting.remove(&device);
                let verdict = if verdict == Verdict::Wait { Verdict::Own } else { verdict };
                self.raise(device, spec, verdict, now).await;
            }
        }
        let due: Vec<AlarmId> =
            self.fault.releasing.iter().filter(|(_, deadline)| now >= **deadline).map(|(id, _)| *id).collect();
        for id in due {
            self.fault.releasing.remove(&id);
            self.release(id, |sup, a| {
                let device = a.device_id?;
                match sup.verdict(device, None) {
                    Verdict::Behind(root) => Some(Some(root)),
                    _ => Some(None),
                }
            })
            .await;
        }
        let closed: Vec<AlarmId> = self
            .fault
            .in_maintenance
            .iter()
            .filter(|(_, device)| {
                self.devices.get(device).is_none_or(|e| {
                    open_window(&self.fault.windows, &rules::facts(&e.device, e.template.clone()), now).is_none()
                })
            })
            .map(|(id, _)| *id)
            .collect();
        for id in closed {
            self.fault.in_maintenance.remove(&id);
            self.release(id, |_, _| None).await;
        }
    }

    /// Lifts a hold on an active alarm and announces it if nothing holds it
    /// any longer. `rejudge` gives a symptom's new root (Some(None): its
    /// own fault now); None means a maintenance window closed.
    pub(super) async fn release(&mut self, id: AlarmId, rejudge: impl Fn(&Self, &Alarm) -> Option<Option<DeviceId>>) {
        let mut alarm = match self.store.get_alarm(&id.to_string()).await {
            Ok(a) if a.is_active() => a,
            Ok(_) => return,
            Err(e) => return tracing::warn!(error = %e, "loading a held alarm"),
        };
        let expected = alarm.version;
        match rejudge(self, &alarm) {
            Some(Some(root)) => alarm.suppressed_by = self.active_id(&unreachable_key(root)).await,
            Some(None) => alarm.suppressed_by = None,
            None => alarm.maintenance = None,
        }
        match self.store.save_alarm(&alarm, expected).await {
            Ok(saved) if !saved.is_held() => {
                self.log_alarm(Utc::now(), AlarmStep::Release, &saved).await;
                self.publish(CoreEvent::AlarmRaised { alarm: saved })
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "releasing a held alarm"),
        }
    }

    /// The event log is a record, not a gate: a failed write is logged and
    /// the alarm goes on.
    async fn log_alarm(&self, at: DateTime<Utc>, step: AlarmStep, a: &Alarm) {
        if let Err(e) = self.store.log_alarm(at, ACTOR, step, a).await {
            tracing::warn!(error = %e, ?step, "logging an alarm");
        }
    }
}
