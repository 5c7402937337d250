//! Rules evaluated on every sample, as a pure state machine: samples and
//! clock ticks in (each with its time), raise and clear actions out.
//!
//! Cost per sample is O(1) in the number of rules and devices: rules are
//! indexed by metric, each device's applicable rules are resolved once when
//! its facts are set, and a condition's state is one hash lookup. The only
//! scan is [`RuleEngine::tick`], for "no data", which the caller runs rarely.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::model::{glob_match, Comparison, Level, Rule};
use crate::alarm::{device_object, interface_object, Alarm, AlarmKey, AlarmSpec, EventType, Severity};
use crate::ids::DeviceId;
use crate::metric::{Builtin, Instance, MetricKey, NamedSample, SeriesKey};

pub use crate::alarm::cause::THRESHOLD_CROSSED;

pub use super::model::DeviceFacts;

/// A rule alarm to raise or clear. Severity changes are a clear then a raise,
/// so the store keeps one active alarm per (series, rule).
#[derive(Debug, Clone, PartialEq)]
pub enum RuleAction {
    Raise { device: DeviceId, spec: AlarmSpec },
    Clear { device: DeviceId, key: AlarmKey },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Wanted {
    Level(Severity),
    NoData,
}

#[derive(Debug, Clone, Default)]
struct Condition {
    /// What is raised now.
    active: Option<(Wanted, AlarmSpec)>,
    /// A different outcome seen for this many consecutive samples.
    pending: Option<(Option<Severity>, u32)>,
    last_at: Option<DateTime<Utc>>,
    gap: Option<Duration>,
    label: String,
}

/// A rule's index and its levels for one device (after overrides).
type Applied = (usize, Vec<Level>);

pub struct RuleEngine {
    rules: Vec<(String, Rule)>,
    by_metric: HashMap<MetricKey, Vec<usize>>,
    /// Per device and metric: the rules that apply, with their levels after overrides.
    /// Keyed by device first, so setting or removing one device touches
    /// only its own entry (a reload of 10,000 devices stays linear).
    applicable: HashMap<DeviceId, HashMap<MetricKey, Vec<Applied>>>,
    devices: HashMap<DeviceId, DeviceFacts>,
    conditions: HashMap<(usize, DeviceId, SeriesKey), Condition>,
    /// Alarms raised before a restart (or a rule edit), waiting for their
    /// series' next sample: by (rule, device, managed object), with when
    /// they were restored.
    restored: HashMap<(usize, DeviceId, String), (AlarmSpec, DateTime<Utc>)>,
}

/// How long a restored alarm waits for its series before it is cleared: the
/// series is gone (interface removed, rule narrowed).
pub const RESTORE_GRACE: Duration = Duration::minutes(15);

impl RuleEngine {
    /// `rules` are (id, rule) pairs already validated; disabled ones are kept
    /// out of the index.
    pub fn new(rules: Vec<(String, Rule)>) -> Self {
        let mut by_metric: HashMap<MetricKey, Vec<usize>> = HashMap::new();
        for (i, (_, r)) in rules.iter().enumerate() {
            if r.enabled {
                by_metric.entry(r.metric.clone()).or_default().push(i);
            }
        }
        Self {
            rules,
            by_metric,
            applicable: HashMap::new(),
            devices: HashMap::new(),
            conditions: HashMap::new(),
            restored: HashMap::new(),
        }
    }

    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Adds or updates a device; the rules that apply to it are worked out here.
    pub fn set_device(&mut self, facts: DeviceFacts) {
        let id = facts.id;
        let mut per_metric = HashMap::new();
        for (metric, idxs) in &self.by_metric {
            let rules: Vec<Applied> =
                idxs.iter().filter_map(|&i| levels_for(&self.rules[i].1, &facts).map(|l| (i, l))).collect();
            if !rules.is_empty() {
                per_metric.insert(metric.clone(), rules);
            }
        }
        self.applicable.insert(id, per_metric);
        self.devices.insert(id, facts);
    }

    /// Takes over a device's active alarms from the store. Alarms of rules
    /// this engine does not have (removed, disabled) are cleared at once;
    /// the rest are matched to their series on its next sample.
    pub fn restore(&mut self, device: DeviceId, active: &[Alarm], at: DateTime<Utc>) -> Vec<RuleAction> {
        let mut out = Vec::new();
        for a in active.iter().filter(|a| a.probable_cause == THRESHOLD_CROSSED) {
            let spec = a.spec();
            let rule = a
                .specific_problem
                .strip_prefix("rule:")
                .and_then(|id| self.rules.iter().position(|(rid, r)| rid == id && r.enabled));
            match rule {
                Some(i) => {
                    self.restored.insert((i, device, a.managed_object.clone()), (spec, at));
                }
                None => out.push(RuleAction::Clear { device, key: spec.key() }),
            }
        }
        out
    }

    /// Forgets a device and clears what its rules raised.
    pub fn remove_device(&mut self, id: DeviceId) -> Vec<RuleAction> {
        self.applicable.remove(&id);
        self.devices.remove(&id);
        let mut out = Vec::new();
        self.restored.retain(|(_, d, _), (spec, _)| {
            if *d == id {
                out.push(RuleAction::Clear { device: id, key: spec.key() });
            }
            *d != id
        });
        self.conditions.retain(|(_, d, _), c| {
            if *d == id {
                if let Some((_, spec)) = c.active.take() {
                    out.push(RuleAction::Clear { device: id, key: spec.key() });
                }
                false
            } else {
                true
            }
        });
        out
    }

    /// One sample of a device. `label` names the instance for patterns and
    /// messages (an interface's name); row instances name themselves.
    pub fn observe(
        &mut self,
        device: DeviceId,
        sample: &NamedSample,
        label: Option<&str>,
        at: DateTime<Utc>,
    ) -> Vec<RuleAction> {
        // A ping with no reply at all is the built-in "unreachable" alarm's:
        // loss rules watch a device that still answers, so one dead device
        // does not raise twice. Such a sample neither raises nor clears.
        if sample.key.metric == MetricKey::Builtin(Builtin::LossPct) && sample.value >= 100.0 {
            return Vec::new();
        }
        let Some(rules) = self.applicable.get(&device).and_then(|m| m.get(&sample.key.metric)) else {
            return Vec::new();
        };
        let label = label.map(str::to_owned).unwrap_or_else(|| instance_label(&sample.key));
        let name = self.devices.get(&device).map_or("", |d| d.name.as_str());
        let shown = if label.is_empty() { name.to_owned() } else { format!("{name} {label}") };
        let mut out = Vec::new();
        for (i, levels) in rules {
            let rule = &self.rules[*i];
            if rule.1.instance.as_deref().is_some_and(|p| !glob_match(p, &label)) {
                continue;
            }
            let c = self.conditions.entry((*i, device, sample.key.clone())).or_insert_with(|| {
                let object = object_of(device, &sample.key);
                let active = self.restored.remove(&(*i, device, object)).map(|(spec, _)| {
                    let wanted = if spec.additional_text.ends_with("intervals") {
                        Wanted::NoData
                    } else {
                        Wanted::Level(spec.perceived_severity)
                    };
                    (wanted, spec)
                });
                Condition { active, ..Condition::default() }
            });
            if let Some(last) = c.last_at.filter(|l| at > *l) {
                c.gap = Some(at - last);
            }
            c.last_at = Some(at);
            c.label.clone_from(&shown);
            let current = match &c.active {
                Some((Wanted::Level(s), _)) => Some(*s),
                _ => None,
            };
            let wanted = wanted_level(levels, rule.1.comparison, sample.value, current);
            step(rule, device, &sample.key, c, wanted, sample.value, levels, &mut out);
        }
        out
    }

    /// "No data" for series silent longer than their rule allows. Run it
    /// every poll interval or so; it scans the conditions of no-data rules.
    pub fn tick(&mut self, at: DateTime<Utc>) -> Vec<RuleAction> {
        let mut out = Vec::new();
        self.restored.retain(|(_, device, _), (spec, since)| {
            let keep = at - *since < RESTORE_GRACE;
            if !keep {
                out.push(RuleAction::Clear { device: *device, key: spec.key() });
            }
            keep
        });
        for ((i, device, key), c) in &mut self.conditions {
            let rule = &self.rules[*i];
            let (Some(n), Some(last), Some(gap)) = (rule.1.no_data_intervals, c.last_at, c.gap) else { continue };
            if c.active.is_some() || at - last <= gap * i32::try_from(n).unwrap_or(i32::MAX) {
                continue;
            }
            let severity = rule.1.levels.iter().map(|l| l.severity).max().unwrap_or(Severity::Warning);
            let text = format!("{} on {}: no data for {n} intervals", rule.1.name, c.label);
            let spec = spec_for(rule, *device, key, severity, text);
            out.push(RuleAction::Raise { device: *device, spec: spec.clone() });
            c.active = Some((Wanted::NoData, spec));
            c.pending = None;
        }
        out
    }
}

/// The rule's levels for this device, or `None` when it does not apply.
fn levels_for(rule: &Rule, d: &DeviceFacts) -> Option<Vec<Level>> {
    let o = rule.overrides.iter().find(|o| o.device == d.name || o.device == d.id.to_string());
    if o.and_then(|o| o.enabled) == Some(false) {
        return None;
    }
    rule.scope.matches(d).then(|| o.and_then(|o| o.levels.clone()).unwrap_or_else(|| rule.levels.clone()))
}

/// The worst level the value calls for. A level already raised (or a
/// milder one below it) stays until the value is back past its clear value.
fn wanted_level(levels: &[Level], cmp: Comparison, value: f64, current: Option<Severity>) -> Option<Severity> {
    let past = |threshold: f64| match cmp {
        Comparison::Above => value > threshold,
        Comparison::Below => value < threshold,
    };
    levels
        .iter()
        .filter(|l| {
            let held = current.is_some_and(|c| l.severity >= c);
            past(l.raise) || (held && past(l.clear_value()))
        })
        .map(|l| l.severity)
        .min()
}

#[allow(clippy::too_many_arguments)]
fn step(
    rule: &(String, Rule),
    device: DeviceId,
    key: &SeriesKey,
    c: &mut Condition,
    wanted: Option<Severity>,
    value: f64,
    levels: &[Level],
    out: &mut Vec<RuleAction>,
) {
    let current = match &c.active {
        Some((Wanted::Level(s), _)) => Some(*s),
        // A sample ends "no data" at once: whatever the value says is new.
        Some((Wanted::NoData, spec)) => {
            out.push(RuleAction::Clear { device, key: spec.key() });
            c.active = None;
            None
        }
        None => None,
    };
    if wanted == current {
        c.pending = None;
        return;
    }
    let count = match c.pending {
        Some((w, n)) if w == wanted => n + 1,
        _ => 1,
    };
    let hold = if wanted.is_some() { rule.1.raise_after.samples } else { rule.1.clear_after.samples };
    if count < hold {
        c.pending = Some((wanted, count));
        return;
    }
    c.pending = None;
    if let Some((_, spec)) = c.active.take() {
        out.push(RuleAction::Clear { device, key: spec.key() });
    }
    if let Some(severity) = wanted {
        let threshold = levels.iter().find(|l| l.severity == severity).map_or(f64::NAN, |l| l.raise);
        let op = if rule.1.comparison == Comparison::Above { ">" } else { "<" };
        let text = format!("{} on {}: {} = {value} {op} {threshold}", rule.1.name, c.label, key.metric);
        let spec = spec_for(rule, device, key, severity, text);
        out.push(RuleAction::Raise { device, spec: spec.clone() });
        c.active = Some((Wanted::Level(severity), spec));
    }
}

fn spec_for(rule: &(String, Rule), device: DeviceId, key: &SeriesKey, severity: Severity, text: String) -> AlarmSpec {
    AlarmSpec {
        managed_object: object_of(device, key),
        event_type: EventType::QualityOfService,
        probable_cause: THRESHOLD_CROSSED.into(),
        specific_problem: format!("rule:{}", rule.0),
        perceived_severity: severity,
        additional_text: text,
    }
}

/// The X.733 managed object of a series: the device, its interface, or a row.
fn object_of(device: DeviceId, key: &SeriesKey) -> String {
    match &key.instance {
        Instance::Device => device_object(device),
        Instance::Interface(i) => interface_object(device, *i),
        Instance::Row(r) => format!("{},{}={r}", device_object(device), key.metric),
    }
}

fn instance_label(key: &SeriesKey) -> String {
    match &key.instance {
        Instance::Device => String::new(),
        Instance::Interface(i) => format!("ifIndex {i}"),
        Instance::Row(r) => r.clone(),
    }
}
