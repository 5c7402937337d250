//! Two desktop settings (issue 12): the map's opt-in tile server, stored
//! through the service (a refused URL changes nothing), and the monitor's
//! start delay, during which a restarted monitor shows the last known
//! states marked stale and polls nothing.

mod common;

use std::time::Duration;

use chrono::Utc;
use common::{fast, state_of, Events};
use meridian_core::state::DeviceState;
use meridian_service::{ApiErrorKind, App, AppConfig, DeviceInput, MapTiles};

async fn open(dir: &std::path::Path) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    App::open(cfg).await.expect("open app")
}

fn tiles(url: &str, attribution: &str) -> MapTiles {
    MapTiles { url: url.into(), attribution: attribution.into() }
}

#[tokio::test(flavor = "multi_thread")]
async fn map_tiles_are_stored_checked_and_a_refused_value_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    assert_eq!(app.map_tiles().await.expect("default"), MapTiles::default(), "offline only until set");

    let set = app
        .set_map_tiles(tiles(" http://127.0.0.1:8080/{z}/{x}/{y}.png ", " local tiles "), Utc::now())
        .await
        .expect("a loopback tile server");
    assert_eq!(set, tiles("http://127.0.0.1:8080/{z}/{x}/{y}.png", "local tiles"), "stored trimmed");

    for (bad, field) in [
        (tiles("http://tiles.example.net/{z}/{x}/{y}.png", "x"), "url"),
        (tiles("https://tiles.example.net/{z}/{x}.png", "x"), "url"),
        (tiles("https://tiles.example.net/{z}/{x}/{y}.png", "<script>"), "attribution"),
    ] {
        let e = app.set_map_tiles(bad.clone(), Utc::now()).await.expect_err("refused");
        assert_eq!(e.kind, ApiErrorKind::Validation, "{bad:?}: {e:?}");
        assert!(e.fields.iter().any(|f| f.field == field), "{bad:?}: {e:?}");
        assert_eq!(app.map_tiles().await.expect("read"), set, "{bad:?} changed the stored setting");
    }
    app.shutdown().await;

    // It survives a restart, and an empty URL turns the tiles off again.
    let app = open(dir.path()).await;
    assert_eq!(app.map_tiles().await.expect("after reopen"), set);
    let off = app.set_map_tiles(tiles("", ""), Utc::now()).await.expect("off");
    assert!(!off.enabled());
    assert_eq!(app.map_tiles().await.expect("read"), MapTiles::default());
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_start_delay_keeps_the_last_known_state_stale_until_the_first_poll() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    let dev = app
        .add_device(DeviceInput { name: "loop".into(), address: "127.0.0.1".into(), ..Default::default() })
        .await
        .expect("device");
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(fast(Duration::from_millis(300), 0)).await.expect("monitor");
    rx.wait_for(20, "loop Up", |e| state_of(e, "loop", DeviceState::Up)).await;
    app.stop_monitor().await;

    // Restarted with a delay: the last known state, stale, and no poll until the delay has passed.
    let delay = Duration::from_secs(3);
    let mut cfg = fast(Duration::from_millis(300), 0);
    cfg.start_delay = delay;
    let started = Utc::now();
    app.start_monitor(cfg).await.expect("monitor again");
    let live = |all: Vec<meridian_service::monitor::DeviceLive>| all.into_iter().find(|l| l.device_id == dev.id);
    let seeded = live(app.device_live().await).expect("seeded");
    assert_eq!((seeded.state, seeded.stale, seeded.last_poll), (DeviceState::Up, true, None), "{seeded:?}");

    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let polled = loop {
        let l = live(app.device_live().await).expect("live");
        if !l.stale {
            break l;
        }
        assert!(tokio::time::Instant::now() < deadline, "still stale 20 s after the start: {l:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let first = polled.last_poll.expect("a poll time");
    assert!(
        first - started >= chrono::Duration::from_std(delay).expect("delay"),
        "polled at {first}, started {started}"
    );
    assert_eq!(polled.state, DeviceState::Up, "{polled:?}");
    app.shutdown().await;
}
