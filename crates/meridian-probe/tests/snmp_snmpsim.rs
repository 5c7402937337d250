//! The SNMP engine against recordings of real devices (snmpsim-data, served
//! by snmpsim on 127.0.0.1): for every recording our walk prints exactly
//! what `snmpbulkwalk -v2c -On -Cr50` prints for the same agent.
//!
//! The recordings cover routers, switches, firewalls, wireless controllers,
//! appliances and hosts of many vendors, and with them the value types and
//! encodings real agents send: multi-line strings, binary strings printed as
//! hex, NULL values (maipu), Opaque-wrapped floats (slackware's UCD laLoad),
//! IpAddress, Counter64, large ifIndex values. Every recording chosen is
//! static (no variation module), so two walks of it are identical.
//!
//! The one normalisation: snmpbulkwalk prints the varbinds of its last
//! response that carry endOfMibView ("No more variables left in this MIB
//! View"), and snmpsim fills every repetition of that response with one, so
//! the reference ends with a run of such lines whose length depends on
//! where the last response happened to start. Our walk returns the tree
//! only, so those trailing lines are dropped from the reference. Nothing
//! else is touched: each line, including the exact text of each value, must
//! be equal.
//!
//! snmpsim must be installed: `bash scripts/install-snmpsim.sh` (part of
//! `make deps`). Without it these tests fail and say so.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use meridian_core::credential::{Secret, SnmpCredential, SnmpVersion};
use meridian_probe::snmp::{EngineConfig, Oid, SnmpEngine, Target};
use meridian_probe::ProbeError;
use meridian_testkit::Snmpsim;

const END_OF_MIB: &str = "(It is past the end of the MIB tree)";

fn start(recording: &str) -> Snmpsim {
    let sim = Snmpsim::start(&[recording]).unwrap_or_else(|e| panic!("snmpsim with {recording}: {e}"));
    // The tests run as root in CI; snmpsim must have dropped to a user.
    assert_ne!(sim.process_uid(), Some(0), "snmpsim runs as root");
    sim
}

fn target(sim: &Snmpsim, community: &str) -> Target {
    let cred = SnmpCredential::Community { version: SnmpVersion::V2c, community: Secret::new(community) };
    let mut t = Target::new(sim.socket_addr(), cred);
    // snmpsim is a Python process that may share the CPU with other tests
    // and builds; a CI run on a loaded 2-core machine saw 2 s x 2 time out.
    t.timeout = Duration::from_secs(5);
    t.retries = 2;
    t
}

/// snmpbulkwalk's output without the trailing endOfMibView lines (see the
/// module comment).
fn reference_walk(sim: &Snmpsim, community: &str, root: &str) -> String {
    let out = sim
        .tool("snmpbulkwalk", &["-v2c", "-c", community, "-On", "-Cr50", &sim.address(), root])
        .unwrap_or_else(|e| panic!("snmpbulkwalk {community} {root}: {e}"));
    let mut lines: Vec<&str> = out.split('\n').collect();
    while lines.last().is_some_and(|l| l.is_empty() || l.ends_with(END_OF_MIB)) {
        lines.pop();
    }
    let mut s = lines.join("\n");
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

/// Walks `roots` (`.1` means the whole tree, through `walk_all`) with our
/// engine and with snmpbulkwalk and requires the same text.
async fn walk_equals_snmpbulkwalk(recording: &str, roots: &[&str], min_rows: usize) {
    let sim = start(recording);
    let engine = SnmpEngine::new(EngineConfig::default()).await.expect("engine");
    let t = target(&sim, recording);
    let (mut ours, mut reference, mut rows) = (String::new(), String::new(), 0);
    let took = Instant::now();
    for &root in roots {
        let vbs = if root == ".1" {
            engine.walk_all(&t).await
        } else {
            engine.walk(&t, &root.parse::<Oid>().expect("root OID")).await
        }
        .unwrap_or_else(|e| panic!("{recording}: our walk of {root}: {e}"));
        rows += vbs.len();
        for vb in &vbs {
            writeln!(ours, "{vb}").expect("write to String");
        }
        reference.push_str(&reference_walk(&sim, recording, root));
    }
    eprintln!("{recording}: {rows} varbinds under {roots:?} in {:?} (both walks)", took.elapsed());
    assert!(rows >= min_rows, "{recording}: only {rows} varbinds; expected at least {min_rows}");
    let varying = varying_oids(recording);
    let (ours, reference) = (mask_values(&ours, &varying), mask_values(&reference, &varying));
    if ours != reference {
        let (o, r): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), reference.lines().collect());
        let i = o.iter().zip(&r).position(|(a, b)| a != b).unwrap_or(o.len().min(r.len()));
        panic!(
            "{recording}: walk differs from snmpbulkwalk -On at line {} ({} lines ours, {} snmpbulkwalk)\n  ours: {:?}\n  snmpbulkwalk: {:?}",
            i + 1,
            o.len(),
            r.len(),
            o.get(i),
            r.get(i)
        );
    }
}

/// OIDs whose record uses a snmpsim variation module (`TAG:module|...`, e.g.
/// `numeric`): their value changes with time, so two walks may read different
/// values and only OID and type can be compared.
fn varying_oids(recording: &str) -> std::collections::HashSet<String> {
    let bytes = meridian_testkit::recording_bytes(recording).expect("recording");
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, '|');
            let (oid, tag) = (parts.next()?, parts.next()?);
            tag.contains(':').then(|| format!(".{oid}"))
        })
        .collect()
}

/// `oid = TYPE: value` lines with the value dropped for time-varying OIDs.
fn mask_values(walk: &str, varying: &std::collections::HashSet<String>) -> String {
    walk.lines()
        .map(|l| match l.split_once(" = ") {
            Some((oid, rest)) if varying.contains(oid) => {
                format!("{oid} = {} (varies)\n", rest.split_once(':').map_or(rest, |(ty, _)| ty))
            }
            _ => format!("{l}\n"),
        })
        .collect()
}

async fn whole_tree(recording: &str, min_rows: usize) {
    walk_equals_snmpbulkwalk(recording, &[".1"], min_rows).await;
}

// network/: routers

#[tokio::test]
async fn cisco_router() {
    whole_tree("network/router/cisco-unmarked-0", 10_000).await;
}

#[tokio::test]
async fn brocade_router() {
    whole_tree("network/router/brocade-unknown-001", 8_000).await;
}

/// The Juniper MX960 recordings are 87,000+ records each, mostly forwarding
/// and routing-protocol tables; walking all of it twice would take half a
/// minute of snmpsim's time. The system group and IF-MIB's two interface
/// tables are what Meridian polls; jnxOperatingTable (JUNIPER-MIB: state,
/// temperature, CPU and memory of each chassis component) is Juniper's own.
#[tokio::test]
async fn juniper_mx960_router_system_interfaces_and_operating_table() {
    walk_equals_snmpbulkwalk(
        "network/router/juniper-mx960-13-3r9-13",
        &[".1.3.6.1.2.1.1", ".1.3.6.1.2.1.2", ".1.3.6.1.2.1.31", ".1.3.6.1.4.1.2636.3.1.13"],
        3_500,
    )
    .await;
}

// network/: switches, firewalls, wireless, appliances

#[tokio::test]
async fn dlink_switch() {
    whole_tree("network/switch/dlink-des3038", 8_000).await;
}

/// Has a NULL value (`.1.3.6.1.4.1.5651.6.7.2.100.10.3.3.0`).
#[tokio::test]
async fn maipu_switch_with_a_null_value() {
    whole_tree("network/switch/maipu-sm4200-16gef8ge-ac", 5_000).await;
}

#[tokio::test]
async fn paloalto_firewall() {
    whole_tree("network/firewall/paloalto-pa-5000", 2_900).await;
}

#[tokio::test]
async fn clavister_firewall() {
    whole_tree("network/firewall/clavister-amaranten", 500).await;
}

#[tokio::test]
async fn aruba_wireless_controller() {
    whole_tree("network/wifi/aruba-7010", 400).await;
}

#[tokio::test]
async fn huawei_storage_appliance() {
    whole_tree("network/appliance/huawei-ism", 5_000).await;
}

/// The one recording in network/ and os/ that snmpsim-data ships
/// uncompressed (`.snmprec`).
#[tokio::test]
async fn tripplite_ups() {
    whole_tree("network/appliance/tripplite-poweralert", 900).await;
}

// os/

/// net-snmp on Linux: UCD-SNMP's laLoadFloat is an Opaque-wrapped float.
#[tokio::test]
async fn linux_slackware() {
    whole_tree("os/linux/slackware", 3_800).await;
}

#[tokio::test]
async fn windows_xp() {
    whole_tree("os/windows/XP", 2_000).await;
}

#[tokio::test]
async fn windows_server_2003() {
    whole_tree("os/windows/server-2003-5-2", 2_200).await;
}

/// The squid recording is not sorted (a table's rows go backwards), so a
/// walk would loop or skip rows. snmpbulkwalk stops with "OID not
/// increasing"; our engine refuses it with a typed error.
#[tokio::test]
async fn an_unsorted_recording_is_refused_by_both() {
    let recording = "network/appliance/network-research-squid";
    let sim = start(recording);
    let engine = SnmpEngine::new(EngineConfig::default()).await.expect("engine");
    match engine.walk_all(&target(&sim, recording)).await {
        Err(ProbeError::SnmpOidNotIncreasing { prev, next, .. }) => {
            assert!(next.parse::<Oid>().expect("next") < prev.parse::<Oid>().expect("prev"), "{prev} -> {next}");
        }
        other => panic!("expected OIDs-not-increasing, got {:?}", other.map(|v| v.len())),
    }
    let out = sim
        .tool_command("snmpbulkwalk", &["-v2c", "-c", recording, "-On", "-Cr50", &sim.address(), ".1"])
        .output()
        .expect("run snmpbulkwalk");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("OID not increasing"));
}
