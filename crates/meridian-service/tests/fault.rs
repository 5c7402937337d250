//! Fault management end to end, through the running monitor and real peers:
//! - a device dropped (iptables on a loopback address) inside a maintenance
//!   window is recorded but not notified, and announced when the window ends;
//! - dropping the root of a three-device LLDP chain gives one notified
//!   alarm, the two children suppressed under it; restoring all clears all;
//! - an interface bounced five times (a real snmpd whose ifOperStatus a
//!   `pass` script reads from a file) gives one flapping alarm and one
//!   desktop notification (the link-down raises clear within the
//!   notification delay), and the link's own alarm is held until it is quiet.
//!
//! Needs root (ICMP, iptables).

use std::net::Ipv4Addr;
use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use meridian_core::fault::{FlapConfig, MaintenanceWindow, WindowSchedule, FLAPPING_PREFIX};
use meridian_core::notify::notifies;
use meridian_core::rules::RuleScope;
use meridian_core::state::DeviceState;
use meridian_core::topology::{Link, MatchKey, NeighbourProtocol};
use meridian_service::{Alarm, App, AppConfig, CoreEvent, DeviceInput, DevicePatch, SnmpVersion, ROOT_TAG};
use meridian_store::{Store, StoreConfig};
use meridian_testkit::{DropRule, NativePostgres, Snmpd};

mod common;
use common::{fast, state_of, Events};

fn addr(last: u8) -> Ipv4Addr {
    Ipv4Addr::new(127, 1, 20, last)
}

fn ping_only(name: &str, last: u8) -> DeviceInput {
    DeviceInput { name: name.into(), address: addr(last).to_string(), ..Default::default() }
}

async fn open(dir: &Path, database_url: Option<String>) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.database_url = database_url;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    App::open(cfg).await.expect("open")
}

fn raised(e: &CoreEvent) -> Option<&Alarm> {
    match e {
        CoreEvent::AlarmRaised { alarm } => Some(alarm),
        _ => None,
    }
}

fn cleared_for(e: &CoreEvent, device: &str) -> bool {
    matches!(e, CoreEvent::AlarmCleared { alarm } if alarm.device_id.map(|d| d.to_string()).as_deref() == Some(device))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_alarm_in_a_maintenance_window_is_announced_when_the_window_ends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path(), None).await;
    let device = app.add_device(ping_only("patched", 1)).await.expect("device");
    let ends = Utc::now() + chrono::Duration::seconds(12);
    let window = MaintenanceWindow {
        name: "firmware".into(),
        comment: "vendor upgrade".into(),
        enabled: true,
        scope: RuleScope { devices: vec!["patched".into()], ..RuleScope::default() },
        schedule: WindowSchedule::Once { start: Utc::now() - chrono::Duration::minutes(1), end: ends },
    };
    let view = app.put_maintenance(window).await.expect("window");
    assert!(view.open_now);
    let started = Utc::now();
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(fast(Duration::from_secs(1), 0)).await.expect("monitor");
    rx.wait_for(20, "patched up", |e| state_of(e, "patched", DeviceState::Up)).await;

    let drop = DropRule::add(addr(1)).expect("iptables DROP (tests run as root)");
    let first = rx.wait_for(20, "the unreachable alarm", |e| raised(e).is_some()).await;
    let first = raised(&first).expect("raised").clone();
    assert_eq!(first.maintenance.as_deref(), Some("firmware"), "{first:?}");
    assert!(!notifies(&first, started, None, Utc::now()), "not notified inside the window");
    assert!(Utc::now() < ends, "the alarm came after the window already ended; the test is too slow");

    // Still down when the window ends: announced then, as a normal alarm.
    let again = rx.wait_for(30, "the alarm announced at the window's end", |e| raised(e).is_some()).await;
    let again = raised(&again).expect("raised").clone();
    assert_eq!(again.id, first.id, "the same alarm, released");
    assert_eq!(again.maintenance, None);
    assert!(Utc::now() >= ends);
    assert!(notifies(&again, started, None, Utc::now()), "notified once the window ended");

    drop_rule(drop);
    rx.wait_for(20, "the alarm to clear", |e| cleared_for(e, &device.id.to_string())).await;
    // Its life in the event log, oldest first: raised in the window, released, cleared.
    let mut steps: Vec<String> = app
        .event_log(100)
        .await
        .expect("log")
        .into_iter()
        .filter(|e| e.entity_id == first.id.to_string())
        .map(|e| e.action)
        .collect();
    steps.reverse();
    assert_eq!(steps, ["alarm.raise", "alarm.release", "alarm.clear"]);
    app.ack_alarm(&first.id.to_string(), Some("firmware took longer")).await.expect("ack");
    let log = app.event_log(1).await.expect("log");
    assert_eq!((log[0].action.as_str(), log[0].entity_id.clone()), ("alarm.ack", first.id.to_string()));
    app.stop_monitor().await;
    // Bad windows change nothing.
    let bad = MaintenanceWindow {
        name: "".into(),
        comment: String::new(),
        enabled: true,
        scope: RuleScope::default(),
        schedule: WindowSchedule::Cron { expr: "* * *".into(), minutes: 10 },
    };
    let e = app.put_maintenance(bad).await.expect_err("refused");
    let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "scope", "schedule.expr"], "{e:?}");
    assert_eq!(app.list_maintenance().await.expect("list").len(), 1);
    app.remove_maintenance("firmware").await.expect("removed");
    assert!(app.list_maintenance().await.expect("list").is_empty());
    app.close().await;
}

fn drop_rule(d: DropRule) {
    drop(d);
}

/// An LLDP link from `local` to `remote` as an inventory poll stores it.
fn lldp(local: meridian_core::DeviceId, port: u32, remote: meridian_core::DeviceId, name: &str) -> Link {
    Link {
        protocol: NeighbourProtocol::Lldp,
        local_device: local,
        local_port_num: port,
        local_port: format!("ge-0/0/{port}"),
        remote_device: Some(remote),
        remote_port: "ge-0/0/0".into(),
        remote_sys_name: name.into(),
        remote_chassis_id: format!("00:00:5e:00:53:{port:02x}"),
        remote_mgmt_addr: None,
        matched_by: Some(MatchKey::ChassisId),
    }
}

/// root — a — b, each answering ping on its own loopback address. The
/// links are written as the inventory poll writes them (a second store
/// handle on the same PostgreSQL database), before the monitor starts.
#[tokio::test(flavor = "multi_thread")]
async fn a_dead_root_gives_one_notified_alarm_and_its_children_are_suppressed_under_it() {
    let pg = NativePostgres::shared().expect("native PostgreSQL");
    let url = pg.fresh_database().expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(&dir.path().join("app"), Some(url.clone())).await;
    let root = app.add_device(ping_only("root", 11)).await.expect("root");
    let a = app.add_device(ping_only("a", 12)).await.expect("a");
    let b = app.add_device(ping_only("b", 13)).await.expect("b");
    let tag = DevicePatch { tags: Some(vec![ROOT_TAG.into()]), ..Default::default() };
    app.update_device(&"root".into(), tag).await.expect("root tag");
    let store = Store::open(StoreConfig::external(dir.path().join("links"), url)).await.expect("second store handle");
    store.replace_links(root.id, &[lldp(root.id, 1, a.id, "a")], Utc::now()).await.expect("links");
    store.replace_links(a.id, &[lldp(a.id, 2, b.id, "b")], Utc::now()).await.expect("links");
    store.close().await;
    let parents = app.device_parents().await.expect("parents");
    assert_eq!(parents.iter().find(|p| p.device == b.id).and_then(|p| p.parent), Some(a.id), "{parents:#?}");

    let started = Utc::now();
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(fast(Duration::from_secs(1), 0)).await.expect("monitor");
    for name in ["root", "a", "b"] {
        rx.wait_for(20, &format!("{name} up"), |e| state_of(e, name, DeviceState::Up)).await;
    }
    let drops: Vec<DropRule> =
        [11, 12, 13].into_iter().map(|n| DropRule::add(addr(n)).expect("iptables DROP (tests run as root)")).collect();
    let mut alarms = Vec::new();
    for _ in 0..3 {
        let e = rx.wait_for(30, "three unreachable alarms", |e| raised(e).is_some()).await;
        alarms.push(raised(&e).expect("raised").clone());
    }
    let of = |d: meridian_core::DeviceId| alarms.iter().find(|x| x.device_id == Some(d)).expect("alarm of device");
    let root_alarm = of(root.id).clone();
    assert_eq!(root_alarm.suppressed_by, None, "{alarms:#?}");
    assert_eq!(of(a.id).suppressed_by, Some(root_alarm.id), "{alarms:#?}");
    assert_eq!(of(b.id).suppressed_by, Some(root_alarm.id), "grouped under the topmost root: {alarms:#?}");
    let now = Utc::now();
    let notified: Vec<&Alarm> = alarms.iter().filter(|x| notifies(x, started, None, now)).collect();
    assert_eq!(notified.len(), 1, "one notified alarm: {notified:#?}");
    assert_eq!(notified[0].id, root_alarm.id);

    drop(drops);
    for d in [root.id, a.id, b.id] {
        rx.wait_for(30, "every alarm to clear", |e| cleared_for(e, &d.to_string())).await;
    }
    rx.drain();
    assert!(!rx.any(|e| raised(e).is_some()), "nothing raised on the way back: {:#?}", rx.seen);
    assert!(app.list_alarms(true, 100).await.expect("alarms").is_empty());
    app.stop_monitor().await;
    app.close().await;
}

const IF_OPER_STATUS: &str = ".1.3.6.1.2.1.2.2.1.8";

/// ifOperStatus for every interface the kernel has: ifIndex 1 (lo) reads
/// the file `value`, the rest are up. GET and GETNEXT.
fn oper_status_script(dir: &Path, value: &Path) -> String {
    let script = dir.join("oper.sh");
    let body = format!(
        "#!/bin/sh\nB={b}\nV=$(cat {v})\nIDX=$(cat /sys/class/net/*/ifindex | sort -n)\n\
         val() {{ if [ \"$1\" = 1 ]; then echo \"$V\"; else echo 1; fi; }}\n\
         case \"$1\" in\n\
          -g) for i in $IDX; do [ \"$2\" = \"$B.$i\" ] && printf '%s\\ninteger\\n%s\\n' \"$2\" \"$(val $i)\"; done;;\n\
          -n) K=-1; case \"$2\" in \"$B\".*) K=${{2#$B.}}; K=${{K%%.*}};; esac\n\
              for i in $IDX; do if [ \"$i\" -gt \"$K\" ]; then printf '%s\\ninteger\\n%s\\n' \"$B.$i\" \"$(val $i)\"; break; fi; done;;\n\
         esac\nexit 0\n",
        b = IF_OPER_STATUS,
        v = value.display(),
    );
    std::fs::write(&script, body).expect("script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    // Priority 10 beats the agent's own ifTable, which registers the column.
    format!("pass -p 10 {IF_OPER_STATUS} {}\n", script.display())
}

fn link_alarm(a: &Alarm) -> bool {
    a.specific_problem == "linkDown"
}

#[tokio::test(flavor = "multi_thread")]
async fn five_bounces_give_one_flapping_alarm_and_hold_the_links_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let value = dir.path().join("oper");
    std::fs::write(&value, "1").expect("value");
    let extra = oper_status_script(dir.path(), &value);
    let snmpd = Snmpd::start_with(&[Ipv4Addr::LOCALHOST], &extra).expect("snmpd");
    let app = open(&dir.path().join("data"), None).await;
    app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("cred");
    let input = DeviceInput {
        name: "edge".into(),
        address: "127.0.0.1".into(),
        credential: Some("lab".into()),
        snmp_port: Some(snmpd.port()),
        ..Default::default()
    };
    app.add_device(input).await.expect("device");
    let mut cfg = fast(Duration::from_millis(500), 1);
    cfg.flap = FlapConfig { quiet: chrono::Duration::seconds(4), ..FlapConfig::default() };
    // Each link-down lasts about 2 s, shorter than the delay: only the
    // flapping alarm, which lasts as long as the bouncing, outlasts it.
    app.set_notification_delay(4).await.expect("delay");
    let started = Utc::now();
    let mut rx = Events::new(app.subscribe());
    let mut shown = app.desktop_notifications(app.subscribe(), started);
    app.start_monitor(cfg).await.expect("monitor");
    rx.wait_for(20, "edge up", |e| state_of(e, "edge", DeviceState::Up)).await;

    // Five bounces: down, up, ... each held for about four polls.
    for _ in 0..5 {
        for v in ["2", "1"] {
            std::fs::write(&value, v).expect("bounce");
            tokio::time::sleep(Duration::from_millis(2200)).await;
        }
    }
    rx.drain();
    let raises: Vec<Alarm> = rx.seen.iter().filter_map(raised).cloned().collect();
    let flapping: Vec<&Alarm> = raises.iter().filter(|a| a.specific_problem.starts_with(FLAPPING_PREFIX)).collect();
    assert_eq!(flapping.len(), 1, "one flapping alarm: {raises:#?}");
    assert_eq!(flapping[0].specific_problem, format!("{FLAPPING_PREFIX}linkDown"));
    let first_flap = raises.iter().position(|a| a.specific_problem.starts_with(FLAPPING_PREFIX)).expect("position");
    // The link's own alarm raises nothing new while it flaps; the one the
    // store had is held under the flapping alarm (announced as an update).
    assert!(
        raises[first_flap..].iter().all(|a| !link_alarm(a) || a.suppressed_by == Some(flapping[0].id)),
        "the link's own alarm is held: {raises:#?}"
    );
    // Two link-down raises came before the fourth change showed the
    // flapping; both cleared within the delay, so they told nobody.
    let early = raises.iter().filter(|a| link_alarm(a) && notifies(a, started, None, a.raised_at)).count();
    assert_eq!(early, 2, "two link-down raises passed the gate when raised: {raises:#?}");

    // Quiet (and up): the flapping alarm clears; the link raises nothing.
    rx.seen.clear();
    rx.wait_for(
        20,
        "the flapping alarm to clear",
        |e| matches!(e, CoreEvent::AlarmCleared { alarm } if alarm.specific_problem.starts_with(FLAPPING_PREFIX)),
    )
    .await;
    // The link is up: the alarm it held from before the flapping clears with it.
    rx.wait_for(
        5,
        "the held link alarm to clear",
        |e| matches!(e, CoreEvent::AlarmCleared { alarm } if link_alarm(alarm)),
    )
    .await;
    let active = app.list_alarms(true, 100).await.expect("alarms");
    assert!(active.is_empty(), "{active:#?}");
    // What the desktop was told: the flapping alarm, once.
    let mut texts = Vec::new();
    while let Ok(t) = shown.try_recv() {
        texts.push(t);
    }
    assert_eq!(texts.len(), 1, "one notification: {texts:#?}");
    assert!(texts[0].body.contains("Flapping"), "{:#?}", texts[0]);
    app.stop_monitor().await;
    app.close().await;
}

/// A link LLDP says joins two managed devices: its interface going down at
/// one end raises one link alarm naming both ends, with the interface's
/// own alarm recorded under it; the interface coming back clears both.
#[tokio::test(flavor = "multi_thread")]
async fn an_interface_down_on_a_known_link_raises_one_link_alarm() {
    let pg = NativePostgres::shared().expect("native PostgreSQL");
    let url = pg.fresh_database().expect("database");
    let dir = tempfile::tempdir().expect("tempdir");
    let value = dir.path().join("oper");
    std::fs::write(&value, "1").expect("value");
    let extra = oper_status_script(dir.path(), &value);
    let snmpd = Snmpd::start_with(&[Ipv4Addr::LOCALHOST], &extra).expect("snmpd");
    let app = open(&dir.path().join("app"), Some(url.clone())).await;
    app.add_community_credential("lab", SnmpVersion::V2c, "public").await.expect("cred");
    let input = DeviceInput {
        name: "edge".into(),
        address: "127.0.0.1".into(),
        credential: Some("lab".into()),
        snmp_port: Some(snmpd.port()),
        ..Default::default()
    };
    let edge = app.add_device(input).await.expect("edge");
    let peer = app.add_device(ping_only("peer", 21)).await.expect("peer");
    let store = Store::open(StoreConfig::external(dir.path().join("links"), url)).await.expect("second store handle");
    let mut link = lldp(edge.id, 1, peer.id, "peer");
    link.local_port = "lo".into();
    store.replace_links(edge.id, &[link], Utc::now()).await.expect("links");
    store.close().await;

    let started = Utc::now();
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(fast(Duration::from_millis(500), 1)).await.expect("monitor");
    rx.wait_for(20, "edge up", |e| state_of(e, "edge", DeviceState::Up)).await;
    std::fs::write(&value, "2").expect("down");
    let first = rx.wait_for(20, "the link alarm", |e| raised(e).is_some()).await;
    let link_alarm = raised(&first).expect("raised").clone();
    assert_eq!(link_alarm.specific_problem, "neighbourLinkDown", "{link_alarm:#?}");
    assert!(link_alarm.managed_object.contains(&peer.id.to_string()), "{link_alarm:#?}");
    assert!(link_alarm.additional_text.contains("edge lo") && link_alarm.additional_text.contains("peer"));
    let second = rx.wait_for(10, "the interface alarm", |e| raised(e).is_some()).await;
    let iface = raised(&second).expect("raised").clone();
    assert_eq!(iface.specific_problem, "linkDown");
    assert_eq!(iface.suppressed_by, Some(link_alarm.id), "recorded under the link");
    let now = Utc::now();
    assert!(notifies(&link_alarm, started, None, now) && !notifies(&iface, started, None, now));

    std::fs::write(&value, "1").expect("up");
    for id in [iface.id, link_alarm.id] {
        rx.wait_for(20, "both to clear", |e| matches!(e, CoreEvent::AlarmCleared { alarm } if alarm.id == id)).await;
    }
    app.stop_monitor().await;
    app.close().await;
}

/// A device's own count for "unreachable": with 1, the first failed poll
/// raises it; bad counts are refused and change nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_devices_own_counts_are_used_by_the_running_monitor() {
    use meridian_service::{ApiErrorKind, CountOverride};
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path(), None).await;
    app.add_device(ping_only("radio", 31)).await.expect("device");
    let bad = CountOverride { down_after: Some(0), ..CountOverride::default() };
    let e = app.set_device_counts(&"radio".into(), bad).await.expect_err("refused");
    assert_eq!((e.kind, e.fields[0].field.as_str()), (ApiErrorKind::Validation, "downAfter"));
    assert_eq!(app.device_counts(&"radio".into()).await.expect("counts").down_after, 3, "unchanged: the default");
    let e = app.set_device_counts(&"nope".into(), CountOverride::default()).await.expect_err("no such device");
    assert_eq!(e.kind, ApiErrorKind::NotFound);

    let mut rx = Events::new(app.subscribe());
    let mut cfg = fast(Duration::from_secs(1), 0);
    cfg.intervals.icmp = Duration::from_secs(2);
    app.start_monitor(cfg).await.expect("monitor");
    rx.wait_for(20, "radio up", |e| state_of(e, "radio", DeviceState::Up)).await;
    // Set while it runs: the monitor takes it at once.
    let one = CountOverride { down_after: Some(1), ..CountOverride::default() };
    let view = app.set_device_counts(&"radio".into(), one).await.expect("counts");
    assert_eq!((view.down_after, view.up_after), (1, 1));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let drop = DropRule::add(addr(31)).expect("iptables DROP (tests run as root)");
    let e = rx.wait_for(10, "the unreachable alarm", |e| raised(e).is_some()).await;
    assert!(raised(&e).expect("raised").additional_text.contains("1 consecutive"), "{e:?}");
    drop_rule(drop);
    app.stop_monitor().await;
    app.close().await;
}
