//! The `meridian` binary end to end, against the embedded store in a temp
//! data directory: what a user types, what they see, and the exit codes.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn meridian(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("meridian").expect("binary");
    c.arg("--data-dir")
        .arg(dir.path())
        .env("MERIDIAN_VAULT", "file")
        .env("MERIDIAN_VAULT_KEY_FILE", meridian_testkit::vault_key_file())
        .env_remove("MERIDIAN_DATABASE_URL");
    c
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

fn device_count(dir: &tempfile::TempDir) -> usize {
    let out = meridian(dir).args(["device", "list", "--json"]).output().expect("run");
    assert!(out.status.success());
    json(&out.stdout).as_array().map_or(0, Vec::len)
}

#[test]
fn device_add_then_list_round_trips() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir)
        .args(["device", "add", "r1", "127.0.0.1", "--tag", "core", "--lat", "-33.9", "--lon", "151.2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("added device r1 (127.0.0.1)"));
    let out = meridian(&dir).args(["device", "list", "--json"]).output().expect("run");
    assert!(out.status.success());
    let list = json(&out.stdout);
    assert_eq!(list[0]["name"], "r1");
    assert_eq!(list[0]["address"], "127.0.0.1");
    assert_eq!(list[0]["tags"][0], "core");
    assert_eq!(list[0]["lat"], -33.9);
    assert_eq!(list[0]["enabled"], true);

    meridian(&dir).args(["device", "show", "r1"]).assert().success().stdout(predicate::str::contains("127.0.0.1"));
    meridian(&dir).args(["device", "edit", "r1", "--address", "127.0.0.5", "--disable"]).assert().success();
    let shown = json(&meridian(&dir).args(["device", "show", "r1", "--json"]).output().expect("run").stdout);
    assert_eq!(
        (shown["address"].as_str(), shown["enabled"].as_bool(), shown["version"].as_i64()),
        (Some("127.0.0.5"), Some(false), Some(2))
    );
    meridian(&dir).args(["device", "rm", "r1"]).assert().success();
    assert_eq!(device_count(&dir), 0);
}

#[test]
fn bad_address_exits_nonzero_with_one_line_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = meridian(&dir).args(["device", "add", "bad", "999.1.1.1"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<_> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected, got {err:?}");
    assert!(lines[0].contains("'999.1.1.1' is not a valid IP address"), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(device_count(&dir), 0);

    // --json also gives the structured error on stdout.
    let out = meridian(&dir)
        .args(["device", "add", "bad", "10.1.1.1", "--lat", "91", "--lon", "0", "--json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let e = json(&out.stdout);
    assert_eq!(e["error"]["kind"], "validation");
    assert_eq!(e["error"]["fields"][0]["field"], "lat");
    assert_eq!(device_count(&dir), 0);
}

#[test]
fn duplicates_and_unknown_references_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir).args(["device", "add", "r1", "127.0.0.1"]).assert().success();
    meridian(&dir)
        .args(["device", "add", "r1", "127.0.0.2"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("device name 'r1' already exists"));
    meridian(&dir)
        .args(["device", "add", "r2", "127.0.0.1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("device address '127.0.0.1' already exists"));
    meridian(&dir)
        .args(["device", "add", "r3", "127.0.0.3", "--site", "Mars"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("site 'Mars' does not exist"));
    meridian(&dir).args(["device", "show", "ghost"]).assert().code(1).stderr(predicate::str::contains("not found"));
    assert_eq!(device_count(&dir), 1);
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir).args(["device", "add", "only-a-name"]).assert().code(2);
    meridian(&dir).args(["device", "add", "r", "127.0.0.1", "--lat", "5"]).assert().code(2);
}

#[test]
fn sites_and_db_info() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir).args(["site", "add", "HQ", "--lat", "51.5", "--lon", "-0.12"]).assert().success();
    meridian(&dir).args(["device", "add", "r1", "::1", "--site", "HQ"]).assert().success();
    let sites = json(&meridian(&dir).args(["site", "list", "--json"]).output().expect("run").stdout);
    assert_eq!((sites[0]["name"].as_str(), sites[0]["deviceCount"].as_i64()), (Some("HQ"), Some(1)));
    meridian(&dir)
        .args(["site", "add", "Bad", "--lat", "100", "--lon", "0"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("lat"));
    let info = json(&meridian(&dir).args(["db", "info", "--json"]).output().expect("run").stdout);
    assert_eq!(info["backend"], "embedded (PGlite)");
    assert!(info["schemaVersion"].as_i64().unwrap_or(0) >= 1);
    assert!(info["sizeBytes"].as_i64().unwrap_or(0) > 0);
    assert!(info["location"].as_str().unwrap_or("").starts_with(dir.path().to_str().unwrap_or("?")));
}

#[test]
fn credentials_never_show_their_secrets() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir)
        .args(["credential", "add-v2c", "lab", "--community", "-"])
        .write_stdin("s3cret-from-stdin\n")
        .assert()
        .success();
    meridian(&dir)
        .args([
            "credential",
            "add-v3",
            "v3",
            "--user",
            "admin",
            "--auth-proto",
            "SHA-256",
            "--auth-pass",
            "authpass-xyz",
            "--priv-proto",
            "AES-256",
            "--priv-pass",
            "privpass-xyz",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("encrypted-file"));
    meridian(&dir)
        .args(["credential", "add-v3", "weak", "--user", "u", "--auth-proto", "SHA", "--auth-pass", "short"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("authPass: must be at least 8 characters"));
    let out = meridian(&dir).args(["credential", "list", "--json"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    for s in ["s3cret-from-stdin", "authpass-xyz", "privpass-xyz"] {
        assert!(!text.contains(s), "credential list shows {s}");
    }
    let list = json(&out.stdout);
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(list[1]["authProto"], "SHA-256");
    meridian(&dir)
        .args(["credential", "backend"])
        .assert()
        .success()
        .stdout(predicate::str::contains("encrypted-file"));
    meridian(&dir).args(["device", "add", "r1", "127.0.0.1", "--credential", "lab"]).assert().success();
    meridian(&dir)
        .args(["credential", "rm", "lab"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("used by 1 device"));
    meridian(&dir).args(["credential", "rm", "v3"]).assert().success();
}

#[test]
fn a_data_dir_in_use_is_refused_with_the_holders_pid() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir).args(["device", "add", "r1", "127.0.0.1"]).assert().success();
    // Hold the directory from this process, as a running desktop app would.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut cfg = meridian_service::AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = rt.block_on(meridian_service::App::open(cfg)).expect("hold");
    meridian(&dir)
        .args(["device", "add", "r2", "127.0.0.2"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("in use by pid {}", std::process::id())));
    rt.block_on(app.close());
    // Nothing was written by the refused process, and the store is intact.
    assert_eq!(device_count(&dir), 1);
}

#[test]
fn config_file_is_read_and_a_typo_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("config.toml");
    let data = dir.path().join("from-config");
    std::fs::write(&cfg, format!("data_dir = {:?}\nvault = \"file\"\n", data)).expect("write");
    let mut c = Command::cargo_bin("meridian").expect("binary");
    c.env("MERIDIAN_CONFIG", &cfg).env_remove("MERIDIAN_DATA_DIR").env_remove("MERIDIAN_DATABASE_URL");
    c.args(["device", "add", "r1", "127.0.0.1"]).assert().success();
    assert!(data.join("meridian.lock").exists(), "data_dir from the config file was not used");

    std::fs::write(&cfg, "data-dir = \"/tmp/x\"\n").expect("write");
    let mut c = Command::cargo_bin("meridian").expect("binary");
    c.env("MERIDIAN_CONFIG", &cfg).env_remove("MERIDIAN_DATA_DIR");
    c.args(["device", "list"]).assert().code(1).stderr(predicate::str::contains("unknown field"));
}
