//! Watching a PTP clock from the running monitor, against real LinuxPTP: a
//! ptp4l master and slave in two network namespaces the test creates
//! (`meridian_testkit::Ptp4lLab`, removed on drop), the slave watched
//! through its UNIX management socket (a pathname socket is reachable from
//! the host's namespace). Offset and path delay are stored within two polls
//! of the slave following its master; killing the master raises loss of
//! sync within 10 s; a worse priority1 on the master makes the slave its
//! own grandmaster, which is a grandmaster-change event in the log.
//!
//! ptp4l 3.1.1 with `free_running 1` (the shared configs) never locks its
//! servo, so the slave's port stays UNCALIBRATED; these watches set
//! `uncalibratedIsSynced`, which counts UNCALIBRATED as following a master.
//! Without it (the default) such a slave is reported as not synchronised.
//! The offset limit is 1 ms: software timestamps over veth on one host.
//!
//! The lab needs root; without it those tests print SKIP. The settings
//! checks and the silent-socket test need no root.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use meridian_service::monitor::MonitorConfig;
use meridian_service::{
    ApiErrorKind, App, AppConfig, CoreEvent, DeviceInput, PtpChange, PtpWatchConfig, PtpWatchEndpoint, TimingRole,
};
use meridian_testkit::{is_root, Ptp4lLab};

mod common;
use common::{fast, Events};

async fn open(dir: &Path) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    App::open(cfg).await.expect("open")
}

fn watch(socket: &Path) -> PtpWatchConfig {
    PtpWatchConfig {
        endpoint: PtpWatchEndpoint::Uds { path: socket.display().to_string() },
        domain: 0,
        offset_limit_ns: Some(1e6),
        uncalibrated_is_synced: true,
    }
}

fn monitor(ptp_every: Duration) -> MonitorConfig {
    let mut cfg = fast(Duration::from_secs(1), 0);
    cfg.intervals.ptp = ptp_every;
    cfg
}

fn raised(e: &CoreEvent, problem: &str) -> bool {
    matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.specific_problem == problem)
}

async fn add_device(app: &App, name: &str) -> meridian_service::Device {
    add_device_at(app, name, "127.0.0.1").await
}

async fn add_device_at(app: &App, name: &str, address: &str) -> meridian_service::Device {
    let input = DeviceInput { name: name.into(), address: address.into(), ..Default::default() };
    app.add_device(input).await.expect("device")
}

/// The slave's stored series by metric name: (count of points, last value).
async fn series(app: &App, device: &str, metric: &str) -> Option<(usize, f64)> {
    let from = Utc::now() - chrono::Duration::hours(1);
    let h = app
        .device_history(&device.into(), from, Utc::now() + chrono::Duration::seconds(1), 2000, None)
        .await
        .expect("history");
    let s = h.series.iter().find(|s| s.metric.to_string() == metric)?;
    s.avg.last().map(|v| (s.avg.len(), *v))
}

/// The lab (master and slave-only client) and an app in a fresh directory;
/// `None` (SKIP printed) without root.
async fn lab_and_app() -> Option<(Ptp4lLab, tempfile::TempDir, App)> {
    if !is_root() {
        eprintln!("SKIP: the ptp4l lab needs root (network namespaces)");
        return None;
    }
    let lab = Ptp4lLab::start().expect("ptp4l lab (make deps installs linuxptp)");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    Some((lab, dir, app))
}

/// Waits, bounded, until the slave's own ptp4l says it follows the master
/// and has measured the path delay (0 until its first delay exchange), so
/// the monitor's first polls already measure (pmc through the test kit).
fn wait_until_following(lab: &Ptp4lLab) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = lab.pmc(lab.slave_socket(), "GET PORT_DATA_SET").unwrap_or_default();
        let current = lab.pmc(lab.slave_socket(), "GET CURRENT_DATA_SET").unwrap_or_default();
        let delay = current
            .lines()
            .find_map(|l| l.trim().strip_prefix("meanPathDelay"))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(0.0);
        if (out.contains("UNCALIBRATED") || out.contains("SLAVE")) && delay != 0.0 {
            return;
        }
        assert!(Instant::now() < deadline, "slave never followed the master\n{out}\n{}", lab.logs());
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_watched_ptp4l_slave_is_charted_and_loses_sync_when_its_master_dies() {
    if !is_root() {
        eprintln!("SKIP: the ptp4l lab needs root (network namespaces)");
        return;
    }
    let mut lab = Ptp4lLab::start().expect("ptp4l lab (make deps installs linuxptp)");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    let id = add_device(&app, "ptp-slave").await.id;
    app.set_ptp_watch(&"ptp-slave".into(), Some(watch(lab.slave_socket()))).await.expect("watch");
    assert_eq!(app.ptp_watch(&"ptp-slave".into()).await.expect("read"), Some(watch(lab.slave_socket())));
    wait_until_following(&lab);

    let every = Duration::from_secs(2);
    let mut rx = Events::new(app.subscribe());
    let started = Instant::now();
    app.start_monitor(monitor(every)).await.expect("monitor");
    // Two polls (the first lands anywhere in the first interval), then the
    // batch writer's delay (1 s) and one history read.
    let limit = every * 2 + Duration::from_secs(2);
    // All four series of one poll (the writer may flush them in two batches).
    let (offset, delay, steps) = loop {
        let offset = series(&app, "ptp-slave", "ptp_offset_ns").await;
        let delay = series(&app, "ptp-slave", "ptp_path_delay_ns").await;
        let steps = series(&app, "ptp-slave", "ptp_steps_removed").await;
        let class = series(&app, "ptp-slave", "ptp_gm_clock_class").await;
        if let (Some(o), Some(d), Some(s), Some(_)) = (offset, delay, steps, class) {
            break (o.1, d.1, s.1);
        }
        assert!(started.elapsed() < limit, "no offset/path delay within two polls ({limit:?})");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    eprintln!("offset {offset} ns, path delay {delay} ns after {:?}", started.elapsed());
    assert!(offset.is_finite() && offset.abs() < 1e6, "software timestamps on one host: {offset} ns");
    assert!(delay > 0.0 && delay < 1e7, "veth path delay: {delay} ns");
    assert_eq!(steps, 1.0, "one step from the grandmaster");
    rx.drain();
    assert!(!rx.any(|e| raised(e, "ptpLossOfSync")), "UNCALIBRATED counts as synced here: {:#?}", rx.seen);

    lab.kill_master();
    let killed = Instant::now();
    let e = rx.wait_for(10, "PTP loss of sync", |e| raised(e, "ptpLossOfSync")).await;
    eprintln!("loss of sync raised {:?} after the master was killed", killed.elapsed());
    let CoreEvent::AlarmRaised { alarm } = e else { unreachable!() };
    assert_eq!(alarm.managed_object, format!("device={id},ptpPort=1"));
    assert_eq!(alarm.device_id, Some(id));

    // Stopping the watch clears what it raised and stops its polls.
    app.set_ptp_watch(&"ptp-slave".into(), None).await.expect("unwatch");
    rx.wait_for(
        10,
        "loss of sync cleared",
        |e| matches!(e, CoreEvent::AlarmCleared { alarm } if alarm.specific_problem == "ptpLossOfSync"),
    )
    .await;
    app.stop_monitor().await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worse_priority1_on_the_master_is_a_grandmaster_change_event() {
    if !is_root() {
        eprintln!("SKIP: the ptp4l lab needs root (network namespaces)");
        return;
    }
    // No slaveOnly: the slave (priority1 128) wins once the master's is 200.
    let lab = Ptp4lLab::start_with(false).expect("ptp4l lab");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    add_device(&app, "ptp-bc").await;
    app.set_ptp_watch(&"ptp-bc".into(), Some(watch(lab.slave_socket()))).await.expect("watch");
    wait_until_following(&lab);
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(monitor(Duration::from_secs(1))).await.expect("monitor");
    // A baseline first: at least one answered poll with the master as grandmaster.
    let deadline = Instant::now() + Duration::from_secs(10);
    while series(&app, "ptp-bc", "ptp_steps_removed").await.is_none() {
        assert!(Instant::now() < deadline, "no PTP poll answered");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    lab.pmc(lab.master_socket(), "SET PRIORITY1 200").expect("pmc SET");
    let e = rx
        .wait_for(20, "grandmaster change", |e| {
            matches!(e, CoreEvent::PtpChanged { change: PtpChange::GrandmasterChanged { .. }, .. })
        })
        .await;
    let CoreEvent::PtpChanged { name, change: PtpChange::GrandmasterChanged { from, to }, .. } = e else {
        unreachable!()
    };
    assert_eq!(name, "ptp-bc");
    let master = lab.pmc(lab.master_socket(), "GET DEFAULT_DATA_SET").expect("pmc");
    let slave = lab.pmc(lab.slave_socket(), "GET DEFAULT_DATA_SET").expect("pmc");
    assert!(master.contains(&from), "from is the old master {from}: {master}");
    assert!(slave.contains(&to), "to is the slave itself {to}: {slave}");
    let log = app.event_log(50).await.expect("event log");
    let entry = log.iter().find(|e| e.action == "ptp.grandmaster").expect("logged");
    assert_eq!(entry.detail["to"], to);
    app.stop_monitor().await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tree_shows_the_grandmaster_above_the_slave() {
    let Some((lab, _dir, app)) = lab_and_app().await else { return };
    let clocks = [("gm", lab.master_socket(), "127.0.0.2"), ("client", lab.slave_socket(), "127.0.0.3")];
    for (name, socket, address) in clocks {
        add_device_at(&app, name, address).await;
        app.set_ptp_watch(&name.into(), Some(watch(socket))).await.expect("watch");
    }
    add_device(&app, "gone").await;
    app.set_ptp_watch(&"gone".into(), Some(watch(&lab.dir().join("nobody.sock")))).await.expect("watch");
    app.set_timing_role(&"gm".into(), Some(TimingRole::Grandmaster)).await.expect("role");
    wait_until_following(&lab);
    // A read, no monitor running: every watched clock is asked now.
    let tree = app.ptp_tree().await.expect("tree");
    assert_eq!(tree.roots.len(), 1, "{tree:#?}");
    let gm = &tree.roots[0];
    assert_eq!((gm.device.as_deref(), gm.seen, gm.port_state.as_deref()), (Some("gm"), true, Some("MASTER")));
    assert_eq!(gm.role, Some(TimingRole::Grandmaster), "roles go with the tree");
    assert_eq!(gm.children.len(), 1, "{tree:#?}");
    let client = &gm.children[0];
    assert_eq!(client.device.as_deref(), Some("client"));
    assert_eq!((client.steps_removed, client.role), (Some(1), None));
    assert!(client.offset_ns.is_some() && client.path_delay_ns.is_some(), "{client:?}");
    let master = lab.pmc(lab.master_socket(), "GET DEFAULT_DATA_SET").expect("pmc");
    assert!(master.contains(&gm.clock), "{} is the master:\n{master}", gm.clock);
    assert_eq!(tree.unreachable.len(), 1);
    assert_eq!(tree.unreachable[0].device, "gone");
    assert!(tree.unreachable[0].error.contains("nobody.sock"), "{:?}", tree.unreachable);

    // Only the client watched: its master still heads the tree, unseen.
    app.set_ptp_watch(&"gm".into(), None).await.expect("unwatch");
    let tree = app.ptp_tree().await.expect("tree");
    assert_eq!(tree.roots.len(), 1);
    assert!(!tree.roots[0].seen && tree.roots[0].device.is_none(), "{tree:#?}");
    assert_eq!(tree.roots[0].children[0].device.as_deref(), Some("client"));
    app.close().await;
}

fn cleared(e: &CoreEvent, problem: &str) -> bool {
    matches!(e, CoreEvent::AlarmCleared { alarm } if alarm.specific_problem == problem)
}

/// `pmc SET GRANDMASTER_SETTINGS_NP` with `class` and the rest as ptp4l's defaults.
fn set_gm_class(lab: &Ptp4lLab, class: u8) {
    let cmd = format!(
        "SET GRANDMASTER_SETTINGS_NP clockClass {class} clockAccuracy 0xfe offsetScaledLogVariance 0xffff \
         currentUtcOffset 37 leap61 0 leap59 0 currentUtcOffsetValid 0 ptpTimescale 1 timeTraceable 0 \
         frequencyTraceable 0 timeSource 0xa0"
    );
    let out = lab.pmc(lab.master_socket(), &cmd).expect("pmc SET GRANDMASTER_SETTINGS_NP");
    assert!(out.contains(&format!("clockClass              {class}")), "pmc: {out}");
}

/// The master of the lab, watched as what it is (grandmaster): in MASTER
/// state as its own grandmaster it raises no loss of sync; its own clock
/// class is judged instead: 248 (free-running, ptp4l's default) is
/// degradation, 6 (locked) clears it, 7 is holdover. Without the role the
/// same clock reads as a client without a master: loss of sync.
#[tokio::test(flavor = "multi_thread")]
async fn a_master_watched_as_grandmaster_raises_no_loss_of_sync_and_is_judged_by_its_class() {
    let Some((lab, _dir, app)) = lab_and_app().await else { return };
    add_device_at(&app, "gm", "127.0.0.2").await;
    app.set_ptp_watch(&"gm".into(), Some(watch(lab.master_socket()))).await.expect("watch");
    app.set_timing_role(&"gm".into(), Some(TimingRole::Grandmaster)).await.expect("role");
    assert_eq!(app.timing_role(&"gm".into()).await.expect("read"), Some(TimingRole::Grandmaster));
    wait_until_following(&lab);
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(monitor(Duration::from_secs(1))).await.expect("monitor");

    let e = rx.wait_for(10, "degraded (class 248)", |e| raised(e, "ptpGrandmasterDegraded")).await;
    let CoreEvent::AlarmRaised { alarm } = e else { unreachable!() };
    assert!(alarm.additional_text.contains("clock class 248"), "{}", alarm.additional_text);
    set_gm_class(&lab, 6);
    rx.wait_for(10, "degraded cleared at class 6", |e| cleared(e, "ptpGrandmasterDegraded")).await;
    set_gm_class(&lab, 7);
    rx.wait_for(10, "holdover at class 7", |e| raised(e, "ptpGrandmasterHoldover")).await;
    rx.drain();
    for p in ["ptpLossOfSync", "ptpNotGrandmaster", "ptpUnreachable"] {
        assert!(!rx.any(|e| raised(e, p)), "{p} raised for a healthy grandmaster: {:#?}", rx.seen);
    }
    let roles = app.timing_roles().await.expect("roles");
    assert_eq!((roles.len(), roles[0].device.as_str(), roles[0].role), (1, "gm", TimingRole::Grandmaster));

    // The same clock without its role: a follower with no master.
    app.set_timing_role(&"gm".into(), None).await.expect("no role");
    rx.wait_for(10, "loss of sync without the role", |e| raised(e, "ptpLossOfSync")).await;
    app.stop_monitor().await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_settings_are_refused_and_a_silent_socket_raises_unreachable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    add_device(&app, "ptp-gone").await;
    let key = "ptp-gone".into();
    let bad = PtpWatchConfig {
        endpoint: PtpWatchEndpoint::Uds { path: "relative.sock".into() },
        domain: 0,
        offset_limit_ns: Some(-5.0),
        uncalibrated_is_synced: false,
    };
    let e = app.set_ptp_watch(&key, Some(bad)).await.expect_err("refused");
    assert_eq!(e.kind, ApiErrorKind::Validation);
    let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["path", "offsetLimitNs"]);
    assert_eq!(app.ptp_watch(&key).await.expect("read"), None, "nothing written");

    // A path where no ptp4l listens: every poll fails at once.
    let nobody = dir.path().join("no-ptp4l.sock");
    app.set_ptp_watch(&key, Some(watch(&nobody))).await.expect("watch");
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(monitor(Duration::from_secs(1))).await.expect("monitor");
    let e = rx.wait_for(15, "PTP unreachable", |e| raised(e, "ptpUnreachable")).await;
    let CoreEvent::AlarmRaised { alarm } = e else { unreachable!() };
    assert!(alarm.additional_text.contains("3 poll"), "{}", alarm.additional_text);
    assert!(series(&app, "ptp-gone", "ptp_offset_ns").await.is_none(), "no samples from silence");
    app.stop_monitor().await;
    app.close().await;
}
