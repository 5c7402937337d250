//! `meridian device timing-role`, `meridian timing wander` and the
//! monitor's wander flags from the command line: a role is set, shown,
//! listed in JSON and removed; refusals name their field and change nothing.

use assert_cmd::Command;
use predicates::prelude::*;

fn meridian(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("meridian").expect("binary");
    c.arg("--data-dir").arg(dir.path()).env("MERIDIAN_VAULT", "file").env_remove("MERIDIAN_DATABASE_URL");
    c.env_remove("MERIDIAN_METRICS_ADDR");
    c
}

#[test]
fn a_role_is_set_shown_and_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir).args(["device", "add", "gm1", "127.0.0.1"]).assert().success();
    meridian(&dir).args(["device", "timing-role", "gm1"]).assert().success().stdout("no timing role\n");
    meridian(&dir).args(["device", "timing-role", "gm1", "GM"]).assert().success().stdout("timing role: Grandmaster\n");
    meridian(&dir).args(["--json", "device", "timing-role", "gm1"]).assert().success().stdout("\"grandmaster\"\n");
    meridian(&dir)
        .args(["device", "timing-role", "gm1", "master"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("role").and(predicate::str::contains("boundary-clock")));
    meridian(&dir).args(["device", "timing-role", "gm1"]).assert().success().stdout("timing role: Grandmaster\n");
    meridian(&dir).args(["device", "timing-role", "gm1", "none"]).assert().success().stdout("no timing role\n");
}

#[test]
fn wander_and_the_monitors_wander_flags_refuse_bad_input_by_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir).args(["device", "add", "c1", "127.0.0.1"]).assert().success();
    meridian(&dir)
        .args(["timing", "wander", "c1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("window").and(predicate::str::contains("0 sample(s)")));
    meridian(&dir)
        .args(["timing", "wander", "c1", "--from", "1h", "--to", "2h"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("to: the window must end after it starts"));
    meridian(&dir)
        .args(["monitor", "--duration", "1", "--metrics-addr", "off", "--wander-mask", "g999"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown mask 'g999'"));
    meridian(&dir).args(["monitor", "--no-wander", "--wander-every", "60"]).assert().code(2);
}
