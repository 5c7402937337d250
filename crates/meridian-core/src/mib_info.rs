//! What the MIB commands and the desktop's MIB browser show: plain data,
//! filled in by `meridian_probe::mib::MibSet` from the loaded modules.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One OID named: `IF-MIB::ifDescr.1` for `1.3.6.1.2.1.2.2.1.2.1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MibTranslation {
    /// Dotted, without a leading dot.
    pub oid: String,
    /// `MODULE::name` plus any instance arcs; `None` when no module names it.
    pub name: Option<String>,
}

/// One named value of an enumerated INTEGER (or a BITS position).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MibEnum {
    #[ts(type = "number")]
    pub value: i64,
    pub label: String,
}

/// A node of the OID tree with what its module says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MibObject {
    pub oid: String,
    pub name: String,
    pub module: Option<String>,
    /// `scalar`, `table`, `row`, `column`, `notification`, `group`, `node`, ...
    pub kind: String,
    /// The type as written (`DisplayString`, `INTEGER`, `IANAifType`).
    pub syntax: Option<String>,
    /// The SMI base type under any textual convention (`OCTET STRING`).
    pub base_type: Option<String>,
    /// The display hint the value is shown with (`255a`, `1x:`).
    pub display_hint: Option<String>,
    pub access: Option<String>,
    pub status: Option<String>,
    pub units: Option<String>,
    pub description: String,
    pub enums: Vec<MibEnum>,
    /// A row's INDEX objects.
    pub indexes: Vec<String>,
    /// A notification's OBJECTS (varbinds).
    pub objects: Vec<String>,
    /// How many children the node has in the tree (the browser expands it).
    pub children: u32,
}

/// A child in the browser's tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MibTreeNode {
    pub oid: String,
    pub name: String,
    pub module: Option<String>,
    pub kind: String,
    pub children: u32,
}

/// A module that loaded, and where from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MibModuleInfo {
    pub name: String,
    /// `shipped` for the modules built into Meridian, else the file's path.
    pub source: String,
}

/// A problem in one MIB file: the file, the line (1-based) and what is wrong.
/// Such a file's other modules, and every other file, still load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MibLoadError {
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

/// `mib list`: the loaded modules and the load errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MibReport {
    pub modules: Vec<MibModuleInfo>,
    pub errors: Vec<MibLoadError>,
}
