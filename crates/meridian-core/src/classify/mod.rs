//! Device classification: from what an SNMP agent says about itself (the system group,
//! ENTITY-MIB chassis rows, the MIB subtrees it answers) to vendor, model, OS, version
//! and type, each with a confidence and the evidence behind it.
//!
//! Pure and data-driven: every table (IANA enterprise numbers, curated vendors,
//! sysObjectID models, sysDescr patterns, type weights, poll templates) is a file under
//! `crates/meridian-core/data/`, embedded at compile time and parsed once on first use.
//! Adding a vendor or an OS is a data change, not a code change.

mod data;
mod kind;
mod os;
mod reading;
pub mod sensor_scale;
mod template;
mod tsv;
mod vote;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::inventory::DeviceKind;

mod default_rules;
pub use data::{enterprise_name, enterprise_number, parse_iana, parse_models, parse_vendors, DataError, Tables};
pub use default_rules::shipped_default_rules;
pub use kind::parse as parse_kind_rules;
pub use kind::{KindRules, PortsRule};
pub use os::parse as parse_os_patterns;
pub use os::{OsMatch, OsPattern};
pub use reading::{extra_metrics, readings, Reading, ReadingValue};
pub use template::{select_template, template_by_name, template_names, Metric, Template};

/// ENTITY-MIB `entPhysicalClass` value of a chassis (RFC 6933 PhysicalClass).
pub const ENT_CLASS_CHASSIS: i32 = 3;

/// One entPhysicalTable row, reduced to the columns classification reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EntityRow {
    /// entPhysicalClass (3 = chassis, 9 = module, 10 = port, 11 = stack, ...).
    pub class: Option<i32>,
    pub descr: String,
    pub model_name: String,
    pub serial_num: String,
    pub firmware_rev: String,
    pub software_rev: String,
}

/// What the prober learned about a device, as the classifier's input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeviceFacts {
    /// sysObjectID.0 in dotted form; a leading dot is optional.
    pub sys_object_id: String,
    pub sys_descr: String,
    pub sys_name: String,
    pub sys_services: Option<u8>,
    pub entities: Vec<EntityRow>,
    /// MIB subtrees the agent answers, dotted (".1.3.6.1.2.1.33" = UPS-MIB).
    pub subtrees: Vec<String>,
    /// BRIDGE-MIB dot1dBaseNumPorts, from agents that answer BRIDGE-MIB.
    #[serde(default)]
    pub bridge_ports: Option<u32>,
    /// ifTable rows with an Ethernet-like ifType (kind-rules.toml `[ports]`), counted
    /// only for a bridge with enough ports to matter ([`KindRules::counts_ports_of`]).
    #[serde(default)]
    pub ethernet_ports: Option<u32>,
}

impl DeviceFacts {
    /// The first chassis row: the box itself, whose model and software describe the device.
    pub fn chassis(&self) -> Option<&EntityRow> {
        self.entities.iter().find(|e| e.class == Some(ENT_CLASS_CHASSIS))
    }
}

/// One decision with how sure we are (0..1) and why, in words a person can check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Field<T> {
    pub value: T,
    pub confidence: f32,
    pub evidence: Vec<String>,
}

/// What the classifier decided about a device: each part it could tell, and its type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Classification {
    pub vendor: Option<Field<String>>,
    pub model: Option<Field<String>>,
    pub os: Option<Field<String>>,
    pub os_version: Option<Field<String>>,
    pub kind: Field<DeviceKind>,
}

impl Classification {
    pub fn vendor_name(&self) -> Option<&str> {
        self.vendor.as_ref().map(|f| f.value.as_str())
    }
    pub fn model_name(&self) -> Option<&str> {
        self.model.as_ref().map(|f| f.value.as_str())
    }
    pub fn os_name(&self) -> Option<&str> {
        self.os.as_ref().map(|f| f.value.as_str())
    }
    pub fn os_version_text(&self) -> Option<&str> {
        self.os_version.as_ref().map(|f| f.value.as_str())
    }
}

/// Classify with the shipped tables.
pub fn classify(facts: &DeviceFacts) -> Classification {
    classify_with(Tables::shipped(), facts)
}

/// Classify with explicit tables (tests, or a later per-site table override).
pub fn classify_with(tables: &Tables, facts: &DeviceFacts) -> Classification {
    let mut vendor = vote::Votes::default();
    let mut model = vote::Votes::default();
    let mut kinds = kind::KindVotes::default();

    let enterprise = data::vendor_evidence(tables, &facts.sys_object_id, &mut vendor, &mut kinds);
    data::model_evidence(tables, facts, &mut model, &mut kinds);
    let os = os::os_evidence(tables, facts, &mut vendor, &mut model, &mut kinds);
    kind::rule_evidence(tables, facts, &mut kinds);
    kind::table_evidence(tables, facts, &mut kinds);

    let (os_field, version_field) = match os {
        Some(m) => (Some(m.os_field()), m.version_field(facts)),
        None => (data::os_from_model_table(tables, facts), None),
    };
    if enterprise.is_none() && !facts.sys_object_id.is_empty() {
        // Not an error: some agents answer a bogus sysObjectID (".1.3.6.1.4.19849").
        vendor.note(format!("sysObjectID {} is not under enterprises (.1.3.6.1.4.1)", facts.sys_object_id));
    }
    Classification {
        vendor: vendor.winner(),
        model: model.winner(),
        os: os_field,
        os_version: version_field,
        kind: kinds.decide(&tables.kind_rules),
    }
}
