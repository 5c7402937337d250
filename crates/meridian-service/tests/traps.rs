//! The trap receiver beside the monitor, against net-snmp's `snmptrap` and
//! `snmpinform` on loopback: linkDown of a managed device in v1, v2c and v3
//! authPriv raises the interface alarm the poller raises (through the device
//! state machine), linkUp clears it; informs are acknowledged; a wrong v3 key
//! is counted; garbage is stored as malformed; every event is listed with
//! decoded names, its source and device.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::{Duration, Instant};

use meridian_core::state::DeviceState;
use meridian_core::trap::{TrapPdu, TrapVersion};
use meridian_service::{
    Alarm, App, AppConfig, CoreEvent, DeviceInput, SnmpVersion, TrapCredential, TrapSettings, UsmInput,
};
use meridian_testkit::NativePostgres;

mod common;
use common::snmptrap::{self, link, ops_user, send, strings as s, LINK_DOWN, LINK_UP};
use common::{fast, state_of, Events};

const SENDER_ENGINE: &str = "8000000001020304";

async fn open(dir: &Path) -> App {
    let pg = NativePostgres::shared().expect("native PostgreSQL");
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.database_url = Some(pg.fresh_database().expect("database"));
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    App::open(cfg).await.expect("open")
}

fn free_udp_port() -> u16 {
    let s = std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    s.local_addr().expect("addr").port()
}

fn v1(to: &str, generic: &str, oper: &str) -> Vec<String> {
    let mut a = s(&["-v", "1", "-c", "public", to, "1.3.6.1.4.1.8072.2.3", "127.0.0.1", generic, "0", ""]);
    a.extend(link(oper));
    a
}

fn v2c(to: &str, trap: &str, oper: &str) -> Vec<String> {
    let mut a = s(&["-v", "2c", "-c", "public", "-t", "2", "-r", "1", to, "", trap]);
    a.extend(link(oper));
    a
}

fn v3(to: &str, auth_pass: &str, trap: &str, oper: &str) -> Vec<String> {
    let mut a = snmptrap::v3(SENDER_ENGINE, to, auth_pass, trap);
    a.extend(link(oper));
    a
}

fn iface_alarm(a: &Alarm) -> bool {
    a.specific_problem == "linkDown" && a.managed_object.ends_with(",ifIndex=2")
}

#[tokio::test(flavor = "multi_thread")]
async fn link_traps_of_every_version_raise_and_clear_the_interface_alarm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(&dir.path().join("app")).await;
    app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("community");
    app.add_usm_credential(ops_user()).await.expect("usm");
    let accept = |c: &str, e: Option<&str>| TrapCredential { credential: c.into(), engine_id: e.map(str::to_owned) };
    let bad = TrapSettings { credentials: vec![accept("ops", Some("80zz"))], ..Default::default() };
    let days = TrapSettings { retention_days: Some(0), ..Default::default() };
    let e = app.set_trap_settings(days).await.expect_err("0 days");
    assert_eq!(e.fields[0].field, "retentionDays");
    assert!(app.set_trap_settings(bad).await.is_err(), "a bad engine id is refused");
    let settings = TrapSettings {
        credentials: vec![accept("lab", None), accept("ops", Some(SENDER_ENGINE))],
        ..Default::default()
    };
    app.set_trap_settings(settings.clone()).await.expect("settings");
    assert_eq!(app.trap_settings().await.expect("read"), settings);
    // Ping only: no SNMP poll of the ifTable competes with the traps.
    let edge = DeviceInput { name: "edge".into(), address: "127.0.0.1".into(), ..Default::default() };
    app.add_device(edge).await.expect("device");

    let port = free_udp_port();
    let to = format!("127.0.0.1:{port}");
    let mut cfg = fast(Duration::from_millis(500), 0);
    cfg.traps = Some(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
    // Three bounces in a few seconds would be flapping; this test is about
    // each version's trap reaching the state machine, so flapping waits longer.
    cfg.flap.changes = 100;
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(cfg).await.expect("monitor with traps");
    rx.wait_for(20, "edge up", |e| state_of(e, "edge", DeviceState::Up)).await;
    let tools = dir.path();

    let raised = |e: &CoreEvent| matches!(e, CoreEvent::AlarmRaised { alarm } if iface_alarm(alarm));
    let cleared = |e: &CoreEvent| matches!(e, CoreEvent::AlarmCleared { alarm } if iface_alarm(alarm));
    let mut latencies = Vec::new();
    // (down, up) pairs crossing versions: v2c/v2c, v1/v3, v3/v1 (generic 2 is linkDown, 3 linkUp).
    let rounds: [(&str, Vec<String>, &str, Vec<String>); 3] = [
        ("snmptrap", v2c(&to, LINK_DOWN, "2"), "snmptrap", v2c(&to, LINK_UP, "1")),
        ("snmptrap", v1(&to, "2", "2"), "snmptrap", v3(&to, "authpass123", LINK_UP, "1")),
        ("snmptrap", v3(&to, "authpass123", LINK_DOWN, "2"), "snmpinform", v2c(&to, LINK_UP, "1")),
    ];
    for (down_tool, down, up_tool, up) in rounds {
        let t = Instant::now();
        send(tools, down_tool, down).await;
        rx.wait_for(5, "the interface alarm", raised).await;
        latencies.push(t.elapsed());
        let t = Instant::now();
        send(tools, up_tool, up).await;
        rx.wait_for(5, "the interface alarm to clear", cleared).await;
        latencies.push(t.elapsed());
    }
    eprintln!("trap sent (tool start included) -> alarm event: {latencies:?}");
    let active = app.list_alarms(true, 100).await.expect("alarms");
    assert!(!active.iter().any(iface_alarm), "{active:#?}");

    // A wrong v3 key is counted and changes nothing.
    send(tools, "snmptrap", v3(&to, "wrongpass999", LINK_DOWN, "2")).await;
    // Garbage is kept for inspection.
    let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.expect("bind");
    sock.send_to(b"\x30\x05\x02\x01\x01\x04\xff", &to).await.expect("send");
    let deadline = Instant::now() + Duration::from_secs(5);
    let (stats, events) = loop {
        let (_, _, stats) = app.trap_receiver_status().await.expect("receiver runs");
        let events = app.list_trap_events(100).await.expect("events");
        if (stats.auth_failures >= 1 && events.iter().any(|e| e.pdu == TrapPdu::Malformed)) || Instant::now() > deadline
        {
            break (stats, events);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(stats.auth_failures, 1, "{stats:?}");
    assert_eq!(stats.decoded, 6, "{stats:?}");
    assert!(rx.seen.iter().all(|e| !raised(e)), "the wrongly keyed linkDown raised nothing");
    app.stop_monitor().await;

    assert_eq!(events.len(), 7, "{events:#?}");
    let malformed = events.iter().find(|e| e.pdu == TrapPdu::Malformed).expect("kept");
    assert_eq!(malformed.raw_hex.as_deref(), Some("300502010104ff"));
    assert!(malformed.error.is_some());
    let versions: Vec<_> = events.iter().filter_map(|e| e.version).collect();
    for v in [TrapVersion::V1, TrapVersion::V2c, TrapVersion::V3] {
        assert!(versions.contains(&v), "{versions:?}");
    }
    for e in events.iter().filter(|e| e.pdu != TrapPdu::Malformed) {
        assert_eq!(e.device_name.as_deref(), Some("edge"), "{e:#?}");
        assert!(matches!(e.trap_name.as_deref(), Some("linkDown" | "linkUp")), "{e:#?}");
        let names: Vec<_> = e.varbinds.iter().filter_map(|v| v.name.as_deref()).collect();
        for n in ["sysUpTime.0", "snmpTrapOID.0", "ifIndex.2", "ifAdminStatus.2", "ifOperStatus.2"] {
            assert!(names.contains(&n), "{names:?}");
        }
        match e.version {
            Some(TrapVersion::V3) => {
                assert_eq!((e.user.as_deref(), e.engine_id.as_deref()), (Some("ops"), Some(SENDER_ENGINE)));
            }
            _ => assert_eq!((e.user.as_deref(), e.community_matched), (None, Some(true))),
        }
    }
    assert_eq!(events.iter().filter(|e| e.pdu == TrapPdu::Inform).count(), 1);
    app.close().await;
}

/// v3 informs: snmpinform discovers Meridian's engine (id, boots, time) and
/// gets its acknowledgement; the engine id persists and boots count up.
#[tokio::test(flavor = "multi_thread")]
async fn v3_informs_are_acknowledged_by_a_persisted_engine() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(&dir.path().join("app")).await;
    let usm = UsmInput {
        name: "inf".into(),
        user: "inf".into(),
        auth_proto: Some("SHA-256".into()),
        auth_pass: Some("authpass123".into()),
        priv_proto: Some("AES".into()),
        priv_pass: Some("privpass123".into()),
    };
    app.add_usm_credential(usm).await.expect("usm");
    app.set_trap_settings(TrapSettings {
        credentials: vec![TrapCredential { credential: "inf".into(), engine_id: None }],
        ..Default::default()
    })
    .await
    .expect("settings");
    let mut engines = Vec::new();
    for _ in 0..2 {
        let port = free_udp_port();
        let (svc, mut events) = app.listen_traps(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await.expect("listen");
        engines.push(svc.engine_id_hex());
        let mut args = s(&[
            "-v",
            "3",
            "-u",
            "inf",
            "-l",
            "authPriv",
            "-a",
            "SHA-256",
            "-A",
            "authpass123",
            "-x",
            "AES",
            "-X",
            "privpass123",
            "-t",
            "2",
            "-r",
            "1",
            &format!("127.0.0.1:{port}"),
            "",
            LINK_UP,
        ]);
        args.extend(link("1"));
        send(dir.path(), "snmpinform", args).await;
        let e = tokio::time::timeout(Duration::from_secs(5), events.recv()).await.expect("event").expect("open");
        assert_eq!((e.pdu, e.user.as_deref(), e.device_name.as_deref()), (TrapPdu::Inform, Some("inf"), None));
        assert_eq!(e.engine_id.as_deref(), Some(svc.engine_id_hex().as_str()), "informs are keyed to our engine");
    }
    assert_eq!(engines[0], engines[1], "the engine id is kept across starts");
    app.close().await;
}

/// A v3 trap names its sender by snmpEngineID: a device whose identity
/// reported that engine id gets the trap even when it arrives from another
/// of its addresses. The device sits on 127.0.0.2 (a real snmpd, so the
/// engine id is what the agent itself reports); the trap comes from
/// 127.0.0.1, which is no device. A trap with an unknown engine id from
/// the same address stays unmatched.
#[tokio::test(flavor = "multi_thread")]
async fn a_v3_trap_is_matched_to_its_device_by_engine_id() {
    let snmpd = meridian_testkit::Snmpd::start_on(&[Ipv4Addr::new(127, 0, 0, 2)]).expect("snmpd");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(&dir.path().join("app")).await;
    app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("community");
    let core = DeviceInput {
        name: "core".into(),
        address: "127.0.0.2".into(),
        credential: Some("lab".into()),
        snmp_port: Some(snmpd.port()),
        ..Default::default()
    };
    app.add_device(core).await.expect("device");
    app.refresh_inventory(&"core".into()).await.expect("identity from the agent");
    // The agent's own answer, read by net-snmp, not by our code.
    let out = snmpd
        .tool("snmpget", &["-v2c", "-c", "public", "-Ovq", "-Ox", &snmpd.address(), ".1.3.6.1.6.3.10.2.1.1.0"])
        .expect("snmpEngineID");
    let engine: String = out.split_whitespace().collect::<String>().trim_matches('"').to_ascii_lowercase();
    assert!(engine.len() >= 10 && engine.chars().all(|c| c.is_ascii_hexdigit()), "{out:?}");

    app.add_usm_credential(ops_user()).await.expect("usm");
    let accept = |e: &str| TrapCredential { credential: "ops".into(), engine_id: Some(e.to_owned()) };
    let settings = TrapSettings { credentials: vec![accept(&engine), accept(SENDER_ENGINE)], ..Default::default() };
    app.set_trap_settings(settings).await.expect("settings");
    let port = free_udp_port();
    let (_svc, mut events) = app.listen_traps(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await.expect("listen");
    let to = format!("127.0.0.1:{port}");
    let with_engine = |e: &str| {
        let mut a = v3(&to, "authpass123", LINK_DOWN, "2");
        a[3] = format!("0x{e}");
        a
    };
    for (engine_id, want) in [(engine.as_str(), Some("core")), (SENDER_ENGINE, None)] {
        send(dir.path(), "snmptrap", with_engine(engine_id)).await;
        let e = tokio::time::timeout(Duration::from_secs(5), events.recv()).await.expect("event").expect("open");
        assert_eq!(e.engine_id.as_deref(), Some(engine_id));
        assert_eq!(e.source_addr, "127.0.0.1");
        assert_eq!(e.device_name.as_deref(), want, "{e:#?}");
    }
    app.close().await;
}
