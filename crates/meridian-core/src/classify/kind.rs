//! The device type: every source (sysServices bits, answered subtrees, ENTITY-MIB
//! classes, keywords, and the hints of the other tables) adds weighted evidence for a
//! kind; the weights live in `data/kind-rules.toml`.

use regex::Regex;
use serde::Deserialize;

use super::data::{DataError, Tables};
use super::vote::combine;
use super::{DeviceFacts, Field};
use crate::inventory::DeviceKind;

pub const KIND_FILE: &str = "kind-rules.toml";
const KIND_TOML: &str = include_str!("../../data/kind-rules.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceRule {
    pub bit: u8,
    pub kind: DeviceKind,
    pub weight: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubtreeRule {
    pub oid: String,
    pub kind: DeviceKind,
    pub weight: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityClassRule {
    pub class: i32,
    pub kind: DeviceKind,
    pub weight: f32,
}

/// A bridge with many Ethernet ports (`[ports]`): evidence from the agent's tables
/// for a device nothing else names.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortsRule {
    pub kind: DeviceKind,
    /// Both dot1dBaseNumPorts and the Ethernet-like interfaces must reach it.
    pub min_ports: u32,
    pub weight: f32,
    /// Consulted only while every other kind scores below this: a fallback for
    /// devices nothing else names, never a vote against a model row or a keyword.
    pub below_score: f32,
    /// IANAifType values counted as Ethernet ports.
    pub if_types: Vec<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeyword {
    pattern: String,
    kind: DeviceKind,
    weight: f32,
}

#[derive(Debug, Clone)]
pub struct KeywordRule {
    pub regex: Regex,
    pub kind: DeviceKind,
    pub weight: f32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    min_score: f32,
    model_exact_weight: f32,
    model_prefix_weight: f32,
    #[serde(default)]
    service: Vec<ServiceRule>,
    #[serde(default)]
    subtree: Vec<SubtreeRule>,
    #[serde(default)]
    entity_class: Vec<EntityClassRule>,
    #[serde(default)]
    keyword: Vec<RawKeyword>,
    #[serde(default)]
    ports: Option<PortsRule>,
}

#[derive(Debug, Clone)]
pub struct KindRules {
    pub min_score: f32,
    pub model_exact_weight: f32,
    pub model_prefix_weight: f32,
    pub services: Vec<ServiceRule>,
    pub subtrees: Vec<SubtreeRule>,
    pub entity_classes: Vec<EntityClassRule>,
    pub keywords: Vec<KeywordRule>,
    pub ports: Option<PortsRule>,
}

impl KindRules {
    /// Whether a bridge of `bridge_ports` is big enough for its Ethernet ports to be
    /// worth counting: the prober walks ifType only then.
    pub fn counts_ports_of(&self, bridge_ports: Option<u32>) -> bool {
        matches!((&self.ports, bridge_ports), (Some(r), Some(n)) if n >= r.min_ports)
    }

    /// How many of these ifType values are Ethernet-like.
    pub fn ethernet_ports(&self, if_types: impl IntoIterator<Item = i64>) -> u32 {
        let Some(r) = &self.ports else { return 0 };
        let n = if_types.into_iter().filter(|t| r.if_types.contains(t)).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

pub fn parse(text: &str) -> Result<KindRules, DataError> {
    let raw: RawRules = toml::from_str(text).map_err(|e| DataError::new(KIND_FILE, 0, e.to_string()))?;
    let keywords = raw
        .keyword
        .into_iter()
        .map(|k| {
            let regex = Regex::new(&k.pattern).map_err(|e| DataError::new(KIND_FILE, 0, e.to_string()))?;
            Ok(KeywordRule { regex, kind: k.kind, weight: k.weight })
        })
        .collect::<Result<_, DataError>>()?;
    let weights = raw
        .service
        .iter()
        .map(|r| r.weight)
        .chain(raw.subtree.iter().map(|r| r.weight))
        .chain(raw.ports.iter().map(|r| r.weight));
    if let Some(w) = weights.into_iter().find(|w| !(0.0..1.0).contains(w)) {
        return Err(DataError::new(KIND_FILE, 0, format!("weight {w} must be within 0..1")));
    }
    Ok(KindRules {
        min_score: raw.min_score,
        model_exact_weight: raw.model_exact_weight,
        model_prefix_weight: raw.model_prefix_weight,
        services: raw.service,
        subtrees: raw.subtree.into_iter().map(|r| SubtreeRule { oid: norm(&r.oid).to_string(), ..r }).collect(),
        entity_classes: raw.entity_class,
        keywords,
        ports: raw.ports,
    })
}

pub fn parse_shipped() -> Result<KindRules, DataError> {
    parse(KIND_TOML)
}

fn norm(oid: &str) -> &str {
    oid.trim().trim_start_matches('.')
}

/// Weighted evidence per kind.
#[derive(Debug, Default)]
pub struct KindVotes {
    votes: Vec<(DeviceKind, f32, String)>,
}

impl KindVotes {
    pub fn add(&mut self, kind: DeviceKind, weight: f32, evidence: String) {
        if weight > 0.0 && kind != DeviceKind::Unknown {
            self.votes.push((kind, weight.min(0.99), evidence));
        }
    }

    /// Each kind's score: its weights combined as independent evidence, best first.
    fn scores(&self) -> Vec<(DeviceKind, f32)> {
        let mut scores: Vec<(DeviceKind, f32)> = Vec::new();
        for (k, w, _) in &self.votes {
            match scores.iter_mut().find(|(sk, _)| sk == k) {
                Some((_, s)) => *s = combine(*s, *w),
                None => scores.push((*k, *w)),
            }
        }
        scores.sort_by(|a, b| b.1.total_cmp(&a.1));
        scores
    }

    /// The winner's confidence is its score minus half the runner-up's.
    pub fn decide(self, rules: &KindRules) -> Field<DeviceKind> {
        let scores = self.scores();
        let runner_up = scores.get(1).map_or(0.0, |s| s.1);
        let others: Vec<String> = scores.iter().skip(1).map(|(k, s)| format!("also {} ({s:.2})", k.as_str())).collect();
        match scores.first() {
            Some(&(kind, score)) if score >= rules.min_score => {
                let mut evidence: Vec<String> = self
                    .votes
                    .into_iter()
                    .filter(|(k, _, _)| *k == kind)
                    .map(|(_, w, e)| format!("{e} [+{w}]"))
                    .collect();
                evidence.extend(others);
                Field { value: kind, confidence: (score - runner_up / 2.0).clamp(0.05, 0.99), evidence }
            }
            best => {
                let mut evidence = vec![match best {
                    Some((k, s)) => format!("best guess {} scored {s:.2}, below {}", k.as_str(), rules.min_score),
                    None => "no evidence for any type".to_string(),
                }];
                evidence.extend(self.votes.into_iter().map(|(_, w, e)| format!("{e} [+{w}]")));
                Field { value: DeviceKind::Unknown, confidence: 0.0, evidence }
            }
        }
    }
}

/// Evidence from the rules file itself (the other tables add theirs as they are read).
pub(super) fn rule_evidence(t: &Tables, facts: &DeviceFacts, kinds: &mut KindVotes) {
    let rules = &t.kind_rules;
    if let Some(svc) = facts.sys_services {
        for r in rules.services.iter().filter(|r| svc & r.bit != 0) {
            kinds.add(r.kind, r.weight, format!("sysServices {svc} has bit 0x{:02x}", r.bit));
        }
    }
    for r in &rules.subtrees {
        let answered = facts
            .subtrees
            .iter()
            .map(|s| norm(s))
            .any(|s| s == r.oid || s.strip_prefix(r.oid.as_str()).is_some_and(|rest| rest.starts_with('.')));
        if answered {
            kinds.add(r.kind, r.weight, format!("agent answers .{}", r.oid));
        }
    }
    for r in &rules.entity_classes {
        if facts.entities.iter().any(|e| e.class == Some(r.class)) {
            kinds.add(r.kind, r.weight, format!("ENTITY-MIB has entPhysicalClass {}", r.class));
        }
    }
    let chassis = facts.chassis();
    let texts = [
        ("sysDescr", facts.sys_descr.as_str()),
        ("chassis description", chassis.map_or("", |c| c.descr.as_str())),
        ("chassis model", chassis.map_or("", |c| c.model_name.as_str())),
    ];
    for r in &rules.keywords {
        // One vote per rule, from the first text it matches: the same word twice is not
        // twice the evidence.
        if let Some((src, m)) = texts.iter().find_map(|(src, t)| r.regex.find(t).map(|m| (*src, m.as_str()))) {
            kinds.add(r.kind, r.weight, format!("{src} says '{m}'"));
        }
    }
}

/// The fallback from the agent's tables, weighed after every other source: a bridge
/// with many Ethernet ports is a switch, unless something already names the device.
pub(super) fn table_evidence(t: &Tables, facts: &DeviceFacts, kinds: &mut KindVotes) {
    let Some(r) = &t.kind_rules.ports else { return };
    let (Some(bridge), Some(ethernet)) = (facts.bridge_ports, facts.ethernet_ports) else { return };
    if bridge.min(ethernet) < r.min_ports {
        return;
    }
    let named = kinds.scores().first().map_or(0.0, |s| s.1);
    if named < r.below_score {
        kinds.add(r.kind, r.weight, format!("a bridge of {bridge} ports with {ethernet} Ethernet interfaces"));
    }
}
