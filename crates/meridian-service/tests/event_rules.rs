//! Event rules beside the monitor, against real senders on loopback:
//! util-linux `logger` lines matching a syslog rule raise a keyed alarm and
//! the paired line clears it; a net-snmp `snmptrap` vendor trap matching a
//! trap rule raises one and its clear trap clears it; a rule added while the
//! monitor runs takes effect; bad rules are refused by field and not stored.

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use meridian_core::rules::RuleScope;
use meridian_core::state::DeviceState;
use meridian_core::syslog::SyslogSeverity;
use meridian_service::{
    Alarm, ApiErrorKind, App, AppConfig, CoreEvent, DeviceInput, EventMatch, EventRule, Severity, SyslogConfig,
    VarbindMatch,
};

mod common;
use common::{bgpd_logger as logger, fast, state_of, Events};

async fn open(dir: &std::path::Path) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    App::open(cfg).await.expect("open")
}

fn bgp_rule() -> EventRule {
    EventRule {
        name: "BGP neighbour down".into(),
        enabled: true,
        severity: Severity::Major,
        scope: RuleScope { devices: vec!["edge".into()], ..Default::default() },
        raise: EventMatch::Syslog {
            severity: Some(SyslogSeverity::Error),
            app: Some("bgpd".into()),
            pattern: Some(r"neighbor (?P<key>\S+) Down".into()),
        },
        clear: Some(EventMatch::Syslog {
            severity: None,
            app: Some("bgpd".into()),
            pattern: Some(r"neighbor (?P<key>\S+) Up".into()),
        }),
        key_varbind: None,
    }
}

fn tunnel_rule() -> EventRule {
    EventRule {
        name: "Tunnel down".into(),
        enabled: true,
        severity: Severity::Critical,
        scope: RuleScope { all: true, ..Default::default() },
        raise: EventMatch::Trap {
            oid: "1.3.6.1.4.1.8072.9999.0.1".into(),
            varbinds: vec![VarbindMatch { name: "1.3.6.1.4.1.8072.9999.1.2".into(), value: "2".into() }],
        },
        clear: Some(EventMatch::Trap { oid: "1.3.6.1.4.1.8072.9999.0.2".into(), varbinds: vec![] }),
        key_varbind: Some("1.3.6.1.4.1.8072.9999.1.1".into()),
    }
}

fn snmptrap(dir: &std::path::Path, port: u16, trap: &str, state: &str) {
    let to = format!("127.0.0.1:{port}");
    let args = [
        "-v",
        "2c",
        "-c",
        "public",
        &to,
        "",
        trap,
        "1.3.6.1.4.1.8072.9999.1.1.7",
        "i",
        "7",
        "1.3.6.1.4.1.8072.9999.1.2.7",
        "i",
        state,
    ];
    let ok = meridian_testkit::net_snmp_tool(dir, "snmptrap", &args).status().expect("snmptrap").success();
    assert!(ok, "snmptrap {trap}");
}

fn free_udp_port() -> u16 {
    UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind").local_addr().expect("addr").port()
}

fn is(problem: &'static str) -> impl Fn(&Alarm) -> bool {
    move |a: &Alarm| a.specific_problem == problem
}

#[tokio::test(flavor = "multi_thread")]
async fn syslog_and_trap_rules_raise_and_clear_alarms() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(&dir.path().join("app")).await;
    app.add_device(DeviceInput { name: "edge".into(), address: "127.0.0.1".into(), ..Default::default() })
        .await
        .expect("device");
    app.put_event_rule(bgp_rule()).await.expect("syslog rule");

    let trap_port = free_udp_port();
    let mut cfg = fast(Duration::from_millis(500), 0);
    cfg.rollups = None;
    cfg.syslog = Some(SyslogConfig { bind: "127.0.0.1".parse().expect("ip"), port: 0, ..SyslogConfig::default() });
    cfg.traps = Some(SocketAddr::from((Ipv4Addr::LOCALHOST, trap_port)));
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(cfg).await.expect("monitor with receivers");
    rx.wait_for(20, "edge up", |e| state_of(e, "edge", DeviceState::Up)).await;
    let tcp = app.syslog_status().await.expect("syslog runs").tcp.expect("tcp");
    let syslog_port: u16 = tcp.parse::<SocketAddr>().expect("address").port();

    // Syslog: a matching line raises the keyed alarm, within a second.
    let t = Instant::now();
    logger(syslog_port, "local7.err", "BGP neighbor 127.0.0.9 Down (hold timer expired)");
    let raised = |p| move |e: &CoreEvent| matches!(e, CoreEvent::AlarmRaised { alarm } if is(p)(alarm));
    let cleared = |p| move |e: &CoreEvent| matches!(e, CoreEvent::AlarmCleared { alarm } if is(p)(alarm));
    let CoreEvent::AlarmRaised { alarm } = rx.wait_for(5, "the BGP alarm", raised("BGP neighbour down")).await else {
        unreachable!()
    };
    let syslog_latency = t.elapsed();
    assert!(alarm.managed_object.ends_with(",event=BGP neighbour down,key=127.0.0.9"), "{alarm:?}");
    assert_eq!(alarm.perceived_severity, Severity::Major);
    assert!(alarm.additional_text.contains("syslog bgpd (err) from 127.0.0.1"), "{}", alarm.additional_text);
    // A less severe line and another neighbour's Up change nothing; its own Up clears it.
    logger(syslog_port, "local7.warning", "BGP neighbor 127.0.0.10 Down");
    logger(syslog_port, "local7.notice", "BGP neighbor 127.0.0.10 Up");
    logger(syslog_port, "local7.notice", "BGP neighbor 127.0.0.9 Up");
    rx.wait_for(5, "the BGP alarm to clear", cleared("BGP neighbour down")).await;
    assert!(!rx.seen.iter().any(raised("BGP neighbour down")), "only one BGP alarm: {:#?}", rx.seen);

    // A trap rule added while the monitor runs takes effect (RulesChanged).
    app.put_event_rule(tunnel_rule()).await.expect("trap rule");
    let tools = tempfile::tempdir().expect("tools");
    let t = Instant::now();
    // The reload is asynchronous: send (bounded) until the rule is seen.
    let mut got = None;
    for _ in 0..10 {
        snmptrap(tools.path(), trap_port, "1.3.6.1.4.1.8072.9999.0.1", "2");
        let deadline = tokio::time::Instant::now() + Duration::from_millis(500);
        while got.is_none() && tokio::time::Instant::now() < deadline {
            got = app.list_alarms(true, 100).await.expect("alarms").into_iter().find(is("Tunnel down"));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if got.is_some() {
            break;
        }
    }
    let tunnel = got.expect("the tunnel alarm");
    eprintln!("syslog line -> alarm event {syslog_latency:?}; trap rule live after {:?}", t.elapsed());
    assert!(tunnel.managed_object.ends_with(",event=Tunnel down,key=7"), "{tunnel:?}");
    assert_eq!(tunnel.perceived_severity, Severity::Critical);
    snmptrap(tools.path(), trap_port, "1.3.6.1.4.1.8072.9999.0.2", "1");
    rx.wait_for(5, "the tunnel alarm to clear", cleared("Tunnel down")).await;

    app.stop_monitor().await;
    let rules = app.list_event_rules().await.expect("list");
    assert_eq!(rules.iter().map(|r| r.rule.name.as_str()).collect::<Vec<_>>(), ["BGP neighbour down", "Tunnel down"]);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_event_rules_are_refused_by_field_and_not_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(&dir.path().join("app")).await;
    let mut bad = bgp_rule();
    bad.raise = EventMatch::Syslog { severity: None, app: None, pattern: Some("neighbor (".into()) };
    bad.scope = RuleScope::default();
    let e = app.put_event_rule(bad).await.expect_err("refused");
    assert_eq!(e.kind, ApiErrorKind::Validation);
    let fields: Vec<_> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert!(fields.contains(&"raise.pattern") && fields.contains(&"scope"), "{fields:?}");
    let e = app.put_event_rule_toml("name = 'x'\nseverity = 'loud'").await.expect_err("refused");
    assert_eq!(e.fields[0].field, "file");
    assert!(app.list_event_rules().await.expect("list").is_empty());
    assert_eq!(app.remove_event_rule("nosuch").await.expect_err("missing").kind, ApiErrorKind::NotFound);
    let toml = "name = 'BGP'\nseverity = 'minor'\n[scope]\nall = true\n[raise]\nkind = 'syslog'\napp = 'bgpd'\n";
    let v = app.put_event_rule_toml(toml).await.expect("toml rule");
    assert_eq!(v.rule.severity, Severity::Minor);
    app.remove_event_rule("BGP").await.expect("removed");
    app.close().await;
}
