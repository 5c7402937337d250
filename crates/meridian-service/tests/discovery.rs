//! Discovery jobs against real peers on loopback:
//! - refusals (bad CIDR, a range over 65,536 addresses) that store nothing;
//! - an ICMP sweep of 127.1.4.0/22 where iptables drops ICMP to all but a
//!   chosen live set (rules added and removed by the test), found exactly;
//! - SNMP identification through snmpsim recordings, each on its own
//!   loopback address, with credentials tried in order;
//! - re-discovery that adds no duplicates (by address, and by sysName after
//!   a device moved address);
//! - cancellation in the middle of a run.
//!
//! Needs root (raw ICMP, iptables) and the snmpsim venv (`make deps`).

use std::net::Ipv4Addr;
use std::time::Duration;

use meridian_service::diag::SnmpCredentialInput;
use meridian_service::{
    ApiErrorKind, App, AppConfig, CoreEvent, DiscoveryMode, DiscoveryRequest, RunState, SnmpVersion,
};
use meridian_testkit::{DropRule, Snmpsim};

mod common;
use common::Events;

async fn open() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");
    (dir, app)
}

fn community(c: &str) -> SnmpCredentialInput {
    SnmpCredentialInput { community: Some(c.into()), ..SnmpCredentialInput::default() }
}

fn request(targets: &[&str], port: u16) -> DiscoveryRequest {
    DiscoveryRequest {
        targets: targets.iter().map(|t| t.to_string()).collect(),
        port,
        timeout_ms: 1500,
        retries: 1,
        ..DiscoveryRequest::default()
    }
}

#[tokio::test]
async fn bad_and_oversized_targets_are_refused_before_anything_runs() {
    let (_dir, app) = open().await;
    let adhoc = [community("public")];
    for (targets, needle) in [
        (vec!["127.1.0.0/33"], "/33"),
        (vec!["127.1.0.300"], "not an IPv4 or IPv6 address"),
        (vec!["127.1.0.9-127.1.0.1"], "range"),
        (vec!["127.0.0.0/15"], "131070 addresses"),
        (vec!["127.1.0.0/16", "127.2.0.0/16"], "more than the limit of 65536"),
    ] {
        let err = app.start_discovery(request(&targets, 161), &adhoc).await.map(|_| ()).expect_err("refused");
        assert_eq!(err.kind, ApiErrorKind::Validation, "{targets:?}: {err:?}");
        assert_eq!(err.fields[0].field, "targets", "{targets:?}: {err:?}");
        assert!(err.fields[0].message.contains(needle), "{targets:?}: {}", err.fields[0].message);
    }
    let unknown = DiscoveryRequest { credentials: vec!["nope".into()], ..request(&["127.1.0.1"], 161) };
    let err = app.start_discovery(unknown, &[]).await.map(|_| ()).expect_err("unknown credential");
    assert_eq!(err.fields[0].field, "credentials");
    // Missing credentials and a bad range are reported in one answer.
    let err = app.start_discovery(request(&["127.1.0.0/33"], 161), &[]).await.map(|_| ()).expect_err("two mistakes");
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["credentials", "targets"], "{err:?}");
    assert!(app.discovery_runs(10).await.expect("runs").is_empty(), "a refused request stores no run");
    app.close().await;
}

#[tokio::test]
async fn sweep_of_a_slash_22_finds_exactly_the_live_set() {
    let (_dir, app) = open().await;
    // ICMP to 127.1.4.0/22 is dropped except to these, so the live set is
    // the test's choice (every loopback address would answer otherwise).
    let live: Vec<Ipv4Addr> =
        [(4, 1), (4, 77), (5, 200), (6, 3), (7, 254)].iter().map(|(c, d)| Ipv4Addr::new(127, 1, *c, *d)).collect();
    let _block = DropRule::add_block(Ipv4Addr::new(127, 1, 4, 0), 22).expect("iptables block");
    let _accept: Vec<DropRule> = live.iter().map(|a| DropRule::accept(*a).expect("iptables accept")).collect();
    let req = DiscoveryRequest {
        mode: DiscoveryMode::IcmpOnly,
        timeout_ms: 300,
        retries: 1,
        ..request(&["127.1.4.0/22"], 161)
    };
    let mut events = Events::new(app.subscribe());
    let run = app.start_discovery(req, &[]).await.expect("start").finished().await.expect("run");
    assert_eq!(run.state, RunState::Completed, "{run:?}");
    assert_eq!((run.total, run.found), (1022, 5));
    let found = app.discovery_results("latest").await.expect("results");
    let mut got: Vec<Ipv4Addr> = found.iter().map(|f| f.address.parse().expect("ip")).collect();
    got.sort();
    assert_eq!(got, live, "exactly the addresses ICMP can reach");
    assert!(found.iter().all(|f| f.alive && f.snmp.is_none()));
    // Progress was published and ended at the full count.
    events.drain();
    assert!(events.any(|e| matches!(e, CoreEvent::DiscoveryProgress { progress } if progress.total == 1022)));
    app.close().await;
}

#[tokio::test]
async fn credentials_are_tried_in_order_and_rediscovery_adds_no_duplicates() {
    let devices: Vec<(Ipv4Addr, String)> =
        [(1, "network/switch/cisco-c3560"), (2, "os/linux/slackware"), (3, "network/firewall/clavister-amaranten")]
            .iter()
            .map(|(i, r)| (Ipv4Addr::new(127, 1, 8, *i), r.to_string()))
            .collect();
    let sims = Snmpsim::fleet(&devices, 3).expect("snmpsim fleet");
    let port = sims[0].port();
    let (_dir, app) = open().await;
    app.add_community_credential("wrong", SnmpVersion::V2c, "not-this-one").await.expect("credential");
    app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("credential");
    app.add_site(meridian_service::SiteInput { name: "Lab".into(), ..Default::default() }).await.expect("site");
    let req = DiscoveryRequest {
        credentials: vec!["wrong".into(), "lab".into()],
        timeout_ms: 700,
        retries: 0,
        site: Some("Lab".into()),
        tags: vec!["found".into(), "rack-2".into()],
        ..request(&["127.1.8.1-127.1.8.4"], port)
    };
    // An unknown site or a bad tag is refused before anything is sent.
    let bad = DiscoveryRequest { site: Some("Nowhere".into()), ..req.clone() };
    let e = app.start_discovery(bad, &[]).await.err().expect("unknown site");
    assert_eq!(e.fields.first().map(|f| f.field.as_str()), Some("site"), "{e:?}");
    let bad = DiscoveryRequest { tags: vec!["two words".into()], ..req.clone() };
    let e = app.start_discovery(bad, &[]).await.err().expect("bad tag");
    assert_eq!(e.fields.first().map(|f| f.field.as_str()), Some("tags"), "{e:?}");
    assert!(app.discovery_runs(10).await.expect("runs").is_empty(), "a refused request left a run");
    let run = app.start_discovery(req.clone(), &[]).await.expect("start").finished().await.expect("run");
    assert_eq!(run.state, RunState::Completed, "{run:?}");
    let found = app.discovery_results(&run.id.to_string()).await.expect("results");
    let identified: Vec<_> = found.iter().filter(|f| f.snmp.is_some()).collect();
    assert_eq!(identified.len(), 3, "{found:#?}");
    assert!(identified.iter().all(|f| f.credential_label.as_deref() == Some("lab")), "second credential won");
    // 127.1.8.4 answers ping but has no agent: found alive, without identity.
    assert!(found.iter().any(|f| f.address == "127.1.8.4" && f.snmp.is_none() && f.alive));
    let switch = identified.iter().find(|f| f.address == "127.1.8.1").expect("switch");
    let class = switch.classification.as_ref().expect("classified");
    assert_eq!((class.vendor_name(), class.kind.value.as_str()), (Some("Cisco"), "switch"));

    let added = app.add_discovered("latest", &[], None, &[]).await.expect("add");
    assert_eq!(added.len(), 4, "three agents and one ping-only host");
    let names: Vec<&str> = added.iter().map(|d| d.name.as_str()).collect();
    assert!(names.iter().all(|n| !n.is_empty()));
    for d in &added {
        assert_eq!(
            (d.site_name.as_deref(), d.tags.as_slice()),
            (Some("Lab"), &["found".to_string(), "rack-2".into()][..]),
            "{d:?}"
        );
    }
    // Named by sysName; the ping-only host by its address.
    let ping_only = added.iter().find(|d| d.address == "127.1.8.4").expect("ping-only");
    assert_eq!(ping_only.name, "127.1.8.4");
    let switch_dev = added.iter().find(|d| d.address == "127.1.8.1").expect("switch device");
    assert_eq!(switch_dev.credential_name.as_deref(), Some("lab"), "the credential that answered is remembered");
    assert_eq!(switch_dev.kind.as_str(), "switch");
    assert!(
        !app.device_entities(&switch_dev.name.as_str().into()).await.expect("entities").is_empty(),
        "ENTITY-MIB stored"
    );
    // Its poll template follows the classification until someone overrides it.
    let auto = app.device_template(&switch_dev.name.as_str().into()).await.expect("template");
    assert_eq!((auto.template.as_str(), auto.overridden), ("cisco-ios", false));
    let set = app.set_device_template(&switch_dev.name.as_str().into(), Some("generic")).await.expect("override");
    assert_eq!((set.template.as_str(), set.overridden), ("generic", true));
    let bad =
        app.set_device_template(&switch_dev.name.as_str().into(), Some("nope")).await.expect_err("unknown template");
    assert_eq!(bad.fields[0].field, "template");
    assert!(!app.set_device_template(&switch_dev.name.as_str().into(), None).await.expect("auto").overridden);

    // Same range again: everything is known, nothing is added.
    let again = app.start_discovery(req, &[]).await.expect("start").finished().await.expect("run");
    let found = app.discovery_results(&again.id.to_string()).await.expect("results");
    assert!(found.iter().all(|f| f.existing.is_some()), "{found:#?}");
    assert!(app.add_discovered("latest", &[], None, &[]).await.expect("add").is_empty());
    assert_eq!(app.list_devices().await.expect("devices").len(), 4);

    // The Linux box moves to a new address: recognised by its identity, not added twice.
    drop(sims);
    let moved = Snmpsim::fleet(&[(Ipv4Addr::new(127, 1, 8, 9), "os/linux/slackware".to_string())], 1).expect("moved");
    let req = DiscoveryRequest { timeout_ms: 700, retries: 0, ..request(&["127.1.8.9"], moved[0].port()) };
    let run = app.start_discovery(req, &[community("public")]).await.expect("start").finished().await.expect("run");
    let found = app.discovery_results(&run.id.to_string()).await.expect("results");
    assert_eq!(found.len(), 1);
    assert!(found[0].existing.is_some() && found[0].matched_by.is_some(), "{:#?}", found[0]);
    assert!(app.add_discovered("latest", &[], None, &[]).await.expect("add").is_empty());
    assert_eq!(app.list_devices().await.expect("devices").len(), 4);
    app.close().await;
}

#[tokio::test]
async fn a_run_can_be_cancelled_midway() {
    let (_dir, app) = open().await;
    // SNMP to 1,022 loopback addresses where nothing listens: every probe
    // waits out its timeout, so the run is long enough to cancel.
    let req = DiscoveryRequest {
        mode: DiscoveryMode::SnmpOnly,
        timeout_ms: 1000,
        retries: 0,
        ..request(&["127.1.12.0/22"], 9)
    };
    let mut events = Events::new(app.subscribe());
    let handle = app.start_discovery(req, &[community("public")]).await.expect("start");
    let id = handle.run.id;
    events
        .wait_for(
            30,
            "SNMP progress",
            |e| matches!(e, CoreEvent::DiscoveryProgress { progress } if progress.run_id == id && progress.probed > 0),
        )
        .await;
    app.cancel_discovery(id).expect("cancel");
    let run = tokio::time::timeout(Duration::from_secs(30), handle.finished()).await.expect("ends").expect("run");
    assert_eq!(run.state, RunState::Cancelled);
    let stored = app.discovery_run(&id.to_string()).await.expect("stored");
    assert_eq!(stored.state, RunState::Cancelled);
    assert!(stored.finished_at.is_some());
    assert!(app.cancel_discovery(id).is_err(), "a finished run cannot be cancelled");
    app.close().await;
}

#[tokio::test]
async fn communities_typed_for_one_run_answer_and_are_saved_only_when_a_device_is_added() {
    let sims = Snmpsim::fleet(&[(Ipv4Addr::new(127, 1, 16, 1), "os/linux/slackware".to_string())], 1).expect("snmpsim");
    let (_dir, app) = open().await;
    // As the desktop dialog sends them: a blank field, a wrong community, the right one.
    let adhoc = App::community_inputs(&[String::new(), "not-this-one".into(), "public".into()]);
    assert_eq!(adhoc.len(), 2, "blank fields are not credentials");
    let req = DiscoveryRequest {
        mode: DiscoveryMode::SnmpOnly,
        timeout_ms: 700,
        retries: 0,
        ..request(&["127.1.16.1"], sims[0].port())
    };
    let run = app.start_discovery(req, &adhoc).await.expect("start").finished().await.expect("run");
    assert_eq!(run.state, RunState::Completed, "{run:?}");
    let key = run.id.to_string();
    let found = app.discovery_results(&key).await.expect("results");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].credential_label.as_deref(), Some("ad hoc #2"), "the second community answered");
    assert!(app.list_credentials().await.expect("credentials").is_empty(), "a run saves no community");

    // Without the run's communities the device could not be polled: refused, with the field to fix.
    let err = app.add_discovered(&key, &["127.1.16.1".into()], None, &[]).await.expect_err("no community");
    assert_eq!(err.fields[0].field, "credential", "{err:?}");
    let added = app.add_discovered(&key, &["127.1.16.1".into()], None, &adhoc).await.expect("add");
    assert_eq!(added.len(), 1);
    let saved = app.list_credentials().await.expect("credentials");
    assert_eq!(saved.len(), 1, "only the community that answered is saved");
    assert_eq!(added[0].credential_name.as_deref(), Some(saved[0].name.as_str()));
    app.close().await;
}

#[tokio::test]
async fn a_run_can_be_cancelled_by_its_id_as_text() {
    let (_dir, app) = open().await;
    // SNMP to a /24 where nothing listens: long enough to still be running.
    let req = DiscoveryRequest {
        mode: DiscoveryMode::SnmpOnly,
        timeout_ms: 1000,
        retries: 0,
        ..request(&["127.1.20.0/24"], 9)
    };
    let handle = app.start_discovery(req, &App::community_inputs(&["public".into()])).await.expect("start");
    let id = handle.run.id.to_string();
    app.cancel_discovery_run(&id[..13]).await.expect("cancel by a prefix of the id");
    let run = tokio::time::timeout(Duration::from_secs(30), handle.finished()).await.expect("ends").expect("run");
    assert_eq!(run.state, RunState::Cancelled);
    let again = app.cancel_discovery_run(&id).await.expect_err("no longer running");
    assert_eq!(again.kind, ApiErrorKind::NotFound);
    let unknown = app.cancel_discovery_run("ffffffff").await.expect_err("no such run");
    assert_eq!(unknown.kind, ApiErrorKind::NotFound);
    app.close().await;
}
