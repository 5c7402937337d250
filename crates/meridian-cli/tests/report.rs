//! `meridian report` end to end on an embedded store: a refused request
//! (reversed period, unknown site) writes none of the files it was asked
//! for; a good one writes a PDF that poppler opens and a CSV that reads
//! back, and prints the tables or, with --json, the report. Schedules:
//! add, list, run, edit (keeping the run log), remove.

use assert_cmd::Command;

fn meridian(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("meridian").expect("binary");
    c.arg("--data-dir").arg(dir.path().join("data")).env("MERIDIAN_VAULT", "file").env_remove("MERIDIAN_DATABASE_URL");
    c.env("MERIDIAN_METRICS_ADDR", "off").timeout(std::time::Duration::from_secs(60));
    c
}

#[test]
fn report_writes_files_only_when_it_succeeds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = |name: &str| dir.path().join(name);
    meridian(&dir).args(["site", "add", "HQ"]).assert().success();
    meridian(&dir).args(["device", "add", "r1", "127.0.0.1", "--site", "HQ"]).assert().success();

    for (args, field) in [
        (vec!["--from", "1h", "--to", "2h"], "to"),
        (vec!["--from", "1d", "--site", "Nowhere"], "site"),
        (vec!["--from", "1d", "--tag", "none"], "tag"),
    ] {
        let o = meridian(&dir)
            .args(["report", "availability"])
            .args(&args)
            .arg("--pdf")
            .arg(out("bad.pdf"))
            .arg("--csv")
            .arg(out("bad.csv"))
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(field), "{args:?}: {err}");
        assert!(!out("bad.pdf").exists() && !out("bad.csv").exists(), "{args:?} wrote a file");
    }

    let o = meridian(&dir)
        .args(["report", "availability", "--site", "HQ", "--from", "1d", "--pdf"])
        .arg(out("a.pdf"))
        .arg("--csv")
        .arg(out("a.csv"))
        .arg("--svg")
        .arg(out("a.svg"))
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    // r1 was never judged: no data, not 100%.
    assert!(text.contains("Availability report") && text.contains("r1") && text.contains("no data"), "{text}");
    let info = std::process::Command::new("pdfinfo").arg(out("a.pdf")).output().expect("pdfinfo (poppler-utils)");
    assert!(info.status.success(), "{}", String::from_utf8_lossy(&info.stderr));
    let csv = std::fs::read(out("a.csv")).expect("csv");
    let rows = meridian_core::csv::read(&csv, 100).expect("reads back");
    assert_eq!(rows[0].fields[0], "device");
    assert_eq!(rows[1].fields[..3], ["r1", "HQ", "no data"]);
    assert!(std::fs::read_to_string(out("a.svg")).expect("svg").starts_with("<svg"));

    let o = meridian(&dir).args(["--json", "report", "alarms", "--from", "7d"]).output().expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["kind"], "alarms");
    assert_eq!(v["tables"][0]["rows"][5][0], "all");
}

/// `report schedule`: a bad one is refused with its fields and adds
/// nothing; a good one lists (also as JSON), runs now into its folder,
/// shows its run, and goes.
#[test]
fn report_schedules_add_list_run_and_remove() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("reports");
    std::fs::create_dir(&folder).expect("folder");
    meridian(&dir).args(["site", "add", "HQ"]).assert().success();
    meridian(&dir).args(["device", "add", "r1", "127.0.0.1", "--site", "HQ"]).assert().success();
    let add = |name: &str, folder: &std::path::Path, extra: &[&str]| {
        meridian(&dir)
            .args(["report", "schedule", "add", name, "availability", "--every", "daily", "--folder"])
            .arg(folder)
            .args(extra)
            .output()
            .expect("run")
    };
    for (folder, extra, field) in [
        (dir.path().join("missing"), vec!["--pdf"], "folder"),
        (folder.clone(), vec![], "formats"),
        (folder.clone(), vec!["--pdf", "--site", "Nowhere"], "site"),
        (folder.clone(), vec!["--csv", "--channel", "none", "--to", "not-an-address"], "recipients"),
    ] {
        let o = add("daily-hq", &folder, &extra);
        assert_eq!(o.status.code(), Some(1), "{extra:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(field),
            "{extra:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let o = meridian(&dir).args(["--json", "report", "schedule", "list"]).output().expect("list");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("json"), serde_json::json!([]));

    let o = add("daily-hq", &folder, &["--pdf", "--csv", "--site", "HQ"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = meridian(&dir).args(["--json", "report", "schedule", "list"]).output().expect("list");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        (v[0]["name"].as_str(), v[0]["site"].as_str(), v[0]["lastOk"].is_null()),
        (Some("daily-hq"), Some("HQ"), true)
    );

    let o = meridian(&dir).args(["report", "schedule", "run", "daily-hq"]).output().expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files[0].starts_with("daily-hq-") && files[0].ends_with(".csv") && files[1].ends_with(".pdf"), "{files:?}");
    let o = meridian(&dir).args(["report", "schedule", "list"]).output().expect("list");
    assert!(String::from_utf8_lossy(&o.stdout).contains("ok"), "{}", String::from_utf8_lossy(&o.stdout));
    let o = meridian(&dir).args(["--json", "report", "schedule", "runs", "daily-hq"]).output().expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v[0]["ok"], true);

    edit_keeps_the_run_log(&dir, &folder);

    meridian(&dir).args(["report", "schedule", "remove", "daily-hq"]).assert().success();
    let o = meridian(&dir).args(["report", "schedule", "run", "daily-hq"]).output().expect("run");
    assert_eq!(o.status.code(), Some(1));
}

/// `report schedule edit` on daily-hq (run once): a bad folder or a rename
/// onto another schedule is refused and changes nothing; only the flags
/// given change, the run log and last result stay, and a rename keeps them.
fn edit_keeps_the_run_log(dir: &tempfile::TempDir, folder: &std::path::Path) {
    let json = |args: &[&str]| {
        let o = meridian(dir).arg("--json").args(args).output().expect("run");
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("json")
    };
    let edit = |args: &[&str]| meridian(dir).args(["report", "schedule", "edit"]).args(args).output().expect("edit");
    meridian(dir)
        .args(["report", "schedule", "add", "other", "alarms", "--every", "monthly", "--csv", "--folder"])
        .arg(folder)
        .assert()
        .success();
    let before = json(&["report", "schedule", "list"]);
    let missing = dir.path().join("missing").display().to_string();
    for (args, field) in
        [(vec!["daily-hq", "--folder", missing.as_str()], "folder"), (vec!["daily-hq", "--rename", "other"], "name")]
    {
        let o = edit(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(field), "{args:?}: {err}");
    }
    assert_eq!(json(&["report", "schedule", "list"]), before, "a refused edit changed nothing");

    let v = json(&["report", "schedule", "edit", "daily-hq", "--every", "weekly", "--csv", "--disabled"]);
    assert_eq!(
        (v["cadence"].as_str(), v["formats"].clone(), v["enabled"].as_bool()),
        (Some("weekly"), serde_json::json!(["csv"]), Some(false))
    );
    assert_eq!(
        (v["site"].as_str(), v["kind"].as_str(), v["lastOk"].as_bool()),
        (Some("HQ"), Some("availability"), Some(true)),
        "{v}"
    );
    let o = edit(&["daily-hq", "--rename", "weekly-hq", "--enabled", "--all-devices"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("updated schedule weekly-hq; next run"));
    let runs = json(&["report", "schedule", "runs", "weekly-hq"]);
    assert_eq!((runs.as_array().map(Vec::len), runs[0]["schedule"].as_str()), (Some(1), Some("weekly-hq")), "{runs}");
    let list = json(&["report", "schedule", "list"]);
    let me = list.as_array().and_then(|l| l.iter().find(|s| s["name"] == "weekly-hq")).expect("renamed");
    assert!(me["site"].is_null() && me["enabled"] == true && me["lastOk"] == true, "{me}");
    // Back to its old name for the rest of the test.
    assert!(edit(&["weekly-hq", "--rename", "daily-hq"]).status.success());
}
