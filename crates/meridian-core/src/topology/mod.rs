//! Layer-2 topology from what devices say about their neighbours: LLDP (IEEE 802.1AB
//! LLDP-MIB) and Cisco CDP (CISCO-CDP-MIB) caches, matched against the inventory to
//! give links, suggestions for devices not yet monitored, and a parent for each device
//! as seen from the monitoring station.
//!
//! The parsers read walked rows ([`crate::mib::MibRow`]) and never fail: a neighbour
//! with a missing or garbled column still appears with what could be read.

mod cdp;
mod format;
mod links;
mod lldp;

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::DeviceId;

pub use cdp::parse_cdp;
pub use format::{chassis_id_text, port_id_text};
pub use links::{default_roots, derive_parents, match_neighbours, suggestions};
pub use lldp::{parse_lldp, parse_lldp_local_chassis};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum NeighbourProtocol {
    Lldp,
    Cdp,
}

/// One neighbour as a device reports it on one of its ports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Neighbour {
    pub protocol: NeighbourProtocol,
    /// lldpRemLocalPortNum (LLDP) or cdpCacheIfIndex (CDP).
    pub local_port_num: u32,
    /// The local port's name from lldpLocPortTable; empty when it was not walked, and for CDP.
    pub local_port: String,
    /// Formatted by subtype (MAC as `aa:bb:..`, network address as IP text, else text or
    /// hex), the same way [`parse_lldp_local_chassis`] formats a device's own id.
    pub chassis_id: String,
    /// lldpRemChassisIdSubtype; None for CDP.
    pub chassis_id_subtype: Option<i64>,
    /// lldpRemPortId formatted by its subtype; cdpCacheDevicePort for CDP.
    pub port_id: String,
    pub port_descr: String,
    /// lldpRemSysName; cdpCacheDeviceId for CDP.
    pub sys_name: String,
    /// lldpRemSysDesc; cdpCacheVersion for CDP.
    pub sys_descr: String,
    /// cdpCachePlatform; empty for LLDP.
    pub platform: String,
    /// Advertised management addresses, IPv4 before IPv6, each once.
    pub mgmt_addrs: Vec<IpAddr>,
}

/// A device in the inventory, with what neighbours could know it by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KnownDevice {
    pub id: DeviceId,
    pub addresses: Vec<IpAddr>,
    pub sys_name: String,
    /// The device's own chassis ids, as [`parse_lldp_local_chassis`] gives them.
    pub chassis_ids: Vec<String>,
}

/// Which identifier tied a neighbour to a known device, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MatchKey {
    ChassisId,
    MgmtAddress,
    SysName,
}

/// One neighbour seen from a monitored device, with the inventory device it is (if any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    pub protocol: NeighbourProtocol,
    pub local_device: DeviceId,
    pub local_port_num: u32,
    pub local_port: String,
    pub remote_device: Option<DeviceId>,
    pub remote_port: String,
    pub remote_sys_name: String,
    pub remote_chassis_id: String,
    pub remote_mgmt_addr: Option<IpAddr>,
    pub matched_by: Option<MatchKey>,
}

/// A neighbour that is not in the inventory: a candidate to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    pub address: Option<IpAddr>,
    pub sys_name: String,
    pub chassis_id: String,
    pub seen_from: DeviceId,
    pub protocol: NeighbourProtocol,
}
