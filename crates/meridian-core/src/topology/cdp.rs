//! CISCO-CDP-MIB cdpCacheTable (1.3.6.1.4.1.9.9.23.1.2.1.1): what Cisco devices, and
//! some others (ProCurve, NICs), learned from CDP announcements.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::{Neighbour, NeighbourProtocol};
use crate::mib::{display_octets, index_after, ip_from_octets, is_printable, mac_string, octets_text, MibRow};

const CDP_CACHE_ENTRY: [u32; 13] = [1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1];

/// CiscoNetworkProtocol ip(1) and ipv6(20).
const CDP_ADDRESS_IP: i64 = 1;
const CDP_ADDRESS_IPV6: i64 = 20;

#[derive(Default)]
struct Cached {
    address_type: Option<i64>,
    address: Vec<u8>,
    version: String,
    device_id: Vec<u8>,
    device_port: Vec<u8>,
    platform: String,
}

/// Neighbours from a walk of cdpCacheTable (index cdpCacheIfIndex.cdpCacheDeviceIndex),
/// ordered by that index.
///
/// CDP has no chassis id. When the device id is six binary octets (hosts and NICs send
/// their MAC) it is also given as `chassis_id`, so the same neighbour seen over LLDP
/// de-duplicates with it.
pub fn parse_cdp(cache: &[MibRow]) -> Vec<Neighbour> {
    let mut entries: BTreeMap<(u32, u32), Cached> = BTreeMap::new();
    for row in cache {
        let Some((column, &[if_index, device_index])) = index_after(&row.oid, &CDP_CACHE_ENTRY) else { continue };
        let value = &row.value;
        match (column, value.as_int(), value.as_octets()) {
            (3, Some(t), _) => entries.entry((if_index, device_index)).or_default().address_type = Some(t),
            (4, _, Some(b)) => entries.entry((if_index, device_index)).or_default().address = b.to_vec(),
            (5, _, Some(b)) => entries.entry((if_index, device_index)).or_default().version = octets_text(b),
            (6, _, Some(b)) => entries.entry((if_index, device_index)).or_default().device_id = b.to_vec(),
            (7, _, Some(b)) => entries.entry((if_index, device_index)).or_default().device_port = b.to_vec(),
            (8, _, Some(b)) => entries.entry((if_index, device_index)).or_default().platform = octets_text(b),
            _ => {}
        }
    }
    entries
        .into_iter()
        .map(|((if_index, _), c)| {
            let mgmt_addrs = match (c.address_type, ip_from_octets(&c.address)) {
                (Some(CDP_ADDRESS_IP), Some(ip @ IpAddr::V4(_)))
                | (Some(CDP_ADDRESS_IPV6), Some(ip @ IpAddr::V6(_))) => {
                    vec![ip]
                }
                _ => Vec::new(),
            };
            let chassis_id = if is_printable(&c.device_id) { None } else { mac_string(&c.device_id) };
            Neighbour {
                protocol: NeighbourProtocol::Cdp,
                local_port_num: if_index,
                local_port: String::new(),
                chassis_id: chassis_id.unwrap_or_default(),
                chassis_id_subtype: None,
                port_id: display_octets(&c.device_port),
                port_descr: String::new(),
                sys_name: display_octets(&c.device_id),
                sys_descr: c.version,
                platform: c.platform,
                mgmt_addrs,
            }
        })
        .collect()
}
