//! `meridian history` end to end on the embedded store: retention shown,
//! changed, and refused with its field named (changing nothing); a rollup
//! pass; tier sizes.

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

fn retention(dir: &tempfile::TempDir) -> Value {
    let out = meridian(dir).args(["history", "retention", "--json"]).output().expect("run");
    serde_json::from_slice(&out.stdout).expect("json")
}

#[test]
fn retention_rollup_and_tiers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let defaults = serde_json::json!({ "rawDays": 7, "fiveMinDays": 90, "hourDays": 730, "dayDays": null });
    assert_eq!(retention(&dir), defaults);

    meridian(&dir)
        .args(["history", "retention", "--raw-days", "14", "--day-days", "3650"])
        .assert()
        .success()
        .stdout(predicate::str::contains("raw:    14 days").and(predicate::str::contains("1 day:  3650 days")));
    let set = retention(&dir);
    assert_eq!((set["rawDays"].as_u64(), set["dayDays"].as_u64()), (Some(14), Some(3650)));

    meridian(&dir)
        .args(["history", "retention", "--five-min-days", "3"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("fiveMinDays: must be at least rawDays (14 days)"));
    assert_eq!(retention(&dir), set, "a refused setting changed something");
    // 0 days for the 1-day tier means forever.
    meridian(&dir).args(["history", "retention", "--day-days", "0"]).assert().success();
    assert_eq!(retention(&dir)["dayDays"], Value::Null);

    meridian(&dir).args(["history", "rollup"]).assert().success().stdout(predicate::str::contains("built 0 5-min"));
    let out = meridian(&dir).args(["history", "tiers", "--json"]).output().expect("run");
    let tiers: Value = serde_json::from_slice(&out.stdout).expect("json");
    let names: Vec<_> = tiers.as_array().expect("array").iter().map(|t| t["tier"].as_str().unwrap_or("")).collect();
    assert_eq!(names, ["raw", "fiveMin", "hour", "day"]);
}
