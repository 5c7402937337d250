//! Arbitrary agent tables into the ENTITY-MIB, LLDP and CDP parsers: the
//! bytes are cut into rows (OID under the table being parsed, then a value of
//! any type), so the fuzzer explores indices, column numbers and value types
//! the parsers must survive. `tests/entity.rs` and `tests/topology.rs` in
//! meridian-core run the same property with proptest inside `make test`.
//! Run: `make fuzz FUZZ_TARGETS=agent_tables` (see docs/RELIABILITY.md)
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_core::entity::{parse_entities, tree};
use meridian_core::mib::{MibRow, RawValue};
use meridian_core::topology::{parse_cdp, parse_lldp, parse_lldp_local_chassis};

const ROOTS: [&[u32]; 5] = [
    &[1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1],
    &[1, 0, 8802, 1, 1, 2, 1, 4, 1, 1],
    &[1, 0, 8802, 1, 1, 2, 1, 4, 2, 1],
    &[1, 0, 8802, 1, 1, 2, 1, 3],
    &[1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1],
];

/// One row from the front of `data`: root, up to 15 extra arcs, a value.
fn row(data: &mut &[u8]) -> Option<MibRow> {
    let (&head, rest) = data.split_first()?;
    let root = ROOTS[usize::from(head) % ROOTS.len()];
    let arcs = usize::from(head >> 4);
    let (suffix, rest) = rest.split_at(arcs.min(rest.len()));
    let (&kind, rest) = rest.split_first()?;
    let (&len, rest) = rest.split_first()?;
    let (bytes, rest) = rest.split_at(usize::from(len % 32).min(rest.len()));
    *data = rest;
    let mut oid = root.to_vec();
    oid.extend(suffix.iter().map(|b| u32::from(*b)));
    let num = bytes.iter().fold(0u64, |a, b| a.wrapping_mul(256).wrapping_add(u64::from(*b)));
    let value = match kind % 6 {
        0 => RawValue::Int(num as i64),
        1 => RawValue::Uint(num),
        2 => RawValue::Octets(bytes.to_vec()),
        3 => RawValue::Oid(bytes.iter().map(|b| u32::from(*b)).collect()),
        4 => RawValue::Ip([num as u8, (num >> 8) as u8, (num >> 16) as u8, (num >> 24) as u8]),
        _ => RawValue::Null,
    };
    Some(MibRow { oid, value })
}

fuzz_target!(|data: &[u8]| {
    let mut rest = data;
    let mut rows = Vec::new();
    while let Some(r) = row(&mut rest) {
        rows.push(r);
    }
    let entities = parse_entities(&rows);
    let _ = tree(&entities);
    let _ = parse_lldp(&rows, &rows, &rows);
    let _ = parse_lldp_local_chassis(&rows);
    let _ = parse_cdp(&rows);
});
