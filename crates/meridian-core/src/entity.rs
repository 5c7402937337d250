//! ENTITY-MIB physical inventory (RFC 6933 entPhysicalTable): chassis, modules, ports,
//! power supplies and sensors, with their serials and revisions, as a containment tree.
//!
//! Agents get this table wrong in every way: missing columns, containers that are not
//! in the table, SFP serials padded with spaces. Parsing keeps what it can read and the
//! tree keeps every entity, so an inventory screen never loses a row to a bad neighbour.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::classify::EntityRow;
use crate::mib::{index_after, octets_text, oid_string, MibRow, RawValue};

/// entPhysicalEntry, 1.3.6.1.2.1.47.1.1.1.1.
pub const ENT_PHYSICAL_ENTRY: [u32; 11] = [1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1];

/// One entPhysicalTable row. Text columns are empty when the agent did not send them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalEntity {
    pub index: u32,
    pub descr: String,
    /// entPhysicalVendorType, dotted; identifies the part in the vendor's MIB.
    pub vendor_type: String,
    /// The container's index; 0 for a top-level entity.
    pub contained_in: u32,
    /// entPhysicalClass; see [`class_name`].
    pub class: Option<i32>,
    /// Position among the container's children; -1 when the agent does not know.
    pub parent_rel_pos: Option<i32>,
    pub name: String,
    pub hardware_rev: String,
    pub firmware_rev: String,
    pub software_rev: String,
    pub serial_num: String,
    pub mfg_name: String,
    pub model_name: String,
    pub alias: String,
    pub asset_id: String,
    /// Field-replaceable unit (TruthValue 1 = true, 2 = false).
    pub is_fru: Option<bool>,
}

impl PhysicalEntity {
    /// The reduced row the classifier reads.
    pub fn to_entity_row(&self) -> EntityRow {
        EntityRow {
            class: self.class,
            descr: self.descr.clone(),
            model_name: self.model_name.clone(),
            serial_num: self.serial_num.clone(),
            firmware_rev: self.firmware_rev.clone(),
            software_rev: self.software_rev.clone(),
        }
    }

    /// Applies one column's value; false when the column is unknown or the type wrong,
    /// so a row of the wrong type does not conjure up an entity.
    fn set(&mut self, column: u32, value: &RawValue) -> bool {
        let text = |slot: &mut String| value.as_octets().map(|b| *slot = octets_text(b)).is_some();
        match column {
            2 => text(&mut self.descr),
            3 => value.as_oid().map(|o| self.vendor_type = oid_string(o)).is_some(),
            4 => value.as_u32().map(|p| self.contained_in = p).is_some(),
            5 => value.as_i32().map(|c| self.class = Some(c)).is_some(),
            6 => value.as_i32().map(|p| self.parent_rel_pos = Some(p)).is_some(),
            7 => text(&mut self.name),
            8 => text(&mut self.hardware_rev),
            9 => text(&mut self.firmware_rev),
            10 => text(&mut self.software_rev),
            11 => text(&mut self.serial_num),
            12 => text(&mut self.mfg_name),
            13 => text(&mut self.model_name),
            14 => text(&mut self.alias),
            15 => text(&mut self.asset_id),
            16 => match value.as_int() {
                Some(1) => {
                    self.is_fru = Some(true);
                    true
                }
                Some(2) => {
                    self.is_fru = Some(false);
                    true
                }
                _ => false,
            },
            _ => false,
        }
    }
}

/// Entities from a walk of entPhysicalTable, sorted by index. Rows outside the table,
/// with an index that is not a single non-zero sub-identifier, or with a value of the
/// wrong type are ignored.
pub fn parse_entities(rows: &[MibRow]) -> Vec<PhysicalEntity> {
    let mut by_index: BTreeMap<u32, PhysicalEntity> = BTreeMap::new();
    for row in rows {
        let Some((column, &[index])) = index_after(&row.oid, &ENT_PHYSICAL_ENTRY) else { continue };
        if index == 0 {
            // Not a valid PhysicalIndex, and 0 means "no container" in entPhysicalContainedIn.
            continue;
        }
        if let Some(entity) = by_index.get_mut(&index) {
            entity.set(column, &row.value);
        } else {
            let mut entity = PhysicalEntity { index, ..PhysicalEntity::default() };
            if entity.set(column, &row.value) {
                by_index.insert(index, entity);
            }
        }
    }
    by_index.into_values().collect()
}

/// The containment tree in display order: depth-first, children ordered by
/// entPhysicalParentRelPos then index. Entities whose container is 0, absent from the
/// list, or themselves are roots; entities caught in a containment cycle are entered
/// at their lowest index. Every input entity appears exactly once, so this terminates
/// and loses nothing on any input.
pub fn tree(entities: &[PhysicalEntity]) -> Vec<(usize, &PhysicalEntity)> {
    let order = |pos: &usize| entities.get(*pos).map(|e| (e.parent_rel_pos.unwrap_or(i32::MAX), e.index, *pos));
    let known: BTreeSet<u32> = entities.iter().map(|e| e.index).collect();
    let mut children: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    let mut roots = Vec::new();
    for (pos, e) in entities.iter().enumerate() {
        if e.contained_in == 0 || e.contained_in == e.index || !known.contains(&e.contained_in) {
            roots.push(pos);
        } else {
            children.entry(e.contained_in).or_default().push(pos);
        }
    }
    roots.sort_by_key(order);
    for list in children.values_mut() {
        list.sort_by_key(order);
    }
    // Cycle members are reachable from no root; they follow, lowest index first.
    let mut rest: Vec<usize> = (0..entities.len()).collect();
    rest.sort_by_key(|pos| entities.get(*pos).map(|e| (e.index, *pos)));

    let mut seen = vec![false; entities.len()];
    let mut out = Vec::with_capacity(entities.len());
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for start in roots.into_iter().chain(rest) {
        stack.push((start, 0));
        // Iterative, so a ten-thousand-deep chain from a broken agent cannot overflow the stack.
        while let Some((pos, depth)) = stack.pop() {
            let (Some(entity), Some(flag)) = (entities.get(pos), seen.get_mut(pos)) else { continue };
            if *flag {
                continue;
            }
            *flag = true;
            out.push((depth, entity));
            if let Some(kids) = children.get(&entity.index) {
                stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
            }
        }
    }
    out
}

/// The RFC 6933 PhysicalClass label; "unknown" for values outside the enumeration.
pub fn class_name(class: i32) -> &'static str {
    match class {
        1 => "other",
        3 => "chassis",
        4 => "backplane",
        5 => "container",
        6 => "powerSupply",
        7 => "fan",
        8 => "sensor",
        9 => "module",
        10 => "port",
        11 => "stack",
        12 => "cpu",
        13 => "energyObject",
        14 => "battery",
        15 => "storageDrive",
        _ => "unknown",
    }
}
