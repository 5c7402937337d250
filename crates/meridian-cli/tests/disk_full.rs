//! The data directory on a small tmpfs that the test fills with a ballast
//! file while `meridian monitor` runs: the monitor keeps running, counts its
//! failed writes and drops (status file), raises its own alarm ("store
//! cannot write: disk full"), and once the ballast is gone writes again,
//! clears the alarm, and leaves a store that reopens with every batch it
//! reported committed. Root only (it mounts the tmpfs).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{check_batches, committed_batches, open_store, read, Monitor};
use meridian_service::{App, AppConfig, DeviceInput};
use meridian_testkit::{fill, is_root, Tmpfs};

fn status(data: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&data.join("status.json"))).unwrap_or(serde_json::Value::Null)
}

fn count(v: &serde_json::Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or(0)
}

/// Sixteen loopback devices added in-process (one store open, not sixteen),
/// so samples fill new pages within seconds.
async fn seed(data: &Path) {
    let mut cfg = AppConfig::with_data_dir(data.to_path_buf());
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    cfg.database_url = None;
    let app = App::open(cfg).await.expect("open app");
    for i in 1..=16 {
        let input = DeviceInput { name: format!("d{i}"), address: format!("127.62.14.{i}"), ..Default::default() };
        app.add_device(input).await.expect("add device");
    }
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_is_survived_counted_alarmed_and_recovered_from() {
    if !is_root() {
        eprintln!("SKIPPED: needs root to mount a tmpfs; run as root");
        return;
    }
    let fs = Tmpfs::mount("64m").expect("mount -t tmpfs");
    let data: PathBuf = fs.path().join("data");
    let logs = tempfile::tempdir().expect("logs");
    seed(&data).await;

    let mut m = Monitor::spawn(&data, logs.path(), 0, 1);
    assert!(m.started(Duration::from_secs(30)), "the monitor did not start:\n{}", read(&m.stderr));
    assert!(
        m.wait_for(Duration::from_secs(15), |err, _| err.contains("committed batch")),
        "no batch committed before the disk filled:\n{}",
        read(&m.stderr)
    );

    let ballast = fs.path().join("ballast");
    let filled = fill(&ballast, 64 << 20);
    assert!(filled > 0, "nothing could be written to the ballast");

    // The writer runs into the full disk when a table or index needs a new
    // page: within seconds at this rate. The alarm announces it.
    let alarmed = m.wait_for(Duration::from_secs(40), |_, out| {
        out.lines().any(|l| l.contains("\"alarmRaised\"") && l.contains("store cannot write: disk full"))
    });
    assert!(alarmed, "no self-alarm with the disk full:\n{}", read(&m.stderr));
    assert!(matches!(m.child.try_wait(), Ok(None)), "the monitor exited on a full disk:\n{}", read(&m.stderr));
    // Status shows the failures while they happen (rewritten in place).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while count(&status(&data), "writeErrors") == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    let during = status(&data);
    assert!(count(&during, "writeErrors") > 0, "status shows no failed writes: {during}");
    let seen_before = committed_batches(&read(&m.stderr)).len();

    std::fs::remove_file(&ballast).expect("remove ballast");
    let resumed = m.wait_for(Duration::from_secs(30), |err, out| {
        committed_batches(err).len() > seen_before
            && out.lines().any(|l| l.contains("\"alarmCleared\"") && l.contains("meridian/store"))
    });
    assert!(resumed, "no commit and clear after the ballast went:\n{}", read(&m.stderr));
    assert!(matches!(m.child.try_wait(), Ok(None)), "the monitor exited:\n{}", read(&m.stderr));
    std::thread::sleep(Duration::from_secs(3));
    let after = status(&data);
    assert!(after["storeError"].is_null(), "status still shows a store error: {after}");

    // Graceful stop: it drains and exits 0, then the store reopens whole.
    let pid = m.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    let code = m.child.wait().expect("wait");
    let err = read(&m.stderr);
    assert!(code.success(), "the monitor exited with {code}:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    let store = open_store(&data).await;
    let checked = check_batches(&store, &committed_batches(&err)).await;
    let alarm: Option<(bool,)> = sqlx::query_as(
        "SELECT cleared_at IS NOT NULL FROM alarms WHERE managed_object = 'meridian/store' AND specific_problem = 'storeWriteFailed' ORDER BY raised_at DESC LIMIT 1",
    )
    .fetch_optional(&mut *store.conn().await.expect("conn"))
    .await
    .expect("self alarm");
    store.close().await;
    checked.unwrap_or_else(|e| panic!("after the disk filled and emptied: {e}"));
    assert_eq!(alarm, Some((true,)), "the self-alarm is not stored cleared");
    eprintln!(
        "disk full: {} failed writes, {} samples dropped, writes resumed; store intact",
        count(&during, "writeErrors"),
        count(&status(&data), "samplesDropped")
    );
}
