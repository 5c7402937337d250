//! The shipped tables: parsed once from the embedded data files, then shared.
//! A parse failure is a bug in our own data (every file is parsed by a test), so the
//! shipped loader panics with the file and line; `Tables::load` returns the error.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::kind::{KindRules, KindVotes};
use super::os::OsPattern;
use super::template::Template;
use super::vote::Votes;
use super::{tsv, DeviceFacts, Field};
use crate::inventory::DeviceKind;

pub const IANA_FILE: &str = "iana-enterprise-numbers.tsv";
pub const VENDORS_FILE: &str = "vendors.tsv";
pub const MODELS_FILE: &str = "models.tsv";

const IANA: &str = include_str!("../../data/iana-enterprise-numbers.tsv");
const VENDORS: &str = include_str!("../../data/vendors.tsv");
const MODELS: &str = include_str!("../../data/models.tsv");

const ENTERPRISES: &str = "1.3.6.1.4.1.";

/// Where a shipped data file is malformed. Only tests and `Tables::load`
/// see it (the shipped files are checked by tests), so it stays a plain
/// detail type beside `CoreError`, the crate's error enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for DataError {}

impl DataError {
    pub fn new(file: &'static str, line: usize, message: String) -> Self {
        Self { file, line, message }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Vendor,
    Os,
    Agent,
}

#[derive(Debug, Clone)]
pub struct VendorRow {
    pub name: &'static str,
    pub role: Role,
    pub kind: Option<(DeviceKind, f32)>,
}

#[derive(Debug, Clone)]
pub struct ModelRow {
    /// Without the leading dot; a prefix row keeps its trailing dot ("1.3.6.1.4.1.11.2.3.7.11.").
    pub oid: &'static str,
    pub prefix: bool,
    pub model: Option<&'static str>,
    pub kind: Option<DeviceKind>,
    pub os: Option<&'static str>,
}

/// Every classification table, parsed.
#[derive(Debug)]
pub struct Tables {
    pub iana: HashMap<u32, &'static str>,
    pub vendors: HashMap<u32, VendorRow>,
    pub models: Vec<ModelRow>,
    pub os_patterns: Vec<OsPattern>,
    pub kind_rules: KindRules,
    pub templates: Vec<Template>,
}

static SHIPPED: LazyLock<Tables> =
    LazyLock::new(|| Tables::load().expect("shipped classification data must parse (tests parse every file)"));

impl Tables {
    pub fn shipped() -> &'static Tables {
        &SHIPPED
    }

    /// Parse every embedded file; the error names the file and line.
    pub fn load() -> Result<Tables, DataError> {
        Ok(Tables {
            iana: parse_iana(IANA)?,
            vendors: parse_vendors(VENDORS)?,
            models: parse_models(MODELS)?,
            os_patterns: super::os::parse_shipped()?,
            kind_rules: super::kind::parse_shipped()?,
            templates: super::template::parse_shipped()?,
        })
    }
}

/// IANA registry lines: `number<TAB>name`, optionally followed by `<TAB># comment`.
pub fn parse_iana(text: &'static str) -> Result<HashMap<u32, &'static str>, DataError> {
    let mut out = HashMap::with_capacity(65_536);
    for (line, row) in tsv::rows(text) {
        let n = tsv::number(IANA_FILE, line, tsv::field(IANA_FILE, line, &row, 0, "number")?, "enterprise")?;
        out.insert(n, tsv::field(IANA_FILE, line, &row, 1, "organisation")?);
    }
    Ok(out)
}

pub fn parse_vendors(text: &'static str) -> Result<HashMap<u32, VendorRow>, DataError> {
    let f = VENDORS_FILE;
    let mut out = HashMap::new();
    for (line, row) in tsv::rows(text) {
        let n: u32 = tsv::number(f, line, tsv::field(f, line, &row, 0, "number")?, "enterprise")?;
        let role = match tsv::field(f, line, &row, 2, "role")? {
            "vendor" => Role::Vendor,
            "os" => Role::Os,
            "agent" => Role::Agent,
            other => return Err(DataError::new(f, line, format!("role '{other}' is not vendor, os or agent"))),
        };
        let kind = match tsv::optional(tsv::field(f, line, &row, 3, "kind hint")?) {
            Some(k) => Some((
                parse_kind(f, line, k)?,
                tsv::number(f, line, tsv::field(f, line, &row, 4, "weight")?, "weight")?,
            )),
            None => None,
        };
        if out.insert(n, VendorRow { name: tsv::field(f, line, &row, 1, "name")?, role, kind }).is_some() {
            return Err(DataError::new(f, line, format!("enterprise {n} listed twice")));
        }
    }
    Ok(out)
}

pub fn parse_models(text: &'static str) -> Result<Vec<ModelRow>, DataError> {
    let f = MODELS_FILE;
    let mut out = Vec::new();
    for (line, row) in tsv::rows(text) {
        let raw = tsv::field(f, line, &row, 0, "oid")?.trim_start_matches('.');
        let (oid, prefix) = match raw.strip_suffix('*') {
            Some(p) => (p, true),
            None => (raw, false),
        };
        if !oid.split('.').filter(|s| !s.is_empty()).all(|s| s.parse::<u32>().is_ok()) {
            return Err(DataError::new(f, line, format!("'{raw}' is not a dotted OID")));
        }
        let kind = tsv::optional(tsv::field(f, line, &row, 2, "kind")?).map(|k| parse_kind(f, line, k)).transpose()?;
        out.push(ModelRow {
            oid,
            prefix,
            model: tsv::optional(tsv::field(f, line, &row, 1, "model")?),
            kind,
            os: tsv::optional(tsv::field(f, line, &row, 3, "os")?),
        });
    }
    Ok(out)
}

pub fn parse_kind(file: &'static str, line: usize, s: &str) -> Result<DeviceKind, DataError> {
    s.parse().map_err(|e| DataError::new(file, line, e))
}

/// The enterprise number N of a sysObjectID `.1.3.6.1.4.1.N...`.
pub fn enterprise_number(sys_object_id: &str) -> Option<u32> {
    let rest = sys_object_id.trim().trim_start_matches('.').strip_prefix(ENTERPRISES)?;
    rest.split('.').next()?.parse().ok()
}

/// The IANA-registered organisation for an enterprise number.
pub fn enterprise_name(n: u32) -> Option<&'static str> {
    Tables::shipped().iana.get(&n).copied()
}

/// Vendor votes from the enterprise number; returns the number when there is one.
pub(super) fn vendor_evidence(t: &Tables, oid: &str, vendor: &mut Votes, kinds: &mut KindVotes) -> Option<u32> {
    let n = enterprise_number(oid)?;
    let iana = t.iana.get(&n).copied().unwrap_or("not in the IANA snapshot");
    match t.vendors.get(&n) {
        Some(v) => {
            let why = format!("sysObjectID enterprise {n} = {iana} (IANA), shown as {}", v.name);
            match v.role {
                Role::Vendor => vendor.add(v.name, 0.95, why),
                Role::Os => vendor.add(v.name, 0.5, format!("{why}; it names the OS vendor, not the hardware's")),
                Role::Agent => {
                    vendor.note(format!("sysObjectID enterprise {n} = {iana}: a generic SNMP agent, no vendor"))
                }
            }
            if let Some((kind, w)) = v.kind {
                kinds.add(kind, w, format!("vendor {} (enterprise {n}) mostly makes {}", v.name, kind.as_str()));
            }
        }
        None if t.iana.contains_key(&n) => {
            vendor.add(iana, 0.6, format!("sysObjectID enterprise {n} = {iana} (IANA; not in the curated vendor list)"))
        }
        None => vendor.note(format!("sysObjectID enterprise {n} is not in the IANA snapshot")),
    }
    Some(n)
}

/// The models.tsv row for a sysObjectID: an exact row, else the longest matching prefix row.
pub fn model_row<'t>(t: &'t Tables, sys_object_id: &str) -> Option<&'t ModelRow> {
    let oid = sys_object_id.trim().trim_start_matches('.');
    t.models
        .iter()
        .find(|r| !r.prefix && r.oid == oid)
        .or_else(|| t.models.iter().filter(|r| r.prefix && oid.starts_with(r.oid)).max_by_key(|r| r.oid.len()))
}

/// Model votes from ENTITY-MIB (strongest: the box names itself) and from models.tsv.
pub(super) fn model_evidence(t: &Tables, facts: &DeviceFacts, model: &mut Votes, kinds: &mut KindVotes) {
    if let Some(ch) = facts.chassis() {
        if !ch.model_name.trim().is_empty() {
            model.add(&ch.model_name, 0.9, format!("ENTITY-MIB chassis model {}", ch.model_name.trim()));
        } else if !ch.descr.trim().is_empty() {
            model.add(&ch.descr, 0.45, format!("ENTITY-MIB chassis description '{}'", ch.descr.trim()));
        }
    }
    if let Some(row) = model_row(t, &facts.sys_object_id) {
        let (conf, weight, how) = if row.prefix {
            (0.5, t.kind_rules.model_prefix_weight, "is in the family")
        } else {
            (0.8, t.kind_rules.model_exact_weight, "=")
        };
        let name = row.model.unwrap_or("(no model)");
        if let Some(m) = row.model {
            model.add(m, conf, format!("sysObjectID {} {how} {m} (models.tsv)", facts.sys_object_id));
        }
        if let Some(k) = row.kind {
            kinds.add(k, weight, format!("sysObjectID {} {how} {name}, a {}", facts.sys_object_id, k.as_str()));
        }
    }
}

/// The OS when no sysDescr pattern named one: net-snmp and Windows sysObjectIDs do.
pub(super) fn os_from_model_table(t: &Tables, facts: &DeviceFacts) -> Option<Field<String>> {
    let row = model_row(t, &facts.sys_object_id)?;
    let os = row.os?;
    Some(Field {
        value: os.to_string(),
        confidence: 0.6,
        evidence: vec![format!("sysObjectID {} is the agent id for {os} (models.tsv)", facts.sys_object_id)],
    })
}
