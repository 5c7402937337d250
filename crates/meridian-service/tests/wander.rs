//! Live wander of a watched clock's stored offset series: `App::wander` over
//! a window (MTIE/TDEV, verdict per mask, first failing tau) and the
//! monitor's periodic check raising and clearing the mask alarm. Samples
//! are written to the store as the monitor writes them (`ptp_offset_ns`,
//! one a second with poll jitter), then the app is opened on it.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use meridian_core::sample::Sample;
use meridian_service::monitor::MonitorConfig;
use meridian_service::{
    ApiErrorKind, App, AppConfig, CoreEvent, DeviceInput, PtpWatchConfig, PtpWatchEndpoint, WanderCheckConfig,
};
use meridian_store::{Store, StoreConfig};

mod common;
use common::{fast, Events};

const MASK: &str = "g8261-eec1-network";

fn config(dir: &Path) -> AppConfig {
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    cfg
}

/// ±1 ns of alternating noise, plus `step_ns` from `step_at` on.
fn offset(i: i64, at: DateTime<Utc>, step_at: Option<DateTime<Utc>>, step_ns: f64) -> f64 {
    let noise = if i % 2 == 0 { 1.0 } else { -1.0 };
    noise + if step_at.is_some_and(|s| at >= s) { step_ns } else { 0.0 }
}

/// Writes one sample a second (±100 ms of jitter) of the device's offset
/// over `[from, from + secs)`.
async fn seed(store: &Store, name: &str, from: DateTime<Utc>, secs: i64, step_at: Option<DateTime<Utc>>) {
    let d = store.get_device(&name.into()).await.expect("device").id;
    let series = store.ensure_series(d, None, "ptp_offset_ns", "ns").await.expect("series");
    let batch: Vec<Sample> = (0..secs)
        .map(|i| {
            let at = from + chrono::Duration::milliseconds(i * 1000 + (i % 3 - 1) * 100);
            Sample { at, series, value: offset(i, at, step_at, 1000.0) }
        })
        .collect();
    store.insert_samples(&batch).await.expect("samples");
}

async fn app_with(dir: &Path, names: &[&str], seeding: impl AsyncFnOnce(&Store)) -> App {
    let app = App::open(config(dir)).await.expect("open");
    for (i, name) in names.iter().enumerate() {
        let input = DeviceInput { name: (*name).into(), address: format!("127.0.0.{}", i + 2), ..Default::default() };
        app.add_device(input).await.expect("device");
    }
    app.close().await;
    let store = Store::open(StoreConfig::embedded(dir)).await.expect("store");
    seeding(&store).await;
    store.close().await;
    App::open(config(dir)).await.expect("reopen")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_phase_step_fails_the_mask_at_the_first_tau_and_a_clean_series_passes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = Utc::now();
    let start = now - chrono::Duration::seconds(600);
    let app = app_with(dir.path(), &["step", "clean"], async |s: &Store| {
        seed(s, "step", start, 600, Some(start + chrono::Duration::seconds(300))).await;
        seed(s, "clean", start, 600, None).await;
    })
    .await;
    let (from, to) = (start - chrono::Duration::seconds(5), now);

    let r = app.wander(&"step".into(), from, to, &[]).await.expect("wander");
    assert_eq!(r.points, 600);
    assert!((r.tau0 - 1.0).abs() < 0.01, "median poll spacing: {}", r.tau0);
    assert!(r.mtie.len() >= 9 && r.tdev.len() >= 7, "octave taus up to the window: {r:?}");
    let mtie = r.verdicts.iter().find(|v| v.mask == MASK && v.metric.label() == "MTIE").expect("MTIE verdict");
    assert!(!mtie.pass);
    assert_eq!(mtie.first_failing_tau, Some(1.0), "a 1 us step exceeds 250 ns from tau 1 s");
    assert!(r.mtie[0].value > 900e-9, "MTIE at 1 s sees the step: {:?}", r.mtie[0]);
    assert!(r.verdicts.iter().any(|v| v.metric.label() == "TDEV"), "TDEV judged too: {:?}", r.verdicts);

    let r = app.wander(&"clean".into(), from, to, &[MASK.into(), "g8262-eec1".into()]).await.expect("clean");
    assert_eq!(r.verdicts.len(), 4, "MTIE and TDEV of each mask");
    assert!(r.verdicts.iter().all(|v| v.pass && v.first_failing_tau.is_none()), "{:#?}", r.verdicts);
    // The step's window alone, before the step: clean too.
    let before = app.wander(&"step".into(), from, start + chrono::Duration::seconds(290), &[]).await.expect("before");
    assert!(before.verdicts.iter().all(|v| v.pass), "{:#?}", before.verdicts);

    // Bad input: a field error each, nothing written.
    let field = |e: meridian_service::ApiError| (e.kind, e.fields.first().map(|f| f.field.clone()));
    let e = app.wander(&"step".into(), to, from, &[]).await.expect_err("reversed");
    assert_eq!(field(e), (ApiErrorKind::Validation, Some("to".into())));
    let e = app.wander(&"step".into(), from, to, &["g999".into()]).await.expect_err("mask");
    assert_eq!(field(e), (ApiErrorKind::Validation, Some("mask".into())));
    let empty = now + chrono::Duration::hours(1);
    let e = app.wander(&"step".into(), empty, empty + chrono::Duration::hours(1), &[]).await.expect_err("empty");
    assert_eq!(field(e), (ApiErrorKind::Validation, Some("window".into())));
    let e = app.wander(&"nobody".into(), from, to, &[]).await.expect_err("device");
    assert_eq!(e.kind, ApiErrorKind::NotFound);
    app.close().await;
}

fn wander_raised(e: &CoreEvent) -> bool {
    matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.specific_problem == format!("wanderMask:{MASK}:mtie"))
}

fn wander_cleared(e: &CoreEvent) -> bool {
    matches!(e, CoreEvent::AlarmCleared { alarm } if alarm.specific_problem == format!("wanderMask:{MASK}:mtie"))
}

/// The check's window slides over a step: clean before it enters, failing
/// while it is inside (raised, naming tau 1 s), clean after it left (cleared).
#[tokio::test(flavor = "multi_thread")]
async fn the_monitor_raises_the_wander_alarm_while_a_step_is_in_its_window_and_clears_it_after() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = Utc::now();
    let step_at = now + chrono::Duration::seconds(15);
    let window = Duration::from_secs(20);
    let app = app_with(dir.path(), &["client"], async |s: &Store| {
        seed(s, "client", now - chrono::Duration::seconds(60), 150, Some(step_at)).await;
    })
    .await;
    // Watched through a socket nobody serves: the check reads the stored
    // series whatever the polls say.
    let watch = PtpWatchConfig {
        endpoint: PtpWatchEndpoint::Uds { path: dir.path().join("none.sock").display().to_string() },
        domain: 0,
        offset_limit_ns: None,
        uncalibrated_is_synced: false,
    };
    app.set_ptp_watch(&"client".into(), Some(watch)).await.expect("watch");
    let mut rx = Events::new(app.subscribe());
    let mut cfg: MonitorConfig = fast(Duration::from_secs(1), 0);
    // The check puts the offsets on the PTP poll interval's grid: the seeded 1 s.
    cfg.intervals.ptp = Duration::from_secs(1);
    cfg.wander = Some(WanderCheckConfig { every: Duration::from_secs(1), window, masks: vec![MASK.into()] });
    app.start_monitor(cfg).await.expect("monitor");
    assert!(Utc::now() < step_at, "the app opened too slowly for this test's timeline");

    let e = rx.wait_for(45, "wander alarm", wander_raised).await;
    let raised_at = Utc::now();
    assert!(raised_at >= step_at, "raised before the step entered the window: {raised_at} < {step_at}");
    let CoreEvent::AlarmRaised { alarm } = e else { unreachable!() };
    assert!(alarm.additional_text.contains("from tau 1 s"), "{}", alarm.additional_text);
    assert!(alarm.managed_object.ends_with(",ptpOffset"), "{}", alarm.managed_object);
    let started = Instant::now();
    rx.wait_for(45, "wander alarm cleared", wander_cleared).await;
    let cleared_at = Utc::now();
    assert!(
        cleared_at >= step_at + chrono::Duration::from_std(window).expect("window"),
        "cleared while the step was still in the window ({:?} after raise)",
        started.elapsed()
    );
    app.stop_monitor().await;
    app.close().await;
}

/// A device's own settings: shown with their source, refused field by
/// field with nothing changed, and used by the monitor's check from the
/// next one. With the monitor's 20 s window a step 100 s ago is out of
/// sight; the device's own 300 s window sees it (raised), and returning
/// the device to the monitor's settings clears it.
#[tokio::test(flavor = "multi_thread")]
async fn a_devices_own_window_and_masks_drive_the_monitors_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = Utc::now();
    let app = app_with(dir.path(), &["client"], async |s: &Store| {
        seed(s, "client", now - chrono::Duration::seconds(200), 400, Some(now - chrono::Duration::seconds(100))).await;
    })
    .await;
    let key = "client".into();
    let v = app.wander_settings(&key).await.expect("settings");
    assert!(!v.own, "{v:?}");
    assert_eq!(v.settings.masks, [MASK], "the monitor's default mask");

    let fields = |e: meridian_service::ApiError| -> Vec<String> {
        assert_eq!(e.kind, ApiErrorKind::Validation, "{e:?}");
        e.fields.into_iter().map(|f| f.field).collect()
    };
    let bad = meridian_service::WanderSettings { masks: vec!["g999".into()], window_secs: 2 };
    assert_eq!(fields(app.set_wander_settings(&key, Some(bad)).await.expect_err("bad")), ["masks", "windowSecs"]);
    assert!(!app.wander_settings(&key).await.expect("settings").own, "a refused change wrote nothing");
    let e = app.wander_settings(&"nobody".into()).await.expect_err("no device");
    assert_eq!(e.kind, ApiErrorKind::NotFound);

    let watch = PtpWatchConfig {
        endpoint: PtpWatchEndpoint::Uds { path: dir.path().join("none.sock").display().to_string() },
        domain: 0,
        offset_limit_ns: None,
        uncalibrated_is_synced: false,
    };
    app.set_ptp_watch(&key, Some(watch)).await.expect("watch");
    let mut rx = Events::new(app.subscribe());
    let mut cfg: MonitorConfig = fast(Duration::from_secs(1), 0);
    cfg.intervals.ptp = Duration::from_secs(1);
    cfg.wander = Some(WanderCheckConfig {
        every: Duration::from_secs(1),
        window: Duration::from_secs(20),
        masks: vec![MASK.into()],
    });
    app.start_monitor(cfg).await.expect("monitor");
    // A few checks with the monitor's window: the step is out of sight.
    tokio::time::sleep(Duration::from_secs(4)).await;
    rx.drain();
    assert!(!rx.any(wander_raised), "the 20 s window does not reach the step");

    let own = meridian_service::WanderSettings { masks: vec![MASK.to_uppercase()], window_secs: 300 };
    let v = app.set_wander_settings(&key, Some(own)).await.expect("own settings");
    assert!(v.own);
    assert_eq!(v.settings.masks, [MASK], "kept as the library spells it");
    assert_eq!(v.settings.window_secs, 300);
    let e = rx.wait_for(30, "wander alarm with the device's window", wander_raised).await;
    let CoreEvent::AlarmRaised { alarm } = e else { unreachable!() };
    assert!(alarm.managed_object.ends_with(",ptpOffset"), "{}", alarm.managed_object);

    let v = app.set_wander_settings(&key, None).await.expect("back to the monitor's");
    assert!(!v.own);
    rx.wait_for(30, "wander alarm cleared with the monitor's window", wander_cleared).await;
    app.stop_monitor().await;
    app.close().await;
}
