//! LLDP and CDP parsing and matching against real agents: lldpRemTable,
//! lldpRemManAddrTable, lldpLocPortTable, lldpLocChassisId and cdpCacheTable lines copied
//! verbatim from snmpsim-data 1.0.1 recordings (`OID|TAG|VALUE`, tag 4x = hex octets),
//! with expected values read from the recordings by hand.
//!
//! The four Juniper MX960 recordings are the cores of one campus network wired in a ring
//! (CA-CORE-1 - YT-CORE-1 - YT-CORE-2 - CA-CORE-2 - CA-CORE-1), each naming the others as
//! LLDP neighbours: real data for matching and parent derivation across devices.

use std::collections::BTreeMap;
use std::net::IpAddr;

use meridian_core::mib::{MibRow, RawValue};
use meridian_core::topology::{
    default_roots, derive_parents, match_neighbours, parse_cdp, parse_lldp, parse_lldp_local_chassis, suggestions,
    KnownDevice, Link, MatchKey, Neighbour, NeighbourProtocol,
};
use meridian_core::DeviceId;
use proptest::prelude::*;
use uuid::Uuid;

mod common;
use common::rows;

/// The recording's LLDP neighbours; the service walks the three tables separately, here
/// all rows go to each and the parser picks its own.
fn lldp(text: &str) -> Vec<Neighbour> {
    let r = rows(text);
    parse_lldp(&r, &r, &r)
}

fn ip(text: &str) -> IpAddr {
    text.parse().expect("test address")
}

fn id(n: u128) -> DeviceId {
    DeviceId::from_uuid(Uuid::from_u128(n))
}

fn on_port(neighbours: &[Neighbour], port: u32) -> &Neighbour {
    neighbours.iter().find(|n| n.local_port_num == port).expect("neighbour on port")
}

fn known(n: u128, chassis: &str, sys_name: &str, addresses: &[&str]) -> KnownDevice {
    KnownDevice {
        id: id(n),
        addresses: addresses.iter().map(|a| ip(a)).collect(),
        sys_name: sys_name.into(),
        chassis_ids: vec![chassis.into()],
    }
}

#[test]
fn juniper_ca_core_1_neighbours() {
    assert_eq!(parse_lldp_local_chassis(&rows(JUNIPER_CA_CORE_1)).as_deref(), Some("a8:d0:e5:f5:af:c0"));
    let n = lldp(JUNIPER_CA_CORE_1);
    let ports: Vec<u32> = n.iter().map(|n| n.local_port_num).collect();
    assert_eq!(ports, [568, 584, 606, 607, 628, 631]);

    let yt1 = on_port(&n, 628);
    assert_eq!(yt1.protocol, NeighbourProtocol::Lldp);
    assert_eq!((yt1.chassis_id.as_str(), yt1.chassis_id_subtype), ("a8:d0:e5:f6:17:c0", Some(4)));
    assert_eq!(yt1.port_id, "611", "Junos sends the ifIndex as a locally assigned port id");
    assert_eq!(yt1.port_descr, "Connect to SNNU-CA-CORE-1::xe-1/2/0");
    assert_eq!(yt1.sys_name, "re0-SNNU-YT-CORE-1");
    assert!(yt1.sys_descr.starts_with("Juniper Networks, Inc. mx960 , version 12.3R6.6"));
    assert_eq!(yt1.platform, "");
    assert_eq!(yt1.mgmt_addrs, [ip("192.168.2.5")]);
    assert_eq!(yt1.local_port, "Connect to SNNU-YT-CORE-1::xe-1/2/0", "lldpLocPortDesc, the id being an ifIndex");

    let ca2 = on_port(&n, 631);
    assert_eq!((ca2.chassis_id.as_str(), ca2.port_id.as_str()), ("a8:d0:e5:f7:f7:c0", "xe-3/0/0"));
    assert_eq!(ca2.mgmt_addrs, [ip("192.168.2.3")]);

    let lib = on_port(&n, 568);
    assert_eq!(lib.chassis_id, "60:da:83:09:2e:00");
    assert_eq!((lib.port_id.as_str(), lib.port_descr.as_str()), ("GigabitEthernet0/0/11", "link_FW4202-ETH3"));
    assert_eq!(lib.sys_name, "SNNU_Lib");
    assert_eq!(lib.mgmt_addrs, [ip("219.244.183.74")]);
    assert_eq!(lib.local_port, "SNNU-CA-TuShuGuan");

    let dcgl = on_port(&n, 606);
    assert_eq!((dcgl.chassis_id.as_str(), dcgl.sys_name.as_str()), ("38:22:d6:b3:31:b5", "DCGL-S5800"));
    assert_eq!(dcgl.mgmt_addrs, [ip("10.196.0.18")]);
}

#[test]
fn juniper_yt_core_1_takes_addresses_from_another_time_mark() {
    assert_eq!(parse_lldp_local_chassis(&rows(JUNIPER_YT_CORE_1)).as_deref(), Some("a8:d0:e5:f6:17:c0"));
    let n = lldp(JUNIPER_YT_CORE_1);
    assert_eq!(n.len(), 13);
    assert!(n.iter().all(|n| n.mgmt_addrs.len() == 1), "each neighbour advertises one IPv4 address");

    // lldpRemTable has this neighbour at time mark 3595148, lldpRemManAddrTable at 3595210.
    let sd = on_port(&n, 581);
    assert_eq!((sd.sys_name.as_str(), sd.chassis_id.as_str()), ("SD-5800", "00:23:89:ec:39:f6"));
    assert_eq!(sd.mgmt_addrs, [ip("202.117.145.106")]);
    assert_eq!(sd.local_port, "SNNU-YT-Jiao1Lou");

    let ca1 = on_port(&n, 611);
    assert_eq!((ca1.chassis_id.as_str(), ca1.port_id.as_str()), ("a8:d0:e5:f5:af:c0", "628"));
    assert_eq!(ca1.mgmt_addrs, [ip("192.168.2.1")]);
    let yt2 = on_port(&n, 585);
    assert_eq!((yt2.chassis_id.as_str(), yt2.sys_name.as_str()), ("a8:d0:e5:f7:b7:c0", "re0-SNNU-YT-CORE-2"));
    assert_eq!(yt2.mgmt_addrs, [ip("192.168.2.7")]);

    // A GBK sysName (not UTF-8) still shows, lossily; it is never used to match.
    let gbk = on_port(&n, 578);
    assert!(gbk.sys_name.ends_with("-S5800") && gbk.sys_name.contains(char::REPLACEMENT_CHARACTER));
    assert_eq!(gbk.port_descr, "uplink");
}

fn ring() -> (Vec<KnownDevice>, Vec<Link>) {
    let recordings = [(1, JUNIPER_CA_CORE_1), (2, JUNIPER_YT_CORE_1), (3, JUNIPER_CA_CORE_2), (4, JUNIPER_YT_CORE_2)];
    // sysName.0 is rewritten to DUMSYS-nn by snmpsim-data and no address is shared, so
    // only the chassis ids can tie the ends together.
    let known: Vec<KnownDevice> = recordings
        .iter()
        .map(|(n, text)| KnownDevice {
            id: id(*n),
            addresses: vec![ip(&format!("127.0.0.{n}"))],
            sys_name: format!("DUMSYS-{n}"),
            chassis_ids: parse_lldp_local_chassis(&rows(text)).into_iter().collect(),
        })
        .collect();
    let links = recordings.iter().flat_map(|(n, text)| match_neighbours(id(*n), &lldp(text), &known)).collect();
    (known, links)
}

#[test]
fn juniper_ring_matches_by_chassis_id() {
    let (_, links) = ring();
    let mut matched: Vec<(DeviceId, u32, DeviceId, &str)> = links
        .iter()
        .filter_map(|l| Some((l.local_device, l.local_port_num, l.remote_device?, l.remote_port.as_str())))
        .collect();
    matched.sort();
    assert_eq!(
        matched,
        [
            (id(1), 628, id(2), "611"),
            (id(1), 631, id(3), "xe-3/0/0"),
            (id(2), 585, id(4), "642"),
            (id(2), 611, id(1), "628"),
            (id(3), 857, id(1), "631"),
            (id(3), 859, id(4), "760"),
            (id(4), 642, id(2), "585"),
            (id(4), 760, id(3), "xe-3/1/1"),
        ]
    );
    assert!(links.iter().filter(|l| l.remote_device.is_some()).all(|l| l.matched_by == Some(MatchKey::ChassisId)));
    let ca2_to_ca1 = links.iter().find(|l| l.local_device == id(3) && l.local_port_num == 857).expect("link");
    assert_eq!(ca2_to_ca1.local_port, "xe-3/0/0");
    assert_eq!(ca2_to_ca1.remote_mgmt_addr, Some(ip("192.168.2.1")));
}

#[test]
fn juniper_ring_parents_and_suggestions() {
    let (_, links) = ring();
    // From CA-CORE-1, YT-CORE-2 is two hops away through YT-CORE-1 (2) or CA-CORE-2 (3).
    let parents = derive_parents(&links, &[id(1)]);
    assert_eq!(parents, BTreeMap::from([(id(2), id(1)), (id(3), id(1)), (id(4), id(2))]));
    let parents = derive_parents(&links, &[id(4)]);
    assert_eq!(parents, BTreeMap::from([(id(1), id(2)), (id(2), id(4)), (id(3), id(4))]));

    // 4 + 11 unmatched neighbours of the two fully copied cores, and one more from
    // CA-CORE-2 that CA-CORE-1 sees too (00:0f:e2:b3:71:94, SNNU-CA-Core-JSQ-B10).
    let s = suggestions(&links);
    assert_eq!(s.len(), 15);
    let jsq: Vec<_> = s.iter().filter(|s| s.chassis_id == "00:0f:e2:b3:71:94").collect();
    assert_eq!(jsq.len(), 1);
    assert_eq!(jsq[0].seen_from, id(1));
    assert_eq!(jsq[0].address, Some(ip("202.117.145.174")));
    assert_eq!(jsq[0].sys_name, "SNNU-CA-Core-JSQ-B10");
    assert_eq!(jsq[0].protocol, NeighbourProtocol::Lldp);
}

#[test]
fn nexus_5548_lldp_and_cdp() {
    let r = rows(NEXUS_5548);
    // NX-OS sends its MAC as text under subtype macAddress; it still comes out as a MAC.
    assert_eq!(parse_lldp_local_chassis(&r).as_deref(), Some("8c:60:4f:19:16:7c"));
    let n = parse_lldp(&r, &r, &r);
    assert_eq!(n.len(), 9);
    let mgmt = on_port(&n, 83886080);
    assert_eq!(mgmt.port_id, "mgmt0", "NUL padding dropped");
    assert_eq!((mgmt.sys_name.as_str(), mgmt.chassis_id.as_str()), ("NWPU-CA-5548-02", "8c:60:4f:19:1b:c1"));
    assert_eq!(mgmt.mgmt_addrs, [ip("10.40.1.20")]);
    assert_eq!(mgmt.local_port, "mgmt0");
    let procurve = on_port(&n, 436281344);
    assert_eq!(procurve.chassis_id, "ac:16:2d:92:7d:21");
    assert_eq!((procurve.port_id.as_str(), procurve.sys_name.as_str()), ("17", "ProCurve 6120XG Blade Switch"));
    assert!(procurve.mgmt_addrs.is_empty(), "its only address is a MAC (all802), not an IP");
    assert_eq!(procurve.local_port, "Ethernet1/19", "lldpLocPortDesc, the id being a MAC");
    let fi_a = on_port(&n, 436297728);
    assert_eq!((fi_a.sys_name.as_str(), fi_a.port_id.as_str()), ("NWPU-UCS-FI-A", "Eth1/25"));

    let c = parse_cdp(&r);
    assert_eq!(c.len(), 5);
    let first = c.first().expect("cdp neighbour");
    assert_eq!(first.protocol, NeighbourProtocol::Cdp);
    assert_eq!(first.local_port_num, 83886080);
    assert_eq!(first.sys_name, "NWPU-CA-5548-02(SSI183706KA)");
    assert_eq!((first.port_id.as_str(), first.platform.as_str()), ("mgmt0", "N5K-C5548UP"));
    assert_eq!(first.sys_descr, "Cisco Nexus Operating System (NX-OS) Software, Version 6.0(2)N2(3)");
    assert_eq!(first.mgmt_addrs, [ip("10.40.1.20")]);
    assert_eq!((first.chassis_id.as_str(), first.chassis_id_subtype, first.local_port.as_str()), ("", None, ""));
    assert_eq!(on_port(&c, 436289536).mgmt_addrs, [ip("222.24.192.253")]);
}

#[test]
fn procurve_6120xg_lldp_and_cdp() {
    let r = rows(PROCURVE_6120XG);
    assert_eq!(parse_lldp_local_chassis(&r).as_deref(), Some("ac:16:2d:92:7d:21"));
    let n = parse_lldp(&r, &r, &r);
    assert_eq!(n.len(), 5);
    let emulex = on_port(&n, 8);
    assert_eq!((emulex.chassis_id.as_str(), emulex.port_id.as_str()), ("e8:39:35:1a:ca:99", "e8:39:35:1a:ca:99"));
    assert_eq!(emulex.sys_descr, "Emulex OneConnect 10Gb Multi function Adapter");
    assert_eq!(emulex.local_port, "8");
    let nexus: Vec<&Neighbour> = n.iter().filter(|n| n.local_port_num == 17).collect();
    assert_eq!(nexus.len(), 2);
    assert_eq!((nexus[0].chassis_id.as_str(), nexus[0].sys_name.as_str()), ("8c:60:4f:19:16:3a", "NWPU-CA-5548-01"));
    assert_eq!((nexus[0].port_id.as_str(), nexus[0].port_descr.as_str()), ("Eth1/19", "Ethernet1/19"));
    assert_eq!(nexus[0].mgmt_addrs, [ip("10.40.1.19")]);
    assert_eq!((nexus[1].chassis_id.as_str(), nexus[1].chassis_id_subtype), ("NWPU-CA-5548-01(SSI183706KP)", Some(7)));
    assert_eq!(nexus[1].mgmt_addrs, [ip("222.24.192.252")]);

    let c = parse_cdp(&r);
    assert_eq!(c.len(), 5);
    // The NICs' CDP device id is their MAC, in binary: kept as chassis id too.
    let nic = on_port(&c, 8);
    assert_eq!((nic.sys_name.as_str(), nic.chassis_id.as_str()), ("e8:39:35:1a:ca:99", "e8:39:35:1a:ca:99"));
    assert!(nic.mgmt_addrs.is_empty(), "address type 65535 (unknown)");
    let nexus_cdp = c.iter().find(|n| n.sys_name.starts_with("NWPU")).expect("nexus over CDP");
    assert_eq!(nexus_cdp.sys_name, "NWPU-CA-5548-01(SSI183706KP)");
    assert_eq!(nexus_cdp.mgmt_addrs, [ip("222.24.192.252")]);
    assert_eq!(nexus_cdp.port_id, "Ethernet1/19");
}

#[test]
fn nexus_and_procurve_see_each_other() {
    let nexus_rows = rows(NEXUS_5548);
    let procurve_rows = rows(PROCURVE_6120XG);
    let nexus_chassis = parse_lldp_local_chassis(&nexus_rows).expect("nexus chassis");
    let procurve_chassis = parse_lldp_local_chassis(&procurve_rows).expect("procurve chassis");
    // The names are the agents' lldpLocSysName; the Nexus's chassis MAC differs from the
    // port MAC the ProCurve hears, so the ProCurve must fall back to the name.
    let known = vec![
        known(1, &nexus_chassis, "NWPU-CA-5548-01", &[]),
        known(2, &procurve_chassis, "ProCurve 6120XG Blade Switch", &[]),
    ];

    let from_nexus = match_neighbours(id(1), &parse_lldp(&nexus_rows, &nexus_rows, &nexus_rows), &known);
    let to_procurve: Vec<&Link> = from_nexus.iter().filter(|l| l.remote_device.is_some()).collect();
    assert_eq!(to_procurve.len(), 1);
    assert_eq!((to_procurve[0].remote_device, to_procurve[0].matched_by), (Some(id(2)), Some(MatchKey::ChassisId)));

    let mut neighbours = parse_lldp(&procurve_rows, &procurve_rows, &procurve_rows);
    neighbours.extend(parse_cdp(&procurve_rows));
    let from_procurve = match_neighbours(id(2), &neighbours, &known);
    let matched: Vec<(NeighbourProtocol, &str, Option<MatchKey>)> = from_procurve
        .iter()
        .filter(|l| l.remote_device == Some(id(1)))
        .map(|l| (l.protocol, l.remote_sys_name.as_str(), l.matched_by))
        .collect();
    assert_eq!(
        matched,
        [
            (NeighbourProtocol::Lldp, "NWPU-CA-5548-01", Some(MatchKey::SysName)),
            (NeighbourProtocol::Cdp, "NWPU-CA-5548-01(SSI183706KP)", Some(MatchKey::SysName)),
        ]
    );

    // With the Nexus's address known, the address outranks the name.
    let known = vec![known_with_address(&known[0], "10.40.1.19"), known[1].clone()];
    let again = match_neighbours(id(2), &neighbours, &known);
    let by_address = again.iter().filter(|l| l.matched_by == Some(MatchKey::MgmtAddress)).count();
    assert_eq!(by_address, 2, "LLDP and CDP both carry 10.40.1.19");

    // Three NICs, each heard over LLDP and CDP, and the Nexus's second LLDP identity.
    let s = suggestions(&again);
    let ids: Vec<&str> = s.iter().map(|s| s.chassis_id.as_str()).collect();
    assert_eq!(ids, ["e8:39:35:1a:ca:99", "e8:39:35:1a:3c:65", "e8:39:35:1a:ca:91", "NWPU-CA-5548-01(SSI183706KP)"]);
}

fn known_with_address(k: &KnownDevice, address: &str) -> KnownDevice {
    KnownDevice { addresses: vec![ip(address)], ..k.clone() }
}

#[test]
fn catalyst_3560_cdp_cache() {
    let c = parse_cdp(&rows(CATALYST_3560));
    assert_eq!(c.len(), 9);
    let names: Vec<&str> = c.iter().map(|n| n.sys_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "OLD-ShiTang-WIRELESS",
            "kexuehuitang",
            "Blade-wireless",
            "zonghefuwulou-xiaochan",
            "xingzhenglou-1",
            "zichanchu",
            "RanQiLou",
            "NEW-ShiTang-WIRELESS",
            "ShiTang02",
        ]
    );
    let first = c.first().expect("neighbour");
    assert_eq!(first.local_port_num, 10149);
    assert_eq!((first.port_id.as_str(), first.platform.as_str()), ("GigabitEthernet0/2", "cisco WS-C3560-24PS"));
    assert_eq!(first.mgmt_addrs, [ip("10.1.100.181")]);
    assert!(first.sys_descr.starts_with("Cisco IOS Software, C3560 Software (C3560-IPBASE-M), Version 12.2(25)SEB4"));
    let last = c.last().expect("neighbour");
    assert_eq!((last.local_port_num, last.port_id.as_str()), (10152, "GigabitEthernet0/52"));
    assert_eq!(
        (last.platform.as_str(), last.mgmt_addrs.as_slice()),
        ("cisco WS-C3560G-48TS", &[ip("10.1.100.149")][..])
    );
}

// ---- Matching rules on small hand-made inputs ----

fn neighbour(chassis: &str, addr: Option<&str>, sys_name: &str) -> Neighbour {
    Neighbour {
        protocol: NeighbourProtocol::Lldp,
        local_port_num: 1,
        local_port: String::new(),
        chassis_id: chassis.into(),
        chassis_id_subtype: Some(4),
        port_id: "Gi0/1".into(),
        port_descr: String::new(),
        sys_name: sys_name.into(),
        sys_descr: String::new(),
        platform: String::new(),
        mgmt_addrs: addr.map(ip).into_iter().collect(),
    }
}

#[test]
fn chassis_id_beats_address_beats_sys_name() {
    let devices = [
        known(10, "00:00:00:00:00:00", "local", &["10.0.0.10"]),
        known(11, "aa:aa:aa:aa:aa:aa", "alpha", &["10.0.0.11"]),
        known(12, "bb:bb:bb:bb:bb:bb", "beta.lab.example", &["10.0.0.12"]),
        known(13, "cc:cc:cc:cc:cc:cc", "gamma", &["10.0.0.13"]),
    ];
    let cases = [
        // Chassis id (any case) of 11, address of 12, name of 13: chassis wins.
        (neighbour("AA:AA:AA:AA:AA:AA", Some("10.0.0.12"), "gamma"), Some((11, MatchKey::ChassisId))),
        // Unknown chassis: address wins over name.
        (neighbour("dd:dd:dd:dd:dd:dd", Some("10.0.0.12"), "gamma"), Some((12, MatchKey::MgmtAddress))),
        // Exact name, any case.
        (neighbour("dd:dd:dd:dd:dd:dd", Some("192.0.2.1"), "GAMMA"), Some((13, MatchKey::SysName))),
        // First DNS label on either side.
        (neighbour("", None, "BETA"), Some((12, MatchKey::SysName))),
        (neighbour("", None, "gamma.lab.example"), Some((13, MatchKey::SysName))),
        // An address is not a name: "10.0.0.13" must not label-match anything.
        (neighbour("", None, "10.0.0.13"), None),
        // An all-zero chassis id identifies nothing (the local device has one).
        (neighbour("00:00:00:00:00:00", None, ""), None),
        (neighbour("", None, ""), None),
    ];
    for (n, want) in cases {
        let links = match_neighbours(id(10), std::slice::from_ref(&n), &devices);
        let got = links.first().and_then(|l| Some((l.remote_device?, l.matched_by?)));
        assert_eq!(got, want.map(|(d, k)| (id(d), k)), "{n:?}");
        assert_eq!(links.len(), 1);
    }
}

#[test]
fn never_matches_the_local_device() {
    let devices =
        [known(1, "aa:aa:aa:aa:aa:aa", "core", &["10.0.0.1"]), known(2, "bb:bb:bb:bb:bb:bb", "edge", &["10.0.0.2"])];
    // Same address and name as the local device: not a match, but still a neighbour.
    let links = match_neighbours(id(1), &[neighbour("ee:ee:ee:ee:ee:ee", Some("10.0.0.1"), "core")], &devices);
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].remote_device, None);
    // The local device's own chassis id: it hears itself (a loop); no link, no suggestion.
    let links = match_neighbours(id(1), &[neighbour("AA:AA:AA:AA:AA:AA", Some("10.0.0.2"), "edge")], &devices);
    assert_eq!(links, []);
    // Seen from device 2, the same neighbour is device 1.
    let links = match_neighbours(id(2), &[neighbour("aa:aa:aa:aa:aa:aa", None, "")], &devices);
    assert_eq!(links[0].remote_device, Some(id(1)));
}

#[test]
fn ambiguous_matches_narrow_then_take_the_lowest_id() {
    // The same box added twice (two addresses): chassis matches both, the address decides.
    let devices = [
        known(7, "aa:aa:aa:aa:aa:aa", "dup", &["10.0.0.7"]),
        known(5, "aa:aa:aa:aa:aa:aa", "dup", &["10.0.0.5"]),
        known(6, "ff:ff:ff:ff:ff:ff", "other", &["10.0.0.7"]),
    ];
    let links = match_neighbours(id(1), &[neighbour("aa:aa:aa:aa:aa:aa", Some("10.0.0.7"), "dup")], &devices);
    assert_eq!((links[0].remote_device, links[0].matched_by), (Some(id(7)), Some(MatchKey::ChassisId)));
    // Nothing decides: the lowest id.
    let links = match_neighbours(id(1), &[neighbour("aa:aa:aa:aa:aa:aa", None, "dup")], &devices);
    assert_eq!(links[0].remote_device, Some(id(5)));
}

fn link(local: u128, remote: Option<u128>, chassis: &str, addr: Option<&str>) -> Link {
    Link {
        protocol: NeighbourProtocol::Lldp,
        local_device: id(local),
        local_port_num: 1,
        local_port: String::new(),
        remote_device: remote.map(id),
        remote_port: String::new(),
        remote_sys_name: format!("seen-from-{local}"),
        remote_chassis_id: chassis.into(),
        remote_mgmt_addr: addr.map(ip),
        matched_by: remote.map(|_| MatchKey::ChassisId),
    }
}

#[test]
fn suggestions_merge_by_chassis_id_or_address() {
    let links = [
        link(1, None, "aa:aa:aa:aa:aa:aa", None),
        link(2, None, "AA:AA:AA:AA:AA:AA", Some("10.0.0.9")),
        // Joined to the first through the address the second one carried.
        link(3, None, "", Some("10.0.0.9")),
        link(1, None, "bb:bb:bb:bb:bb:bb", Some("10.0.0.8")),
        // Matched: never a suggestion.
        link(1, Some(4), "cc:cc:cc:cc:cc:cc", Some("10.0.0.4")),
        // Nothing to merge on: each stands alone.
        link(2, None, "", None),
        link(3, None, "00:00:00:00:00:00", None),
    ];
    let s = suggestions(&links);
    let shape: Vec<(Option<IpAddr>, &str, &str, DeviceId)> =
        s.iter().map(|s| (s.address, s.chassis_id.as_str(), s.sys_name.as_str(), s.seen_from)).collect();
    assert_eq!(
        shape,
        [
            (Some(ip("10.0.0.9")), "aa:aa:aa:aa:aa:aa", "seen-from-1", id(1)),
            (Some(ip("10.0.0.8")), "bb:bb:bb:bb:bb:bb", "seen-from-1", id(1)),
            (None, "", "seen-from-2", id(2)),
            (None, "00:00:00:00:00:00", "seen-from-3", id(3)),
        ]
    );
}

#[test]
fn parents_over_a_cycle_with_an_unreachable_device() {
    // 1 - 2 - 3 - 4 - 2 (a cycle through 2, 3, 4), 4 - 5; 6 - 7 apart; 8 only unmatched.
    let links = [
        link(1, Some(2), "", None),
        link(2, Some(3), "", None),
        link(3, Some(4), "", None),
        link(4, Some(2), "", None),
        link(5, Some(4), "", None),
        link(6, Some(7), "", None),
        link(8, None, "", None),
        link(3, Some(3), "", None),
    ];
    let parents = derive_parents(&links, &[id(1)]);
    assert_eq!(parents, BTreeMap::from([(id(2), id(1)), (id(3), id(2)), (id(4), id(2)), (id(5), id(4))]));
    // Two roots: each device hangs off the nearer one. 3 is two hops from either root,
    // through 2 or through 4, and at equal distance the lower id (2) wins.
    let parents = derive_parents(&links, &[id(5), id(1)]);
    assert_eq!(parents, BTreeMap::from([(id(2), id(1)), (id(4), id(5)), (id(3), id(2))]));
    assert_eq!(derive_parents(&links, &[]), BTreeMap::new());
    assert_eq!(derive_parents(&links, &[id(9)]), BTreeMap::new());
}

#[test]
fn default_roots_pick_the_hub_of_each_group_unless_the_user_chose() {
    // Group A: 2 is linked to 1, 3 and 4 (the hub); group B: 6 - 7 (a tie: lowest id).
    let links = [
        link(1, Some(2), "", None),
        link(2, Some(3), "", None),
        link(4, Some(2), "", None),
        link(6, Some(7), "", None),
        link(7, Some(6), "", None),
        link(8, None, "", None),
    ];
    assert_eq!(default_roots(&links, &[]), vec![id(2), id(6)]);
    // A chosen root replaces the hub in its own group only; one with no links stays a root.
    assert_eq!(default_roots(&links, &[id(4), id(9)]), vec![id(4), id(6), id(9)]);
    let parents = derive_parents(&links, &default_roots(&links, &[]));
    assert_eq!(parents, BTreeMap::from([(id(1), id(2)), (id(3), id(2)), (id(4), id(2)), (id(7), id(6))]));
    assert!(default_roots(&[], &[]).is_empty());
}

#[test]
fn latest_time_mark_wins_and_addresses_follow_it() {
    let text = "\
1.0.8802.1.1.2.1.4.1.1.9.100.3.1|4|old-name
1.0.8802.1.1.2.1.4.1.1.4.100.3.1|2|4
1.0.8802.1.1.2.1.4.1.1.5.100.3.1|4x|000000000001
1.0.8802.1.1.2.1.4.1.1.9.200.3.1|4|new-name
1.0.8802.1.1.2.1.4.1.1.9.150.3.1|4|stale
1.0.8802.1.1.2.1.4.1.1.9.200.3.1|2|5
1.0.8802.1.1.2.1.4.2.1.3.100.3.1.1.4.192.0.2.1|2|2
1.0.8802.1.1.2.1.4.2.1.3.200.3.1.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1|2|2
1.0.8802.1.1.2.1.4.2.1.3.200.3.1.1.4.192.0.2.9|2|2
1.0.8802.1.1.2.1.4.2.1.3.200.3.1.1.5.192.0.2.9|2|2
1.0.8802.1.1.2.1.4.2.1.3.200.3.1.1.4.192.0.2.999|2|2
1.0.8802.1.1.2.1.4.2.1.3.200.3.1.6.6.1.2.3.4.5.6|2|2
1.0.8802.1.1.2.1.3.7.1.2.3|2|5
1.0.8802.1.1.2.1.3.7.1.3.3|4|Gi0/3
1.0.8802.1.1.2.1.3.7.1.4.3|4|GigabitEthernet0/3
";
    let n = lldp(text);
    assert_eq!(n.len(), 1);
    let n = &n[0];
    assert_eq!(n.sys_name, "new-name");
    assert_eq!((n.chassis_id.as_str(), n.chassis_id_subtype), ("", None), "columns of the older mark are dropped");
    assert_eq!(n.mgmt_addrs, [ip("192.0.2.9"), ip("2001:db8::1")]);
    assert_eq!(n.local_port, "Gi0/3", "an interfaceName id is the port's name");
}

#[test]
fn local_chassis_id_needs_a_usable_value() {
    // network/switch/dptech-dpx800-a5 answers lldpLocChassisId with six zero octets.
    let zeros = "1.0.8802.1.1.2.1.3.1.0|2|4\n1.0.8802.1.1.2.1.3.2.0|4x|000000000000";
    assert_eq!(parse_lldp_local_chassis(&rows(zeros)), None);
    assert_eq!(parse_lldp_local_chassis(&rows("1.0.8802.1.1.2.1.3.1.0|2|4")), None);
    let text = "1.0.8802.1.1.2.1.3.1.0|2|7\n1.0.8802.1.1.2.1.3.2.0|4|core-1";
    assert_eq!(parse_lldp_local_chassis(&rows(text)).as_deref(), Some("core-1"));
}

#[test]
fn link_and_neighbour_serialise_in_camel_case() {
    let json = serde_json::to_value(link(1, Some(2), "aa:aa:aa:aa:aa:aa", Some("10.0.0.2"))).expect("json");
    assert_eq!(json["remoteMgmtAddr"], "10.0.0.2");
    assert_eq!(json["matchedBy"], "chassisId");
    assert_eq!(json["protocol"], "lldp");
}

// ---- Nothing from an agent can make these panic ----

fn arb_value() -> impl Strategy<Value = RawValue> {
    prop_oneof![
        any::<i64>().prop_map(RawValue::Int),
        any::<u64>().prop_map(RawValue::Uint),
        proptest::collection::vec(any::<u8>(), 0..20).prop_map(RawValue::Octets),
        proptest::collection::vec(any::<u32>(), 0..6).prop_map(RawValue::Oid),
        any::<[u8; 4]>().prop_map(RawValue::Ip),
        Just(RawValue::Null),
    ]
}

fn arb_row() -> impl Strategy<Value = MibRow> {
    let prefixes: Vec<Vec<u32>> = vec![
        vec![1, 0, 8802, 1, 1, 2, 1, 4, 1, 1],
        vec![1, 0, 8802, 1, 1, 2, 1, 4, 2, 1],
        vec![1, 0, 8802, 1, 1, 2, 1, 3, 7, 1],
        vec![1, 0, 8802, 1, 1, 2, 1, 3],
        vec![1, 3, 6, 1, 4, 1, 9, 9, 23, 1, 2, 1, 1],
        vec![],
    ];
    let tail = proptest::collection::vec(prop_oneof![0u32..20, 250u32..260, any::<u32>()], 0..12);
    (proptest::sample::select(prefixes), tail, arb_value()).prop_map(|(mut oid, tail, value)| {
        oid.extend(tail);
        MibRow::new(oid, value)
    })
}

proptest! {
    #[test]
    fn parsers_and_matching_are_total(rows in proptest::collection::vec(arb_row(), 0..80)) {
        let mut neighbours = parse_lldp(&rows, &rows, &rows);
        neighbours.extend(parse_cdp(&rows));
        let _ = parse_lldp_local_chassis(&rows);
        let known: Vec<KnownDevice> = neighbours
            .iter()
            .enumerate()
            .map(|(i, n)| KnownDevice {
                id: id(i as u128 % 3),
                addresses: n.mgmt_addrs.clone(),
                sys_name: n.sys_name.clone(),
                chassis_ids: vec![n.chassis_id.clone()],
            })
            .collect();
        let links = match_neighbours(id(0), &neighbours, &known);
        prop_assert!(links.len() <= neighbours.len());
        prop_assert!(links.iter().all(|l| l.remote_device != Some(id(0))));
        let s = suggestions(&links);
        prop_assert!(s.len() <= links.len());
        let parents = derive_parents(&links, &[id(0)]);
        prop_assert!(!parents.contains_key(&id(0)));
    }
}

/// network/router/juniper-mx960-13-3r9-13 (re0-SNNU-CA-CORE-1): lldpLocChassisId, lldpRemTable
/// columns 4-10, lldpRemManAddrTable, and the lldpLocPortTable rows of the ports with neighbours.
const JUNIPER_CA_CORE_1: &str = r#"
1.0.8802.1.1.2.1.3.1.0|2|4
1.0.8802.1.1.2.1.3.2.0|4x|a8d0e5f5afc0
1.0.8802.1.1.2.1.3.7.1.2.568|2|7
1.0.8802.1.1.2.1.3.7.1.2.584|2|7
1.0.8802.1.1.2.1.3.7.1.2.606|2|7
1.0.8802.1.1.2.1.3.7.1.2.607|2|7
1.0.8802.1.1.2.1.3.7.1.2.628|2|7
1.0.8802.1.1.2.1.3.7.1.2.631|2|7
1.0.8802.1.1.2.1.3.7.1.3.568|4|568
1.0.8802.1.1.2.1.3.7.1.3.584|4|584
1.0.8802.1.1.2.1.3.7.1.3.606|4|606
1.0.8802.1.1.2.1.3.7.1.3.607|4|607
1.0.8802.1.1.2.1.3.7.1.3.628|4|628
1.0.8802.1.1.2.1.3.7.1.3.631|4|631
1.0.8802.1.1.2.1.3.7.1.4.568|4x|534e4e552d43412d54755368754775616e
1.0.8802.1.1.2.1.3.7.1.4.584|4x|436f6e6e65637420746f20534e4e552d43412d4a53512d37353036453a3a6769322f302f3438
1.0.8802.1.1.2.1.3.7.1.4.606|4x|4461746143656e7465722d4465766963652d4d616e6167656d656e74
1.0.8802.1.1.2.1.3.7.1.4.607|4x|534e4e552d43412d596f7545725975616e
1.0.8802.1.1.2.1.3.7.1.4.628|4x|436f6e6e65637420746f20534e4e552d59542d434f52452d313a3a78652d312f322f30
1.0.8802.1.1.2.1.3.7.1.4.631|4x|436f6e6e65637420746f20534e4e552d43412d434f52452d323a3a78652d302f322f30
1.0.8802.1.1.2.1.4.1.1.4.164.606.1|2|4
1.0.8802.1.1.2.1.4.1.1.4.5586666.584.26|2|4
1.0.8802.1.1.2.1.4.1.1.4.5605324.568.27|2|4
1.0.8802.1.1.2.1.4.1.1.4.6402318.628.28|2|4
1.0.8802.1.1.2.1.4.1.1.4.8726166.607.29|2|4
1.0.8802.1.1.2.1.4.1.1.4.8824808.631.31|2|4
1.0.8802.1.1.2.1.4.1.1.5.164.606.1|4x|3822d6b331b5
1.0.8802.1.1.2.1.4.1.1.5.5586666.584.26|4x|000fe2b37194
1.0.8802.1.1.2.1.4.1.1.5.5605324.568.27|4x|60da83092e00
1.0.8802.1.1.2.1.4.1.1.5.6402318.628.28|4x|a8d0e5f617c0
1.0.8802.1.1.2.1.4.1.1.5.8726166.607.29|4x|002389912303
1.0.8802.1.1.2.1.4.1.1.5.8824808.631.31|4x|a8d0e5f7f7c0
1.0.8802.1.1.2.1.4.1.1.6.164.606.1|2|5
1.0.8802.1.1.2.1.4.1.1.6.5586666.584.26|2|5
1.0.8802.1.1.2.1.4.1.1.6.5605324.568.27|2|5
1.0.8802.1.1.2.1.4.1.1.6.6402318.628.28|2|7
1.0.8802.1.1.2.1.4.1.1.6.8726166.607.29|2|5
1.0.8802.1.1.2.1.4.1.1.6.8824808.631.31|2|5
1.0.8802.1.1.2.1.4.1.1.7.164.606.1|4x|4769676162697445746865726e6574312f312f31
1.0.8802.1.1.2.1.4.1.1.7.5586666.584.26|4x|4769676162697445746865726e6574322f302f3438
1.0.8802.1.1.2.1.4.1.1.7.5605324.568.27|4x|4769676162697445746865726e6574302f302f3131
1.0.8802.1.1.2.1.4.1.1.7.6402318.628.28|4|611
1.0.8802.1.1.2.1.4.1.1.7.8726166.607.29|4x|4769676162697445746865726e6574312f302f3235
1.0.8802.1.1.2.1.4.1.1.7.8824808.631.31|4x|78652d332f302f30
1.0.8802.1.1.2.1.4.1.1.8.164.606.1|4x|4769676162697445746865726e6574312f312f3120496e74657266616365
1.0.8802.1.1.2.1.4.1.1.8.5586666.584.26|4x|4769676162697445746865726e6574322f302f343820496e74657266616365
1.0.8802.1.1.2.1.4.1.1.8.5605324.568.27|4x|6c696e6b5f4657343230322d45544833
1.0.8802.1.1.2.1.4.1.1.8.6402318.628.28|4x|436f6e6e65637420746f20534e4e552d43412d434f52452d313a3a78652d312f322f30
1.0.8802.1.1.2.1.4.1.1.8.8726166.607.29|4x|4769676162697445746865726e6574312f302f323520496e74657266616365
1.0.8802.1.1.2.1.4.1.1.8.8824808.631.31|4x|436f6e6e65637420746f20534e4e552d43412d434f52452d313a3a78652d332f302f30
1.0.8802.1.1.2.1.4.1.1.9.164.606.1|4x|4443474c2d5335383030
1.0.8802.1.1.2.1.4.1.1.9.5586666.584.26|4x|534e4e552d43412d436f72652d4a53512d423130
1.0.8802.1.1.2.1.4.1.1.9.5605324.568.27|4x|534e4e555f4c6962
1.0.8802.1.1.2.1.4.1.1.9.6402318.628.28|4x|7265302d534e4e552d59542d434f52452d31
1.0.8802.1.1.2.1.4.1.1.9.8726166.607.29|4x|534e4e552d43412d4167672d4247512d5945592d32462d30
1.0.8802.1.1.2.1.4.1.1.9.8824808.631.31|4x|7265302d534e4e552d43412d434f52452d32
1.0.8802.1.1.2.1.4.1.1.10.164.606.1|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652031323131
1.0.8802.1.1.2.1.4.1.1.10.5586666.584.26|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652036373033
1.0.8802.1.1.2.1.4.1.1.10.5605324.568.27|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20372e312e3034352c2052656c656173652037313834
1.0.8802.1.1.2.1.4.1.1.10.6402318.628.28|4x|4a756e69706572204e6574776f726b732c20496e632e206d78393630202c2076657273696f6e2031322e3352362e36204275696c6420646174653a20323031342d30332d31332030373a32303a31382055544320
1.0.8802.1.1.2.1.4.1.1.10.8726166.607.29|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302052656c656173652032323032503132
1.0.8802.1.1.2.1.4.1.1.10.8824808.631.31|4x|4a756e69706572204e6574776f726b732c20496e632e206d7839363020696e7465726e657420726f757465722c206b65726e656c204a554e4f532031362e3152362e372c204275696c6420646174653a20323031372d31312d32322030323a34353a31382055544320436f707972696768742028632920313939362d32303137204a756e69706572204e6574776f726b732c20496e632e
1.0.8802.1.1.2.1.4.2.1.3.164.606.1.1.4.10.196.0.18|2|2
1.0.8802.1.1.2.1.4.2.1.3.5586666.584.26.1.4.202.117.145.174|2|2
1.0.8802.1.1.2.1.4.2.1.3.5605324.568.27.1.4.219.244.183.74|2|2
1.0.8802.1.1.2.1.4.2.1.3.6402318.628.28.1.4.192.168.2.5|2|2
1.0.8802.1.1.2.1.4.2.1.3.8726166.607.29.1.4.202.117.145.178|2|2
1.0.8802.1.1.2.1.4.2.1.3.8824808.631.31.1.4.192.168.2.3|2|2
1.0.8802.1.1.2.1.4.2.1.4.164.606.1.1.4.10.196.0.18|2|49
1.0.8802.1.1.2.1.4.2.1.4.5586666.584.26.1.4.202.117.145.174|2|53
1.0.8802.1.1.2.1.4.2.1.4.5605324.568.27.1.4.219.244.183.74|2|11
1.0.8802.1.1.2.1.4.2.1.4.6402318.628.28.1.4.192.168.2.5|2|1
1.0.8802.1.1.2.1.4.2.1.4.8726166.607.29.1.4.202.117.145.178|2|30
1.0.8802.1.1.2.1.4.2.1.4.8824808.631.31.1.4.192.168.2.3|2|1
1.0.8802.1.1.2.1.4.2.1.5.164.606.1.1.4.10.196.0.18|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.5586666.584.26.1.4.202.117.145.174|6|0.0
"#;

/// network/router/juniper-mx960-12-3r6-6 (re0-SNNU-YT-CORE-1): as above.
const JUNIPER_YT_CORE_1: &str = r#"
1.0.8802.1.1.2.1.3.1.0|2|4
1.0.8802.1.1.2.1.3.2.0|4x|a8d0e5f617c0
1.0.8802.1.1.2.1.3.7.1.2.563|2|7
1.0.8802.1.1.2.1.3.7.1.2.578|2|7
1.0.8802.1.1.2.1.3.7.1.2.579|2|7
1.0.8802.1.1.2.1.3.7.1.2.580|2|7
1.0.8802.1.1.2.1.3.7.1.2.581|2|7
1.0.8802.1.1.2.1.3.7.1.2.585|2|7
1.0.8802.1.1.2.1.3.7.1.2.589|2|7
1.0.8802.1.1.2.1.3.7.1.2.590|2|7
1.0.8802.1.1.2.1.3.7.1.2.591|2|7
1.0.8802.1.1.2.1.3.7.1.2.594|2|7
1.0.8802.1.1.2.1.3.7.1.2.606|2|7
1.0.8802.1.1.2.1.3.7.1.2.611|2|7
1.0.8802.1.1.2.1.3.7.1.2.612|2|7
1.0.8802.1.1.2.1.3.7.1.3.563|4|563
1.0.8802.1.1.2.1.3.7.1.3.578|4|578
1.0.8802.1.1.2.1.3.7.1.3.579|4|579
1.0.8802.1.1.2.1.3.7.1.3.580|4|580
1.0.8802.1.1.2.1.3.7.1.3.581|4|581
1.0.8802.1.1.2.1.3.7.1.3.585|4|585
1.0.8802.1.1.2.1.3.7.1.3.589|4|589
1.0.8802.1.1.2.1.3.7.1.3.590|4|590
1.0.8802.1.1.2.1.3.7.1.3.591|4|591
1.0.8802.1.1.2.1.3.7.1.3.594|4|594
1.0.8802.1.1.2.1.3.7.1.3.606|4|606
1.0.8802.1.1.2.1.3.7.1.3.611|4|611
1.0.8802.1.1.2.1.3.7.1.3.612|4|612
1.0.8802.1.1.2.1.3.7.1.4.563|4x|534e4e552d59542d5469616e4a696142696e
1.0.8802.1.1.2.1.3.7.1.4.578|4x|534e4e552d59542d5761695368694c6f75
1.0.8802.1.1.2.1.3.7.1.4.579|4x|534e4e552d59542d50656958756e5875655975616e
1.0.8802.1.1.2.1.3.7.1.4.580|4x|534e4e552d59542d7875657a697368696675
1.0.8802.1.1.2.1.3.7.1.4.581|4x|534e4e552d59542d4a69616f314c6f75
1.0.8802.1.1.2.1.3.7.1.4.585|4x|436f6e6e65637420746f20534e4e552d59542d434f52452d323a3a78652d302f322f30
1.0.8802.1.1.2.1.3.7.1.4.589|4x|534e4e552d59542d54755368754775616e
1.0.8802.1.1.2.1.3.7.1.4.590|4x|534e4e552d59542d43687542616e536865
1.0.8802.1.1.2.1.3.7.1.4.591|4x|534e4e552d59542d58696e675a68656e674c6f75
1.0.8802.1.1.2.1.3.7.1.4.594|4x|534e4e552d59542d736e65736572766572
1.0.8802.1.1.2.1.3.7.1.4.606|4x|436f6e6e65637420746f20534e4e552d59542d4a53512d37353036453a3a67692d322f302f31
1.0.8802.1.1.2.1.3.7.1.4.611|4x|436f6e6e65637420746f20534e4e552d43412d434f52452d313a3a78652d312f322f30
1.0.8802.1.1.2.1.3.7.1.4.612|4x|436f6e6e6563742d746f2d53747564656e742d2d59542d534e2d37353036452d54656e2d6769322f302f31
1.0.8802.1.1.2.1.4.1.1.4.160.611.7|2|4
1.0.8802.1.1.2.1.4.1.1.4.1479036.594.26|2|4
1.0.8802.1.1.2.1.4.1.1.4.3595148.581.39|2|4
1.0.8802.1.1.2.1.4.1.1.4.4669600.606.66|2|4
1.0.8802.1.1.2.1.4.1.1.4.4670370.580.68|2|4
1.0.8802.1.1.2.1.4.1.1.4.4671778.563.72|2|4
1.0.8802.1.1.2.1.4.1.1.4.5462731.579.75|2|4
1.0.8802.1.1.2.1.4.1.1.4.6398573.589.79|2|4
1.0.8802.1.1.2.1.4.1.1.4.6398805.591.80|2|4
1.0.8802.1.1.2.1.4.1.1.4.8221726.585.87|2|4
1.0.8802.1.1.2.1.4.1.1.4.8240048.578.88|2|4
1.0.8802.1.1.2.1.4.1.1.4.8244388.612.89|2|4
1.0.8802.1.1.2.1.4.1.1.4.8581873.590.91|2|4
1.0.8802.1.1.2.1.4.1.1.5.160.611.7|4x|a8d0e5f5afc0
1.0.8802.1.1.2.1.4.1.1.5.1479036.594.26|4x|0023893c2d27
1.0.8802.1.1.2.1.4.1.1.5.3595148.581.39|4x|002389ec39f6
1.0.8802.1.1.2.1.4.1.1.5.4669600.606.66|4x|000fe2b37216
1.0.8802.1.1.2.1.4.1.1.5.4670370.580.68|4x|70f96ddff01f
1.0.8802.1.1.2.1.4.1.1.5.4671778.563.72|4x|70f96ddfeb0f
1.0.8802.1.1.2.1.4.1.1.5.5462731.579.75|4x|70f96ddfeb60
1.0.8802.1.1.2.1.4.1.1.5.6398573.589.79|4x|5cdd701ca3fc
1.0.8802.1.1.2.1.4.1.1.5.6398805.591.80|4x|70f96ddff859
1.0.8802.1.1.2.1.4.1.1.5.8221726.585.87|4x|a8d0e5f7b7c0
1.0.8802.1.1.2.1.4.1.1.5.8240048.578.88|4x|70f96ddfed97
1.0.8802.1.1.2.1.4.1.1.5.8244388.612.89|4x|00238970712b
1.0.8802.1.1.2.1.4.1.1.5.8581873.590.91|4x|70f96ddfe140
1.0.8802.1.1.2.1.4.1.1.6.160.611.7|2|7
1.0.8802.1.1.2.1.4.1.1.6.1479036.594.26|2|5
1.0.8802.1.1.2.1.4.1.1.6.3595148.581.39|2|5
1.0.8802.1.1.2.1.4.1.1.6.4669600.606.66|2|5
1.0.8802.1.1.2.1.4.1.1.6.4670370.580.68|2|5
1.0.8802.1.1.2.1.4.1.1.6.4671778.563.72|2|5
1.0.8802.1.1.2.1.4.1.1.6.5462731.579.75|2|5
1.0.8802.1.1.2.1.4.1.1.6.6398573.589.79|2|5
1.0.8802.1.1.2.1.4.1.1.6.6398805.591.80|2|5
1.0.8802.1.1.2.1.4.1.1.6.8221726.585.87|2|7
1.0.8802.1.1.2.1.4.1.1.6.8240048.578.88|2|5
1.0.8802.1.1.2.1.4.1.1.6.8244388.612.89|2|5
1.0.8802.1.1.2.1.4.1.1.6.8581873.590.91|2|5
1.0.8802.1.1.2.1.4.1.1.7.160.611.7|4|628
1.0.8802.1.1.2.1.4.1.1.7.1479036.594.26|4x|54656e2d4769676162697445746865726e6574312f302f3235
1.0.8802.1.1.2.1.4.1.1.7.3595148.581.39|4x|4769676162697445746865726e6574312f302f3439
1.0.8802.1.1.2.1.4.1.1.7.4669600.606.66|4x|4769676162697445746865726e6574322f302f31
1.0.8802.1.1.2.1.4.1.1.7.4670370.580.68|4x|54656e2d4769676162697445746865726e6574312f302f3237
1.0.8802.1.1.2.1.4.1.1.7.4671778.563.72|4x|54656e2d4769676162697445746865726e6574312f302f3238
1.0.8802.1.1.2.1.4.1.1.7.5462731.579.75|4x|54656e2d4769676162697445746865726e6574312f302f3238
1.0.8802.1.1.2.1.4.1.1.7.6398573.589.79|4x|4769676162697445746865726e6574312f302f3235
1.0.8802.1.1.2.1.4.1.1.7.6398805.591.80|4x|54656e2d4769676162697445746865726e6574312f302f3238
1.0.8802.1.1.2.1.4.1.1.7.8221726.585.87|4|642
1.0.8802.1.1.2.1.4.1.1.7.8240048.578.88|4x|54656e2d4769676162697445746865726e6574312f302f3238
1.0.8802.1.1.2.1.4.1.1.7.8244388.612.89|4x|54656e2d4769676162697445746865726e6574322f302f31
1.0.8802.1.1.2.1.4.1.1.7.8581873.590.91|4x|54656e2d4769676162697445746865726e6574312f302f3238
1.0.8802.1.1.2.1.4.1.1.8.160.611.7|4x|436f6e6e65637420746f20534e4e552d59542d434f52452d313a3a78652d312f322f30
1.0.8802.1.1.2.1.4.1.1.8.1479036.594.26|4x|54656e2d4769676162697445746865726e6574312f302f323520496e74657266616365
1.0.8802.1.1.2.1.4.1.1.8.3595148.581.39|4x|544f2d574c5a582d31304b
1.0.8802.1.1.2.1.4.1.1.8.4669600.606.66|4x|534e4e552d59542d4d583936305f313a3a67652d312f312f37
1.0.8802.1.1.2.1.4.1.1.8.4670370.580.68|4x|746f2d77696669
1.0.8802.1.1.2.1.4.1.1.8.4671778.563.72|4x|54656e2d4769676162697445746865726e6574312f302f323820496e74657266616365
1.0.8802.1.1.2.1.4.1.1.8.5462731.579.75|4|uplink
1.0.8802.1.1.2.1.4.1.1.8.6398573.589.79|4x|4769676162697445746865726e6574312f302f323520496e74657266616365
1.0.8802.1.1.2.1.4.1.1.8.6398805.591.80|4x|75706c696e6b206d783936305f31
1.0.8802.1.1.2.1.4.1.1.8.8221726.585.87|4x|436f6e6e65637420746f20534e4e552d59542d434f52452d313a3a78652d302f322f30
1.0.8802.1.1.2.1.4.1.1.8.8240048.578.88|4|uplink
1.0.8802.1.1.2.1.4.1.1.8.8244388.612.89|4x|534e4e552d59542d4d583936305f313a3a78652d312f322f31
1.0.8802.1.1.2.1.4.1.1.8.8581873.590.91|4|uplink
1.0.8802.1.1.2.1.4.1.1.9.160.611.7|4x|7265302d534e4e552d43412d434f52452d31
1.0.8802.1.1.2.1.4.1.1.9.1479036.594.26|4x|6833632d353830306f7574
1.0.8802.1.1.2.1.4.1.1.9.3595148.581.39|4x|53442d35383030
1.0.8802.1.1.2.1.4.1.1.9.4669600.606.66|4x|534e4e552d59542d436f72652d4a53512d33362d31
1.0.8802.1.1.2.1.4.1.1.9.4670370.580.68|4x|d1a7d7d3cab3b8ae
1.0.8802.1.1.2.1.4.1.1.9.4671778.563.72|4x|534e4e552d59542d4167672d4247512d544a422d30
1.0.8802.1.1.2.1.4.1.1.9.5462731.579.75|4x|c5e0d1b5d1a7d4ba2d5335383030
1.0.8802.1.1.2.1.4.1.1.9.6398573.589.79|4|TuShuGuan
1.0.8802.1.1.2.1.4.1.1.9.6398805.591.80|4|xingzhenglou
1.0.8802.1.1.2.1.4.1.1.9.8221726.585.87|4x|7265302d534e4e552d59542d434f52452d32
1.0.8802.1.1.2.1.4.1.1.9.8240048.578.88|4x|cde2cac2c2a52d5335383030
1.0.8802.1.1.2.1.4.1.1.9.8244388.612.89|4x|594a532d5855455348454e472d3735303645
1.0.8802.1.1.2.1.4.1.1.9.8581873.590.91|4x|b3f6b0e6c9e72d5335383030
1.0.8802.1.1.2.1.4.1.1.10.160.611.7|4x|4a756e69706572204e6574776f726b732c20496e632e206d78393630202c2076657273696f6e2031332e3352392e3133204275696c6420646174653a20323031362d30332d30312030373a34383a33382055544320
1.0.8802.1.1.2.1.4.1.1.10.1479036.594.26|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c204553532031313036
1.0.8802.1.1.2.1.4.1.1.10.3595148.581.39|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652031313039503031
1.0.8802.1.1.2.1.4.1.1.10.4669600.606.66|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652036373033
1.0.8802.1.1.2.1.4.1.1.10.4670370.580.68|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652031383038503132
1.0.8802.1.1.2.1.4.1.1.10.4671778.563.72|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652031383038503132
1.0.8802.1.1.2.1.4.1.1.10.5462731.579.75|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652031383038503132
1.0.8802.1.1.2.1.4.1.1.10.6398573.589.79|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302052656c656173652032323230503032
1.0.8802.1.1.2.1.4.1.1.10.6398805.591.80|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652031383038503132
1.0.8802.1.1.2.1.4.1.1.10.8221726.585.87|4x|4a756e69706572204e6574776f726b732c20496e632e206d7839363020696e7465726e657420726f757465722c206b65726e656c204a554e4f532031362e3152362e372c204275696c6420646174653a20323031372d31312d32322030323a34353a31382055544320436f707972696768742028632920313939362d32303137204a756e69706572204e6574776f726b732c20496e632e
1.0.8802.1.1.2.1.4.1.1.10.8240048.578.88|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652031383038503132
1.0.8802.1.1.2.1.4.1.1.10.8244388.612.89|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652036373033
1.0.8802.1.1.2.1.4.1.1.10.8581873.590.91|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652031383038503132
1.0.8802.1.1.2.1.4.2.1.3.160.611.7.1.4.192.168.2.1|2|2
1.0.8802.1.1.2.1.4.2.1.3.1479036.594.26.1.4.202.117.145.102|2|2
1.0.8802.1.1.2.1.4.2.1.3.3595210.581.39.1.4.202.117.145.106|2|2
1.0.8802.1.1.2.1.4.2.1.3.4669600.606.66.1.4.202.117.145.94|2|2
1.0.8802.1.1.2.1.4.2.1.3.4670370.580.68.1.4.202.117.145.62|2|2
1.0.8802.1.1.2.1.4.2.1.3.4671778.563.72.1.4.202.117.145.10|2|2
1.0.8802.1.1.2.1.4.2.1.3.5462731.579.75.1.4.202.117.145.58|2|2
1.0.8802.1.1.2.1.4.2.1.3.6398573.589.79.1.4.202.117.145.34|2|2
1.0.8802.1.1.2.1.4.2.1.3.6398805.591.80.1.4.202.117.145.114|2|2
1.0.8802.1.1.2.1.4.2.1.3.8221726.585.87.1.4.192.168.2.7|2|2
1.0.8802.1.1.2.1.4.2.1.3.8240048.578.88.1.4.202.117.145.250|2|2
1.0.8802.1.1.2.1.4.2.1.3.8244388.612.89.1.4.10.0.101.254|2|2
1.0.8802.1.1.2.1.4.2.1.3.8581873.590.91.1.4.202.117.145.66|2|2
1.0.8802.1.1.2.1.4.2.1.4.160.611.7.1.4.192.168.2.1|2|1
1.0.8802.1.1.2.1.4.2.1.4.1479036.594.26.1.4.202.117.145.102|2|32
1.0.8802.1.1.2.1.4.2.1.4.3595210.581.39.1.4.202.117.145.106|2|167
1.0.8802.1.1.2.1.4.2.1.4.4669600.606.66.1.4.202.117.145.94|2|55
1.0.8802.1.1.2.1.4.2.1.4.4670370.580.68.1.4.202.117.145.62|2|31
1.0.8802.1.1.2.1.4.2.1.4.4671778.563.72.1.4.202.117.145.10|2|40
1.0.8802.1.1.2.1.4.2.1.4.5462731.579.75.1.4.202.117.145.58|2|38
1.0.8802.1.1.2.1.4.2.1.4.6398573.589.79.1.4.202.117.145.34|2|32
1.0.8802.1.1.2.1.4.2.1.4.6398805.591.80.1.4.202.117.145.114|2|46
1.0.8802.1.1.2.1.4.2.1.4.8221726.585.87.1.4.192.168.2.7|2|1
1.0.8802.1.1.2.1.4.2.1.4.8240048.578.88.1.4.202.117.145.250|2|38
1.0.8802.1.1.2.1.4.2.1.4.8244388.612.89.1.4.10.0.101.254|2|64
1.0.8802.1.1.2.1.4.2.1.4.8581873.590.91.1.4.202.117.145.66|2|37
1.0.8802.1.1.2.1.4.2.1.5.160.611.7.1.4.192.168.2.1|6|1.3.6.1.2.1.31.1.1.1.1.1
1.0.8802.1.1.2.1.4.2.1.5.1479036.594.26.1.4.202.117.145.102|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.3595210.581.39.1.4.202.117.145.106|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.4669600.606.66.1.4.202.117.145.94|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.4670370.580.68.1.4.202.117.145.62|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.4671778.563.72.1.4.202.117.145.10|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.5462731.579.75.1.4.202.117.145.58|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.6398573.589.79.1.4.202.117.145.34|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.6398805.591.80.1.4.202.117.145.114|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.8221726.585.87.1.4.192.168.2.7|6|1.3.6.1.2.1.31.1.1.1.1.1
1.0.8802.1.1.2.1.4.2.1.5.8240048.578.88.1.4.202.117.145.250|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.8244388.612.89.1.4.10.0.101.254|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.8581873.590.91.1.4.202.117.145.66|6|0.0
"#;

/// network/router/juniper-mx960-16-1r6-7-a (re0-SNNU-CA-CORE-2): lldpLocChassisId and only three of
/// its twenty neighbours: the two cores and SNNU-CA-Core-JSQ-B10, which CA-CORE-1 also sees.
const JUNIPER_CA_CORE_2: &str = r#"
1.0.8802.1.1.2.1.3.1.0|2|4
1.0.8802.1.1.2.1.3.2.0|4x|a8d0e5f7f7c0
1.0.8802.1.1.2.1.3.7.1.2.725|2|5
1.0.8802.1.1.2.1.3.7.1.2.857|2|5
1.0.8802.1.1.2.1.3.7.1.2.859|2|5
1.0.8802.1.1.2.1.3.7.1.3.725|4x|67652d312f312f34
1.0.8802.1.1.2.1.3.7.1.3.857|4x|78652d332f302f30
1.0.8802.1.1.2.1.3.7.1.3.859|4x|78652d332f312f31
1.0.8802.1.1.2.1.3.7.1.4.725|4x|436f6e6e65637420746f20534e4e552d43412d4a53512d37353036453a3a6769322f302f3437
1.0.8802.1.1.2.1.3.7.1.4.857|4x|436f6e6e65637420746f20534e4e552d43412d434f52452d313a3a78652d332f302f30
1.0.8802.1.1.2.1.3.7.1.4.859|4x|436f6e6e65637420746f20534e4e552d59542d434f52452d323a3a78652d332f312f31
1.0.8802.1.1.2.1.4.1.1.4.139.725.9|2|4
1.0.8802.1.1.2.1.4.1.1.4.2105.857.22|2|4
1.0.8802.1.1.2.1.4.1.1.4.2742.859.23|2|4
1.0.8802.1.1.2.1.4.1.1.5.139.725.9|4x|000fe2b37194
1.0.8802.1.1.2.1.4.1.1.5.2105.857.22|4x|a8d0e5f5afc0
1.0.8802.1.1.2.1.4.1.1.5.2742.859.23|4x|a8d0e5f7b7c0
1.0.8802.1.1.2.1.4.1.1.6.139.725.9|2|5
1.0.8802.1.1.2.1.4.1.1.6.2105.857.22|2|7
1.0.8802.1.1.2.1.4.1.1.6.2742.859.23|2|7
1.0.8802.1.1.2.1.4.1.1.7.139.725.9|4x|4769676162697445746865726e6574322f302f3437
1.0.8802.1.1.2.1.4.1.1.7.2105.857.22|4|631
1.0.8802.1.1.2.1.4.1.1.7.2742.859.23|4|760
1.0.8802.1.1.2.1.4.1.1.8.139.725.9|4x|5c22436f6e6e65637420746f20534e4e552d43412d434f52452d325c22
1.0.8802.1.1.2.1.4.1.1.8.2105.857.22|4x|436f6e6e65637420746f20534e4e552d43412d434f52452d323a3a78652d302f322f30
1.0.8802.1.1.2.1.4.1.1.8.2742.859.23|4x|436f6e6e65637420746f20534e4e552d43412d434f52452d323a3a78652d312f322f30
1.0.8802.1.1.2.1.4.1.1.9.139.725.9|4x|534e4e552d43412d436f72652d4a53512d423130
1.0.8802.1.1.2.1.4.1.1.9.2105.857.22|4x|7265302d534e4e552d43412d434f52452d31
1.0.8802.1.1.2.1.4.1.1.9.2742.859.23|4x|7265302d534e4e552d59542d434f52452d32
1.0.8802.1.1.2.1.4.1.1.10.139.725.9|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652036373033
1.0.8802.1.1.2.1.4.1.1.10.2105.857.22|4x|4a756e69706572204e6574776f726b732c20496e632e206d78393630202c2076657273696f6e2031332e3352392e3133204275696c6420646174653a20323031362d30332d30312030373a34383a33382055544320
1.0.8802.1.1.2.1.4.1.1.10.2742.859.23|4x|4a756e69706572204e6574776f726b732c20496e632e206d7839363020696e7465726e657420726f757465722c206b65726e656c204a554e4f532031362e3152362e372c204275696c6420646174653a20323031372d31312d32322030323a34353a31382055544320436f707972696768742028632920313939362d32303137204a756e69706572204e6574776f726b732c20496e632e
1.0.8802.1.1.2.1.4.2.1.3.139.725.9.1.4.202.117.145.174|2|2
1.0.8802.1.1.2.1.4.2.1.3.2105.857.22.1.4.192.168.2.1|2|2
1.0.8802.1.1.2.1.4.2.1.3.2742.859.23.1.4.192.168.2.7|2|2
1.0.8802.1.1.2.1.4.2.1.4.139.725.9.1.4.202.117.145.174|2|53
1.0.8802.1.1.2.1.4.2.1.4.2105.857.22.1.4.192.168.2.1|2|1
1.0.8802.1.1.2.1.4.2.1.4.2742.859.23.1.4.192.168.2.7|2|1
1.0.8802.1.1.2.1.4.2.1.5.139.725.9.1.4.202.117.145.174|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.2105.857.22.1.4.192.168.2.1|6|1.3.6.1.2.1.31.1.1.1.1.1
1.0.8802.1.1.2.1.4.2.1.5.2742.859.23.1.4.192.168.2.7|6|1.3.6.1.2.1.31.1.1.1.1.1
"#;

/// network/router/juniper-mx960-16-1r6-7-b (re0-SNNU-YT-CORE-2): lldpLocChassisId and its two
/// core neighbours of twenty-two.
const JUNIPER_YT_CORE_2: &str = r#"
1.0.8802.1.1.2.1.3.1.0|2|4
1.0.8802.1.1.2.1.3.2.0|4x|a8d0e5f7b7c0
1.0.8802.1.1.2.1.3.7.1.2.642|2|7
1.0.8802.1.1.2.1.3.7.1.2.760|2|7
1.0.8802.1.1.2.1.3.7.1.3.642|4|642
1.0.8802.1.1.2.1.3.7.1.3.760|4|760
1.0.8802.1.1.2.1.3.7.1.4.642|4x|436f6e6e65637420746f20534e4e552d59542d434f52452d313a3a78652d302f322f30
1.0.8802.1.1.2.1.3.7.1.4.760|4x|436f6e6e65637420746f20534e4e552d43412d434f52452d323a3a78652d312f322f30
1.0.8802.1.1.2.1.4.1.1.4.158.642.21|2|4
1.0.8802.1.1.2.1.4.1.1.4.3444.760.23|2|4
1.0.8802.1.1.2.1.4.1.1.5.158.642.21|4x|a8d0e5f617c0
1.0.8802.1.1.2.1.4.1.1.5.3444.760.23|4x|a8d0e5f7f7c0
1.0.8802.1.1.2.1.4.1.1.6.158.642.21|2|7
1.0.8802.1.1.2.1.4.1.1.6.3444.760.23|2|5
1.0.8802.1.1.2.1.4.1.1.7.158.642.21|4|585
1.0.8802.1.1.2.1.4.1.1.7.3444.760.23|4x|78652d332f312f31
1.0.8802.1.1.2.1.4.1.1.8.158.642.21|4x|436f6e6e65637420746f20534e4e552d59542d434f52452d323a3a78652d302f322f30
1.0.8802.1.1.2.1.4.1.1.8.3444.760.23|4x|436f6e6e65637420746f20534e4e552d59542d434f52452d323a3a78652d332f312f31
1.0.8802.1.1.2.1.4.1.1.9.158.642.21|4x|7265302d534e4e552d59542d434f52452d31
1.0.8802.1.1.2.1.4.1.1.9.3444.760.23|4x|7265302d534e4e552d43412d434f52452d32
1.0.8802.1.1.2.1.4.1.1.10.158.642.21|4x|4a756e69706572204e6574776f726b732c20496e632e206d78393630202c2076657273696f6e2031322e3352362e36204275696c6420646174653a20323031342d30332d31332030373a32303a31382055544320
1.0.8802.1.1.2.1.4.1.1.10.3444.760.23|4x|4a756e69706572204e6574776f726b732c20496e632e206d7839363020696e7465726e657420726f757465722c206b65726e656c204a554e4f532031362e3152362e372c204275696c6420646174653a20323031372d31312d32322030323a34353a31382055544320436f707972696768742028632920313939362d32303137204a756e69706572204e6574776f726b732c20496e632e
1.0.8802.1.1.2.1.4.2.1.3.158.642.21.1.4.192.168.2.5|2|2
1.0.8802.1.1.2.1.4.2.1.3.3444.760.23.1.4.192.168.2.3|2|2
1.0.8802.1.1.2.1.4.2.1.4.158.642.21.1.4.192.168.2.5|2|1
1.0.8802.1.1.2.1.4.2.1.4.3444.760.23.1.4.192.168.2.3|2|1
1.0.8802.1.1.2.1.4.2.1.5.158.642.21.1.4.192.168.2.5|6|1.3.6.1.2.1.31.1.1.1.1.1
1.0.8802.1.1.2.1.4.2.1.5.3444.760.23.1.4.192.168.2.3|6|1.3.6.1.2.1.31.1.1.1.1.1
"#;

/// network/switch/cisco-n5000 (NWPU-CA-5548-01): lldpLocChassisId and lldpLocSysName, lldpRemTable
/// columns 4-10, lldpRemManAddrTable, lldpLocPortTable rows of the ports with neighbours, and
/// cdpCacheTable columns 3-8.
const NEXUS_5548: &str = r#"
1.0.8802.1.1.2.1.3.1.0|2|4
1.0.8802.1.1.2.1.3.2.0|4x|38633a36303a34663a31393a31363a3763
1.0.8802.1.1.2.1.3.3.0|4x|4e5750552d43412d353534382d3031
1.0.8802.1.1.2.1.4.1.1.4.0.83886080.0|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.436207616.0|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.436211712.0|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.436240384.0|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.436281344.0|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.436289536.0|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.436293632.0|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.436297728.0|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.436301824.0|2|4
1.0.8802.1.1.2.1.4.1.1.5.0.83886080.0|4x|8c604f191bc1
1.0.8802.1.1.2.1.4.1.1.5.0.436207616.0|4x|586ab14f3d91
1.0.8802.1.1.2.1.4.1.1.5.0.436211712.0|4x|586ab14f427d
1.0.8802.1.1.2.1.4.1.1.5.0.436240384.0|4x|38adbe2b763d
1.0.8802.1.1.2.1.4.1.1.5.0.436281344.0|4x|ac162d927d21
1.0.8802.1.1.2.1.4.1.1.5.0.436289536.0|4x|8c604f191bdc
1.0.8802.1.1.2.1.4.1.1.5.0.436293632.0|4x|8c604f191bdd
1.0.8802.1.1.2.1.4.1.1.5.0.436297728.0|4x|002a6afc5b80
1.0.8802.1.1.2.1.4.1.1.5.0.436301824.0|4x|8c604f06c3e0
1.0.8802.1.1.2.1.4.1.1.6.0.83886080.0|2|7
1.0.8802.1.1.2.1.4.1.1.6.0.436207616.0|2|5
1.0.8802.1.1.2.1.4.1.1.6.0.436211712.0|2|5
1.0.8802.1.1.2.1.4.1.1.6.0.436240384.0|2|5
1.0.8802.1.1.2.1.4.1.1.6.0.436281344.0|2|7
1.0.8802.1.1.2.1.4.1.1.6.0.436289536.0|2|7
1.0.8802.1.1.2.1.4.1.1.6.0.436293632.0|2|7
1.0.8802.1.1.2.1.4.1.1.6.0.436297728.0|2|7
1.0.8802.1.1.2.1.4.1.1.6.0.436301824.0|2|7
1.0.8802.1.1.2.1.4.1.1.7.0.83886080.0|4x|6d676d74300000000000000000000000
1.0.8802.1.1.2.1.4.1.1.7.0.436207616.0|4x|54656e2d476967616269744574686572
1.0.8802.1.1.2.1.4.1.1.7.0.436211712.0|4x|54656e2d476967616269744574686572
1.0.8802.1.1.2.1.4.1.1.7.0.436240384.0|4x|54656e2d476967616269744574686572
1.0.8802.1.1.2.1.4.1.1.7.0.436281344.0|4x|31370000000000000000000000000000
1.0.8802.1.1.2.1.4.1.1.7.0.436289536.0|4x|457468312f3231000000000000000000
1.0.8802.1.1.2.1.4.1.1.7.0.436293632.0|4x|457468312f3232000000000000000000
1.0.8802.1.1.2.1.4.1.1.7.0.436297728.0|4x|457468312f3235000000000000000000
1.0.8802.1.1.2.1.4.1.1.7.0.436301824.0|4x|457468312f3235000000000000000000
1.0.8802.1.1.2.1.4.1.1.8.0.83886080.0|4|mgmt0
1.0.8802.1.1.2.1.4.1.1.8.0.436207616.0|4x|54656e2d4769676162697445746865726e6574312f302f343920496e74657266616365
1.0.8802.1.1.2.1.4.1.1.8.0.436211712.0|4x|54656e2d4769676162697445746865726e6574312f302f343920496e74657266616365
1.0.8802.1.1.2.1.4.1.1.8.0.436240384.0|4x|bcb6c1aacbbcbfc635353438
1.0.8802.1.1.2.1.4.1.1.8.0.436281344.0|4|17
1.0.8802.1.1.2.1.4.1.1.8.0.436289536.0|4x|45746865726e6574312f3231
1.0.8802.1.1.2.1.4.1.1.8.0.436293632.0|4x|45746865726e6574312f3232
1.0.8802.1.1.2.1.4.1.1.8.0.436297728.0|4x|45746865726e6574312f3235
1.0.8802.1.1.2.1.4.1.1.8.0.436301824.0|4x|45746865726e6574312f3235
1.0.8802.1.1.2.1.4.1.1.9.0.83886080.0|4x|4e5750552d43412d353534382d3032
1.0.8802.1.1.2.1.4.1.1.9.0.436207616.0|4x|4833432d31
1.0.8802.1.1.2.1.4.1.1.9.0.436211712.0|4x|4833432d32
1.0.8802.1.1.2.1.4.1.1.9.0.436240384.0|4|H3C
1.0.8802.1.1.2.1.4.1.1.9.0.436281344.0|4x|50726f43757276652036313230584720426c61646520537769746368
1.0.8802.1.1.2.1.4.1.1.9.0.436289536.0|4x|4e5750552d43412d353534382d3032
1.0.8802.1.1.2.1.4.1.1.9.0.436293632.0|4x|4e5750552d43412d353534382d3032
1.0.8802.1.1.2.1.4.1.1.9.0.436297728.0|4x|4e5750552d5543532d46492d41
1.0.8802.1.1.2.1.4.1.1.9.0.436301824.0|4x|4e5750552d5543532d46492d42
1.0.8802.1.1.2.1.4.1.1.10.0.83886080.0|4x|22436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f66747761726520362e302832294e32283329
1.0.8802.1.1.2.1.4.1.1.10.0.436207616.0|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652031383038503132
1.0.8802.1.1.2.1.4.1.1.10.0.436211712.0|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20352e32302c2052656c656173652031383038503132
1.0.8802.1.1.2.1.4.1.1.10.0.436240384.0|4x|2248334320436f6d7761726520506c6174666f726d20536f6674776172652c20536f6674776172652056657273696f6e20372e312e3034352c2052656c656173652032343332503033
1.0.8802.1.1.2.1.4.1.1.10.0.436281344.0|4x|50726f4375727665203531363733332d4232312036313230584720426c616465205377697463682c207265766973696f6e205a2e31342e33312c20524f4d205a2e31342e303920282f77732f73776275696c646d2f65635f5a5f7a696e7434625f71616f66662f636f64652f6275696c642f7665726e2865635f5a5f7a696e
1.0.8802.1.1.2.1.4.1.1.10.0.436289536.0|4x|22436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f66747761726520362e302832294e32283329
1.0.8802.1.1.2.1.4.1.1.10.0.436293632.0|4x|22436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f66747761726520362e302832294e32283329
1.0.8802.1.1.2.1.4.1.1.10.0.436297728.0|4x|22436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f667477617265
1.0.8802.1.1.2.1.4.1.1.10.0.436301824.0|4x|22436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f667477617265
1.0.8802.1.1.2.1.4.2.1.3.0.83886080.0.1.4.10.40.1.20|2|2
1.0.8802.1.1.2.1.4.2.1.3.0.436207616.0.1.4.10.40.1.24|2|2
1.0.8802.1.1.2.1.4.2.1.3.0.436211712.0.1.4.10.40.1.25|2|2
1.0.8802.1.1.2.1.4.2.1.3.0.436240384.0.1.4.10.40.1.71|2|2
1.0.8802.1.1.2.1.4.2.1.3.0.436281344.0.6.6.172.22.45.146.125.33|2|2
1.0.8802.1.1.2.1.4.2.1.3.0.436289536.0.1.4.10.40.1.20|2|2
1.0.8802.1.1.2.1.4.2.1.3.0.436293632.0.1.4.10.40.1.20|2|2
1.0.8802.1.1.2.1.4.2.1.3.0.436297728.0.1.4.10.40.1.2|2|2
1.0.8802.1.1.2.1.4.2.1.3.0.436301824.0.1.4.10.40.1.3|2|2
1.0.8802.1.1.2.1.4.2.1.4.0.83886080.0.1.4.10.40.1.20|2|83886080
1.0.8802.1.1.2.1.4.2.1.4.0.436207616.0.1.4.10.40.1.24|2|57
1.0.8802.1.1.2.1.4.2.1.4.0.436211712.0.1.4.10.40.1.25|2|58
1.0.8802.1.1.2.1.4.2.1.4.0.436240384.0.1.4.10.40.1.71|2|26766
1.0.8802.1.1.2.1.4.2.1.4.0.436281344.0.6.6.172.22.45.146.125.33|2|0
1.0.8802.1.1.2.1.4.2.1.4.0.436289536.0.1.4.10.40.1.20|2|83886080
1.0.8802.1.1.2.1.4.2.1.4.0.436293632.0.1.4.10.40.1.20|2|83886080
1.0.8802.1.1.2.1.4.2.1.4.0.436297728.0.1.4.10.40.1.2|2|83886080
1.0.8802.1.1.2.1.4.2.1.4.0.436301824.0.1.4.10.40.1.3|2|83886080
1.0.8802.1.1.2.1.4.2.1.5.0.83886080.0.1.4.10.40.1.20|6|0.0.0
1.0.8802.1.1.2.1.4.2.1.5.0.436207616.0.1.4.10.40.1.24|6|0.0.0
1.0.8802.1.1.2.1.4.2.1.5.0.436211712.0.1.4.10.40.1.25|6|0.0.0
1.0.8802.1.1.2.1.4.2.1.5.0.436240384.0.1.4.10.40.1.71|6|0.0.0
1.0.8802.1.1.2.1.4.2.1.5.0.436281344.0.6.6.172.22.45.146.125.33|6|0.0.0
1.0.8802.1.1.2.1.4.2.1.5.0.436289536.0.1.4.10.40.1.20|6|0.0.0
1.0.8802.1.1.2.1.4.2.1.5.0.436293632.0.1.4.10.40.1.20|6|0.0.0
1.0.8802.1.1.2.1.4.2.1.5.0.436297728.0.1.4.10.40.1.2|6|0.0.0
1.0.8802.1.1.2.1.4.2.1.5.0.436301824.0.1.4.10.40.1.3|6|0.0.0
1.0.8802.1.1.2.1.3.7.1.2.83886080|2|3
1.0.8802.1.1.2.1.3.7.1.2.436207616|2|3
1.0.8802.1.1.2.1.3.7.1.2.436211712|2|3
1.0.8802.1.1.2.1.3.7.1.2.436240384|2|3
1.0.8802.1.1.2.1.3.7.1.2.436281344|2|3
1.0.8802.1.1.2.1.3.7.1.2.436289536|2|3
1.0.8802.1.1.2.1.3.7.1.2.436293632|2|3
1.0.8802.1.1.2.1.3.7.1.2.436297728|2|3
1.0.8802.1.1.2.1.3.7.1.2.436301824|2|3
1.0.8802.1.1.2.1.3.7.1.3.83886080|4x|38633a36303a34663a31393a31363a3231
1.0.8802.1.1.2.1.3.7.1.3.436207616|4x|38633a36303a34663a31393a31363a3238
1.0.8802.1.1.2.1.3.7.1.3.436211712|4x|38633a36303a34663a31393a31363a3239
1.0.8802.1.1.2.1.3.7.1.3.436240384|4x|38633a36303a34663a31393a31363a3330
1.0.8802.1.1.2.1.3.7.1.3.436281344|4x|38633a36303a34663a31393a31363a3361
1.0.8802.1.1.2.1.3.7.1.3.436289536|4x|38633a36303a34663a31393a31363a3363
1.0.8802.1.1.2.1.3.7.1.3.436293632|4x|38633a36303a34663a31393a31363a3364
1.0.8802.1.1.2.1.3.7.1.3.436297728|4x|38633a36303a34663a31393a31363a3365
1.0.8802.1.1.2.1.3.7.1.3.436301824|4x|38633a36303a34663a31393a31363a3366
1.0.8802.1.1.2.1.3.7.1.4.83886080|4|mgmt0
1.0.8802.1.1.2.1.3.7.1.4.436207616|4x|45746865726e6574312f31
1.0.8802.1.1.2.1.3.7.1.4.436211712|4x|45746865726e6574312f32
1.0.8802.1.1.2.1.3.7.1.4.436240384|4x|683363206269672064617461
1.0.8802.1.1.2.1.3.7.1.4.436281344|4x|45746865726e6574312f3139
1.0.8802.1.1.2.1.3.7.1.4.436289536|4x|45746865726e6574312f3231
1.0.8802.1.1.2.1.3.7.1.4.436293632|4x|45746865726e6574312f3232
1.0.8802.1.1.2.1.3.7.1.4.436297728|4x|45746865726e6574312f3233
1.0.8802.1.1.2.1.3.7.1.4.436301824|4x|45746865726e6574312f3234
1.3.6.1.4.1.9.9.23.1.2.1.1.3.83886080.10551297|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.436289536.10551297|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.436293632.10551297|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.436297728.8716289|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.436301824.5767169|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.4.83886080.10551297|4x|0a280114
1.3.6.1.4.1.9.9.23.1.2.1.1.4.436289536.10551297|4x|de18c0fd
1.3.6.1.4.1.9.9.23.1.2.1.1.4.436293632.10551297|4x|de18c0fd
1.3.6.1.4.1.9.9.23.1.2.1.1.4.436297728.8716289|4x|0a280102
1.3.6.1.4.1.9.9.23.1.2.1.1.4.436301824.5767169|4x|0a280103
1.3.6.1.4.1.9.9.23.1.2.1.1.5.83886080.10551297|4x|436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f6674776172652c2056657273696f6e20362e302832294e32283329
1.3.6.1.4.1.9.9.23.1.2.1.1.5.436289536.10551297|4x|436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f6674776172652c2056657273696f6e20362e302832294e32283329
1.3.6.1.4.1.9.9.23.1.2.1.1.5.436293632.10551297|4x|436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f6674776172652c2056657273696f6e20362e302832294e32283329
1.3.6.1.4.1.9.9.23.1.2.1.1.5.436297728.8716289|4x|436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f6674776172652c2056657273696f6e20352e322833294e3228322e32386729
1.3.6.1.4.1.9.9.23.1.2.1.1.5.436301824.5767169|4x|436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f6674776172652c2056657273696f6e20352e322833294e3228322e32386729
1.3.6.1.4.1.9.9.23.1.2.1.1.6.83886080.10551297|4x|4e5750552d43412d353534382d3032285353493138333730364b4129
1.3.6.1.4.1.9.9.23.1.2.1.1.6.436289536.10551297|4x|4e5750552d43412d353534382d3032285353493138333730364b4129
1.3.6.1.4.1.9.9.23.1.2.1.1.6.436293632.10551297|4x|4e5750552d43412d353534382d3032285353493138333730364b4129
1.3.6.1.4.1.9.9.23.1.2.1.1.6.436297728.8716289|4x|4e5750552d5543532d46492d4128535349313832323034395829
1.3.6.1.4.1.9.9.23.1.2.1.1.6.436301824.5767169|4x|4e5750552d5543532d46492d4228535349313832323031393829
1.3.6.1.4.1.9.9.23.1.2.1.1.7.83886080.10551297|4|mgmt0
1.3.6.1.4.1.9.9.23.1.2.1.1.7.436289536.10551297|4x|45746865726e6574312f3231
1.3.6.1.4.1.9.9.23.1.2.1.1.7.436293632.10551297|4x|45746865726e6574312f3232
1.3.6.1.4.1.9.9.23.1.2.1.1.7.436297728.8716289|4x|45746865726e6574312f3235
1.3.6.1.4.1.9.9.23.1.2.1.1.7.436301824.5767169|4x|45746865726e6574312f3235
1.3.6.1.4.1.9.9.23.1.2.1.1.8.83886080.10551297|4x|4e354b2d43353534385550
1.3.6.1.4.1.9.9.23.1.2.1.1.8.436289536.10551297|4x|4e354b2d43353534385550
1.3.6.1.4.1.9.9.23.1.2.1.1.8.436293632.10551297|4x|4e354b2d43353534385550
1.3.6.1.4.1.9.9.23.1.2.1.1.8.436297728.8716289|4x|5543532d46492d363234385550
1.3.6.1.4.1.9.9.23.1.2.1.1.8.436301824.5767169|4x|5543532d46492d363234385550
"#;

/// network/switch/hpe-procurve-516733-b21: as for the Nexus.
const PROCURVE_6120XG: &str = r#"
1.0.8802.1.1.2.1.3.1.0|2|4
1.0.8802.1.1.2.1.3.2.0|4x|ac162d927d21
1.0.8802.1.1.2.1.3.7.1.2.8|2|7
1.0.8802.1.1.2.1.3.7.1.2.15|2|7
1.0.8802.1.1.2.1.3.7.1.2.16|2|7
1.0.8802.1.1.2.1.3.7.1.2.17|2|7
1.0.8802.1.1.2.1.3.7.1.3.8|4|8
1.0.8802.1.1.2.1.3.7.1.3.15|4|15
1.0.8802.1.1.2.1.3.7.1.3.16|4|16
1.0.8802.1.1.2.1.3.7.1.3.17|4|17
1.0.8802.1.1.2.1.3.7.1.4.8|4|8
1.0.8802.1.1.2.1.3.7.1.4.15|4|15
1.0.8802.1.1.2.1.3.7.1.4.16|4|16
1.0.8802.1.1.2.1.3.7.1.4.17|4|17
1.0.8802.1.1.2.1.4.1.1.4.0.8.1|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.15.1|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.16.1|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.17.1|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.17.2|2|7
1.0.8802.1.1.2.1.4.1.1.5.0.8.1|4x|e839351aca99
1.0.8802.1.1.2.1.4.1.1.5.0.15.1|4x|e839351a3c65
1.0.8802.1.1.2.1.4.1.1.5.0.16.1|4x|e839351aca91
1.0.8802.1.1.2.1.4.1.1.5.0.17.1|4x|8c604f19163a
1.0.8802.1.1.2.1.4.1.1.5.0.17.2|4x|4e5750552d43412d353534382d3031285353493138333730364b5029
1.0.8802.1.1.2.1.4.1.1.6.0.8.1|2|3
1.0.8802.1.1.2.1.4.1.1.6.0.15.1|2|3
1.0.8802.1.1.2.1.4.1.1.6.0.16.1|2|3
1.0.8802.1.1.2.1.4.1.1.6.0.17.1|2|7
1.0.8802.1.1.2.1.4.1.1.6.0.17.2|2|7
1.0.8802.1.1.2.1.4.1.1.7.0.8.1|4x|e839351aca99
1.0.8802.1.1.2.1.4.1.1.7.0.15.1|4x|e839351a3c65
1.0.8802.1.1.2.1.4.1.1.7.0.16.1|4x|e839351aca91
1.0.8802.1.1.2.1.4.1.1.7.0.17.1|4x|457468312f3139
1.0.8802.1.1.2.1.4.1.1.7.0.17.2|4x|45746865726e6574312f3139
1.0.8802.1.1.2.1.4.1.1.8.0.8.1|4|
1.0.8802.1.1.2.1.4.1.1.8.0.15.1|4|
1.0.8802.1.1.2.1.4.1.1.8.0.16.1|4|
1.0.8802.1.1.2.1.4.1.1.8.0.17.1|4x|45746865726e6574312f3139
1.0.8802.1.1.2.1.4.1.1.8.0.17.2|4|
1.0.8802.1.1.2.1.4.1.1.9.0.8.1|4|
1.0.8802.1.1.2.1.4.1.1.9.0.15.1|4|
1.0.8802.1.1.2.1.4.1.1.9.0.16.1|4|
1.0.8802.1.1.2.1.4.1.1.9.0.17.1|4x|4e5750552d43412d353534382d3031
1.0.8802.1.1.2.1.4.1.1.9.0.17.2|4|
1.0.8802.1.1.2.1.4.1.1.10.0.8.1|4x|456d756c6578204f6e65436f6e6e6563742031304762204d756c74692066756e6374696f6e2041646170746572
1.0.8802.1.1.2.1.4.1.1.10.0.15.1|4x|456d756c6578204f6e65436f6e6e6563742031304762204d756c74692066756e6374696f6e2041646170746572
1.0.8802.1.1.2.1.4.1.1.10.0.16.1|4x|456d756c6578204f6e65436f6e6e6563742031304762204d756c74692066756e6374696f6e2041646170746572
1.0.8802.1.1.2.1.4.1.1.10.0.17.1|4x|22436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f66747761726520362e302832294e32283329
1.0.8802.1.1.2.1.4.1.1.10.0.17.2|4x|436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f6674776172652c2056657273696f6e20362e302832294e322833294e354b2d43353534385550
1.0.8802.1.1.2.1.4.2.1.3.0.17.1.1.4.10.40.1.19|2|2
1.0.8802.1.1.2.1.4.2.1.3.0.17.2.1.4.222.24.192.252|2|2
1.0.8802.1.1.2.1.4.2.1.4.0.17.1.1.4.10.40.1.19|2|83886080
1.0.8802.1.1.2.1.4.2.1.4.0.17.2.1.4.222.24.192.252|2|0
1.0.8802.1.1.2.1.4.2.1.5.0.17.1.1.4.10.40.1.19|6|0.0
1.0.8802.1.1.2.1.4.2.1.5.0.17.2.1.4.222.24.192.252|6|0.0
1.3.6.1.4.1.9.9.23.1.2.1.1.3.8.1|2|65535
1.3.6.1.4.1.9.9.23.1.2.1.1.3.15.1|2|65535
1.3.6.1.4.1.9.9.23.1.2.1.1.3.16.1|2|65535
1.3.6.1.4.1.9.9.23.1.2.1.1.3.17.1|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.17.2|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.4.8.1|4|
1.3.6.1.4.1.9.9.23.1.2.1.1.4.15.1|4|
1.3.6.1.4.1.9.9.23.1.2.1.1.4.16.1|4|
1.3.6.1.4.1.9.9.23.1.2.1.1.4.17.1|4x|0a280113
1.3.6.1.4.1.9.9.23.1.2.1.1.4.17.2|4x|de18c0fc
1.3.6.1.4.1.9.9.23.1.2.1.1.5.8.1|4x|456d756c6578204f6e65436f6e6e6563742031304762204d756c74692066756e6374696f6e2041646170746572
1.3.6.1.4.1.9.9.23.1.2.1.1.5.15.1|4x|456d756c6578204f6e65436f6e6e6563742031304762204d756c74692066756e6374696f6e2041646170746572
1.3.6.1.4.1.9.9.23.1.2.1.1.5.16.1|4x|456d756c6578204f6e65436f6e6e6563742031304762204d756c74692066756e6374696f6e2041646170746572
1.3.6.1.4.1.9.9.23.1.2.1.1.5.17.1|4x|22436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f66747761726520362e302832294e32283329
1.3.6.1.4.1.9.9.23.1.2.1.1.5.17.2|4x|436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f6674776172652c2056657273696f6e20362e302832294e322833294e354b2d43353534385550
1.3.6.1.4.1.9.9.23.1.2.1.1.6.8.1|4x|e839351aca99
1.3.6.1.4.1.9.9.23.1.2.1.1.6.15.1|4x|e839351a3c65
1.3.6.1.4.1.9.9.23.1.2.1.1.6.16.1|4x|e839351aca91
1.3.6.1.4.1.9.9.23.1.2.1.1.6.17.1|4x|8c604f19163a
1.3.6.1.4.1.9.9.23.1.2.1.1.6.17.2|4x|4e5750552d43412d353534382d3031285353493138333730364b5029
1.3.6.1.4.1.9.9.23.1.2.1.1.7.8.1|4x|e839351aca99
1.3.6.1.4.1.9.9.23.1.2.1.1.7.15.1|4x|e839351a3c65
1.3.6.1.4.1.9.9.23.1.2.1.1.7.16.1|4x|e839351aca91
1.3.6.1.4.1.9.9.23.1.2.1.1.7.17.1|4x|457468312f3139
1.3.6.1.4.1.9.9.23.1.2.1.1.7.17.2|4x|45746865726e6574312f3139
1.3.6.1.4.1.9.9.23.1.2.1.1.8.8.1|4x|456d756c6578204f6e65436f6e6e6563742031304762204d756c74692066756e6374696f6e2041646170746572
1.3.6.1.4.1.9.9.23.1.2.1.1.8.15.1|4x|456d756c6578204f6e65436f6e6e6563742031304762204d756c74692066756e6374696f6e2041646170746572
1.3.6.1.4.1.9.9.23.1.2.1.1.8.16.1|4x|456d756c6578204f6e65436f6e6e6563742031304762204d756c74692066756e6374696f6e2041646170746572
1.3.6.1.4.1.9.9.23.1.2.1.1.8.17.1|4x|22436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f66747761726520362e302832294e32283329
1.3.6.1.4.1.9.9.23.1.2.1.1.8.17.2|4x|436973636f204e65787573204f7065726174696e672053797374656d20284e582d4f532920536f6674776172652c2056657273696f6e20362e302832294e322833294e354b2d43353534385550
"#;

/// network/switch/cisco-c3560: cdpCacheTable columns 3-8.
const CATALYST_3560: &str = r#"
1.3.6.1.4.1.9.9.23.1.2.1.1.3.10149.2|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.10150.4|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.10150.5|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.10150.7|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.10150.8|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.10150.9|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.10150.11|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.10151.1|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.3.10152.3|2|1
1.3.6.1.4.1.9.9.23.1.2.1.1.4.10149.2|4x|0a0164b5
1.3.6.1.4.1.9.9.23.1.2.1.1.4.10150.4|4x|0a01648d
1.3.6.1.4.1.9.9.23.1.2.1.1.4.10150.5|4x|0a016487
1.3.6.1.4.1.9.9.23.1.2.1.1.4.10150.7|4x|0a016490
1.3.6.1.4.1.9.9.23.1.2.1.1.4.10150.8|4x|0a01646e
1.3.6.1.4.1.9.9.23.1.2.1.1.4.10150.9|4x|0a01648c
1.3.6.1.4.1.9.9.23.1.2.1.1.4.10150.11|4x|0a016492
1.3.6.1.4.1.9.9.23.1.2.1.1.4.10151.1|4x|0a0164b6
1.3.6.1.4.1.9.9.23.1.2.1.1.4.10152.3|4x|0a016495
1.3.6.1.4.1.9.9.23.1.2.1.1.5.10149.2|4x|436973636f20494f5320536f6674776172652c20433335363020536f667477617265202843333536302d4950424153452d4d292c2056657273696f6e2031322e3228323529534542342c2052454c4541534520534f4654574152452028666331290a436f707972696768742028632920313938362d3230303520627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564205475652033302d4175672d30352031343a31392062792079656e616e68
1.3.6.1.4.1.9.9.23.1.2.1.1.5.10150.4|4x|436973636f20494f5320536f6674776172652c20433335363020536f667477617265202843333536302d414456495053455256494345534b392d4d292c2056657273696f6e2031322e3228323529534545342c2052454c4541534520534f4654574152452028666331290a436f707972696768742028632920313938362d3230303720627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564204d6f6e2031362d4a756c2d30372030333a3131206279206d796c
1.3.6.1.4.1.9.9.23.1.2.1.1.5.10150.5|4x|436973636f20494f5320536f6674776172652c20433335363020536f667477617265202843333536302d414456495053455256494345534b392d4d292c2056657273696f6e2031322e32283434295345312c2052454c4541534520534f4654574152452028666331290a436f707972696768742028632920313938362d3230303820627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564204672692030372d4d61722d30382030303a3130206279207765696c6975
1.3.6.1.4.1.9.9.23.1.2.1.1.5.10150.7|4x|436973636f20494f5320536f6674776172652c20433335363020536f667477617265202843333536302d495053455256494345534b392d4d292c2056657273696f6e2031352e302832295345382c2052454c4541534520534f4654574152452028666331290a546563686e6963616c20537570706f72743a20687474703a2f2f7777772e636973636f2e636f6d2f74656368737570706f72740a436f707972696768742028632920313938362d3230313520627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564205765642031332d4d61792d31352032333a33322062792070726f645f72656c5f7465616d
1.3.6.1.4.1.9.9.23.1.2.1.1.5.10150.8|4x|436973636f20494f5320536f6674776172652c20433335363020536f667477617265202843333536302d414456495053455256494345534b392d4d292c2056657273696f6e2031322e32283434295345312c2052454c4541534520534f4654574152452028666331290a436f707972696768742028632920313938362d3230303820627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564204672692030372d4d61722d30382030303a3130206279207765696c6975
1.3.6.1.4.1.9.9.23.1.2.1.1.5.10150.9|4x|436973636f20494f5320536f6674776172652c20433335363020536f667477617265202843333536302d414456495053455256494345534b392d4d292c2056657273696f6e2031322e32283434295345312c2052454c4541534520534f4654574152452028666331290a436f707972696768742028632920313938362d3230303820627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564204672692030372d4d61722d30382030303a3130206279207765696c6975
1.3.6.1.4.1.9.9.23.1.2.1.1.5.10150.11|4x|436973636f20494f5320536f6674776172652c20433335363020536f667477617265202843333536302d495053455256494345532d4d292c2056657273696f6e2031322e32283335295345352c2052454c4541534520534f4654574152452028666331290a436f707972696768742028632920313938362d3230303720627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564205468752031392d4a756c2d30372031383a3135206279206e616368656e
1.3.6.1.4.1.9.9.23.1.2.1.1.5.10151.1|4x|436973636f20494f5320536f6674776172652c20433335363020536f667477617265202843333536302d495053455256494345532d4d292c2056657273696f6e2031322e32283335295345352c2052454c4541534520534f4654574152452028666331290a436f707972696768742028632920313938362d3230303720627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564205468752031392d4a756c2d30372031383a3135206279206e616368656e
1.3.6.1.4.1.9.9.23.1.2.1.1.5.10152.3|4x|436973636f20494f5320536f6674776172652c20433335363020536f667477617265202843333536302d495053455256494345534b392d4d292c2056657273696f6e2031322e32283535295345312c2052454c4541534520534f4654574152452028666331290a546563686e6963616c20537570706f72743a20687474703a2f2f7777772e636973636f2e636f6d2f74656368737570706f72740a436f707972696768742028632920313938362d3230313020627920436973636f2053797374656d732c20496e632e0a436f6d70696c6564205468752030322d4465632d31302030373a31372062792070726f645f72656c5f7465616d
1.3.6.1.4.1.9.9.23.1.2.1.1.6.10149.2|4x|4f4c442d53686954616e672d574952454c455353
1.3.6.1.4.1.9.9.23.1.2.1.1.6.10150.4|4|kexuehuitang
1.3.6.1.4.1.9.9.23.1.2.1.1.6.10150.5|4x|426c6164652d776972656c657373
1.3.6.1.4.1.9.9.23.1.2.1.1.6.10150.7|4x|7a6f6e676865667577756c6f752d7869616f6368616e
1.3.6.1.4.1.9.9.23.1.2.1.1.6.10150.8|4x|78696e677a68656e676c6f752d31
1.3.6.1.4.1.9.9.23.1.2.1.1.6.10150.9|4|zichanchu
1.3.6.1.4.1.9.9.23.1.2.1.1.6.10150.11|4|RanQiLou
1.3.6.1.4.1.9.9.23.1.2.1.1.6.10151.1|4x|4e45572d53686954616e672d574952454c455353
1.3.6.1.4.1.9.9.23.1.2.1.1.6.10152.3|4|ShiTang02
1.3.6.1.4.1.9.9.23.1.2.1.1.7.10149.2|4x|4769676162697445746865726e6574302f32
1.3.6.1.4.1.9.9.23.1.2.1.1.7.10150.4|4x|4769676162697445746865726e6574302f31
1.3.6.1.4.1.9.9.23.1.2.1.1.7.10150.5|4x|4769676162697445746865726e6574302f31
1.3.6.1.4.1.9.9.23.1.2.1.1.7.10150.7|4x|4769676162697445746865726e6574302f31
1.3.6.1.4.1.9.9.23.1.2.1.1.7.10150.8|4x|4769676162697445746865726e6574302f31
1.3.6.1.4.1.9.9.23.1.2.1.1.7.10150.9|4x|4769676162697445746865726e6574302f31
1.3.6.1.4.1.9.9.23.1.2.1.1.7.10150.11|4x|4769676162697445746865726e6574302f3235
1.3.6.1.4.1.9.9.23.1.2.1.1.7.10151.1|4x|4769676162697445746865726e6574302f3235
1.3.6.1.4.1.9.9.23.1.2.1.1.7.10152.3|4x|4769676162697445746865726e6574302f3532
1.3.6.1.4.1.9.9.23.1.2.1.1.8.10149.2|4x|636973636f2057532d43333536302d32345053
1.3.6.1.4.1.9.9.23.1.2.1.1.8.10150.4|4x|636973636f2057532d43333536302d34385453
1.3.6.1.4.1.9.9.23.1.2.1.1.8.10150.5|4x|636973636f2057532d43333536302d32345053
1.3.6.1.4.1.9.9.23.1.2.1.1.8.10150.7|4x|636973636f2057532d433335363056322d32345453
1.3.6.1.4.1.9.9.23.1.2.1.1.8.10150.8|4x|636973636f2057532d43333536302d34385453
1.3.6.1.4.1.9.9.23.1.2.1.1.8.10150.9|4x|636973636f2057532d43333536302d34385453
1.3.6.1.4.1.9.9.23.1.2.1.1.8.10150.11|4x|636973636f2057532d4333353630472d32345053
1.3.6.1.4.1.9.9.23.1.2.1.1.8.10151.1|4x|636973636f2057532d4333353630472d32345053
1.3.6.1.4.1.9.9.23.1.2.1.1.8.10152.3|4x|636973636f2057532d4333353630472d34385453
"#;
