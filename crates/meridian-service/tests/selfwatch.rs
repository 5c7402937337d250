//! Meridian's alarms about itself under real conditions: a data directory
//! on a small tmpfs the test fills (disk low), a scheduler given far more
//! loopback pings than one permit can start on time (polls behind
//! schedule), and a writer whose table another PostgreSQL session locks
//! (samples dropped). Each alarm is raised on the event bus and in the
//! store, then cleared once the condition goes.

mod common;

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use common::{fast, Events};
use meridian_core::alarm::Severity;
use meridian_core::selfwatch::{problem, SelfWatchSettings};
use meridian_service::{App, AppConfig, CoreEvent, DeviceInput, DeviceKey};
use meridian_testkit::{fill, is_root, NativePostgres, Tmpfs};
use sqlx::Connection;

async fn open(dir: &Path, url: Option<String>) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.database_url = url;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    App::open(cfg).await.expect("open app")
}

/// Thresholds acted on at once, so the test waits for conditions, not timers.
fn prompt() -> SelfWatchSettings {
    SelfWatchSettings {
        raise_after_secs: 0,
        clear_after_secs: 0,
        window_secs: 5,
        late_min_polls: 5,
        ..Default::default()
    }
}

fn raised(problem: &'static str) -> impl Fn(&CoreEvent) -> bool {
    move |e| matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.specific_problem == problem)
}

fn cleared(problem: &'static str) -> impl Fn(&CoreEvent) -> bool {
    move |e| matches!(e, CoreEvent::AlarmCleared { alarm } if alarm.specific_problem == problem)
}

async fn stored_active(app: &App, problem: &str) -> bool {
    app.list_alarms(true, 500).await.expect("alarms").iter().any(|a| a.specific_problem == problem)
}

fn statvfs(dir: &Path) -> (u64, u64) {
    let d = meridian_service::disk_space(dir).expect("statvfs");
    (d.free_bytes, d.total_bytes)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_filled_data_disk_raises_disk_space_low_and_clears_when_freed() {
    if !is_root() {
        eprintln!("SKIPPED: needs root to mount a tmpfs for the data directory; run as root");
        return;
    }
    for native in [false, true] {
        let Some(fs) = Tmpfs::mount("128m") else {
            eprintln!("SKIPPED: mount -t tmpfs was refused here");
            return;
        };
        let url = native.then(|| NativePostgres::shared().expect("native PostgreSQL").fresh_database().expect("db"));
        let data = fs.path().join("data");
        let app = open(&data, url).await;
        app.set_self_watch_settings(prompt(), Utc::now()).await.expect("settings");
        let mut events = Events::new(app.subscribe());
        let mut cfg = fast(Duration::from_millis(300), 0);
        cfg.rollups = None;
        app.start_monitor(cfg).await.expect("start");

        // Leave 3% free: below the 5% that makes the alarm major.
        let (free, total) = statvfs(fs.path());
        let ballast = fs.path().join("ballast");
        let wrote = fill(&ballast, free.saturating_sub(total * 3 / 100));
        assert!(wrote > 0, "nothing written to the ballast");
        let e = events.wait_for(20, "diskSpaceLow raised", raised(problem::DISK_SPACE_LOW)).await;
        let CoreEvent::AlarmRaised { alarm } = e else { unreachable!() };
        assert_eq!(alarm.perceived_severity, Severity::Major, "{alarm:?}");
        assert_eq!(alarm.managed_object, meridian_core::alarm::SELF_OBJECT);
        assert!(alarm.additional_text.contains("free") && alarm.device_id.is_none(), "{alarm:?}");
        assert!(stored_active(&app, problem::DISK_SPACE_LOW).await, "not stored active");
        let st = app.monitor_status().await.expect("status");
        assert!(st.self_alarms.iter().any(|a| a.specific_problem == problem::DISK_SPACE_LOW), "{st:?}");
        assert!(st.disk.is_some_and(|d| d.free_bytes * 100 < d.total_bytes * 5), "{st:?}");

        std::fs::remove_file(&ballast).expect("remove ballast");
        events.wait_for(20, "diskSpaceLow cleared", cleared(problem::DISK_SPACE_LOW)).await;
        assert!(!stored_active(&app, problem::DISK_SPACE_LOW).await, "still stored active");
        app.stop_monitor().await;
        app.close().await;
        eprintln!("disk low ({}): raised major at 3% free of {} MB, cleared when freed", backend(native), total >> 20);
    }
}

fn backend(native: bool) -> &'static str {
    if native {
        "native PostgreSQL"
    } else {
        "PGlite"
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_overloaded_scheduler_raises_polls_behind_schedule() {
    for native in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = native.then(|| NativePostgres::shared().expect("native PostgreSQL").fresh_database().expect("db"));
        let app = open(dir.path(), url).await;
        app.set_self_watch_settings(prompt(), Utc::now()).await.expect("settings");
        // 30 loopback devices pinged every second, three echoes 200 ms apart,
        // through one permit: about 2 polls a second can start for 30 due.
        let names: Vec<String> = (1..=30).map(|i| format!("lag{i}")).collect();
        for (i, name) in names.iter().enumerate() {
            let input =
                DeviceInput { name: name.clone(), address: format!("127.63.15.{}", i + 1), ..Default::default() };
            app.add_device(input).await.expect("add");
        }
        let mut events = Events::new(app.subscribe());
        let mut cfg = fast(Duration::from_millis(300), 0);
        cfg.rollups = None;
        cfg.max_concurrent_polls = 1;
        cfg.ping.count = 3;
        cfg.ping.interval = Duration::from_millis(200);
        app.start_monitor(cfg).await.expect("start");
        let e = events.wait_for(40, "pollsBehindSchedule raised", raised(problem::POLLS_BEHIND)).await;
        let CoreEvent::AlarmRaised { alarm } = e else { unreachable!() };
        assert!(alarm.additional_text.contains("started more than one interval late"), "{alarm:?}");
        assert!(stored_active(&app, problem::POLLS_BEHIND).await, "not stored active");
        let st = app.monitor_status().await.expect("status");
        assert!(st.polls_late > 0 && st.polls_late <= st.polls_started, "{st:?}");

        // The load goes: all but one device removed. Once the window holds
        // no late start, the alarm clears.
        for name in &names[1..] {
            app.remove_device(&DeviceKey::Name(name.clone())).await.expect("remove");
        }
        events.wait_for(40, "pollsBehindSchedule cleared", cleared(problem::POLLS_BEHIND)).await;
        assert!(!stored_active(&app, problem::POLLS_BEHIND).await, "still stored active");
        let st = app.monitor_status().await.expect("status");
        app.stop_monitor().await;
        app.close().await;
        eprintln!(
            "lag ({}): {} of {} polls started late; raised, then cleared once the load went",
            backend(native),
            st.polls_late,
            st.polls_started
        );
    }
}

/// Native PostgreSQL only: another session locks the samples table, which
/// the embedded store (one connection, held by the app) cannot let a test do.
#[tokio::test(flavor = "multi_thread")]
async fn a_writer_that_drops_samples_raises_samples_dropped() {
    let pg = NativePostgres::shared().expect("native PostgreSQL");
    let url = pg.fresh_database().expect("db");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path(), Some(url.clone())).await;
    app.set_self_watch_settings(prompt(), Utc::now()).await.expect("settings");
    for i in 1..=8 {
        let input = DeviceInput { name: format!("drop{i}"), address: format!("127.63.16.{i}"), ..Default::default() };
        app.add_device(input).await.expect("add");
    }
    let mut events = Events::new(app.subscribe());
    let mut cfg = fast(Duration::from_millis(300), 0);
    cfg.rollups = None;
    cfg.writer.capacity = 2;
    cfg.writer.batch_size = 2;
    cfg.writer.max_delay = Duration::from_millis(10);
    cfg.writer.enqueue_timeout = Duration::from_millis(10);
    app.start_monitor(cfg).await.expect("start");
    // Samples flow first (the series exist), then the table is locked.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while app.monitor_status().await.is_none_or(|s| s.samples_written == 0) {
        assert!(tokio::time::Instant::now() < deadline, "no sample written");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut locker = sqlx::PgConnection::connect(&url).await.expect("connect");
    let mut tx = locker.begin().await.expect("begin");
    sqlx::query("LOCK TABLE samples IN ACCESS EXCLUSIVE MODE").execute(&mut *tx).await.expect("lock");
    let e = events.wait_for(30, "samplesDropped raised", raised(problem::SAMPLES_DROPPED)).await;
    let CoreEvent::AlarmRaised { alarm } = e else { unreachable!() };
    assert_eq!(alarm.perceived_severity, Severity::Major, "{alarm:?}");
    assert!(stored_active(&app, problem::SAMPLES_DROPPED).await, "not stored active");
    // The status copies the writer's counters just after the tick that raised.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let mut dropped = 0;
    while dropped == 0 && tokio::time::Instant::now() < deadline {
        dropped = app.monitor_status().await.expect("status").samples_dropped;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(dropped > 0, "the status shows no drop");
    tx.rollback().await.expect("unlock");
    // No drop for a whole window (5 s): cleared.
    events.wait_for(30, "samplesDropped cleared", cleared(problem::SAMPLES_DROPPED)).await;
    assert!(!stored_active(&app, problem::SAMPLES_DROPPED).await, "still stored active");
    app.stop_monitor().await;
    app.close().await;
    eprintln!("drops: {dropped} samples dropped while the table was locked; raised, then cleared");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_cap_alarm_and_bad_settings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path(), None).await;
    let bad = SelfWatchSettings { store_warn_pct: 0.0, window_secs: 0, ..Default::default() };
    let e = app.set_self_watch_settings(bad, Utc::now()).await.expect_err("refused");
    let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["storeWarnPct", "windowSecs"], "{e:?}");
    assert_eq!(
        app.self_watch_settings().await.expect("read"),
        SelfWatchSettings::default(),
        "a refused value was kept"
    );
    // A cap far below the store's size: major at once.
    let s = SelfWatchSettings { store_cap_bytes: Some(1_000), ..prompt() };
    app.set_self_watch_settings(s.clone(), Utc::now()).await.expect("settings");
    assert_eq!(app.self_watch_settings().await.expect("read"), s);
    let mut events = Events::new(app.subscribe());
    let mut cfg = fast(Duration::from_millis(300), 0);
    cfg.rollups = None;
    app.start_monitor(cfg).await.expect("start");
    let e = events.wait_for(20, "storeNearCap raised", raised(problem::STORE_NEAR_CAP)).await;
    let CoreEvent::AlarmRaised { alarm } = e else { unreachable!() };
    assert_eq!(alarm.perceived_severity, Severity::Major);
    assert!(alarm.additional_text.contains("cap"), "{alarm:?}");
    assert!(stored_active(&app, problem::STORE_NEAR_CAP).await);
    // The System tab's one call: the same figures and the alarm.
    let sys = app.system_status(Utc::now()).await.expect("system status");
    assert!(sys.monitor_running && sys.store_bytes > 1_000 && sys.store_cap_bytes == Some(1_000), "{sys:?}");
    assert!(sys.disk.is_some_and(|d| d.total_bytes > 0) && sys.uptime_secs.is_some(), "{sys:?}");
    assert!(sys.self_alarms.iter().any(|a| a.specific_problem == problem::STORE_NEAR_CAP), "{sys:?}");
    app.stop_monitor().await;
    app.close().await;
}
