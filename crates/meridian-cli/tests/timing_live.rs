//! `meridian timing ptp|ntp` end to end: the real binary asks a real
//! chronyd on loopback and a real ptp4l slave (in a namespace of the lab the
//! test creates, reached through its UNIX management socket). No data
//! directory: like `ping`, a one-shot query must not need the store. The
//! ptp4l test needs root and prints SKIP without it.

use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use meridian_testkit::{is_root, Chronyd, Ptp4lLab};
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::cargo_bin("meridian")
        .expect("binary")
        .env("MERIDIAN_DATA_DIR", "/nonexistent/meridian-timing-live-test")
        .env_remove("MERIDIAN_DATABASE_URL")
        .args(args)
        .timeout(Duration::from_secs(30))
        .output()
        .expect("run meridian")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `name   value` lines as pairs.
fn fields(o: &Output) -> Vec<(String, String)> {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", text(&o.stderr));
    text(&o.stdout)
        .lines()
        .map(|l| {
            let (k, v) = l.split_once("  ").unwrap_or_else(|| panic!("not `name  value`: {l:?}"));
            (k.trim().to_owned(), v.trim().to_owned())
        })
        .collect()
}

fn field<'a>(f: &'a [(String, String)], name: &str) -> &'a str {
    f.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("no {name} in {f:?}"))
}

#[test]
fn ntp_one_shot_against_chronyd_and_its_silence() {
    let mut chrony = Chronyd::start().expect("chronyd (make deps installs it)");
    let addr = chrony.addr().to_string();
    let f = fields(&run(&["timing", "ntp", &addr]));
    assert_eq!(field(&f, "stratum"), "8", "chronyd's local stratum");
    assert_eq!(field(&f, "leap"), "None");
    let offset: f64 = field(&f, "offset").trim_end_matches(" s").parse().expect("offset");
    assert!(offset.abs() < 0.05, "loopback offset {offset}");
    for name in ["delay", "reference id", "root delay", "root dispersion"] {
        assert!(!field(&f, name).is_empty());
    }

    let o = run(&["--json", "timing", "ntp", &addr]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["stratum"], 8);
    assert!(v["offset_s"].as_f64().is_some_and(|x| x.abs() < 0.05), "{v}");
    assert!(v["delay_s"].as_f64().is_some_and(|x| x >= 0.0), "{v}");
    assert!(v["root_delay_s"].is_number() && v["root_dispersion_s"].is_number() && v["leap"] == "None", "{v}");

    // A bad target is a field error and sends nothing; a stopped server is a network error naming it.
    let o = run(&["timing", "ntp", "127.0.0.1:notaport"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o.stderr).contains("address"), "{}", text(&o.stderr));
    chrony.stop();
    let o = run(&["timing", "ntp", &addr]);
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o.stderr).contains(&addr), "names the server: {}", text(&o.stderr));
    assert!(o.stdout.is_empty());
}

#[test]
fn ptp_one_shot_reads_a_ptp4l_slave_through_its_socket() {
    if !is_root() {
        eprintln!("SKIP: the ptp4l lab needs root (network namespaces)");
        return;
    }
    let lab = Ptp4lLab::start().expect("ptp4l lab (make deps installs linuxptp)");
    let socket = lab.slave_socket().display().to_string();
    let master = lab.pmc(lab.master_socket(), "GET DEFAULT_DATA_SET").expect("pmc");
    // Bounded: the slave picks its master after the announce receipt timeout.
    let deadline = Instant::now() + Duration::from_secs(30);
    let f = loop {
        let f = fields(&run(&["timing", "ptp", "--uds", &socket]));
        // Following, and the first delay exchange done (0 until then).
        let following = matches!(field(&f, "portState"), "UNCALIBRATED" | "SLAVE");
        if following && field(&f, "meanPathDelay") != "0 ns" {
            break f;
        }
        assert!(Instant::now() < deadline, "slave never followed: {f:?}\n{}", lab.logs());
        std::thread::sleep(Duration::from_millis(500));
    };
    let gm = field(&f, "grandmasterIdentity");
    assert!(master.contains(gm), "the grandmaster is the master ({gm}):\n{master}");
    assert_eq!(field(&f, "stepsRemoved"), "1");
    assert_eq!(field(&f, "slaveOnly"), "true");
    let own = field(&f, "clockIdentity");
    let slave = lab.pmc(lab.slave_socket(), "GET DEFAULT_DATA_SET").expect("pmc");
    assert!(slave.contains(own), "{own} is the slave:\n{slave}");

    let o = run(&["--json", "timing", "ptp", "--uds", &socket]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["parent"]["grandmaster_identity"], gm, "identities print as pmc does: {v}");
    assert!(v["current"]["mean_path_delay_ns"].as_f64().is_some_and(|d| d > 0.0), "{v}");
    assert_eq!(v["port"]["port"]["clock"], own);

    // A path where nothing listens, and a relative path: clear errors, exit non-zero.
    let gone = lab.dir().join("nobody.sock").display().to_string();
    let o = run(&["timing", "ptp", "--uds", &gone]);
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o.stderr).contains(&gone), "{}", text(&o.stderr));
    let o = run(&["timing", "ptp", "--uds", "relative.sock"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o.stderr).contains("path"), "{}", text(&o.stderr));
}

/// `meridian timing ptp --udp ADDR` end to end: the binary runs in the
/// master's namespace of the lab (`ip netns exec`) and asks the slave at
/// its veth address on UDP port 320, as `pmc -u -b 0` would; no traffic
/// leaves the namespaces the lab created.
#[test]
fn ptp_one_shot_over_udp_asks_the_slave_from_the_masters_namespace() {
    if !is_root() {
        eprintln!("SKIP: the ptp4l lab needs root (network namespaces)");
        return;
    }
    let lab = Ptp4lLab::start().expect("ptp4l lab (make deps installs linuxptp)");
    let [_, saddr] = lab.addresses;
    let in_master = |args: &[&str]| {
        std::process::Command::new("timeout")
            .args(["30", "ip", "netns", "exec", lab.namespace(0)])
            .arg(assert_cmd::cargo::cargo_bin("meridian"))
            .env("MERIDIAN_DATA_DIR", "/nonexistent/meridian-timing-live-test")
            .env_remove("MERIDIAN_DATABASE_URL")
            .args(args)
            .output()
            .expect("ip netns exec meridian")
    };
    let addr = saddr.to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    let f = loop {
        let f = fields(&in_master(&["timing", "ptp", "--udp", &addr]));
        if field(&f, "portState") == "SLAVE" || field(&f, "portState") == "UNCALIBRATED" {
            break f;
        }
        assert!(Instant::now() < deadline, "slave never followed: {f:?}\n{}", lab.logs());
        std::thread::sleep(Duration::from_millis(500));
    };
    // The slave answered (not the master's own ptp4l), and names the master as grandmaster.
    let slave = lab.pmc(lab.slave_socket(), "GET DEFAULT_DATA_SET").expect("pmc");
    let master = lab.pmc(lab.master_socket(), "GET DEFAULT_DATA_SET").expect("pmc");
    assert!(slave.contains(field(&f, "clockIdentity")), "{f:?}\n{slave}");
    assert!(master.contains(field(&f, "grandmasterIdentity")), "{f:?}\n{master}");
    assert_eq!(field(&f, "stepsRemoved"), "1");

    let o = in_master(&["--json", "timing", "ptp", "--udp", &addr]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", text(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["parent"]["grandmaster_identity"], field(&f, "grandmasterIdentity"), "{v}");

    // An address in the lab's subnet where nothing answers: a timeout naming it.
    let o = ip_octets(saddr, 3);
    let out = in_master(&["timing", "ptp", "--udp", &o]);
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains(&o), "names the clock: {}", text(&out.stderr));
    // Not an IPv4 address: a field error, nothing sent.
    let out = in_master(&["timing", "ptp", "--udp", "::1"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("address"), "{}", text(&out.stderr));
}

/// `a.b.c.last`.
fn ip_octets(a: std::net::Ipv4Addr, last: u8) -> String {
    let [x, y, z, _] = a.octets();
    std::net::Ipv4Addr::new(x, y, z, last).to_string()
}

/// The binary with a data directory of its own (for `timing tree`, which reads the watched devices).
fn with_data(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::cargo_bin("meridian")
        .expect("binary")
        .arg("--data-dir")
        .arg(dir)
        .env_remove("MERIDIAN_DATABASE_URL")
        .env("MERIDIAN_VAULT", "file")
        .env("MERIDIAN_VAULT_KEY_FILE", meridian_testkit::vault_key_file())
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run meridian")
}

#[test]
fn timing_tree_draws_the_master_above_the_watched_slave() {
    if !is_root() {
        eprintln!("SKIP: the ptp4l lab needs root (network namespaces)");
        return;
    }
    let lab = Ptp4lLab::start().expect("ptp4l lab");
    let dir = tempfile::tempdir().expect("tempdir");
    let ok = |o: Output| assert_eq!(o.status.code(), Some(0), "stderr: {}", text(&o.stderr));
    for (name, addr, socket) in [("gm", "127.0.0.2", lab.master_socket()), ("client", "127.0.0.3", lab.slave_socket())]
    {
        ok(with_data(dir.path(), &["device", "add", name, addr]));
        ok(with_data(dir.path(), &["device", "ptp", name, "--uds", &socket.display().to_string()]));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let v = loop {
        let o = with_data(dir.path(), &["--json", "timing", "tree"]);
        assert_eq!(o.status.code(), Some(0), "stderr: {}", text(&o.stderr));
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        if v["roots"].as_array().is_some_and(|r| r.len() == 1) && v["roots"][0]["children"][0]["device"] == "client" {
            break v;
        }
        assert!(Instant::now() < deadline, "never one tree: {v}\n{}", lab.logs());
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(v["roots"][0]["device"], "gm", "{v}");
    assert_eq!(v["roots"][0]["portState"], "MASTER", "{v}");
    let o = with_data(dir.path(), &["timing", "tree"]);
    let lines: Vec<String> = text(&o.stdout).lines().map(str::to_owned).collect();
    assert!(lines[0].contains("gm") && lines[0].contains("MASTER"), "{lines:?}");
    assert!(lines[1].starts_with("  ") && lines[1].contains("client"), "indented under its master: {lines:?}");
}
