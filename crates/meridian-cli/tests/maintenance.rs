//! `meridian maintenance` end to end: add each kind of window, list, bad
//! flags and bad fields refused with nothing written, remove.

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

fn listed(dir: &tempfile::TempDir) -> Vec<Value> {
    let out = meridian(dir).args(["maintenance", "list", "--json"]).output().expect("run");
    serde_json::from_slice::<Value>(&out.stdout).expect("json").as_array().cloned().unwrap_or_default()
}

#[test]
fn add_list_refuse_remove() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir)
        .args(["maintenance", "add", "core swap", "--device", "core-1,core-2"])
        .args(["--from", "2026-12-05T02:00:00Z", "--to", "2026-12-05T04:00:00Z"])
        .assert()
        .success()
        .stdout(predicate::str::contains("saved maintenance window core swap"));
    meridian(&dir)
        .args(["maintenance", "add", "patching", "--tag", "linux", "--weekly", "sat,sun", "--at", "03:00"])
        .args(["--minutes", "90"])
        .assert()
        .success();
    meridian(&dir)
        .args(["maintenance", "add", "backups", "--all", "--cron", "0 1 * * *", "--minutes", "30"])
        .assert()
        .success();
    meridian(&dir)
        .args(["maintenance", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("patching").and(predicate::str::contains("days=sat,sun")));
    assert_eq!(listed(&dir).len(), 3);

    // A bad cron field, a backwards window and a missing schedule: refused, nothing written.
    meridian(&dir)
        .args(["maintenance", "add", "bad", "--all", "--cron", "61 * * * *", "--minutes", "10"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("schedule.expr").and(predicate::str::contains("61 is outside 0-59")));
    meridian(&dir)
        .args(["maintenance", "add", "bad", "--all", "--from", "2026-12-05T04:00:00Z", "--to", "2026-12-05T02:00:00Z"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("schedule.end"));
    meridian(&dir)
        .args(["maintenance", "add", "bad", "--all"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("give --from and --to"));
    meridian(&dir)
        .args(["maintenance", "add", "bad", "--weekly", "funday", "--at", "03:00", "--minutes", "5", "--all"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("funday"));
    assert_eq!(listed(&dir).len(), 3, "refused windows wrote nothing");

    meridian(&dir).args(["maintenance", "remove", "backups"]).assert().success();
    meridian(&dir)
        .args(["maintenance", "remove", "backups"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not found"));
    assert_eq!(listed(&dir).len(), 2);
}

#[test]
fn a_devices_alarm_counts_are_shown_set_merged_and_reset() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir).args(["device", "add", "radio", "127.0.0.1"]).assert().success();
    meridian(&dir)
        .args(["device", "counts", "radio"])
        .assert()
        .success()
        .stdout(predicate::str::contains("down after 3 failed polls, up after 1"));
    meridian(&dir).args(["device", "counts", "radio", "--down-after", "6"]).assert().success();
    meridian(&dir)
        .args(["device", "counts", "radio", "--up-after", "2"])
        .assert()
        .success()
        .stdout(predicate::str::contains("down after 6 failed polls, up after 2"));
    meridian(&dir)
        .args(["device", "counts", "radio", "--snmp-fail-after", "0"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("snmpFailAfter"));
    meridian(&dir)
        .args(["device", "counts", "radio", "--reset"])
        .assert()
        .success()
        .stdout(predicate::str::contains("down after 3 failed polls, up after 1"));
}

#[test]
fn an_ntp_watch_is_set_shown_and_stopped() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir).args(["device", "add", "ntp-1", "127.0.0.1"]).assert().success();
    meridian(&dir).args(["device", "ntp", "ntp-1"]).assert().success().stdout(predicate::str::contains("UDP port 123"));
    meridian(&dir)
        .args(["device", "ntp", "ntp-1", "--port", "0"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("port"));
    meridian(&dir)
        .args(["device", "ntp", "ntp-1", "--off"])
        .assert()
        .success()
        .stdout(predicate::str::contains("not watching"));
}

#[test]
fn a_ptp_watch_is_set_shown_refused_and_stopped() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir).args(["device", "add", "ptp-1", "127.0.0.1"]).assert().success();
    meridian(&dir)
        .args(["device", "ptp", "ptp-1", "--uds", "/var/run/ptp4l", "--uncalibrated-ok"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("ptp4l's socket /var/run/ptp4l").and(predicate::str::contains("UNCALIBRATED")),
        );
    meridian(&dir)
        .args(["device", "ptp", "ptp-1", "--udp", "--offset-limit-ns", "250"])
        .assert()
        .success()
        .stdout(predicate::str::contains("device's address (UDP 320)").and(predicate::str::contains("250 ns")));
    // Refused settings name their field and leave the watch as it was.
    meridian(&dir)
        .args(["device", "ptp", "ptp-1", "--udp", "::1", "--offset-limit-ns=-1"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("address").and(predicate::str::contains("offsetLimitNs")));
    meridian(&dir)
        .args(["device", "ptp", "ptp-1", "--uds", "relative"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("path"));
    meridian(&dir).args(["device", "ptp", "ptp-1"]).assert().failure();
    meridian(&dir)
        .args(["--json", "device", "ptp", "ptp-1", "--off"])
        .assert()
        .success()
        .stdout(predicate::str::contains("null"));
}
