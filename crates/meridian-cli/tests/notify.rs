//! `meridian notify` end to end: channels and routes added, listed and
//! removed, bad fields refused, a signing secret taken from the environment
//! and never shown, `test` against a loopback receiver and against a port
//! nothing listens on, and the delivery log.

use std::io::{Read, Write};
use std::net::TcpListener;

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

/// Answers one HTTP request with 200 and hands back what it read.
fn one_shot_receiver() -> (u16, std::thread::JoinHandle<String>) {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    let t = std::thread::spawn(move || {
        let (mut s, _) = l.accept().expect("accept");
        s.set_read_timeout(Some(std::time::Duration::from_secs(10))).expect("timeout");
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        // Headers, then as much body as Content-Length says.
        loop {
            let n = s.read(&mut chunk).unwrap_or(0);
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).to_lowercase();
            if let Some(end) = text.find("\r\n\r\n") {
                let len = text
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0)))
                    .unwrap_or(0);
                if n == 0 || buf.len() >= end + 4 + len {
                    break;
                }
            } else if n == 0 {
                break;
            }
        }
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        String::from_utf8_lossy(&buf).into_owned()
    });
    (port, t)
}

#[test]
fn channels_routes_test_and_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir)
        .args(["notify", "add-channel", "bad", "email", "--host", "127.0.0.1", "--port", "0"])
        .args(["--from", "meridian@example.com", "--to", "ops@example.com"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("kind.port"));

    let (port, receiver) = one_shot_receiver();
    let url = format!("http://127.0.0.1:{port}/hooks/T0KEN");
    meridian(&dir)
        .args(["notify", "add-channel", "ops hook", "webhook", "--url", &url, "--secret-env", "HOOK_KEY"])
        .env("HOOK_KEY", "cli-signing-key")
        .assert()
        .success();
    let listed = meridian(&dir).args(["notify", "channels"]).output().expect("run");
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(text.contains("ops hook") && text.contains(&format!("127.0.0.1:{port}")), "{text}");
    assert!(!text.contains("T0KEN") && !text.contains("cli-signing-key"), "URL path or secret shown: {text}");

    meridian(&dir)
        .args(["notify", "add-route", "crit", "--channel", "ops hook", "--min-severity", "critical", "--tag", "core"])
        .args(["--escalate-after", "600", "--escalate-to", "nowhere"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("escalate.channel"));
    meridian(&dir)
        .args(["notify", "add-route", "crit", "--channel", "ops hook", "--min-severity", "critical", "--tag", "core"])
        .assert()
        .success();
    let routes: Value =
        serde_json::from_slice(&meridian(&dir).args(["notify", "routes", "--json"]).output().expect("run").stdout)
            .expect("json");
    assert_eq!(routes[0]["route"]["tags"][0], "core", "{routes}");

    meridian(&dir).args(["notify", "test", "ops hook"]).assert().success().stdout(predicate::str::contains("200"));
    let got = receiver.join().expect("receiver");
    assert!(got.to_lowercase().contains("x-meridian-signature: sha256="), "{got}");
    assert!(got.contains("\"kind\":\"test\""), "{got}");

    // A CA file: only the path is kept, and only for TLS.
    let mail = ["--from", "meridian@example.com", "--to", "ops@example.com", "--ca-file", "/etc/meridian/relay-ca.pem"];
    meridian(&dir)
        .args(["notify", "add-channel", "plain ca", "email", "--host", "127.0.0.1", "--security", "plain"])
        .args(mail)
        .assert()
        .failure()
        .stderr(predicate::str::contains("caFile"));
    meridian(&dir)
        .args(["notify", "add-channel", "tls mail", "email", "--host", "127.0.0.1", "--security", "tls"])
        .args(mail)
        .assert()
        .success();
    let listed: Value =
        serde_json::from_slice(&meridian(&dir).args(["notify", "channels", "--json"]).output().expect("run").stdout)
            .expect("json");
    let tls = listed.as_array().expect("array").iter().find(|c| c["channel"]["name"] == "tls mail").expect("tls mail");
    assert_eq!(tls["channel"]["kind"]["caFile"], "/etc/meridian/relay-ca.pem", "{listed}");

    // A mail server that is down: a clear error, exit non-zero, logged.
    let down = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    meridian(&dir)
        .args(["notify", "add-channel", "mail", "email", "--host", "127.0.0.1", "--port", &down.to_string()])
        .args(["--security", "plain", "--from", "meridian@example.com", "--to", "ops@example.com"])
        .assert()
        .success();
    meridian(&dir)
        .args(["notify", "test", "mail"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("not delivered"));
    let log: Value =
        serde_json::from_slice(&meridian(&dir).args(["notify", "log", "--json"]).output().expect("run").stdout)
            .expect("json");
    let outcomes: Vec<_> =
        log.as_array().expect("array").iter().map(|e| (e["channel"].clone(), e["outcome"].clone())).collect();
    assert_eq!(outcomes, [(Value::from("mail"), Value::from("dead")), (Value::from("ops hook"), Value::from("sent"))]);

    meridian(&dir).args(["notify", "remove-channel", "ops hook"]).assert().failure();
    meridian(&dir).args(["notify", "remove-route", "crit"]).assert().success();
    meridian(&dir).args(["notify", "remove-channel", "ops hook"]).assert().success();
}
