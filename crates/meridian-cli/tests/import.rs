//! `meridian import devices` end to end on the embedded store: a dry run
//! reports and writes nothing, a bad file exits 1 naming its rows and writes
//! nothing, a good file lands whole.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn meridian(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("meridian").expect("binary");
    c.arg("--data-dir").arg(dir.path()).env("MERIDIAN_VAULT", "file").env_remove("MERIDIAN_DATABASE_URL");
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
