//! Northbound forwarding against real peers on loopback: an alarm raised
//! (by a syslog event rule fed with util-linux `logger`) and cleared reaches
//! net-snmp's `snmptrapd`, which decodes it with the shipped
//! MERIDIAN-ALARM-MIB, an RFC 5424 receiver over TCP, and a real `rsyslogd`
//! receiving over TLS (RFC 5425) with a certificate of a test CA; a dead target is
//! retried and given up, every attempt in the delivery log; the community
//! never leaves the vault.

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use meridian_core::notification::RetryPolicy;
use meridian_core::rules::RuleScope;
use meridian_service::{
    App, AppConfig, DeliveryLogFilter, DeviceInput, EventMatch, EventRule, ForwardKind, ForwardTarget, Severity,
    SnmpVersion, SyslogConfig, SyslogTransport, UsmInput,
};
use meridian_testkit::{RsyslogTlsSink, TestCerts};
use tokio::io::AsyncReadExt;

mod common;
use common::{bgpd_logger as logger, fast};

fn mib_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../mibs")
}

/// snmptrapd in the foreground on `port`, accepting any community, with
/// only the shipped MIB loaded; its decoded output goes to `out`.
struct TrapD {
    child: Child,
    out: PathBuf,
}

impl TrapD {
    fn start(dir: &Path, port: u16) -> Self {
        Self::start_with(dir, port, "disableAuthorization yes\n")
    }

    fn start_with(dir: &Path, port: u16, config: &str) -> Self {
        let conf = dir.join("snmptrapd.conf");
        std::fs::write(&conf, config).expect("conf");
        let out = dir.join("snmptrapd.out");
        let log = std::fs::File::create(&out).expect("log");
        let child = Command::new("snmptrapd")
            .args(["-f", "-C", "-c"])
            .arg(&conf)
            .args(["-Lo", "-M"])
            .arg(mib_dir())
            .args(["-m", "MERIDIAN-ALARM-MIB", &format!("udp:127.0.0.1:{port}")])
            .env("SNMP_PERSISTENT_DIR", dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("snmptrapd (make deps installs it)");
        let t = Self { child, out };
        t.wait_for("NET-SNMP version", Duration::from_secs(5));
        t
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.out).unwrap_or_default()
    }

    fn wait_for(&self, what: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let t = self.text();
            if t.contains(what) {
                return t;
            }
            assert!(Instant::now() < deadline, "snmptrapd never showed {what:?}:\n{t}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for TrapD {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_udp_port() -> u16 {
    UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind").local_addr().expect("addr").port()
}

fn rule() -> EventRule {
    EventRule {
        name: "BGP down".into(),
        enabled: true,
        severity: Severity::Major,
        scope: RuleScope { all: true, ..Default::default() },
        raise: EventMatch::Syslog { severity: None, app: Some("bgpd".into()), pattern: Some("Down".into()) },
        clear: Some(EventMatch::Syslog { severity: None, app: Some("bgpd".into()), pattern: Some("Up".into()) }),
        key_varbind: None,
    }
}

fn target(name: &str, kind: ForwardKind) -> ForwardTarget {
    ForwardTarget { name: name.into(), enabled: true, kind, min_severity: Severity::Warning }
}

/// An app on the embedded store with device "edge" (127.0.0.1) and the BGP rule.
async fn app_with_edge_and_rule(dir: &Path) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.join("app"));
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");
    app.add_device(DeviceInput { name: "edge".into(), address: "127.0.0.1".into(), ..Default::default() })
        .await
        .expect("device");
    app.put_event_rule(rule()).await.expect("rule");
    app
}

#[tokio::test(flavor = "multi_thread")]
async fn alarm_changes_reach_snmptrapd_and_a_syslog_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app_with_edge_and_rule(dir.path()).await;

    let trap_port = free_udp_port();
    let trapd = TrapD::start(dir.path(), trap_port);
    let trap_kind =
        ForwardKind::SnmpTrap { address: "127.0.0.1".into(), port: trap_port, community_ref: None, user: None };
    let saved = app.put_forward_target(target("noc", trap_kind), Some("s3cret-community".into())).await.expect("trap");
    let shown = serde_json::to_string(&saved).expect("json");
    assert!(shown.contains("communityRef") && !shown.contains("s3cret"), "{shown}");
    let syslog_rx = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listener");
    let syslog_kind = ForwardKind::Syslog {
        address: "127.0.0.1".into(),
        port: syslog_rx.local_addr().expect("addr").port(),
        transport: SyslogTransport::Tcp,
        ca_file: None,
        server_name: None,
        cert_file: None,
        key_file: None,
    };
    app.put_forward_target(target("siem", syslog_kind), None).await.expect("syslog target");
    let certs = TestCerts::new().expect("certificates");
    let collector = RsyslogTlsSink::start(&certs.cert(), &certs.key(), &certs.ca()).expect("rsyslogd over TLS");
    let tls_kind = ForwardKind::Syslog {
        address: "127.0.0.1".into(),
        port: collector.addr().port(),
        transport: SyslogTransport::Tls,
        ca_file: Some(certs.ca().display().to_string()),
        server_name: None,
        cert_file: None,
        key_file: None,
    };
    app.put_forward_target(target("noc-tls", tls_kind), None).await.expect("TLS target");
    // Nothing listens here: the attempts fail and are given up.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let dead_port = closed.local_addr().expect("addr").port();
    drop(closed);
    let dead = ForwardKind::Syslog {
        address: "127.0.0.1".into(),
        port: dead_port,
        transport: SyslogTransport::Tcp,
        ca_file: None,
        server_name: None,
        cert_file: None,
        key_file: None,
    };
    app.put_forward_target(target("down", dead), None).await.expect("dead target");

    let mut mcfg = fast(Duration::from_millis(500), 0);
    mcfg.rollups = None;
    mcfg.forward_retry = RetryPolicy { delays: vec![Duration::from_secs(1), Duration::from_secs(4)], max_attempts: 3 };
    mcfg.syslog = Some(SyslogConfig { bind: "127.0.0.1".parse().expect("ip"), port: 0, ..SyslogConfig::default() });
    app.start_monitor(mcfg).await.expect("monitor");
    let tcp = app.syslog_status().await.expect("syslog").tcp.expect("tcp");
    let syslog_port = tcp.parse::<SocketAddr>().expect("addr").port();

    logger(syslog_port, "local7.err", "BGP neighbor 127.0.0.9 Down");
    let raised = trapd.wait_for("meridianAlarmRaised", Duration::from_secs(5));
    for want in [
        "meridianAlarmSeverity.0 = INTEGER: major(2)",
        "meridianAlarmSpecificProblem.0 = STRING: \"BGP down\"",
        "meridianAlarmDevice.0 = STRING: \"edge\"",
        "meridianAlarmProbableCause.0 = STRING: \"unspecifiedReason\"",
    ] {
        assert!(raised.contains(want), "{want} not in:\n{raised}");
    }
    let (mut conn, _) =
        tokio::time::timeout(Duration::from_secs(5), syslog_rx.accept()).await.expect("sent").expect("accept");
    let mut frame = String::new();
    tokio::time::timeout(Duration::from_secs(5), conn.read_to_string(&mut frame)).await.expect("read").expect("utf-8");
    let (len, msg) = frame.split_once(' ').expect("octet-counted");
    assert_eq!(len.parse::<usize>().expect("length"), msg.len(), "{frame}");
    assert!(msg.starts_with("<131>1 ") && msg.contains(" meridian - alarm [meridian@8072 "), "{msg}");
    assert!(msg.contains("raised edge: BGP down"), "{msg}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !collector.received().contains("raised edge: BGP down") {
        assert!(
            Instant::now() < deadline,
            "rsyslogd got nothing over TLS: {}\n{}",
            collector.received(),
            collector.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(collector.received().contains("[meridian@8072 "), "{}", collector.received());

    logger(syslog_port, "local7.notice", "BGP neighbor 127.0.0.9 Up");
    let cleared = trapd.wait_for("meridianAlarmCleared", Duration::from_secs(5));
    assert!(cleared.contains("meridianAlarmSeverity.0 = INTEGER: cleared(6)"), "{cleared}");
    assert!(!cleared.contains("s3cret"), "the community is not in the varbinds");

    // The dead target: three attempts (1 s, then 4 s apart), the last one "dead".
    let deadline = Instant::now() + Duration::from_secs(15);
    let log = loop {
        let f = DeliveryLogFilter { channel: Some("forward:down".into()), alarm_id: None, limit: Some(20) };
        let log = app.delivery_log(f).await.expect("log");
        if log.iter().any(|l| l.outcome == "dead") || Instant::now() > deadline {
            break log;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let raise_attempts: Vec<_> =
        log.iter().filter(|l| l.kind == "forward_raised").map(|l| l.outcome.as_str()).collect();
    assert_eq!(raise_attempts, ["dead", "failed", "failed"], "{log:#?}");
    let f = DeliveryLogFilter { channel: Some("forward:noc".into()), alarm_id: None, limit: Some(20) };
    let sent: Vec<_> = app.delivery_log(f).await.expect("log").into_iter().map(|l| (l.kind, l.outcome)).collect();
    assert!(sent.contains(&("forward_raised".into(), "sent".into())), "{sent:?}");
    assert!(sent.contains(&("forward_cleared".into(), "sent".into())), "{sent:?}");
    app.stop_monitor().await;

    // Bad targets are refused by field and change nothing.
    let bad = ForwardTarget {
        name: "x".into(),
        enabled: true,
        kind: ForwardKind::SnmpTrap { address: "nms.example".into(), port: 0, community_ref: None, user: None },
        min_severity: Severity::Major,
    };
    let e = app.put_forward_target(bad, None).await.expect_err("refused");
    let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["kind.address", "kind.port"]);
    assert_eq!(app.list_forward_targets().await.expect("list").len(), 4);
    app.remove_forward_target("down").await.expect("removed");
    assert!(app.remove_forward_target("down").await.is_err());
    app.close().await;
}

/// net-snmp's own parser reads the shipped MIB without a warning, and its
/// notification OIDs are the ones the forwarder sends.
#[test]
fn the_shipped_mib_parses_with_snmptranslate() {
    let out = Command::new("snmptranslate")
        .arg("-M")
        .arg(mib_dir())
        .args(["-m", "MERIDIAN-ALARM-MIB", "-On", "MERIDIAN-ALARM-MIB::meridianAlarmCleared"])
        .output()
        .expect("snmptranslate (make deps installs snmp)");
    // On a machine's first net-snmp run (a fresh install), a tool says
    // "Created directory: /var/lib/snmp/cert_indexes" on stderr: no warning
    // about the MIB, so it is the one line let through.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("Created directory: ")).collect();
    assert!(out.status.success() && warnings.is_empty(), "{stderr}");
    let mut want = meridian_core::forward::MIB_ROOT.iter().map(u32::to_string).collect::<Vec<_>>();
    want.push("2".into());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!(".{}", want.join(".")));
}

async fn siem_log(app: &App) -> Vec<meridian_service::DeliveryLogEntry> {
    let f = DeliveryLogFilter { channel: Some("forward:siem".into()), alarm_id: None, limit: Some(50) };
    app.delivery_log(f).await.expect("log")
}

/// An alarm change owed to a collector that is down waits in the store's
/// outbox: Meridian is closed after the first failed attempt, the collector
/// comes up, and after the next start the change reaches it, with the
/// failed and the sent attempt both in the delivery log.
#[tokio::test(flavor = "multi_thread")]
async fn a_change_owed_to_a_collector_that_is_down_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let open = || async {
        let mut cfg = AppConfig::with_data_dir(dir.path().join("app"));
        cfg.vault = Some("file".into());
        cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
        App::open(cfg).await.expect("open")
    };
    let monitor = || {
        let mut m = fast(Duration::from_millis(500), 0);
        m.rollups = None;
        m.syslog = Some(SyslogConfig { bind: "127.0.0.1".parse().expect("ip"), port: 0, ..SyslogConfig::default() });
        // Retried every second for long enough; the restart is what delivers.
        m.forward_retry = RetryPolicy { delays: vec![Duration::from_secs(1)], max_attempts: 1_000 };
        m
    };
    let free = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = free.local_addr().expect("addr").port();
    drop(free);

    let app = open().await;
    app.add_device(DeviceInput { name: "edge".into(), address: "127.0.0.1".into(), ..Default::default() })
        .await
        .expect("device");
    app.put_event_rule(rule()).await.expect("rule");
    let kind = ForwardKind::Syslog {
        address: "127.0.0.1".into(),
        port,
        transport: SyslogTransport::Tcp,
        ca_file: None,
        server_name: None,
        cert_file: None,
        key_file: None,
    };
    app.put_forward_target(target("siem", kind), None).await.expect("target");
    app.start_monitor(monitor()).await.expect("monitor");
    let tcp = app.syslog_status().await.expect("syslog").tcp.expect("tcp");
    logger(tcp.parse::<SocketAddr>().expect("addr").port(), "local7.err", "BGP neighbor 127.0.0.9 Down");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !siem_log(&app).await.iter().any(|l| l.outcome == "failed") {
        assert!(Instant::now() < deadline, "no failed attempt logged");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.stop_monitor().await;
    app.close().await;

    let collector = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("the collector comes up");
    let app = open().await;
    app.start_monitor(monitor()).await.expect("monitor after the restart");
    let (mut conn, _) = tokio::time::timeout(Duration::from_secs(10), collector.accept())
        .await
        .expect("the queued change is sent after the restart")
        .expect("accept");
    let mut frame = String::new();
    tokio::time::timeout(Duration::from_secs(5), conn.read_to_string(&mut frame)).await.expect("read").expect("utf-8");
    assert!(frame.contains("raised edge: BGP down"), "{frame}");
    let deadline = Instant::now() + Duration::from_secs(5);
    let outcomes = loop {
        let outcomes: Vec<_> = siem_log(&app).await.into_iter().map(|l| l.outcome).collect();
        if outcomes.iter().any(|o| o == "sent") || Instant::now() > deadline {
            break outcomes;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(outcomes.first().map(String::as_str), Some("sent"), "newest first: {outcomes:?}");
    assert!(outcomes[1..].iter().all(|o| o == "failed") && outcomes.len() >= 2, "{outcomes:?}");
    app.stop_monitor().await;
    app.close().await;
}

/// SNMPv3 forwarding: a target naming a stored v3 credential sends authPriv
/// traps as Meridian's own engine; net-snmp's snmptrapd, which knows the
/// user only keyed to that engine id and accepts nothing unauthenticated,
/// logs them decoded. A target naming a v2c credential, or none, is refused.
#[tokio::test(flavor = "multi_thread")]
async fn v3_traps_reach_snmptrapd_as_our_engine() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app_with_edge_and_rule(dir.path()).await;
    let usm = UsmInput {
        name: "north".into(),
        user: "north".into(),
        auth_proto: Some("SHA-256".into()),
        auth_pass: Some("authpass123".into()),
        priv_proto: Some("AES".into()),
        priv_pass: Some("privpass123".into()),
    };
    app.add_usm_credential(usm).await.expect("v3 credential");
    app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("v2c credential");
    let trap_port = free_udp_port();
    let kind = |user: &str| ForwardKind::SnmpTrap {
        address: "127.0.0.1".into(),
        port: trap_port,
        community_ref: None,
        user: Some(user.into()),
    };
    for bad in ["lab", "nosuch", " "] {
        let e = app.put_forward_target(target("noc3", kind(bad)), None).await.expect_err(bad);
        assert_eq!(e.fields[0].field, "kind.user", "{bad}: {e:?}");
    }
    app.put_forward_target(target("noc3", kind("north")), None).await.expect("v3 target");
    let engine = app.snmp_engine_id().await.expect("engine id");
    assert_eq!(app.snmp_engine_id().await.expect("again"), engine, "stable");

    let config =
        format!("createUser -e 0x{engine} north SHA-256 authpass123 AES privpass123\nauthUser log north authPriv\n");
    let trapd = TrapD::start_with(dir.path(), trap_port, &config);
    let mut mcfg = fast(Duration::from_millis(500), 0);
    mcfg.rollups = None;
    mcfg.syslog = Some(SyslogConfig { bind: "127.0.0.1".parse().expect("ip"), port: 0, ..SyslogConfig::default() });
    app.start_monitor(mcfg).await.expect("monitor");
    let tcp = app.syslog_status().await.expect("syslog").tcp.expect("tcp");
    logger(tcp.parse::<SocketAddr>().expect("addr").port(), "local7.err", "BGP neighbor 127.0.0.9 Down");
    let raised = trapd.wait_for("meridianAlarmRaised", Duration::from_secs(10));
    for want in ["meridianAlarmSeverity.0 = INTEGER: major(2)", "meridianAlarmDevice.0 = STRING: \"edge\""] {
        assert!(raised.contains(want), "{want} not in:\n{raised}");
    }
    let f = DeliveryLogFilter { channel: Some("forward:noc3".into()), alarm_id: None, limit: Some(10) };
    let sent: Vec<_> = app.delivery_log(f).await.expect("log").into_iter().map(|l| l.outcome).collect();
    assert_eq!(sent, ["sent"]);
    app.stop_monitor().await;
    app.close().await;
}

fn tls_target(sink: &RsyslogTlsSink, certs: &TestCerts, client: Option<(PathBuf, PathBuf)>) -> ForwardKind {
    let (cert_file, key_file) = match client {
        Some((c, k)) => (Some(c.display().to_string()), Some(k.display().to_string())),
        None => (None, None),
    };
    ForwardKind::Syslog {
        address: "127.0.0.1".into(),
        port: sink.addr().port(),
        transport: SyslogTransport::Tls,
        ca_file: Some(certs.ca().display().to_string()),
        server_name: None,
        cert_file,
        key_file,
    }
}

/// Waits until `channel` has logged an attempt of `kind` (any outcome).
async fn attempted(app: &App, channel: &str, kind: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let f = DeliveryLogFilter { channel: Some(channel.into()), alarm_id: None, limit: Some(20) };
        if app.delivery_log(f).await.expect("log").iter().any(|l| l.kind == kind) {
            return;
        }
        assert!(Instant::now() < deadline, "{channel} made no {kind} attempt");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Mutual TLS towards a receiver that demands client certificates: a real
/// rsyslogd with `x509/certvalid` hears a target that presents a
/// certificate of its CA and never one that presents none. The anonymous
/// target alone gets nothing through (the raise); once the signed target
/// exists, the clear arrives exactly once (from it, not both).
#[tokio::test(flavor = "multi_thread")]
async fn forwarding_over_tls_presents_a_client_certificate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = app_with_edge_and_rule(dir.path()).await;
    let certs = TestCerts::new().expect("certificates");
    let sink = RsyslogTlsSink::start_requiring_client_certs(&certs.cert(), &certs.key(), &certs.ca())
        .expect("rsyslogd over mutual TLS");
    app.put_forward_target(target("anon", tls_target(&sink, &certs, None)), None).await.expect("anonymous target");
    let mut mcfg = fast(Duration::from_millis(500), 0);
    mcfg.rollups = None;
    mcfg.forward_retry = RetryPolicy { delays: vec![Duration::from_secs(30)], max_attempts: 1 };
    mcfg.syslog = Some(SyslogConfig { bind: "127.0.0.1".parse().expect("ip"), port: 0, ..SyslogConfig::default() });
    app.start_monitor(mcfg).await.expect("monitor");
    let tcp = app.syslog_status().await.expect("syslog").tcp.expect("tcp");
    let syslog_port = tcp.parse::<SocketAddr>().expect("addr").port();

    logger(syslog_port, "local7.err", "BGP neighbor 127.0.0.9 Down");
    attempted(&app, "forward:anon", "forward_raised").await;
    // rsyslog writes what it accepts at once; give it a moment to prove it accepted nothing.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!sink.received().contains("edge: BGP down"), "heard without a certificate: {}", sink.received());

    let signed = tls_target(&sink, &certs, Some(certs.client()));
    app.put_forward_target(target("signed", signed), None).await.expect("signed target");
    logger(syslog_port, "local7.notice", "BGP neighbor 127.0.0.9 Up");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !sink.received().contains("cleared edge: BGP down") {
        assert!(Instant::now() < deadline, "nothing over mutual TLS: {}\n{}", sink.received(), sink.log());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    attempted(&app, "forward:anon", "forward_cleared").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let got = sink.received();
    assert_eq!(got.matches("cleared edge: BGP down").count(), 1, "only the signed target is heard: {got}");
    assert!(!got.contains("raised edge"), "{got}");
    let f = DeliveryLogFilter { channel: Some("forward:signed".into()), alarm_id: None, limit: Some(20) };
    let log = app.delivery_log(f).await.expect("log");
    assert!(log.iter().any(|l| l.kind == "forward_cleared" && l.outcome == "sent"), "{log:#?}");
    // The key's path is stored, never its contents.
    let shown = serde_json::to_string(&app.list_forward_targets().await.expect("list")).expect("json");
    let key_pem = std::fs::read_to_string(certs.client().1).expect("key");
    assert!(!shown.contains(key_pem.lines().nth(1).expect("a base64 line")), "{shown}");
    app.stop_monitor().await;
}
