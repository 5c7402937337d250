//! The rule editor's preview: which series a draft rule would fire on now,
//! given the newest sample of each. It runs the real rules engine, so scope,
//! per-device overrides, instance patterns, levels and comparison mean
//! exactly what they mean while monitoring, on a copy of the rule that is
//! enabled and raises on one sample: the preview answers "is the value past
//! a threshold now", not "has it been for N polls". "No data" is not
//! previewed (it needs the series' history, not its last value).

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::alarm::Severity;
use crate::ids::DeviceId;
use crate::metric::{Instance, NamedSample, SeriesKey};
use crate::rules::{DeviceFacts, Hold, Rule, RuleAction, RuleEngine};

/// The newest sample of one series; `label` names an interface.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestValue {
    pub device: DeviceId,
    pub key: SeriesKey,
    pub label: Option<String>,
    pub value: f64,
    pub at: DateTime<Utc>,
}

/// One series the rule would raise an alarm on now.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewHit {
    pub device_id: DeviceId,
    pub device: String,
    /// The interface or row; empty for the device as a whole.
    pub instance: String,
    pub value: f64,
    pub severity: Severity,
    /// When the sample was taken.
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
}

/// The hits, worst severity first (Severity sorts critical first), then by
/// device and instance.
pub fn preview(rule: &Rule, devices: Vec<DeviceFacts>, latest: &[LatestValue], now: DateTime<Utc>) -> Vec<PreviewHit> {
    let mut draft = rule.clone();
    draft.enabled = true;
    draft.raise_after = Hold { samples: 1 };
    draft.no_data_intervals = None;
    let names: std::collections::HashMap<DeviceId, String> = devices.iter().map(|d| (d.id, d.name.clone())).collect();
    let mut engine = RuleEngine::new(vec![("preview".to_owned(), draft)]);
    for d in devices {
        engine.set_device(d);
    }
    let mut hits = Vec::new();
    for l in latest {
        let sample = NamedSample { key: l.key.clone(), unit: String::new(), value: l.value };
        for action in engine.observe(l.device, &sample, l.label.as_deref(), now) {
            if let RuleAction::Raise { device, spec } = action {
                hits.push(PreviewHit {
                    device_id: device,
                    device: names.get(&device).cloned().unwrap_or_default(),
                    instance: instance_name(&l.key, l.label.as_deref()),
                    value: l.value,
                    severity: spec.perceived_severity,
                    at: l.at,
                });
            }
        }
    }
    hits.sort_by(|a, b| {
        a.severity.cmp(&b.severity).then_with(|| a.device.cmp(&b.device)).then_with(|| a.instance.cmp(&b.instance))
    });
    hits
}

fn instance_name(key: &SeriesKey, label: Option<&str>) -> String {
    match (&key.instance, label) {
        (Instance::Interface(_), Some(l)) => l.to_owned(),
        (Instance::Interface(i), None) => format!("ifIndex {i}"),
        (Instance::Row(r), _) => r.clone(),
        (Instance::Device, _) => String::new(),
    }
}
