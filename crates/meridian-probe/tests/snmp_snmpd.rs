//! The SNMP engine against a real net-snmp snmpd on 127.0.0.1.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use meridian_core::credential::{Secret, SnmpCredential, SnmpVersion, UsmUser};
use meridian_probe::snmp::{EngineConfig, Oid, SnmpEngine, Target, Value, VarBind};
use meridian_probe::ProbeError;
use meridian_testkit::{snmpd_users, Snmpd, SnmpdUser, AUTH_PASS, COMMUNITY, PRIV_PASS};

fn oid(s: &str) -> Oid {
    s.parse().expect("valid OID")
}

fn addr(d: &Snmpd) -> SocketAddr {
    d.address().parse().expect("addr")
}

fn v2c(d: &Snmpd, community: &str) -> Target {
    let cred = SnmpCredential::Community { version: SnmpVersion::V2c, community: Secret::new(community) };
    let mut t = Target::new(addr(d), cred);
    t.timeout = Duration::from_millis(500);
    t.retries = 1;
    t
}

fn v3(d: &Snmpd, u: &SnmpdUser, auth_pass: &str) -> Target {
    let user = UsmUser {
        user: u.name.clone(),
        auth: u.auth.map(|a| (a.parse().expect("auth proto"), Secret::new(auth_pass))),
        privacy: u.privacy.map(|p| (p.parse().expect("priv proto"), Secret::new(PRIV_PASS))),
    };
    let mut t = Target::new(addr(d), SnmpCredential::Usm(user));
    t.timeout = Duration::from_millis(500);
    t.retries = 1;
    t
}

async fn engine() -> SnmpEngine {
    SnmpEngine::new(EngineConfig::default()).await.expect("engine")
}

#[tokio::test]
async fn v2c_get_system_group() {
    let d = Snmpd::start().expect("snmpd");
    let e = engine().await;
    let vbs = e
        .get(&v2c(&d, COMMUNITY), &[oid("1.3.6.1.2.1.1.1.0"), oid("1.3.6.1.2.1.1.3.0"), oid("1.3.6.1.2.1.1.5.0")])
        .await
        .expect("get");
    assert_eq!(vbs.len(), 3);
    assert!(matches!(&vbs[0].value, Value::OctetString(s) if s.starts_with(b"Linux")), "{}", vbs[0]);
    assert!(matches!(vbs[1].value, Value::TimeTicks(_)), "{}", vbs[1]);
    let name =
        d.tool("snmpget", &["-v2c", "-c", COMMUNITY, "-On", &d.address(), ".1.3.6.1.2.1.1.5.0"]).expect("snmpget");
    assert_eq!(format!("{}\n", vbs[2]), name);
}

/// Lines of a walk, with the volatile ones made comparable: a line that
/// differs between two snmpbulkwalk runs (counters, clocks, load) is
/// compared by OID and type only.
fn compare_walks(ours: &[VarBind], before: &str, after: &str) {
    let strip_end = |s: &str| -> Vec<String> {
        // snmpbulkwalk prints the final endOfMibView varbind; our walk
        // returns the subtree only. Multi-line hex values are joined.
        let mut lines: Vec<String> = Vec::new();
        for l in s.lines() {
            if l.starts_with('.') || lines.is_empty() {
                lines.push(l.to_owned());
            } else if let Some(last) = lines.last_mut() {
                last.push('\n');
                last.push_str(l);
            }
        }
        lines.retain(|l| !l.ends_with("(It is past the end of the MIB tree)"));
        lines
    };
    let (b, a) = (strip_end(before), strip_end(after));
    let ours: Vec<String> = ours.iter().map(|v| v.to_string().trim_end_matches('\n').to_owned()).collect();
    assert_eq!(b.len(), a.len(), "agent tree changed between the two reference walks");
    assert_eq!(ours.len(), b.len(), "row count differs from snmpbulkwalk");
    let head = |l: &str| -> String {
        // OID and type: everything up to the first ": " after " = ".
        let (o, v) = l.split_once(" = ").unwrap_or((l, ""));
        format!("{o} = {}", v.split_once(": ").map_or(v, |x| x.0))
    };
    let mut exact = 0;
    for ((o, b), a) in ours.iter().zip(&b).zip(&a) {
        if b == a {
            assert_eq!(o, b);
            exact += 1;
        } else {
            assert_eq!(head(o), head(b), "volatile line: OID and type must match");
        }
    }
    assert!(exact * 10 > b.len() * 8, "only {exact} of {} lines were stable", b.len());
}

#[tokio::test]
async fn v2c_walk_of_everything_equals_snmpbulkwalk() {
    let d = Snmpd::start().expect("snmpd");
    let e = engine().await;
    let args = ["-v2c", "-c", COMMUNITY, "-On", "-Cr50", &d.address(), ".1"];
    let before = d.tool("snmpbulkwalk", &args).expect("snmpbulkwalk");
    let ours = e.walk_all(&v2c(&d, COMMUNITY)).await.expect("walk");
    let after = d.tool("snmpbulkwalk", &args).expect("snmpbulkwalk");
    assert!(ours.len() > 500, "walk too short: {}", ours.len());
    compare_walks(&ours, &before, &after);
}

/// A capped walk stops asking once it has its rows, and they are the first
/// rows of the uncapped walk.
#[tokio::test]
async fn a_capped_walk_returns_the_first_rows_of_the_full_walk() {
    let d = Snmpd::start().expect("snmpd");
    let e = engine().await;
    let t = v2c(&d, COMMUNITY);
    let capped = e.walk_at_most(&t, None, 37).await.expect("capped walk");
    let system = e.walk_at_most(&t, Some(&oid("1.3.6.1.2.1.1")), 3).await.expect("capped subtree");
    let full = e.walk(&t, &oid("1.3.6.1.2.1.1")).await.expect("subtree");
    assert_eq!(capped.len(), 37);
    assert_eq!(capped[0].oid, oid("1.3.6.1.2.1.1.1.0"), "the walk of .1 starts at sysDescr");
    assert_eq!(
        system.iter().map(|v| &v.oid).collect::<Vec<_>>(),
        full.iter().take(3).map(|v| &v.oid).collect::<Vec<_>>()
    );
    let all = e.walk_at_most(&t, Some(&oid("1.3.6.1.2.1.1")), usize::MAX).await.expect("uncapped");
    assert_eq!(all.len(), full.len());
}

#[tokio::test]
async fn v3_get_for_every_user_and_protocol_pair() {
    let d = Snmpd::start().expect("snmpd");
    let e = engine().await;
    let users = snmpd_users();
    assert_eq!(users.iter().filter(|u| u.level() == "authPriv").count(), 24);
    for u in &users {
        let vbs = e
            .get(&v3(&d, u, AUTH_PASS), &[oid("1.3.6.1.2.1.1.5.0")])
            .await
            .unwrap_or_else(|err| panic!("{} ({:?}/{:?}): {err}", u.name, u.auth, u.privacy));
        assert!(matches!(&vbs[0].value, Value::OctetString(_)), "{}: {}", u.name, vbs[0]);
    }
    // A v3 walk goes through the same path with GETBULK.
    let u = users.last().expect("user");
    let walked = e.walk(&v3(&d, u, AUTH_PASS), &oid("1.3.6.1.2.1.1")).await.expect("v3 walk");
    assert!(walked.len() >= 7);
}

#[tokio::test]
async fn wrong_credentials_give_typed_errors() {
    let d = Snmpd::start().expect("snmpd");
    let e = engine().await;
    let mut t = v2c(&d, "not-the-community");
    t.timeout = Duration::from_millis(200);
    t.retries = 0;
    match e.get(&t, &[oid("1.3.6.1.2.1.1.5.0")]).await {
        Err(ProbeError::SnmpTimeout { attempts: 1, .. }) => {}
        other => panic!("wrong community: {other:?}"),
    }
    let u = snmpd_users().into_iter().find(|u| u.level() == "authPriv").expect("user");
    let mut t = v3(&d, &u, "wrong-password");
    t.timeout = Duration::from_millis(300);
    t.retries = 0;
    match e.get(&t, &[oid("1.3.6.1.2.1.1.5.0")]).await {
        // net-snmp answers a bad digest with a usmStatsWrongDigests report.
        Err(ProbeError::SnmpUsm { .. }) | Err(ProbeError::SnmpTimeout { .. }) => {}
        other => panic!("wrong password: {other:?}"),
    }
}

#[tokio::test]
async fn subtree_walk_stops_at_the_end_and_missing_oids_are_exceptions() {
    let d = Snmpd::start().expect("snmpd");
    let e = engine().await;
    let t = v2c(&d, COMMUNITY);
    let root = oid("1.3.6.1.2.1.2.2");
    let rows = e.walk(&t, &root).await.expect("walk ifTable");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|v| v.oid.starts_with(&root)));
    let reference =
        d.tool("snmpbulkwalk", &["-v2c", "-c", COMMUNITY, "-On", &d.address(), ".1.3.6.1.2.1.2.2"]).expect("walk");
    assert_eq!(rows.len(), reference.lines().filter(|l| l.starts_with('.')).count());

    let vbs = e.get(&t, &[oid("1.3.6.1.2.1.1.99.0"), oid("1.3.6.1.2.1.1.5.99")]).await.expect("get");
    assert_eq!(vbs[0].value, Value::NoSuchObject);
    assert_eq!(vbs[1].value, Value::NoSuchInstance);
    assert_eq!(
        vbs[0].to_string(),
        d.tool("snmpget", &["-v2c", "-c", COMMUNITY, "-On", &d.address(), ".1.3.6.1.2.1.1.99.0"])
            .expect("snmpget")
            .trim_end()
    );
}

#[tokio::test]
async fn v1_walk_uses_getnext() {
    let d = Snmpd::start().expect("snmpd");
    let e = engine().await;
    let mut t = v2c(&d, COMMUNITY);
    t.credential = SnmpCredential::Community { version: SnmpVersion::V1, community: Secret::new(COMMUNITY) };
    let rows = e.walk(&t, &oid("1.3.6.1.2.1.1")).await.expect("v1 walk");
    assert!(rows.len() >= 7);
    assert!(e.get_bulk(&t, 0, 10, &[oid("1.3.6.1.2.1.1")]).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_parallel_requests_share_the_sockets() {
    let d = Snmpd::start().expect("snmpd");
    let e = Arc::new(
        SnmpEngine::new(EngineConfig { sockets_per_family: 2, ..EngineConfig::default() }).await.expect("engine"),
    );
    let t = v2c(&d, COMMUNITY);
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let (e, t) = (e.clone(), t.clone());
        tasks.push(tokio::spawn(async move { e.get(&t, &[oid("1.3.6.1.2.1.1.5.0")]).await }));
    }
    for task in tasks {
        let vbs = task.await.expect("join").expect("get");
        assert_eq!(vbs.len(), 1);
    }
    let s = e.stats();
    assert!(s.received >= 200 && s.sent >= 200, "{s:?}");
}
