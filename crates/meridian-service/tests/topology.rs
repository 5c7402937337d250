//! Links stay current without anyone asking, against snmpsim recordings on
//! loopback addresses:
//! - a re-discovery that meets a managed device refreshes its neighbours;
//! - the monitor's inventory poll refreshes them too, and a neighbour that
//!   becomes a managed device turns into a matched link;
//! - the parent tree derived from the matched links;
//! - the poll template chosen by classification adds its own metrics to the
//!   monitor's poll (net-snmp's UCD-SNMP scalars, against a real snmpd);
//! - an inventory refresh reaches a device given by host name on its own
//!   agent port, as the monitor's poll does (against a real snmpd);
//! - the desktop's device menu pings and walks a device with its stored
//!   address and credential (against a real snmpd).
//!
//! Needs the snmpsim venv (`make deps`) and root for ICMP.

use meridian_core::event::InventoryEntity;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use meridian_service::diag::SnmpCredentialInput;
use meridian_service::{App, AppConfig, CoreEvent, DeviceInput, DiscoveryRequest, RunState, SnmpVersion};
use meridian_testkit::{Snmpd, Snmpsim};

mod common;
use common::{fast, Events};

const H3C: (u8, &str) = (2, "network/switch/h3c-e528-1");
/// The Nexus hears the ProCurve over LLDP (by the ProCurve's chassis id).
const NEXUS: (u8, &str) = (3, "network/switch/cisco-n5000");
const PROCURVE: (u8, &str) = (4, "network/switch/hpe-procurve-516733-b21");

fn addr(last: u8) -> Ipv4Addr {
    Ipv4Addr::new(127, 1, 9, last)
}

fn device(name: &str, last: u8, port: u16) -> DeviceInput {
    DeviceInput {
        name: name.into(),
        address: addr(last).to_string(),
        credential: Some("lab".into()),
        snmp_port: Some(port),
        ..Default::default()
    }
}

fn links_changed(e: &CoreEvent, id: &str) -> bool {
    matches!(e, CoreEvent::InventoryChanged { entity: InventoryEntity::Link, id: d, .. } if d == id)
}

#[tokio::test]
async fn rediscovery_and_inventory_polls_refresh_links_and_parents_follow() {
    let fleet: Vec<(Ipv4Addr, String)> =
        [H3C, NEXUS, PROCURVE].iter().map(|(last, rec)| (addr(*last), rec.to_string())).collect();
    let sims = Snmpsim::fleet(&fleet, 3).expect("snmpsim fleet");
    let port = sims[0].port();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");
    app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("credential");
    let mut events = Events::new(app.subscribe());

    // Added by hand, so nothing has asked it for neighbours yet.
    let h3c = app.add_device(device("h3c", H3C.0, port)).await.expect("h3c");
    assert!(app.list_links().await.expect("links").is_empty());
    let req = DiscoveryRequest {
        targets: vec![addr(H3C.0).to_string()],
        port,
        timeout_ms: 1500,
        retries: 1,
        ..DiscoveryRequest::default()
    };
    let adhoc = [SnmpCredentialInput { community: Some("public".into()), ..SnmpCredentialInput::default() }];
    let run = app.start_discovery(req, &adhoc).await.expect("start").finished().await.expect("run");
    assert_eq!(run.state, RunState::Completed, "{run:?}");
    let found = app.discovery_results(&run.id.to_string()).await.expect("results");
    assert_eq!(found[0].existing, Some(h3c.id), "matched, not new: {found:#?}");
    let h3c_links: Vec<_> =
        app.list_links().await.expect("links").into_iter().filter(|l| l.link.local_device == h3c.id).collect();
    assert!(!h3c_links.is_empty(), "the re-discovery refreshed the known device's LLDP neighbours");
    assert!(!app.device_entities(&"h3c".into()).await.expect("entities").is_empty(), "and its ENTITY-MIB rows");
    events.wait_for(5, "h3c links announced", |e| links_changed(e, &h3c.id.to_string())).await;
    // Its neighbours are not managed: no matched link, so no parent tree yet.
    assert!(app.device_parents().await.expect("parents").is_empty());

    // The monitor's inventory poll: every second here, hourly by default.
    let nexus = app.add_device(device("nexus", NEXUS.0, port)).await.expect("nexus");
    let procurve = app.add_device(device("procurve", PROCURVE.0, port)).await.expect("procurve");
    let mut mcfg = fast(Duration::from_secs(3), 1);
    mcfg.intervals.snmp = Duration::from_secs(60);
    mcfg.intervals.inventory = Duration::from_secs(1);
    app.start_monitor(mcfg).await.expect("monitor");
    events.wait_for(60, "nexus links", |e| links_changed(e, &nexus.id.to_string())).await;
    // The Nexus's link to the ProCurve matches once the ProCurve's own poll
    // stored its chassis id and the Nexus is polled again.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let matched = loop {
        let links = app.list_links().await.expect("links");
        if let Some(l) =
            links.iter().find(|l| l.link.local_device == nexus.id && l.link.remote_device == Some(procurve.id))
        {
            break l.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "no matched Nexus-ProCurve link; links: {links:#?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(matched.remote_name.as_deref(), Some("procurve"));
    app.stop_monitor().await;

    // One matched link between two devices: the lower id is the root, the other its child.
    let parents = app.device_parents().await.expect("parents");
    assert_eq!(parents.len(), 2, "{parents:#?}");
    let (root, child) = if nexus.id < procurve.id { (&nexus, &procurve) } else { (&procurve, &nexus) };
    assert_eq!((parents[0].device, parents[0].parent), (root.id, None), "{parents:#?}");
    assert_eq!((parents[1].device, parents[1].parent), (child.id, Some(root.id)), "{parents:#?}");
    // Tagging the other one as the root turns the tree around.
    let patch =
        meridian_service::DevicePatch { tags: Some(vec![meridian_service::ROOT_TAG.into()]), ..Default::default() };
    app.update_device(&child.name.as_str().into(), patch).await.expect("tag");
    let parents = app.device_parents().await.expect("parents");
    assert_eq!((parents[0].device, parents[1].parent), (child.id, Some(child.id)), "{parents:#?}");
    app.close().await;
}

/// An app in `dir` managing one device, `name` at `address`, whose agent is
/// `snmpd` (community `public`, saved as credential `lab`).
async fn app_with_agent(dir: &tempfile::TempDir, snmpd: &Snmpd, name: &str, address: &str) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");
    app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("credential");
    let input = DeviceInput {
        name: name.into(),
        address: address.into(),
        credential: Some("lab".into()),
        snmp_port: Some(snmpd.port()),
        ..Default::default()
    };
    app.add_device(input).await.expect("device");
    app
}

#[tokio::test]
async fn the_monitor_polls_the_metrics_of_the_devices_template() {
    let snmpd = Snmpd::start().expect("snmpd");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app_with_agent(&dir, &snmpd, "agent", "127.0.0.1").await;
    // Classified as Linux by its answers, so net-snmp's template applies.
    app.refresh_inventory(&"agent".into()).await.expect("inventory");
    assert_eq!(app.device_template(&"agent".into()).await.expect("template").template, "linux-net-snmp");

    app.start_monitor(fast(Duration::from_secs(2), 1)).await.expect("monitor");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let metrics = loop {
        let now = chrono::Utc::now();
        let h = app
            .device_history(
                &"agent".into(),
                now - chrono::Duration::hours(1),
                now + chrono::Duration::minutes(1),
                100,
                None,
            )
            .await
            .expect("history");
        // A table row's series carries its row apart from the metric's name.
        let names: Vec<(String, String)> = h
            .series
            .iter()
            .map(|s| match &s.row {
                Some(row) => (format!("{}[{row}]", s.metric), s.unit.clone()),
                None => (s.metric.name().to_owned(), s.unit.clone()),
            })
            .collect();
        // The counter needs two polls before it has a rate.
        if names.iter().any(|(m, _)| m == "cpu_raw_user") {
            break names;
        }
        assert!(tokio::time::Instant::now() < deadline, "no template metrics polled; series: {names:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    app.stop_monitor().await;
    let has = |m: &str, unit: &str| metrics.iter().any(|(n, u)| n == m && u == unit);
    assert!(has("mem_total", "kilobytes"), "a template scalar: {metrics:?}");
    assert!(has("load[1]", "load"), "a template column, one series per row: {metrics:?}");
    assert!(has("cpu_raw_user", "ticks/s"), "a template counter becomes a rate: {metrics:?}");
    assert!(has("rtt_ms", "ms") && has("if_in_bps", "bit/s"), "the built-in poll goes on: {metrics:?}");
    assert!(!metrics.iter().any(|(n, _)| n == "if_in_octets"), "generic's metrics are not polled twice");
    app.close().await;
}

#[tokio::test]
async fn inventory_refresh_reaches_a_device_given_by_host_name() {
    let resolved: Vec<IpAddr> =
        tokio::net::lookup_host("localhost:0").await.expect("resolve localhost").map(|a| a.ip()).collect();
    assert_eq!(resolved.first(), Some(&IpAddr::from([127, 0, 0, 1])), "localhost must resolve to 127.0.0.1 first");
    let snmpd = Snmpd::start().expect("snmpd");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app_with_agent(&dir, &snmpd, "by-name", "localhost").await;

    let report = app.refresh_inventory(&"by-name".into()).await.expect("refresh a device given by host name");
    assert_eq!(report.device, "by-name");
    // The agent answered: its identity classified the device as net-snmp on Linux.
    assert_eq!(app.device_template(&"by-name".into()).await.expect("template").template, "linux-net-snmp");
    app.close().await;
}

/// The desktop's device menu: ping and walk a device by its stored address
/// (a host name here) and credential, and refuse a bad subtree before the
/// agent is asked.
#[tokio::test]
async fn a_device_is_pinged_and_walked_with_what_is_stored_for_it() {
    let snmpd = Snmpd::start().expect("snmpd");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app_with_agent(&dir, &snmpd, "menu", "localhost").await;

    let ping = app.ping_device(&"menu".into()).await.expect("ping");
    assert_eq!((ping.sent, ping.received), (4, 4), "{ping:?}");
    assert!(ping.address == "127.0.0.1" || ping.address == "::1", "{ping:?}");

    let walk = app.walk_device(&"menu".into(), "1.3.6.1.2.1.1").await.expect("walk system");
    assert_eq!(walk.device, "menu");
    assert!(walk.agent.ends_with(&format!(":{}", snmpd.port())), "{}", walk.agent);
    assert!(!walk.truncated);
    let sys_descr = walk.rows.iter().find(|r| r.oid == ".1.3.6.1.2.1.1.1.0").expect("sysDescr in the walk");
    assert_eq!(sys_descr.kind, "STRING");
    assert!(walk.rows.iter().all(|r| r.oid.starts_with(".1.3.6.1.2.1.1.")), "only the subtree");
    // A leaf walks as a GET, as snmpbulkwalk does.
    let leaf = app.walk_device(&"menu".into(), ".1.3.6.1.2.1.1.5.0").await.expect("walk a leaf");
    assert_eq!(leaf.rows.len(), 1);

    let bad = app.walk_device(&"menu".into(), "1.3.six").await.expect_err("bad OID");
    assert_eq!(bad.fields[0].field, "root", "{bad:?}");
    let unknown = app.walk_device(&"nope".into(), "1.3.6.1.2.1.1").await.expect_err("unknown device");
    assert_eq!(unknown.kind, meridian_service::ApiErrorKind::NotFound, "{unknown:?}");
    app.close().await;
}

/// A device without a credential can be pinged but not walked.
#[tokio::test]
async fn a_walk_needs_the_devices_credential() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");
    let input = DeviceInput { name: "bare".into(), address: "127.0.0.1".into(), ..Default::default() };
    app.add_device(input).await.expect("device");
    let e = app.walk_device(&"bare".into(), "1.3.6.1.2.1.1").await.expect_err("no credential");
    assert_eq!(e.fields[0].field, "credential", "{e:?}");
    app.close().await;
}
