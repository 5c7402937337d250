//! Flapping: a condition that keeps raising and clearing is one problem,
//! not a stream of alarms. Every raise and clear of an alarm key counts as a
//! change; `changes` of them within `window` raise one "flapping" alarm and
//! hold the condition's own alarm where it is (no raise, no clear) until the
//! key has been quiet for `quiet`. Then the flapping alarm clears and the
//! condition's alarm is brought to what the condition is at that moment.
//!
//! Pure, like the other monitors: actions in (each with its time), actions
//! out; `tick` ends quiet periods.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};

use crate::alarm::{AlarmKey, AlarmSpec, EventType, Severity};
use crate::alarm_record::Alarm;
use crate::ids::DeviceId;
use crate::state::Action;

/// The specific problem of a flapping alarm is this prefix and the
/// condition's own, so it sorts beside it and names it.
pub const FLAPPING_PREFIX: &str = "flapping:";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlapConfig {
    /// Raises plus clears that count as flapping. At least 3: one bounce
    /// (down, up, down) is ordinary.
    pub changes: u32,
    pub window: Duration,
    pub quiet: Duration,
}

impl Default for FlapConfig {
    /// Two bounces in ten minutes (down, up, down, up), quiet for ten: a
    /// link that drops twice in ten minutes has a fault even if it is up
    /// right now, and a third notification would tell nobody anything new.
    fn default() -> Self {
        Self { changes: 4, window: Duration::minutes(10), quiet: Duration::minutes(10) }
    }
}

#[derive(Debug, Clone)]
struct Track {
    device: DeviceId,
    changes: VecDeque<DateTime<Utc>>,
    /// The condition as its monitor last said: Some(spec) while raised.
    condition: Option<AlarmSpec>,
    /// The last raise seen, for the flapping alarm's names and severity.
    last_raised: Option<AlarmSpec>,
    /// Whether the store has the condition's alarm active.
    stored: bool,
    /// While flapping: the flapping alarm's spec and the last change.
    flapping: Option<(AlarmSpec, DateTime<Utc>)>,
}

#[derive(Debug, Clone, Default)]
pub struct FlapDetector {
    cfg: FlapConfig,
    tracks: HashMap<AlarmKey, Track>,
}

impl FlapDetector {
    pub fn new(cfg: FlapConfig) -> Self {
        Self { cfg: FlapConfig { changes: cfg.changes.max(3), ..cfg }, tracks: HashMap::new() }
    }

    /// Passes one monitor action through: the actions the store should see.
    /// State changes pass unchanged; flapping is about alarms.
    pub fn filter(&mut self, device: DeviceId, action: Action, at: DateTime<Utc>) -> Vec<Action> {
        let (key, raised) = match &action {
            Action::RaiseAlarm(spec) => (spec.key(), Some(spec.clone())),
            Action::ClearAlarm(key) => (key.clone(), None),
            Action::StateChanged { .. } => return vec![action],
        };
        if key.specific_problem.starts_with(FLAPPING_PREFIX) {
            return vec![action];
        }
        let cfg = self.cfg;
        let t = self.tracks.entry(key).or_insert_with(|| Track {
            device,
            changes: VecDeque::new(),
            condition: None,
            last_raised: None,
            stored: false,
            flapping: None,
        });
        // A severity change is a clear and a raise at the same instant: one change.
        let same_instant = raised.is_some() && t.condition.is_none() && t.changes.back() == Some(&at);
        if !same_instant {
            t.changes.push_back(at);
        }
        while t.changes.front().is_some_and(|c| at - *c > cfg.window) {
            t.changes.pop_front();
        }
        if raised.is_some() {
            t.last_raised.clone_from(&raised);
        }
        t.condition = raised;
        if let Some((_, last)) = &mut t.flapping {
            *last = at;
            return Vec::new();
        }
        t.stored = t.condition.is_some();
        if t.changes.len() < cfg.changes as usize {
            return vec![action];
        }
        let spec = flapping_spec(t.last_raised.as_ref(), &key_of(&action), t.changes.len(), cfg);
        t.flapping = Some((spec.clone(), at));
        // The change that tipped it is held like the rest: the store keeps
        // the condition's alarm as it was before it.
        t.stored = !t.stored;
        vec![Action::RaiseAlarm(spec)]
    }

    /// Ends flapping for keys quiet since `quiet`: clears the flapping
    /// alarm and brings the condition's alarm to what the condition is now.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<(DeviceId, Action)> {
        let quiet = self.cfg.quiet;
        let mut out = Vec::new();
        for (key, t) in self.tracks.iter_mut() {
            let Some((spec, last)) = &t.flapping else { continue };
            if now - *last < quiet {
                continue;
            }
            out.push((t.device, Action::ClearAlarm(spec.key())));
            match (&t.condition, t.stored) {
                (Some(c), false) => out.push((t.device, Action::RaiseAlarm(c.clone()))),
                (None, true) => out.push((t.device, Action::ClearAlarm(key.clone()))),
                _ => {}
            }
            t.stored = t.condition.is_some();
            t.flapping = None;
            t.changes.clear();
        }
        // Keys with nothing raised and no recent change need no memory.
        let window = self.cfg.window;
        self.tracks.retain(|_, t| {
            t.flapping.is_some() || t.condition.is_some() || t.changes.back().is_some_and(|c| now - *c <= window)
        });
        out
    }

    /// After a restart: a flapping alarm still active in the store goes on
    /// flapping (quiet counted from `now`), and the condition's alarm is
    /// taken as the store has it.
    pub fn restore(&mut self, device: DeviceId, active: &[Alarm], now: DateTime<Utc>) {
        for a in active.iter().filter(|a| a.is_active()) {
            let Some(key) = condition_key(&a.key()) else { continue };
            let stored = active.iter().find(|c| c.is_active() && c.key() == key);
            let spec = a.spec();
            self.tracks.insert(
                key,
                Track {
                    device,
                    changes: VecDeque::new(),
                    condition: stored.map(Alarm::spec),
                    last_raised: stored.map(Alarm::spec),
                    stored: stored.is_some(),
                    flapping: Some((spec, now)),
                },
            );
        }
    }

    /// The device is gone: its flapping alarms clear, and nothing of it is kept.
    pub fn forget_device(&mut self, device: DeviceId) -> Vec<Action> {
        let mut out = Vec::new();
        self.tracks.retain(|_, t| {
            if t.device != device {
                return true;
            }
            if let Some((spec, _)) = &t.flapping {
                out.push(Action::ClearAlarm(spec.key()));
            }
            false
        });
        out
    }

    /// Whether this key is flapping now.
    pub fn is_flapping(&self, key: &AlarmKey) -> bool {
        self.tracks.get(key).is_some_and(|t| t.flapping.is_some())
    }
}

/// The key of the condition a flapping alarm stands for; None for any
/// other alarm.
pub fn condition_key(flapping: &AlarmKey) -> Option<AlarmKey> {
    let problem = flapping.specific_problem.strip_prefix(FLAPPING_PREFIX)?;
    Some(AlarmKey {
        managed_object: flapping.managed_object.clone(),
        probable_cause: flapping.probable_cause.clone(),
        specific_problem: problem.to_owned(),
    })
}

fn key_of(action: &Action) -> AlarmKey {
    match action {
        Action::RaiseAlarm(spec) => spec.key(),
        Action::ClearAlarm(key) => key.clone(),
        // `filter` returns state changes before it gets here.
        Action::StateChanged { .. } => {
            AlarmKey { managed_object: String::new(), probable_cause: String::new(), specific_problem: String::new() }
        }
    }
}

/// The flapping alarm for a condition: same object, type, cause and
/// severity as the condition's last raise (a flapping link is as bad as a
/// down one), so it sorts and routes like it. Without a raise seen (the
/// first changes came before a restart), a major communications alarm.
fn flapping_spec(last: Option<&AlarmSpec>, key: &AlarmKey, changes: usize, cfg: FlapConfig) -> AlarmSpec {
    let (event_type, severity) =
        last.map_or((EventType::Communications, Severity::Major), |s| (s.event_type, s.perceived_severity));
    AlarmSpec {
        managed_object: key.managed_object.clone(),
        event_type,
        probable_cause: key.probable_cause.clone(),
        specific_problem: format!("{FLAPPING_PREFIX}{}", key.specific_problem),
        perceived_severity: severity,
        additional_text: format!(
            "changed state {changes} times within {} minutes ({}); its own alarm is held until it has been \
             quiet for {} minutes",
            cfg.window.num_minutes(),
            last.map_or(key.specific_problem.as_str(), |s| s.additional_text.as_str()),
            cfg.quiet.num_minutes()
        ),
    }
}
