//! `meridian monitor` serves Prometheus /metrics and /health on loopback:
//! a scrape of the running binary parses with `prometheus_client`; a taken
//! port or a bad address stops it before it starts; `off` serves nothing.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use meridian_testkit::{free_port, prometheus_parse};
use predicates::prelude::*;

fn meridian(dir: &tempfile::TempDir) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("meridian").expect("binary");
    c.arg("--data-dir")
        .arg(dir.path())
        .env("MERIDIAN_VAULT", "file")
        .env("MERIDIAN_VAULT_KEY_FILE", meridian_testkit::vault_key_file())
        .env_remove("MERIDIAN_DATABASE_URL");
    c.env_remove("MERIDIAN_METRICS_ADDR");
    c
}

fn get(addr: SocketAddr, path: &str) -> Option<(String, String)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).ok()?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).ok()?;
    let (head, body) = raw.split_once("\r\n\r\n")?;
    Some((head.lines().next()?.to_owned(), body.to_owned()))
}

#[test]
fn monitor_serves_metrics_that_parse() {
    let dir = tempfile::tempdir().expect("tempdir");
    meridian(&dir).args(["device", "add", "r1", "127.0.0.1"]).assert().success();
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port().expect("port")).parse().expect("addr");
    let mut child = std::process::Command::cargo_bin("meridian")
        .expect("binary")
        .arg("--data-dir")
        .arg(dir.path())
        .env("MERIDIAN_VAULT", "file")
        .env("MERIDIAN_VAULT_KEY_FILE", meridian_testkit::vault_key_file())
        .env_remove("MERIDIAN_DATABASE_URL")
        .args(["monitor", "--duration", "8", "--icmp-interval", "1", "--metrics-addr", &addr.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(7);
    let mut health = None;
    while Instant::now() < deadline {
        if let Some(h) = get(addr, "/health") {
            health = Some(h);
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    // A poll or two, then the scrape.
    std::thread::sleep(Duration::from_millis(2500));
    let metrics = get(addr, "/metrics");
    let status = child.wait().expect("monitor exits after --duration");
    assert!(status.success(), "{status}");
    let (line, body) = health.expect("/health answered");
    assert_eq!(line, "HTTP/1.1 200 OK");
    assert!(body.contains("\"status\":\"ok\""), "{body}");
    let (line, text) = metrics.expect("/metrics answered");
    assert_eq!(line, "HTTP/1.1 200 OK");
    let samples = prometheus_parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(samples.iter().any(|s| s.name == "meridian_monitor_running" && s.value == 1.0), "{text}");
    assert!(
        samples.iter().any(|s| s.name == "meridian_device_up" && s.labels == [("device".into(), "r1".into())]),
        "{text}"
    );
}

#[test]
fn a_taken_port_or_bad_address_stops_the_monitor_before_it_starts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let at = taken.local_addr().expect("addr").to_string();
    meridian(&dir)
        .args(["monitor", "--duration", "1", "--metrics-addr", &at])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("metricsAddr: cannot listen on {at}")));
    meridian(&dir)
        .args(["monitor", "--duration", "1", "--metrics-addr", "0.0.0.0:9464"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a loopback address"));
    meridian(&dir)
        .args(["monitor", "--duration", "1", "--metrics-addr", "off"])
        .assert()
        .success()
        .stdout(predicate::str::contains("/metrics").not());
}
