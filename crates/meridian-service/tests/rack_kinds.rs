//! Discovery of what racks hold beyond network gear, through snmpsim: an
//! environmental sensor, an APC PDU, a Dell iDRAC, an agent that names
//! nothing (only HOST-RESOURCES tables) and a switch of an unknown maker
//! (only a 24-port bridge and its Ethernet interfaces) are classified as
//! sensor, pdu, chassis, server and switch, and added devices poll with
//! their kinds' templates.
//!
//! The recordings are written here, not captured: snmpsim-data has no PDU,
//! sensor or BMC walk, and its switches all name their vendor. Their OIDs and value types follow the MIBs
//! (ENTITY-SENSOR-MIB, APC PowerNet-MIB rPDU, Dell IDRAC-MIB-SMIv2,
//! HOST-RESOURCES-MIB); the sysDescr texts follow those products' published
//! formats.

use std::net::Ipv4Addr;

use meridian_service::{DeviceKey, DiscoveryRequest, RunState, SnmpVersion};
use meridian_testkit::Snmpsim;

mod common;

/// snmprec lines (`OID|TAG|VALUE`) sorted by OID, as snmpsim needs for GETNEXT.
fn recording(descr: &str, object_id: &str, rows: &[(&str, &str, &str)]) -> String {
    let mut all: Vec<(Vec<u32>, String)> = [
        ("1.3.6.1.2.1.1.1.0", "4", descr),
        ("1.3.6.1.2.1.1.2.0", "6", object_id),
        ("1.3.6.1.2.1.1.3.0", "67", "123456"),
        ("1.3.6.1.2.1.1.5.0", "4", "rack-a"),
        ("1.3.6.1.2.1.1.6.0", "4", "Row 3"),
        ("1.3.6.1.2.1.1.7.0", "2", "72"),
    ]
    .iter()
    .chain(rows)
    .map(|(oid, tag, v)| {
        let key = oid.split('.').map(|p| p.parse::<u32>().expect("numeric OID")).collect();
        (key, format!("{oid}|{tag}|{v}"))
    })
    .collect();
    all.sort();
    all.into_iter().map(|(_, l)| l + "\n").collect()
}

fn agents() -> Vec<(Ipv4Addr, String, &'static str)> {
    let sensor = recording(
        "Environmental sensor agent",
        "1.3.6.1.4.1.99999.7",
        &[
            ("1.3.6.1.2.1.99.1.1.1.1.1", "2", "8"),
            ("1.3.6.1.2.1.99.1.1.1.4.1", "2", "24"),
            ("1.3.6.1.2.1.99.1.1.1.5.1", "2", "1"),
        ],
    );
    let pdu = recording(
        "APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.8.2 PN:apc_hw05_aos_682.bin AF1:v6.8.2 AN1:apc_hw05_rpdu2g_682.bin MN:AP8959EU3 HR:02)",
        "1.3.6.1.4.1.318.1.3.4.6",
        &[
            ("1.3.6.1.4.1.318.1.1.12.1.8.0", "2", "24"),
            ("1.3.6.1.4.1.318.1.1.12.2.3.1.1.2.1", "66", "52"),
            ("1.3.6.1.4.1.318.1.1.12.2.3.1.1.3.1", "2", "1"),
        ],
    );
    let idrac = recording(
        "Dell Out-of-band SNMP Agent for Remote Access Controller",
        "1.3.6.1.4.1.674.10892.5",
        &[("1.3.6.1.4.1.674.10892.5.2.1.0", "2", "3"), ("1.3.6.1.4.1.674.10892.5.4.700.20.1.6.1.1", "2", "245")],
    );
    let host = recording(
        "agent",
        "1.3.6.1.4.1.99999.9",
        &[("1.3.6.1.2.1.25.2.3.1.3.1", "4", "/"), ("1.3.6.1.2.1.25.3.3.1.2.1", "2", "5")],
    );
    // An unknown maker's L2 switch: 24 copper ports, 2 gigabit uplinks (the
    // old gigabitEthernet ifType), a VLAN interface and a loopback.
    let mut switch_rows: Vec<(String, &str, String)> =
        vec![("1.3.6.1.2.1.17.1.2.0".into(), "2", "26".into()), ("1.3.6.1.2.1.17.1.3.0".into(), "2", "2".into())];
    for i in 1..=30u32 {
        let if_type = match i {
            1..=24 => 6,
            25 | 26 => 117,
            27 => 136,
            _ => 24,
        };
        switch_rows.push((format!("1.3.6.1.2.1.2.2.1.1.{i}"), "2", i.to_string()));
        switch_rows.push((format!("1.3.6.1.2.1.2.2.1.3.{i}"), "2", if_type.to_string()));
    }
    for p in 1..=26u32 {
        switch_rows.push((format!("1.3.6.1.2.1.17.1.4.1.2.{p}"), "2", p.to_string()));
    }
    let rows: Vec<(&str, &str, &str)> = switch_rows.iter().map(|(o, t, v)| (o.as_str(), *t, v.as_str())).collect();
    let switch = recording("L2 managed device, firmware 3.2.1", "1.3.6.1.4.1.99999.11", &rows);
    vec![
        (Ipv4Addr::new(127, 1, 9, 1), sensor, "sensor"),
        (Ipv4Addr::new(127, 1, 9, 2), pdu, "pdu"),
        (Ipv4Addr::new(127, 1, 9, 3), idrac, "chassis"),
        (Ipv4Addr::new(127, 1, 9, 4), host, "server"),
        (Ipv4Addr::new(127, 1, 9, 5), switch, "switch"),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn sensors_pdus_and_bmcs_are_discovered_as_their_kinds() {
    let agents = agents();
    let port = meridian_testkit::free_udp_port().expect("port");
    let sims: Vec<Snmpsim> = std::thread::scope(|s| {
        let handles: Vec<_> = agents
            .iter()
            .map(|(addr, text, _)| {
                s.spawn(move || {
                    Snmpsim::builder().edited("public", text.clone()).addresses(&[*addr]).port(port).start()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("thread").expect("snmpsim")).collect()
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let app = common::open_app(dir.path()).await;
    app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("credential");
    let req = DiscoveryRequest {
        targets: vec!["127.1.9.1-127.1.9.5".into()],
        port,
        timeout_ms: 1500,
        retries: 1,
        credentials: vec!["lab".into()],
        ..DiscoveryRequest::default()
    };
    let run = app.start_discovery(req, &[]).await.expect("start").finished().await.expect("run");
    assert_eq!(run.state, RunState::Completed, "{run:?}");
    let found = app.discovery_results(&run.id.to_string()).await.expect("results");
    for (addr, _, kind) in &agents {
        let f = found.iter().find(|f| f.address == addr.to_string()).unwrap_or_else(|| panic!("{addr}: {found:#?}"));
        let class = f.classification.as_ref().unwrap_or_else(|| panic!("{addr} not classified: {f:#?}"));
        assert_eq!(class.kind.value.as_str(), *kind, "{addr}: {:?}", class.kind);
        if *kind == "switch" {
            // Told by its tables, not guessed: the bridge's 26 ports, 26 of them Ethernet.
            assert!(class.kind.confidence >= 0.5, "{:?}", class.kind);
            assert!(
                class.kind.evidence.iter().any(|e| e.contains("bridge of 26 ports with 26 Ethernet")),
                "{:?}",
                class.kind
            );
        }
    }
    // Added, each polls with its kind's template (and so gets its default rules).
    app.add_discovered(&run.id.to_string(), &[], None, &[]).await.expect("add");
    let devices = app.list_devices().await.expect("devices");
    for (addr, _, kind) in &agents {
        let d = devices.iter().find(|d| d.address == addr.to_string()).expect("added");
        let template = app.device_template(&DeviceKey::Id(d.id)).await.expect("template").template;
        let want = if matches!(*kind, "server" | "switch") { "generic" } else { kind };
        assert_eq!(template, want, "{addr}");
    }
    app.close().await;
    drop(sims);
}

/// ENTITY-SENSOR-MIB values are stored in their base unit: a temperature in
/// milli-degrees (scale 8) and a humidity with one decimal place (precision
/// 1), served by snmpsim and polled with the sensor template.
#[tokio::test(flavor = "multi_thread")]
async fn sensor_values_are_stored_with_their_scale_and_precision() {
    let text = recording(
        "Environmental sensor agent",
        "1.3.6.1.4.1.99999.7",
        &[
            ("1.3.6.1.2.1.99.1.1.1.1.1", "2", "8"),
            ("1.3.6.1.2.1.99.1.1.1.1.2", "2", "9"),
            ("1.3.6.1.2.1.99.1.1.1.2.1", "2", "8"),
            ("1.3.6.1.2.1.99.1.1.1.2.2", "2", "9"),
            ("1.3.6.1.2.1.99.1.1.1.3.1", "2", "0"),
            ("1.3.6.1.2.1.99.1.1.1.3.2", "2", "1"),
            ("1.3.6.1.2.1.99.1.1.1.4.1", "2", "24500"),
            ("1.3.6.1.2.1.99.1.1.1.4.2", "2", "455"),
            ("1.3.6.1.2.1.99.1.1.1.5.1", "2", "1"),
            ("1.3.6.1.2.1.99.1.1.1.5.2", "2", "1"),
        ],
    );
    let sim = Snmpsim::builder().edited("public", text).start().expect("snmpsim");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = common::open_app(dir.path()).await;
    common::add_snmp_device(&app, "env-1", sim.port()).await;
    app.set_device_template(&DeviceKey::from("env-1"), Some("sensor")).await.expect("template");
    app.start_monitor(common::fast(std::time::Duration::from_millis(800), 1)).await.expect("monitor");
    let value = |h: &meridian_service::DeviceHistory, row: &str| {
        h.series
            .iter()
            .find(|s| s.metric.name() == "sensor_value" && s.row.as_deref() == Some(row))
            .and_then(|s| s.avg.last().copied())
    };
    let mut got = (None, None);
    for _ in 0..60 {
        let now = chrono::Utc::now();
        let h = app
            .device_history(&"env-1".into(), now - chrono::Duration::minutes(10), now, 60, None)
            .await
            .expect("history");
        got = (value(&h, "1"), value(&h, "2"));
        if got.0.is_some() && got.1.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let (temp, humidity) = got;
    assert!(temp.is_some_and(|t| (t - 24.5).abs() < 1e-9), "24500 milli-degrees: {temp:?}");
    assert!(humidity.is_some_and(|h| (h - 45.5).abs() < 1e-9), "455 at precision 1: {humidity:?}");
    app.stop_monitor().await;
    app.close().await;
}
