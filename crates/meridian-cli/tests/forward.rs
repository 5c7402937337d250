//! `meridian forward`: targets added (the community read from stdin and
//! kept out of every listing), listed, refused by field, removed.

use assert_cmd::Command;
use predicates::prelude::*;

fn meridian(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("meridian").expect("binary");
    c.arg("--data-dir")
        .arg(dir.path())
        .env("MERIDIAN_VAULT", "file")
        .env("MERIDIAN_VAULT_KEY_FILE", meridian_testkit::vault_key_file())
        .env_remove("MERIDIAN_DATABASE_URL");
    c
}

#[test]
fn targets_are_added_listed_refused_and_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir)
        .args(["forward", "add-trap", "noc", "127.0.0.1", "--port", "1162", "--community", "-"])
        .write_stdin("n0c-s3cret\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("saved forwarding target noc"));
    meridian(&dir)
        .args(["forward", "add-syslog", "siem", "::1", "--port", "6514", "--min-severity", "major"])
        .assert()
        .success();
    let out = meridian(&dir).args(["--json", "forward", "list"]).output().expect("list");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"communityRef\"") && !text.contains("n0c-s3cret"), "{text}");
    meridian(&dir).args(["forward", "list"]).assert().success().stdout(
        predicate::str::contains("snmp trap")
            .and(predicate::str::contains("[::1]:6514").or(predicate::str::contains("::1:6514"))),
    );
    meridian(&dir)
        .args(["forward", "add-syslog", "bad", "nms.example", "--port", "0"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("kind.address"));
    meridian(&dir).args(["forward", "add-trap", "x", "127.0.0.1", "--min-severity", "loud"]).assert().failure();
    meridian(&dir).args(["forward", "remove", "noc"]).assert().success();
    meridian(&dir).args(["forward", "remove", "noc"]).assert().failure();
}
