//! OS, version and hints from sysDescr (and the chassis software revision), driven by
//! `data/os-patterns.toml`: an ordered list where the first pattern naming an OS wins.

use regex::Regex;
use serde::Deserialize;

use super::data::{DataError, Tables};
use super::kind::KindVotes;
use super::vote::Votes;
use super::{DeviceFacts, Field};
use crate::inventory::DeviceKind;

pub const OS_FILE: &str = "os-patterns.toml";
const OS_TOML: &str = include_str!("../../data/os-patterns.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    os: String,
    pattern: String,
    confidence: f32,
    kind: Option<DeviceKind>,
    kind_weight: Option<f32>,
    vendor: Option<String>,
    vendor_confidence: Option<f32>,
    sources: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    os: Vec<RawPattern>,
}

/// One compiled row of os-patterns.toml.
#[derive(Debug, Clone)]
pub struct OsPattern {
    /// Empty for rows that only name a vendor/model/kind.
    pub os: String,
    pub regex: Regex,
    pub confidence: f32,
    pub kind: Option<(DeviceKind, f32)>,
    pub vendor: Option<(String, f32)>,
    pub in_sys_descr: bool,
    pub in_entity: bool,
}

pub fn parse(text: &str) -> Result<Vec<OsPattern>, DataError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| DataError::new(OS_FILE, 0, e.to_string()))?;
    raw.os
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            // TOML errors carry their own position; for rule errors the row number is enough.
            let err = |m: String| DataError::new(OS_FILE, 0, format!("pattern #{} ({}): {m}", i + 1, p.pattern));
            let regex = Regex::new(&p.pattern).map_err(|e| err(e.to_string()))?;
            if !(0.0..=1.0).contains(&p.confidence) {
                return Err(err("confidence must be within 0..1".into()));
            }
            let sources = p.sources.unwrap_or_else(|| vec!["sysDescr".into()]);
            if let Some(s) = sources.iter().find(|s| *s != "sysDescr" && *s != "entity") {
                return Err(err(format!("unknown source '{s}'")));
            }
            let kind = match (p.kind, p.kind_weight) {
                (Some(k), Some(w)) => Some((k, w)),
                (None, None) => None,
                _ => return Err(err("kind and kind_weight go together".into())),
            };
            let vendor = p.vendor.map(|v| (v, p.vendor_confidence.unwrap_or(p.confidence * 0.85)));
            Ok(OsPattern {
                os: p.os,
                regex,
                confidence: p.confidence,
                kind,
                vendor,
                in_sys_descr: sources.iter().any(|s| s == "sysDescr"),
                in_entity: sources.iter().any(|s| s == "entity"),
            })
        })
        .collect()
}

pub fn parse_shipped() -> Result<Vec<OsPattern>, DataError> {
    parse(OS_TOML)
}

/// What one pattern extracted from one text.
#[derive(Debug, Clone, PartialEq)]
pub struct OsMatch {
    pub os: String,
    pub version: Option<String>,
    pub model: Option<String>,
    pub confidence: f32,
    pub evidence: String,
}

impl OsPattern {
    /// Match `text`; `source` names where it came from, for the evidence.
    pub fn apply(&self, text: &str, source: &str) -> Option<OsMatch> {
        let caps = self.regex.captures(text)?;
        let get = |n: &str| caps.name(n).map(|m| m.as_str().trim().to_string()).filter(|s| !s.is_empty());
        let version = match (get("version"), get("build")) {
            (Some(v), Some(b)) => Some(format!("{v} ({b})")),
            (v, b) => v.or(b),
        };
        Some(OsMatch {
            os: self.os.clone(),
            version,
            model: get("model"),
            confidence: self.confidence,
            evidence: format!("{source} matches /{}/", self.regex.as_str()),
        })
    }
}

impl OsMatch {
    pub(super) fn os_field(&self) -> Field<String> {
        Field { value: self.os.clone(), confidence: self.confidence, evidence: vec![self.evidence.clone()] }
    }

    /// The version from the pattern, else the chassis software revision when it looks
    /// like one (PAN-OS and Junos keep it there when sysDescr has none).
    pub(super) fn version_field(&self, facts: &DeviceFacts) -> Option<Field<String>> {
        if let Some(v) = &self.version {
            let evidence = vec![format!("{}: version {v}", self.evidence)];
            return Some(Field { value: v.clone(), confidence: self.confidence, evidence });
        }
        let sw = facts.chassis()?.software_rev.trim();
        let looks_like_version = sw.chars().next().is_some_and(|c| c.is_ascii_digit());
        looks_like_version.then(|| Field {
            value: sw.to_string(),
            confidence: 0.6,
            evidence: vec![format!("ENTITY-MIB chassis software revision {sw}")],
        })
    }
}

/// Run the patterns; vendor/model/kind hints go to the votes, the chosen OS is returned.
pub(super) fn os_evidence(
    t: &Tables,
    facts: &DeviceFacts,
    vendor: &mut Votes,
    model: &mut Votes,
    kinds: &mut KindVotes,
) -> Option<OsMatch> {
    let chassis = facts.chassis();
    let mut chosen: Option<OsMatch> = None;
    for p in &t.os_patterns {
        if chosen.is_some() && !p.os.is_empty() {
            continue; // an OS is decided; later OS rows are more generic, so skip their hints too
        }
        let mut hit = None;
        if p.in_sys_descr {
            hit = p.apply(&facts.sys_descr, "sysDescr");
        }
        if hit.is_none() && p.in_entity {
            if let Some(ch) = chassis {
                hit = p
                    .apply(&ch.software_rev, "ENTITY-MIB chassis software revision")
                    .or_else(|| p.apply(&ch.descr, "ENTITY-MIB chassis description"))
                    .map(|mut m| {
                        m.confidence *= 0.9; // a module's text is a weaker witness than sysDescr
                        m
                    });
            }
        }
        let Some(m) = hit else { continue };
        if let Some((v, c)) = &p.vendor {
            vendor.add(v, *c, format!("{} (names {v})", m.evidence));
        }
        if let Some(md) = &m.model {
            model.add(md, 0.7, format!("{}: model {md}", m.evidence));
        }
        if let Some((k, w)) = p.kind {
            kinds.add(k, w, format!("{} ({} suggests {})", m.evidence, display_os(&p.os), k.as_str()));
        }
        if !p.os.is_empty() {
            chosen = Some(m);
        }
    }
    chosen
}

fn display_os(os: &str) -> &str {
    if os.is_empty() {
        "the text"
    } else {
        os
    }
}
