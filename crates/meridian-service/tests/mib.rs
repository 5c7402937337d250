//! MIB names through the service: names agree with net-snmp's
//! `snmptranslate` reading the same shipped modules (a real peer), a trap
//! from `snmptrap` with IF-MIB varbinds is stored with names and values
//! decoded by their MIB (enumeration, DisplayString, PhysAddress), rules and
//! items may name OIDs (stored numeric; an unknown name is a field error),
//! and the user's `mib_dir` adds modules.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use meridian_service::{App, AppConfig, ItemInput, SnmpVersion, TrapCredential, TrapSettings};
use meridian_testkit::NativePostgres;

fn mibs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../mibs")
}

async fn open(dir: &Path, mib_dir: Option<PathBuf>) -> App {
    let pg = NativePostgres::shared().expect("native PostgreSQL");
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.database_url = Some(pg.fresh_database().expect("database"));
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    cfg.mib_dir = mib_dir;
    App::open(cfg).await.expect("open")
}

/// net-snmp's own name for `oid`, reading only the shipped modules.
fn snmptranslate(args: &[&str]) -> String {
    let dir = mibs_dir();
    let out = std::process::Command::new("snmptranslate")
        .env("MIBDIRS", &dir)
        .env("HOME", std::env::temp_dir())
        .args(["-M", dir.to_str().expect("utf-8 path"), "-m", "ALL"])
        .args(args)
        .output()
        .expect("run snmptranslate");
    assert!(out.status.success(), "snmptranslate {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn names_agree_with_snmptranslate_on_the_shipped_modules() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(&dir.path().join("app"), None).await;
    // Objects each named by exactly one shipped module (net-snmp and we
    // choose differently where RFC1213-MIB and IF-MIB both name one).
    let sample = [
        "1.3.6.1.2.1.1.1.0",
        "1.3.6.1.2.1.1.3.0",
        "1.3.6.1.2.1.1.9.1.2.4",
        "1.3.6.1.2.1.11.1.0",
        "1.3.6.1.6.3.1.1.4.1.0",
        "1.3.6.1.6.3.1.1.5.1",
        "1.3.6.1.6.3.1.1.5.3",
        "1.3.6.1.6.3.1.1.5.4",
        "1.3.6.1.2.1.31.1.1.1.1.3",
        "1.3.6.1.2.1.31.1.1.1.6.2",
        "1.3.6.1.2.1.31.1.1.1.18.7",
        "1.3.6.1.2.1.31.1.2.1.3",
        "1.3.6.1.2.1.4.20.1.1.127.0.0.1",
        "1.3.6.1.2.1.6.13.1.1",
        "1.3.6.1.4.1.8072.9999.7701.1.2",
        "1.3.6.1.4.1.8072.9999.7701.0.1",
    ];
    for oid in sample {
        let ours = app.mib_translate(oid).expect("translate");
        let theirs = snmptranslate(&[&format!(".{oid}")]);
        assert_eq!(ours.name.as_deref(), Some(theirs.as_str()), "{oid}");
        // And back: the name gives the same OID as net-snmp's -On.
        let back = app.mib_translate(&theirs).expect("name to OID");
        assert_eq!(format!(".{}", back.oid), snmptranslate(&["-On", &theirs]), "{theirs}");
    }
    let e = app.mib_translate("IF-MIB::ifNoSuchColumn").expect_err("unknown name");
    assert_eq!(e.fields[0].field, "query");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trap_with_if_mib_varbinds_is_stored_with_decoded_names_and_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(&dir.path().join("app"), None).await;
    app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("community");
    let accept = TrapCredential { credential: "lab".into(), engine_id: None };
    app.set_trap_settings(TrapSettings { credentials: vec![accept], ..Default::default() }).await.expect("settings");
    let port = std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind").local_addr().expect("addr").port();
    let (_svc, mut rx) = app.listen_traps(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await.expect("listen");
    let args = [
        "-v",
        "2c",
        "-c",
        "public",
        &format!("127.0.0.1:{port}"),
        "",
        "1.3.6.1.6.3.1.1.5.3",
        "1.3.6.1.2.1.2.2.1.1.2",
        "i",
        "2",
        "1.3.6.1.2.1.2.2.1.2.2",
        "s",
        "eth0",
        "1.3.6.1.2.1.2.2.1.6.2",
        "x",
        "525400123456",
        "1.3.6.1.2.1.2.2.1.8.2",
        "i",
        "2",
        "1.3.6.1.2.1.31.1.1.1.1.2",
        "s",
        "ge-0/0/1",
    ]
    .map(str::to_owned);
    let mut c =
        meridian_testkit::net_snmp_tool(dir.path(), "snmptrap", &args.iter().map(String::as_str).collect::<Vec<_>>());
    let out = tokio::task::spawn_blocking(move || c.output().expect("snmptrap")).await.expect("join");
    assert!(out.status.success(), "snmptrap: {}", String::from_utf8_lossy(&out.stderr));
    let event = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.expect("in time").expect("event");
    // What was stored, not only what was broadcast.
    let deadline = Instant::now() + Duration::from_secs(5);
    let stored = loop {
        let events = app.list_trap_events(10).await.expect("events");
        if let Some(e) = events.into_iter().find(|e| e.id == event.id) {
            break e;
        }
        assert!(Instant::now() < deadline, "event not stored");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(stored.trap_name.as_deref(), Some("linkDown"));
    let vb = |name: &str| stored.varbinds.iter().find(|v| v.name.as_deref() == Some(name)).cloned();
    let shown = |name: &str| vb(name).unwrap_or_else(|| panic!("no {name} in {:#?}", stored.varbinds)).display;
    assert_eq!(shown("ifOperStatus.2").as_deref(), Some("down(2)"));
    assert_eq!(shown("ifDescr.2").as_deref(), Some("eth0"));
    assert_eq!(shown("ifPhysAddress.2").as_deref(), Some("52:54:0:12:34:56"));
    assert_eq!(shown("ifName.2").as_deref(), Some("ge-0/0/1"));
    assert_eq!(vb("ifIndex.2").map(|v| v.value).as_deref(), Some("2"), "the raw value stays");
    assert_eq!(shown("snmpTrapOID.0").as_deref(), Some("IF-MIB::linkDown"));
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rules_and_items_name_oids_and_store_them_numeric() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(&dir.path().join("app"), None).await;
    let rule = |oid: &str| {
        format!("name = 'down'\nseverity = 'major'\nkeyVarbind = 'ifIndex'\n[scope]\nall = true\n[raise]\nkind = 'trap'\noid = '{oid}'\n[clear]\nkind = 'trap'\noid = 'linkUp'\n")
    };
    let v = app.put_event_rule_toml(&rule("IF-MIB::linkDown")).await.expect("named rule");
    let toml = toml_of(&v.rule);
    assert!(toml.contains("1.3.6.1.6.3.1.1.5.3") && toml.contains("1.3.6.1.6.3.1.1.5.4"), "{toml}");
    let e = app.put_event_rule_toml(&rule("IF-MIB::linkSideways")).await.expect_err("unknown name");
    assert_eq!(e.fields[0].field, "raise.oid");
    assert!(e.fields[0].message.contains("unknown MIB name"), "{:?}", e.fields);

    let item = |oid: &str| ItemInput {
        template: Some("generic".into()),
        name: "in_octets".into(),
        oid: oid.into(),
        unit: "B".into(),
        interval_secs: 60,
        ..Default::default()
    };
    let added = app.add_item(item("IF-MIB::ifHCInOctets.1")).await.expect("named item");
    assert_eq!(added.item.oid, "1.3.6.1.2.1.31.1.1.1.6.1");
    let e = app.add_item(item("ifHCInOctetz.1")).await.expect_err("unknown");
    assert_eq!(e.fields[0].field, "oid");
    app.close().await;
}

fn toml_of(rule: &meridian_core::fault::EventRule) -> String {
    serde_json::to_string(rule).expect("json")
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mib_dir_setting_adds_vendor_modules_and_reports_bad_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vendor = dir.path().join("vendor-mibs");
    std::fs::create_dir(&vendor).expect("mkdir");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../meridian-probe/tests/corpus/mib_text");
    std::fs::copy(corpus.join("good_smiv2.txt"), vendor.join("TEST-GOOD-MIB.txt")).expect("copy");
    std::fs::copy(corpus.join("bad_clause.txt"), vendor.join("TEST-BAD-MIB.txt")).expect("copy");
    let app = open(&dir.path().join("app"), Some(vendor.clone())).await;
    let list = app.mib_list();
    assert!(list.modules.iter().any(|m| m.name == "TEST-GOOD-MIB"), "{list:#?}");
    assert!(list.modules.iter().any(|m| m.name == "IF-MIB" && m.source == "shipped"), "{list:#?}");
    let bad = list.errors.iter().find(|e| e.file.ends_with("TEST-BAD-MIB.txt")).expect("bad file reported");
    assert!(bad.line.is_some(), "{bad:?}");
    let shown = app.mib_show("TEST-GOOD-MIB::testState").expect("show");
    assert_eq!(shown.enums.len(), 3);
    assert!(app.mib_search("test box", 10).expect("search").iter().any(|n| n.name == "testState"));
    let kids = app.mib_children(Some("TEST-GOOD-MIB::testObjects")).expect("children");
    assert_eq!(kids.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(), ["testState", "testLabel", "testMac"]);
    app.close().await;
}
