//! LLDP-MIB (IEEE 802.1AB-2005, 1.0.8802.1.1.2): the remote systems table, its
//! management addresses, and the local port and chassis ids.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use super::format::{chassis_id_text, port_id_text, usable_id};
use super::{Neighbour, NeighbourProtocol};
use crate::mib::{index_after, ip_from_subids, octets_text, MibRow, RawValue};

const LLDP_REM_ENTRY: [u32; 10] = [1, 0, 8802, 1, 1, 2, 1, 4, 1, 1];
const LLDP_REM_MAN_ADDR_ENTRY: [u32; 10] = [1, 0, 8802, 1, 1, 2, 1, 4, 2, 1];
const LLDP_LOC_PORT_ENTRY: [u32; 10] = [1, 0, 8802, 1, 1, 2, 1, 3, 7, 1];
const LLDP_LOC_CHASSIS_ID_SUBTYPE: [u32; 10] = [1, 0, 8802, 1, 1, 2, 1, 3, 1, 0];
const LLDP_LOC_CHASSIS_ID: [u32; 10] = [1, 0, 8802, 1, 1, 2, 1, 3, 2, 0];

/// LldpPortIdSubtype interfaceName(5): the id is the port's short name ("Gi0/1").
const PORT_SUBTYPE_INTERFACE_NAME: i64 = 5;

/// The columns of one lldpRemEntry, as sent.
#[derive(Default)]
struct Remote {
    time_mark: u32,
    chassis_subtype: Option<i64>,
    chassis_id: Vec<u8>,
    port_subtype: Option<i64>,
    port_id: Vec<u8>,
    port_descr: String,
    sys_name: String,
    sys_descr: String,
}

impl Remote {
    /// Whether a row's value has the type its column needs; others are skipped
    /// before they can create or reset a neighbour.
    fn accepts(column: u32, value: &RawValue) -> bool {
        match column {
            4 | 6 => value.as_int().is_some(),
            5 | 7..=10 => value.as_octets().is_some(),
            _ => false,
        }
    }

    fn set(&mut self, column: u32, value: &RawValue) {
        let bytes = value.as_octets().unwrap_or_default();
        match column {
            4 => self.chassis_subtype = value.as_int(),
            5 => self.chassis_id = bytes.to_vec(),
            6 => self.port_subtype = value.as_int(),
            7 => self.port_id = bytes.to_vec(),
            8 => self.port_descr = octets_text(bytes),
            9 => self.sys_name = octets_text(bytes),
            10 => self.sys_descr = octets_text(bytes),
            _ => {}
        }
    }
}

/// Neighbours from walks of lldpRemTable, lldpRemManAddrTable and lldpLocPortTable
/// (either of the last two may be empty). One neighbour per (lldpRemLocalPortNum,
/// lldpRemIndex), from the rows of the latest lldpRemTimeMark; ordered by that pair.
///
/// Management addresses are taken from rows with the neighbour's time mark, or from any
/// time mark when there are none: the two tables are walked at different moments, and
/// real agents (Junos) show the same neighbour under different marks in each.
pub fn parse_lldp(rem: &[MibRow], man_addr: &[MibRow], loc_port: &[MibRow]) -> Vec<Neighbour> {
    let mut remotes: BTreeMap<(u32, u32), Remote> = BTreeMap::new();
    for row in rem {
        let Some((column, &[time_mark, port, rem_index])) = index_after(&row.oid, &LLDP_REM_ENTRY) else { continue };
        if !Remote::accepts(column, &row.value) {
            continue;
        }
        let remote = remotes.entry((port, rem_index)).or_insert_with(|| Remote { time_mark, ..Remote::default() });
        if time_mark < remote.time_mark {
            continue;
        }
        if time_mark > remote.time_mark {
            *remote = Remote { time_mark, ..Remote::default() };
        }
        remote.set(column, &row.value);
    }

    let addresses = management_addresses(man_addr);
    let local_ports = local_port_names(loc_port);
    remotes
        .into_iter()
        .map(|((port, rem_index), r)| {
            let seen = addresses.get(&(port, rem_index)).map(Vec::as_slice).unwrap_or_default();
            let current: BTreeSet<IpAddr> = seen.iter().filter(|(t, _)| *t == r.time_mark).map(|(_, ip)| *ip).collect();
            let mgmt_addrs = if current.is_empty() {
                seen.iter().map(|(_, ip)| *ip).collect::<BTreeSet<_>>().into_iter().collect()
            } else {
                current.into_iter().collect()
            };
            Neighbour {
                protocol: NeighbourProtocol::Lldp,
                local_port_num: port,
                local_port: local_ports.get(&port).cloned().unwrap_or_default(),
                chassis_id: chassis_id_text(r.chassis_subtype, &r.chassis_id),
                chassis_id_subtype: r.chassis_subtype,
                port_id: port_id_text(r.port_subtype, &r.port_id),
                port_descr: r.port_descr,
                sys_name: r.sys_name,
                sys_descr: r.sys_descr,
                platform: String::new(),
                mgmt_addrs,
            }
        })
        .collect()
}

/// (localPortNum, remIndex) → (timeMark, address) from lldpRemManAddrTable's index:
/// timeMark.localPortNum.remIndex.addrSubtype.addrLen.addr. Only IPv4 (subtype 1) and
/// IPv6 (subtype 2) are kept; the index carries the address, so any column will do.
fn management_addresses(rows: &[MibRow]) -> BTreeMap<(u32, u32), Vec<(u32, IpAddr)>> {
    let mut out: BTreeMap<(u32, u32), Vec<(u32, IpAddr)>> = BTreeMap::new();
    for row in rows {
        let Some((_, index)) = index_after(&row.oid, &LLDP_REM_MAN_ADDR_ENTRY) else { continue };
        let [time_mark, port, rem_index, subtype, len, addr @ ..] = index else { continue };
        if usize::try_from(*len).ok() != Some(addr.len()) {
            continue;
        }
        let ip = match (subtype, ip_from_subids(addr)) {
            (1, Some(ip @ IpAddr::V4(_))) | (2, Some(ip @ IpAddr::V6(_))) => ip,
            _ => continue,
        };
        out.entry((*port, *rem_index)).or_default().push((*time_mark, ip));
    }
    out
}

/// lldpLocPortNum → a name for the port: the id when it is an interface name, else the
/// description (Junos, ProCurve and NX-OS put the name there), else the id as sent.
fn local_port_names(rows: &[MibRow]) -> BTreeMap<u32, String> {
    #[derive(Default)]
    struct LocPort {
        subtype: Option<i64>,
        id: Vec<u8>,
        descr: String,
    }
    let mut ports: BTreeMap<u32, LocPort> = BTreeMap::new();
    for row in rows {
        let Some((column, &[port])) = index_after(&row.oid, &LLDP_LOC_PORT_ENTRY) else { continue };
        match (column, &row.value) {
            (2, v) if v.as_int().is_some() => ports.entry(port).or_default().subtype = v.as_int(),
            (3, RawValue::Octets(b)) => ports.entry(port).or_default().id.clone_from(b),
            (4, RawValue::Octets(b)) => ports.entry(port).or_default().descr = octets_text(b),
            _ => {}
        }
    }
    ports
        .into_iter()
        .map(|(num, p)| {
            let id = port_id_text(p.subtype, &p.id);
            let name = if p.subtype == Some(PORT_SUBTYPE_INTERFACE_NAME) && !id.is_empty() {
                id
            } else if !p.descr.is_empty() {
                p.descr
            } else {
                id
            };
            (num, name)
        })
        .collect()
}

/// The device's own chassis id (lldpLocChassisIdSubtype.0 and lldpLocChassisId.0),
/// formatted like [`Neighbour::chassis_id`] so it compares equal to what neighbours
/// report. None when the agent sent no usable id: none, empty, or all zeros (as some
/// switches do), which would make unrelated devices look like one.
pub fn parse_lldp_local_chassis(rows: &[MibRow]) -> Option<String> {
    let subtype = rows.iter().find(|r| r.oid == LLDP_LOC_CHASSIS_ID_SUBTYPE).and_then(|r| r.value.as_int());
    let id = rows.iter().find(|r| r.oid == LLDP_LOC_CHASSIS_ID).and_then(|r| r.value.as_octets())?;
    let text = chassis_id_text(subtype, id);
    usable_id(&text).then_some(text)
}
