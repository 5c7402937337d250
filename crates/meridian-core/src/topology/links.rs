//! Neighbours to links between inventory devices, suggestions for the rest, and the
//! parent of each device as seen from the monitoring station.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use super::format::usable_id;
use super::{KnownDevice, Link, MatchKey, Neighbour, Suggestion};
use crate::DeviceId;

/// Links from one device's neighbours. The remote end is the known device with the
/// same chassis id (case-insensitive), else one of the neighbour's management
/// addresses, else the same sysName (case-insensitive, then by first DNS label:
/// "sw1.lab.example" ~ "SW1"). When several devices match at one level, the later levels
/// choose among them, and the lowest id wins a tie that remains.
///
/// The local device is never a remote end. A neighbour that carries one of the local
/// device's own chassis ids is the device hearing itself (a loop, or a hub between two
/// of its ports) and gives no link; nor does it become a suggestion.
pub fn match_neighbours(local: DeviceId, neighbours: &[Neighbour], known: &[KnownDevice]) -> Vec<Link> {
    let own: BTreeSet<String> = known
        .iter()
        .filter(|k| k.id == local)
        .flat_map(|k| k.chassis_ids.iter())
        .filter(|c| usable_id(c))
        .map(|c| fold(c))
        .collect();
    let others: Vec<&KnownDevice> = known.iter().filter(|k| k.id != local).collect();
    neighbours
        .iter()
        .filter(|n| !(usable_id(&n.chassis_id) && own.contains(&fold(&n.chassis_id))))
        .map(|n| {
            let found = find_remote(n, &others);
            Link {
                protocol: n.protocol,
                local_device: local,
                local_port_num: n.local_port_num,
                local_port: n.local_port.clone(),
                remote_device: found.map(|(id, _)| id),
                remote_port: if n.port_id.is_empty() { n.port_descr.clone() } else { n.port_id.clone() },
                remote_sys_name: n.sys_name.clone(),
                remote_chassis_id: n.chassis_id.clone(),
                remote_mgmt_addr: n.mgmt_addrs.first().copied(),
                matched_by: found.map(|(_, key)| key),
            }
        })
        .collect()
}

type Test<'a> = dyn Fn(&KnownDevice) -> bool + 'a;

/// The known device a neighbour is, and the strongest key it matched by.
fn find_remote(n: &Neighbour, candidates: &[&KnownDevice]) -> Option<(DeviceId, MatchKey)> {
    let chassis = fold(&n.chassis_id);
    let by_chassis = |k: &KnownDevice| usable_id(&n.chassis_id) && k.chassis_ids.iter().any(|c| fold(c) == chassis);
    let by_address = |k: &KnownDevice| n.mgmt_addrs.iter().any(|a| k.addresses.contains(a));
    let name = name_key(&n.sys_name);
    let by_name = |k: &KnownDevice| name.is_some() && name_key(&k.sys_name) == name;
    let label = host_label(&n.sys_name);
    let by_label = |k: &KnownDevice| label.is_some() && host_label(&k.sys_name) == label;
    let levels: [(MatchKey, &Test<'_>); 4] = [
        (MatchKey::ChassisId, &by_chassis),
        (MatchKey::MgmtAddress, &by_address),
        (MatchKey::SysName, &by_name),
        (MatchKey::SysName, &by_label),
    ];

    let mut pool: Vec<&KnownDevice> = candidates.to_vec();
    let mut ambiguous_at: Option<MatchKey> = None;
    for (key, test) in levels {
        let hits: Vec<&KnownDevice> = pool.iter().copied().filter(|k| test(k)).collect();
        let ids: BTreeSet<DeviceId> = hits.iter().map(|k| k.id).collect();
        match ids.len() {
            0 => {}
            1 => return ids.first().map(|id| (*id, ambiguous_at.unwrap_or(key))),
            _ => {
                ambiguous_at = ambiguous_at.or(Some(key));
                pool = hits;
            }
        }
    }
    let key = ambiguous_at?;
    pool.iter().map(|k| k.id).min().map(|id| (id, key))
}

/// Case-folded, trimmed: identifiers compare case-insensitively.
fn fold(text: &str) -> String {
    text.trim().to_lowercase()
}

/// A sysName to compare: case-folded; None when empty or when it was not UTF-8 (a GBK
/// name decodes to U+FFFD runs, and two different names could decode alike).
fn name_key(name: &str) -> Option<String> {
    let key = fold(name);
    (!key.is_empty() && !key.contains(char::REPLACEMENT_CHARACTER)).then_some(key)
}

/// The host part of a sysName, case-folded: up to the first dot, and before a "(serial)"
/// suffix as NX-OS adds to its CDP device id. None for addresses and unusable names.
fn host_label(name: &str) -> Option<String> {
    let name = name_key(name)?;
    if name.parse::<IpAddr>().is_ok() {
        return None;
    }
    let label = name.split(['.', '(']).next().unwrap_or_default().trim();
    (!label.is_empty()).then(|| label.to_string())
}

/// Devices to add: the neighbours no known device matched, one suggestion per device.
/// Links that share a chassis id or a management address are the same device (seen from
/// two places, or over both LLDP and CDP); the first sighting leads, later ones fill in
/// what it lacks. Ordered by first sighting.
pub fn suggestions(links: &[Link]) -> Vec<Suggestion> {
    let unmatched: Vec<&Link> = links.iter().filter(|l| l.remote_device.is_none()).collect();
    let mut group: Vec<usize> = (0..unmatched.len()).collect();
    let mut by_chassis: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_address: BTreeMap<IpAddr, usize> = BTreeMap::new();
    for (i, link) in unmatched.iter().enumerate() {
        if usable_id(&link.remote_chassis_id) {
            let first = *by_chassis.entry(fold(&link.remote_chassis_id)).or_insert(i);
            union(&mut group, first, i);
        }
        if let Some(addr) = link.remote_mgmt_addr {
            let first = *by_address.entry(addr).or_insert(i);
            union(&mut group, first, i);
        }
    }

    let mut merged: BTreeMap<usize, Suggestion> = BTreeMap::new();
    for (i, link) in unmatched.iter().enumerate() {
        let root = find(&mut group, i);
        let s = merged.entry(root).or_insert_with(|| Suggestion {
            address: link.remote_mgmt_addr,
            sys_name: link.remote_sys_name.clone(),
            chassis_id: link.remote_chassis_id.clone(),
            seen_from: link.local_device,
            protocol: link.protocol,
        });
        s.address = s.address.or(link.remote_mgmt_addr);
        if s.sys_name.is_empty() {
            s.sys_name.clone_from(&link.remote_sys_name);
        }
        if !usable_id(&s.chassis_id) && usable_id(&link.remote_chassis_id) {
            s.chassis_id.clone_from(&link.remote_chassis_id);
        }
    }
    merged.into_values().collect()
}

/// Union-find root, halving paths on the way; every group's root is its lowest member.
fn find(group: &mut [usize], mut i: usize) -> usize {
    while let Some(&up) = group.get(i) {
        if up == i {
            break;
        }
        let grand = group.get(up).copied().unwrap_or(up);
        if let Some(slot) = group.get_mut(i) {
            *slot = grand;
        }
        i = up;
    }
    i
}

fn union(group: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(group, a), find(group, b));
    let (low, high) = (ra.min(rb), ra.max(rb));
    if let Some(slot) = group.get_mut(high) {
        *slot = low;
    }
}

/// Each device's parent (child → parent): the next device towards a root (the devices
/// the monitoring station reaches directly), by breadth-first search over matched links
/// taken as undirected. A device equally near several parents gets the lowest DeviceId;
/// roots, and devices no root reaches, get none.
///
/// This is what alarm suppression uses: when a device's parent is down, the device's
/// own unreachability is a symptom of that, not a second fault.
pub fn derive_parents(links: &[Link], roots: &[DeviceId]) -> BTreeMap<DeviceId, DeviceId> {
    let adjacent = adjacency(links);

    let mut parents = BTreeMap::new();
    let mut frontier: BTreeSet<DeviceId> = roots.iter().copied().collect();
    let mut reached = frontier.clone();
    while !frontier.is_empty() {
        // Level by level, parents in ascending order: the first parent to claim a child is the lowest.
        let mut next: BTreeMap<DeviceId, DeviceId> = BTreeMap::new();
        for parent in &frontier {
            for child in adjacent.get(parent).into_iter().flatten() {
                if !reached.contains(child) {
                    next.entry(*child).or_insert(*parent);
                }
            }
        }
        reached.extend(next.keys().copied());
        frontier = next.keys().copied().collect();
        parents.extend(next);
    }
    parents
}

/// The roots [`derive_parents`] starts from. The devices in `chosen` (the
/// user's pick, e.g. the router the monitoring station sits behind) are roots;
/// each connected group of matched links without one gets the device with the
/// most neighbours (ties: the lowest id), which in a tree of access switches
/// under a core is the core. Devices without matched links are not roots: they
/// have no children to suppress.
pub fn default_roots(links: &[Link], chosen: &[DeviceId]) -> Vec<DeviceId> {
    let adjacent = adjacency(links);
    let chosen: BTreeSet<DeviceId> = chosen.iter().copied().collect();
    let mut roots: BTreeSet<DeviceId> = chosen.iter().copied().filter(|d| !adjacent.contains_key(d)).collect();
    let mut seen: BTreeSet<DeviceId> = BTreeSet::new();
    for start in adjacent.keys() {
        if !seen.insert(*start) {
            continue;
        }
        let mut group = vec![*start];
        let mut i = 0;
        while let Some(d) = group.get(i).copied() {
            i += 1;
            for n in adjacent.get(&d).into_iter().flatten() {
                if seen.insert(*n) {
                    group.push(*n);
                }
            }
        }
        let picked: Vec<DeviceId> = group.iter().copied().filter(|d| chosen.contains(d)).collect();
        if picked.is_empty() {
            let degree = |d: &DeviceId| adjacent.get(d).map_or(0, BTreeSet::len);
            // Most neighbours first, then the lowest id: max_by_key keeps the last
            // maximum, so compare on (degree, reversed id).
            if let Some(best) = group.iter().max_by(|a, b| degree(a).cmp(&degree(b)).then(b.cmp(a))) {
                roots.insert(*best);
            }
        } else {
            roots.extend(picked);
        }
    }
    roots.into_iter().collect()
}

/// Matched links as an undirected graph (self-links dropped).
fn adjacency(links: &[Link]) -> BTreeMap<DeviceId, BTreeSet<DeviceId>> {
    let mut adjacent: BTreeMap<DeviceId, BTreeSet<DeviceId>> = BTreeMap::new();
    for link in links {
        let Some(remote) = link.remote_device else { continue };
        if remote != link.local_device {
            adjacent.entry(link.local_device).or_default().insert(remote);
            adjacent.entry(remote).or_default().insert(link.local_device);
        }
    }
    adjacent
}
