//! `meridian monitor --syslog-port N` receives util-linux `logger` lines
//! over TCP while it runs; after it stops, `meridian syslog search` finds
//! them (table and JSON, filters), and bad filters are refused by field.

use std::net::{TcpListener, UdpSocket};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

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

/// A port free for both UDP and TCP on 127.0.0.1 at the time of asking.
fn free_port() -> u16 {
    loop {
        let t = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = t.local_addr().expect("addr").port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

#[test]
fn monitor_receives_and_search_finds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port().to_string();
    // Listen on loopback only (the flag sets the port, the file the address).
    let conf = dir.path().join("config.toml");
    std::fs::write(&conf, "[syslog]\nbind = \"127.0.0.1\"\n").expect("config");
    let bin = assert_cmd::cargo::cargo_bin("meridian");
    let mut monitor = StdCommand::new(bin)
        .args(["--data-dir", dir.path().to_str().expect("utf-8"), "monitor", "--syslog-port", &port])
        .args(["--duration", "6"])
        .env("MERIDIAN_VAULT", "file")
        .env("MERIDIAN_VAULT_KEY_FILE", meridian_testkit::vault_key_file())
        .env("MERIDIAN_CONFIG", &conf)
        .env_remove("MERIDIAN_DATABASE_URL")
        .stdout(Stdio::null())
        .spawn()
        .expect("monitor");
    // TCP logger fails until it listens, so
    // retry (bounded) until the line is accepted.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let ok = StdCommand::new("logger")
            .args(["--rfc5424", "--tcp", "--server", "127.0.0.1", "--port", &port, "-t", "bgpd", "-p", "local7.err"])
            .arg("BGP neighbor 127.0.0.9 Down tokencli")
            .stderr(Stdio::null())
            .status()
            .expect("logger")
            .success();
        if ok {
            break;
        }
        assert!(Instant::now() < deadline, "the monitor's syslog port never opened");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(monitor.wait().expect("wait").success());

    let out = meridian(&dir).args(["--json", "syslog", "search", "--text", "tokencli"]).output().expect("search");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let found: Value = serde_json::from_slice(&out.stdout).expect("json");
    let found = found.as_array().expect("array");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["app"], "bgpd");
    assert_eq!(found[0]["severity"], "error");
    assert_eq!(found[0]["format"], "rfc5424");

    meridian(&dir)
        .args(["syslog", "search", "--severity", "err", "--since", "1h"])
        .assert()
        .success()
        .stdout(predicate::str::contains("BGP neighbor 127.0.0.9 Down tokencli").and(predicate::str::contains("bgpd")));
    meridian(&dir)
        .args(["syslog", "search", "--severity", "crit"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no syslog messages match"));
    meridian(&dir)
        .args(["syslog", "search", "--severity", "loud"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("severity"));
    meridian(&dir)
        .args(["syslog", "search", "--since", "yesterday"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("since"));
    meridian(&dir).args(["syslog", "search", "--device", "nosuch"]).assert().failure();
}
