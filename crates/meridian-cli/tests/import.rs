//! `meridian import devices` end to end on the embedded store: a dry run
//! reports and writes nothing, a bad file exits 1 naming its rows and writes
//! nothing, a good file lands whole.

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

fn devices(dir: &tempfile::TempDir) -> Value {
    let out = meridian(dir).args(["device", "list", "--json"]).output().expect("run");
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn import_devices_dry_run_bad_row_then_good_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "name,address,site,lat,lon,tags\nr1,127.0.0.1,HQ,51.5,-0.12,core;lab\nr2,::1,,,,\n")
        .expect("write");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "name,address,site,lat,lon,tags\nr1,127.0.0.1,HQ,,,\nr2,not a host!,,,,\n").expect("write");

    meridian(&dir)
        .args(["import", "devices"])
        .arg(&good)
        .arg("--dry-run")
        .assert()
        .success()
        .stdout(predicate::str::contains("would import 2 device(s) and create site(s) HQ (dry run)"));
    assert_eq!(devices(&dir), serde_json::json!([]));

    meridian(&dir)
        .args(["import", "devices"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nothing imported").and(predicate::str::contains("row 3: address")));
    meridian(&dir)
        .args(["import", "devices"])
        .arg(dir.path().join("missing.csv"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read"));
    assert_eq!(devices(&dir), serde_json::json!([]));

    meridian(&dir)
        .args(["import", "devices"])
        .arg(&good)
        .assert()
        .success()
        .stdout(predicate::str::contains("imported 2 device(s) and created site(s) HQ"));
    let list = devices(&dir);
    assert_eq!(list[0]["name"], "r1");
    assert_eq!(list[0]["siteName"], "HQ");
    assert_eq!(list[0]["tags"], serde_json::json!(["core", "lab"]));
    assert_eq!(list[1]["address"], "::1");
}

#[test]
fn export_devices_imports_into_an_empty_store_and_bad_ranges_write_nothing() {
    let a = tempfile::tempdir().expect("tempdir");
    let file = a.path().join("in.csv");
    std::fs::write(&file, "name,address,site,lat,lon,tags\n\"r,1\",127.0.0.1,HQ,51.5,-0.12,core;lab\nr2,::1,,,,\n")
        .expect("write");
    meridian(&a).args(["import", "devices"]).arg(&file).assert().success();
    let out = a.path().join("out.csv");
    meridian(&a).args(["export", "devices", "--out"]).arg(&out).assert().success().stdout("");
    meridian(&a)
        .args(["export", "sites", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"name\": \"HQ\""));

    let b = tempfile::tempdir().expect("tempdir");
    meridian(&b).args(["import", "devices"]).arg(&out).assert().success();
    let strip = |v: Value| -> Vec<Value> {
        v.as_array()
            .expect("array")
            .iter()
            .map(|d| serde_json::json!([d["name"], d["address"], d["siteName"], d["lat"], d["lon"], d["tags"]]))
            .collect()
    };
    assert_eq!(strip(devices(&b)), strip(devices(&a)));

    let never = a.path().join("never.csv");
    meridian(&a)
        .args(["export", "samples", "--from", "1h", "--to", "2h", "--out"])
        .arg(&never)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("to: must be after from"));
    meridian(&a)
        .args(["export", "alarms", "--device", "nope", "--out"])
        .arg(&never)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("device 'nope' does not exist"));
    assert!(!never.exists(), "a refused export wrote its file");
}
