//! `meridian monitor --trap-port N` receives net-snmp `snmptrap` while it
//! runs; a linkDown for a managed device raises the interface alarm, and
//! after the monitor stops `meridian events list` shows the stored events
//! with decoded names, source and device. Bad settings are refused by field.

use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::process::{Command as StdCommand, Stdio};

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

fn free_udp_port() -> u16 {
    let s = UdpSocket::bind(("127.0.0.1", 0)).expect("bind");
    s.local_addr().expect("addr").port()
}

/// ifIndex 2 down while administratively up.
fn link_down(to: &str) -> Vec<String> {
    let args = [
        "-v",
        "2c",
        "-c",
        "public",
        to,
        "",
        "1.3.6.1.6.3.1.1.5.3", // linkDown
        "1.3.6.1.2.1.2.2.1.1.2",
        "i",
        "2",
        "1.3.6.1.2.1.2.2.1.7.2",
        "i",
        "1",
        "1.3.6.1.2.1.2.2.1.8.2",
        "i",
        "2",
    ];
    args.iter().map(|s| (*s).to_owned()).collect()
}

fn events(dir: &tempfile::TempDir) -> Vec<Value> {
    let out = meridian(dir).args(["--json", "events", "list"]).output().expect("events");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    v.as_array().expect("array").clone()
}

#[test]
fn monitor_receives_link_down_and_events_list_shows_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir).args(["credential", "add-v2c", "lab", "--community", "public"]).assert().success();
    meridian(&dir).args(["device", "add", "edge", "127.0.0.1", "--credential", "lab"]).assert().success();
    let port = free_udp_port().to_string();
    let bin = assert_cmd::cargo::cargo_bin("meridian");
    let mut monitor = StdCommand::new(bin)
        .args(["--data-dir", dir.path().to_str().expect("utf-8"), "monitor", "--trap-port", &port])
        .args(["--duration", "6"])
        .env("MERIDIAN_VAULT", "file")
        .env("MERIDIAN_VAULT_KEY_FILE", meridian_testkit::vault_key_file())
        .env_remove("MERIDIAN_DATABASE_URL")
        .stdout(Stdio::piped())
        .spawn()
        .expect("monitor");
    // The monitor prints its receiver's address once it is bound; a trap
    // sent before that would be lost.
    let stdout = monitor.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let bound = lines.by_ref().map_while(Result::ok).any(|l| l.starts_with("receiving SNMP traps and informs on udp"));
    assert!(bound, "the monitor never said its trap receiver is bound");
    let to = format!("127.0.0.1:{port}");
    let tools = tempfile::tempdir().expect("tools dir");
    let args = link_down(&to);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let st = meridian_testkit::net_snmp_tool(tools.path(), "snmptrap", &args).status().expect("snmptrap");
    assert!(st.success(), "snmptrap failed");
    let _ = lines.count(); // until the monitor ends (--duration) and closes stdout
    assert!(monitor.wait().expect("wait").success(), "monitor failed");

    let list = events(&dir);
    assert_eq!(list.len(), 1, "{list:?}");
    let e = &list[0];
    assert_eq!(e["trapName"], "linkDown", "{e}");
    assert_eq!(e["deviceName"], "edge", "{e}");
    assert_eq!(e["sourceAddr"], "127.0.0.1", "{e}");
    let names: Vec<_> = e["varbinds"].as_array().expect("varbinds").iter().filter_map(|v| v["name"].as_str()).collect();
    assert!(names.contains(&"ifOperStatus.2"), "{names:?}");

    meridian(&dir)
        .args(["events", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("linkDown").and(predicate::str::contains("[edge]")))
        .stdout(predicate::str::contains("ifOperStatus.2 = "));
    // The trap reached the device's state machine: its interface alarm is stored.
    let out = meridian(&dir).args(["--json", "alarms", "list", "--all"]).output().expect("alarms");
    assert!(out.status.success());
    let alarms: Value = serde_json::from_slice(&out.stdout).expect("json");
    let link = alarms.as_array().expect("array").iter().any(|a| {
        a["specificProblem"] == "linkDown" && a["managedObject"].as_str().is_some_and(|m| m.ends_with(",ifIndex=2"))
    });
    assert!(link, "{alarms}");
}

#[test]
fn bad_trap_settings_are_refused_by_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir).args(["credential", "add-v2c", "lab", "--community", "public"]).assert().success();
    meridian(&dir)
        .args(["traps", "config", "--accept", "lab", "--engine-id", "80zz"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("engineId"));
    meridian(&dir)
        .args(["traps", "config", "--accept", "nosuch"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("credential"));
    meridian(&dir).args(["traps", "listen", "--port", "0"]).assert().failure();
    meridian(&dir).args(["traps", "config"]).assert().success().stdout(predicate::str::contains("trap port: none"));
}

#[test]
fn listen_prints_each_trap_and_the_counters() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_udp_port().to_string();
    let bin = assert_cmd::cargo::cargo_bin("meridian");
    let mut listen = StdCommand::new(bin)
        .args(["--data-dir", dir.path().to_str().expect("utf-8"), "traps", "listen", "--port", &port])
        .args(["--duration", "3"])
        .env("MERIDIAN_VAULT", "file")
        .env("MERIDIAN_VAULT_KEY_FILE", meridian_testkit::vault_key_file())
        .env_remove("MERIDIAN_DATABASE_URL")
        .stdout(Stdio::piped())
        .spawn()
        .expect("listen");
    let mut lines = BufReader::new(listen.stdout.take().expect("stdout")).lines().map_while(Result::ok);
    assert!(lines.by_ref().any(|l| l.starts_with("listening on udp")), "never bound");
    let tools = tempfile::tempdir().expect("tools dir");
    let args = link_down(&format!("127.0.0.1:{port}"));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert!(meridian_testkit::net_snmp_tool(tools.path(), "snmptrap", &args).status().expect("snmptrap").success());
    let rest: Vec<String> = lines.collect();
    assert!(listen.wait().expect("wait").success());
    // No device has this address: the event is kept as an unknown source.
    assert!(rest.iter().any(|l| l.contains("linkDown") && l.contains("[unknown source]")), "{rest:?}");
    assert!(rest.iter().any(|l| l.trim_start().starts_with("ifOperStatus.2 = ")), "{rest:?}");
    assert!(rest.iter().any(|l| l.starts_with("received 1 decoded 1 ")), "{rest:?}");
}

#[test]
fn event_rules_are_added_listed_and_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("bgp.toml");
    std::fs::write(
        &file,
        "name = 'BGP down'\nseverity = 'major'\n[scope]\nall = true\n\
         [raise]\nkind = 'syslog'\napp = 'bgpd'\npattern = 'neighbor (?P<key>\\S+) Down'\n\
         [clear]\nkind = 'syslog'\npattern = 'neighbor (?P<key>\\S+) Up'\n",
    )
    .expect("rule file");
    meridian(&dir)
        .args(["events", "rule", "add"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("saved event rule BGP down"));
    meridian(&dir)
        .args(["events", "rule", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("BGP down").and(predicate::str::contains("syslog app=bgpd /neighbor")));
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "name = 'x'\nseverity = 'major'\n[scope]\nall = true\n[raise]\nkind = 'trap'\noid = 'noSuchTrap'\n",
    )
    .expect("bad file");
    meridian(&dir)
        .args(["events", "rule", "add"])
        .arg(&bad)
        .assert()
        .failure()
        .stderr(predicate::str::contains("raise.oid"));
    meridian(&dir).args(["events", "rule", "remove", "BGP down"]).assert().success();
    meridian(&dir).args(["events", "rule", "remove", "BGP down"]).assert().failure();
}
