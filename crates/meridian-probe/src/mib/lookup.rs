//! The loaded MIB set and its lookups. Immutable once built, so one copy is
//! shared by every task (`Arc`); every lookup is pure.

use meridian_core::mib_info::{MibEnum, MibObject, MibReport, MibTreeNode};
use mib_rs::{Mib, Node, Oid as MibOid};

/// What loaded, and the errors of what did not.
pub struct MibSet {
    mib: Option<Mib>,
    report: MibReport,
}

impl std::fmt::Debug for MibSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MibSet").field("modules", &self.report.modules.len()).finish()
    }
}

/// Dotted OID text (leading dot optional) as the parser's OID.
pub(super) fn parse_oid(s: &str) -> Option<MibOid> {
    let s = s.trim();
    let s = s.strip_prefix('.').unwrap_or(s);
    if s.is_empty() || !s.split('.').all(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    s.parse().ok()
}

fn dotted(oid: &MibOid) -> String {
    oid.to_string().trim_start_matches('.').to_owned()
}

/// The node's DESCRIPTION: mib-rs keeps it on the object or notification
/// the node defines, not on the node itself.
fn description(node: Node<'_>) -> &str {
    node.object()
        .map(|x| x.description())
        .or_else(|| node.notification().map(|n| n.description()))
        .unwrap_or_else(|| node.description())
}

fn kind(n: Node<'_>) -> String {
    format!("{:?}", n.kind()).to_lowercase()
}

impl MibSet {
    pub(super) fn new(mib: Option<Mib>, report: MibReport) -> Self {
        Self { mib, report }
    }

    /// No modules at all: every lookup misses (names fall back to core's table).
    pub fn empty() -> Self {
        Self { mib: None, report: MibReport::default() }
    }

    pub fn report(&self) -> &MibReport {
        &self.report
    }

    /// The deepest named node an OID falls under. Nodes a module creates
    /// only as steps of a longer OID (`{ iso 3 6 1 4 1 8072 9999 7701 }`)
    /// have no name; the name is then the nearest named ancestor's.
    pub(super) fn node(&self, oid: &str) -> Option<(Node<'_>, MibOid)> {
        let mib = self.mib.as_ref()?;
        let o = parse_oid(oid)?;
        let mut node = mib.lookup_oid(&o);
        while node.name().is_empty() {
            node = node.parent()?;
        }
        Some((node, o))
    }

    /// `MODULE::name` plus the instance arcs (`IF-MIB::ifDescr.1`), as
    /// `snmpwalk` prints names; `None` when no loaded module names the OID.
    pub fn name(&self, oid: &str) -> Option<String> {
        let (node, o) = self.node(oid)?;
        let arcs: &[u32] = &o;
        let suffix: String = arcs.get(node.oid().len()..).unwrap_or_default().iter().map(|a| format!(".{a}")).collect();
        let module = node.module().map(|m| format!("{}::", m.name())).unwrap_or_default();
        Some(format!("{module}{}{suffix}", node.name()))
    }

    /// The name without its module (`ifDescr.1`), as events show varbinds.
    pub fn short_name(&self, oid: &str) -> Option<String> {
        self.name(oid).map(|n| n.split_once("::").map_or(n.clone(), |(_, rest)| rest.to_owned()))
    }

    /// `NAME`, `MODULE::name`, either with instance arcs (`ifDescr.1`), or a
    /// numeric OID, as a dotted numeric OID. The error says why, for a
    /// field error.
    pub fn resolve(&self, query: &str) -> Result<String, String> {
        let q = query.trim();
        if q.is_empty() {
            return Err("give an OID or a MIB name".into());
        }
        if q.trim_start_matches('.').starts_with(|c: char| c.is_ascii_digit()) {
            return parse_oid(q).map(|o| dotted(&o)).ok_or_else(|| format!("{q:?} is not a numeric OID"));
        }
        let unknown = || {
            format!("unknown MIB name {q:?}: give a numeric OID or a name from a loaded module (`meridian mib search`)")
        };
        let mib = self.mib.as_ref().ok_or_else(unknown)?;
        // Split off numeric instance arcs: `ifDescr.1`, `IF-MIB::ifDescr.1.2`.
        let (base, instance) = match q.find('.') {
            Some(dot) => (&q[..dot], &q[dot..]),
            None => (q, ""),
        };
        if !instance.is_empty() && parse_oid(instance).is_none() {
            return Err(format!("{q:?}: the part after the name must be numeric arcs (`ifDescr.1`)"));
        }
        let node = mib.resolve_node(base).filter(|n| !n.name().is_empty()).ok_or_else(unknown)?;
        Ok(format!("{}{instance}", dotted(node.oid())))
    }

    /// What the modules say about the node an OID falls under.
    pub fn show(&self, oid: &str) -> Option<MibObject> {
        let (node, _) = self.node(oid)?;
        let mut o = MibObject {
            oid: dotted(node.oid()),
            name: node.name().to_owned(),
            module: node.module().map(|m| m.name().to_owned()),
            kind: kind(node),
            syntax: None,
            base_type: None,
            display_hint: None,
            access: None,
            status: node.status().map(|s| format!("{s:?}").to_lowercase()),
            units: None,
            description: description(node).trim().to_owned(),
            enums: Vec::new(),
            indexes: Vec::new(),
            objects: Vec::new(),
            children: u32::try_from(node.children().count()).unwrap_or(u32::MAX),
        };
        if let Some(obj) = node.object() {
            if let Some(t) = obj.ty() {
                let name = t.name();
                o.syntax = Some(if name.is_empty() { format!("{:?}", t.effective_base()) } else { name.to_owned() });
                o.base_type = Some(format!("{:?}", t.effective_base()));
            }
            let hint = obj.effective_display_hint();
            o.display_hint = (!hint.is_empty()).then(|| hint.to_owned());
            o.access = Some(format!("{:?}", obj.access()));
            o.units = (!obj.units().is_empty()).then(|| obj.units().to_owned());
            o.enums =
                obj.effective_enums().iter().map(|e| MibEnum { value: e.value, label: e.label.clone() }).collect();
            o.indexes = obj.effective_indexes().map(|i| i.name().to_owned()).collect();
        }
        if let Some(n) = node.notification() {
            o.objects = n.objects().map(|x| x.name().to_owned()).collect();
        }
        Some(o)
    }

    fn tree_node(n: Node<'_>) -> MibTreeNode {
        MibTreeNode {
            oid: dotted(n.oid()),
            name: n.name().to_owned(),
            module: n.module().map(|m| m.name().to_owned()),
            kind: kind(n),
            children: u32::try_from(n.children().count()).unwrap_or(u32::MAX),
        }
    }

    /// Nodes whose name contains `text` (case-insensitive) first, then those
    /// whose description does; at most `limit`, in tree order within each.
    pub fn search(&self, text: &str, limit: usize) -> Vec<MibTreeNode> {
        let Some(mib) = &self.mib else { return Vec::new() };
        let needle = text.to_lowercase();
        let (mut by_name, mut by_text) = (Vec::new(), Vec::new());
        for n in mib.root_node().subtree().filter(|n| !n.name().is_empty()) {
            if by_name.len() >= limit {
                break;
            }
            if n.name().to_lowercase().contains(&needle) {
                by_name.push(Self::tree_node(n));
            } else if by_text.len() < limit && description(n).to_lowercase().contains(&needle) {
                by_text.push(Self::tree_node(n));
            }
        }
        by_name.extend(by_text);
        by_name.truncate(limit);
        by_name
    }

    /// The children of the node at exactly `oid` (the top of the tree for
    /// `None`); none for an OID no module defines.
    pub fn children(&self, oid: Option<&str>) -> Vec<MibTreeNode> {
        let Some(mib) = &self.mib else { return Vec::new() };
        let node = match oid {
            None => Some(mib.root_node()),
            Some(o) => parse_oid(o).and_then(|o| mib.exact_node_by_oid(&o)),
        };
        node.map(|n| n.children().map(Self::tree_node).collect()).unwrap_or_default()
    }
}
