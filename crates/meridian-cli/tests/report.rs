//! `meridian report` end to end on an embedded store: a refused request
//! (reversed period, unknown site) writes none of the files it was asked
//! for; a good one writes a PDF that poppler opens and a CSV that reads
//! back, and prints the tables or, with --json, the report.

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
