//! `meridian rules` end to end: import with a dry run, list, export that
//! re-imports, a bad file refused whole with field errors, remove.

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

const RULES: &str = r#"
[[rule]]
name = "CPU high"
metric = "cpu_pct"
comparison = "above"
levels = [{ severity = "warning", raise = 80, clear = 70 }, { severity = "critical", raise = 95, clear = 90 }]
raiseAfter = { samples = 2 }
scope = { tags = ["core"] }

[[rule]]
name = "UPS on battery too long"
metric = "runtime_remaining"
comparison = "below"
levels = [{ severity = "critical", raise = 10, clear = 15 }]
scope = { kinds = ["ups"] }
"#;

#[test]
fn import_list_export_remove() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("rules.toml");
    std::fs::write(&file, RULES).expect("write");
    meridian(&dir)
        .args(["rules", "import", "--dry-run"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("would import 2 rule(s)"));
    let listed = meridian(&dir).args(["rules", "list", "--json"]).output().expect("run");
    assert_eq!(serde_json::from_slice::<Value>(&listed.stdout).expect("json"), Value::Array(vec![]), "dry run wrote");

    meridian(&dir).args(["rules", "import"]).arg(&file).assert().success();
    meridian(&dir)
        .args(["rules", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("CPU high").and(predicate::str::contains("critical 95/90")));
    let exported = meridian(&dir).args(["rules", "export"]).output().expect("run");
    assert!(exported.status.success());
    let again = tempfile::tempdir().expect("tempdir");
    meridian(&again).args(["rules", "import", "-"]).write_stdin(exported.stdout).assert().success();
    let listed: Value =
        serde_json::from_slice(&meridian(&again).args(["rules", "list", "--json"]).output().expect("run").stdout)
            .expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(2), "the export imports again: {listed}");

    meridian(&dir).args(["rules", "remove", "CPU high"]).assert().success();
    meridian(&dir).args(["rules", "remove", "CPU high"]).assert().code(1).stderr(predicate::str::contains("not found"));
}

#[test]
fn a_bad_file_is_refused_whole_with_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("rules.toml");
    std::fs::write(&file, RULES.replace("clear = 70", "clear = 85")).expect("write");
    let out = meridian(&dir).args(["rules", "import"]).arg(&file).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("rule[0].levels[0].clear"), "{err}");
    let listed = meridian(&dir).args(["rules", "list", "--json"]).output().expect("run");
    assert_eq!(serde_json::from_slice::<Value>(&listed.stdout).expect("json"), Value::Array(vec![]));
    meridian(&dir)
        .args(["rules", "import", "/nonexistent/rules.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read"));
}
