//! The monitor end to end with real peers: ICMP to loopback, a dead
//! loopback address behind an iptables DROP rule that this test adds and
//! removes, and a real snmpd. Every wait is bounded.

use std::net::Ipv4Addr;
use std::time::Duration;

use meridian_core::state::DeviceState;
use meridian_service::monitor::read_status_file;
use meridian_service::{App, AppConfig, CoreEvent, DeviceInput, SnmpVersion};
use meridian_testkit::{DropRule, Snmpd};

mod common;
use common::{fast, state_of, Events};

const DEAD: Ipv4Addr = Ipv4Addr::new(127, 9, 8, 7);

fn alarm_for(e: &CoreEvent, raised: bool, cause: &str) -> bool {
    match e {
        CoreEvent::AlarmRaised { alarm } if raised => alarm.probable_cause == cause,
        CoreEvent::AlarmCleared { alarm } if !raised => alarm.probable_cause == cause,
        _ => false,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn monitor_detects_down_up_and_snmp_failures_with_real_peers() {
    let snmpd = Snmpd::start().expect("snmpd");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");
    app.add_community_credential("good", SnmpVersion::V2c, "public").await.expect("cred");
    app.add_community_credential("wrong", SnmpVersion::V2c, "not-the-community").await.expect("cred");
    let dev = |name: &str, addr: &str, cred: Option<&str>| DeviceInput {
        name: name.into(),
        address: addr.into(),
        credential: cred.map(Into::into),
        snmp_port: Some(snmpd.port()),
        ..Default::default()
    };
    app.add_device(dev("agent", "127.0.0.1", Some("good"))).await.expect("agent");
    app.add_device(dev("silent-agent", "127.0.0.2", Some("wrong"))).await.expect("silent");
    app.add_device(dev("dead", &DEAD.to_string(), None)).await.expect("dead");

    let drop_rule = DropRule::add(DEAD).expect("iptables DROP (tests run as root)");
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(fast(Duration::from_millis(300), 0)).await.expect("start");

    rx.wait_for(15, "agent Up", |e| state_of(e, "agent", DeviceState::Up)).await;
    rx.wait_for(20, "device-unreachable alarm", |e| alarm_for(e, true, "communicationsSubsystemFailure")).await;
    rx.wait_for(20, "SNMP-not-responding alarm", |e| alarm_for(e, true, "applicationSubsystemFailure")).await;
    let agent_id = app.show_device(&"agent".into()).await.expect("agent").id;
    let live = app.device_live().await;
    let agent = live.iter().find(|l| l.device_id == agent_id).expect("agent in the live view");
    assert_eq!(agent.state, DeviceState::Up);
    assert!(agent.rtt_ms.is_some() && agent.last_seen.is_some(), "{agent:?}");
    let active = app.list_alarms(true, 100).await.expect("alarms");
    assert_eq!(active.len(), 2, "{active:#?}");

    // The dead address comes back: its alarm clears and it goes Up.
    drop(drop_rule);
    rx.wait_for(20, "unreachable alarm cleared", |e| alarm_for(e, false, "communicationsSubsystemFailure")).await;

    // A device added while running is polled without a restart.
    app.add_device(DeviceInput { name: "late".into(), address: "127.0.0.3".into(), ..Default::default() })
        .await
        .expect("late device");
    rx.wait_for(15, "late device Up", |e| state_of(e, "late", DeviceState::Up)).await;

    // The live view carries the agent's sysUpTime from its last answer (the
    // device page's uptime); an agent that never answered has none.
    let ticks = snmpd.tool("snmpget", &["-v2c", "-c", "public", "-Oqvt", &snmpd.address(), ".1.3.6.1.2.1.1.3.0"]);
    let now_secs: u64 = ticks.expect("snmpget").trim().parse::<u64>().expect("ticks") / 100;
    let live = app.device_live().await;
    let agent = live.iter().find(|l| l.device_id == agent_id).expect("agent");
    let polled = agent.uptime_secs.expect("sysUpTime in the live view");
    assert!(polled <= now_secs && polled + 60 >= now_secs, "polled {polled} s, agent says {now_secs} s now");
    assert!(agent.uptime_at.is_some());
    let silent_id = app.show_device(&"silent-agent".into()).await.expect("silent").id;
    assert!(live.iter().find(|l| l.device_id == silent_id).is_some_and(|l| l.uptime_secs.is_none()));

    let status = app.monitor_status().await.expect("running");
    assert!(status.icmp_ok > 0 && status.snmp_ok > 0 && status.snmp_failed > 0, "{status:?}");
    app.stop_monitor().await;

    // Samples and interfaces were written; the status file says stopped.
    let st = read_status_file(dir.path()).expect("status file").expect("exists");
    assert!(!st.running);
    assert!(st.samples_written > 0, "{st:?}");
    assert_eq!(st.samples_dropped, 0);
    app.close().await;
}
