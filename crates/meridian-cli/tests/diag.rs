//! The diagnostic commands end to end against real peers: the kernel's ICMP
//! echo on 127.0.0.0/8 and ::1, and a real net-snmp `snmpd` from
//! `meridian_testkit`, compared with net-snmp's own tools. No data directory
//! is given: diagnostics must not need one. All traffic stays on loopback
//! (or inside a network namespace a test creates).

use std::process::Output;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use meridian_testkit::{snmpd_users, Snmpd, AUTH_PASS, PRIV_PASS};
use serde_json::Value;

const SYSTEM: &str = ".1.3.6.1.2.1.1";
const SYS_DESCR: &str = ".1.3.6.1.2.1.1.1.0";
const SYS_NAME: &str = ".1.3.6.1.2.1.1.5.0";
const SYS_UPTIME: &str = ".1.3.6.1.2.1.1.3.0";

/// `meridian` with a data directory that does not exist: a diagnostic that
/// tried to open the store would fail.
fn meridian() -> Command {
    let mut c = Command::cargo_bin("meridian").expect("binary");
    c.env("MERIDIAN_DATA_DIR", "/nonexistent/meridian-diag-test").env_remove("MERIDIAN_DATABASE_URL");
    c
}

fn run(args: &[&str]) -> Output {
    meridian().args(args).output().expect("run meridian")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

/// A refused request: exit 1, nothing on stdout, exactly one line on stderr
/// that contains every `needle`.
fn assert_refused(o: &Output, needles: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    assert!(o.stdout.is_empty(), "nothing may be printed (or probed): {}", stdout(o));
    let lines: Vec<_> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected, got {err:?}");
    for n in needles {
        assert!(lines[0].contains(n), "{n:?} not in {err:?}");
    }
}

fn snmpd() -> &'static Snmpd {
    static SNMPD: OnceLock<Snmpd> = OnceLock::new();
    SNMPD.get_or_init(|| Snmpd::start().unwrap_or_else(|e| panic!("snmpd: {e}")))
}

/// net-snmp's `-On` output for the agent, through the testkit's isolated
/// tool environment.
fn net_snmp(tool: &str, args: &[&str]) -> Vec<String> {
    let out = snmpd().tool(tool, args).unwrap_or_else(|e| panic!("{tool}: {e}"));
    out.lines().map(str::to_owned).collect()
}

/// sysUpTime moves between two walks; everything else in the system group
/// stands still.
fn normalise_uptime(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .map(
            |l| {
                if l.starts_with(&format!("{SYS_UPTIME} = Timeticks: (")) {
                    format!("{SYS_UPTIME} = UPTIME")
                } else {
                    l
                }
            },
        )
        .collect()
}

// ---------------------------------------------------------------- ping ----

/// `ADDR: 3/3 replies, rtt min/avg/max/jitter = a/b/c/d ms, loss 0%`, with
/// min <= avg <= max.
fn assert_ping_line(line: &str, addr: &str, count: u32) {
    let head = format!("{addr}: {count}/{count} replies, rtt min/avg/max/jitter = ");
    let nums = line
        .strip_prefix(&head)
        .and_then(|r| r.strip_suffix(" ms, loss 0%"))
        .unwrap_or_else(|| panic!("unexpected ping line {line:?}"));
    let v: Vec<f64> = nums.split('/').map(|n| n.parse().unwrap_or_else(|_| panic!("{n:?} in {line:?}"))).collect();
    assert_eq!(v.len(), 4, "{line}");
    assert!(v.iter().all(|x| x.is_finite() && *x >= 0.0 && *x < 1000.0), "{line}");
    assert!(v[0] <= v[1] && v[1] <= v[2], "min <= avg <= max: {line}");
}

#[test]
fn ping_loopback_v4_and_v6_prints_one_stats_line_each() {
    let o = run(&["ping", "127.0.0.1", "::1", "--count", "3", "--interval-ms", "20"]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_ping_line(lines[0], "127.0.0.1", 3);
    assert_ping_line(lines[1], "::1", 3);
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
}

#[test]
fn ping_json_has_per_request_rtts() {
    let o = run(&["ping", "127.0.0.2", "-c", "2", "-i", "10", "--json"]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let v = json(&o.stdout);
    let r = &v[0];
    assert_eq!(
        (r["address"].as_str(), r["sent"].as_u64(), r["received"].as_u64()),
        (Some("127.0.0.2"), Some(2), Some(2))
    );
    assert_eq!(r["lossPercent"].as_f64(), Some(0.0));
    let rtts = r["rttsMs"].as_array().expect("rttsMs");
    assert_eq!(rtts.len(), 2);
    assert!(rtts.iter().all(|x| x.as_f64().is_some_and(|ms| ms >= 0.0)), "{rtts:?}");
    assert!(r["jitterMs"].as_f64().is_some());
    assert_eq!(v.as_array().map(Vec::len), Some(1));
}

#[test]
fn ping_bad_address_is_refused_before_anything_is_sent() {
    // The valid address is not pinged either: no stats line at all.
    let o = run(&["ping", "127.0.0.1", "999.1.1.1"]);
    assert_refused(&o, &["'999.1.1.1' is not a valid IP address", "(validation)"]);

    let o = run(&["ping", "999.1.1.1", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let e = json(&o.stdout);
    assert_eq!(e["error"]["kind"], "validation");
    assert_eq!(e["error"]["fields"][0]["field"], "address");

    let o = run(&["ping", "127.0.0.1", "--count", "0", "--timeout-ms", "0"]);
    assert_refused(&o, &["count: must be 1 to", "timeoutMs: must be 1 to"]);
}

/// A dead target: the test's own network namespace, whose loopback is down,
/// so nothing answers (and nothing leaves the namespace).
#[test]
fn ping_with_no_reply_exits_1_and_says_so() {
    let bin = assert_cmd::cargo::cargo_bin("meridian");
    let probe = std::process::Command::new("unshare").args(["-n", "true"]).status();
    if !probe.is_ok_and(|s| s.success()) {
        eprintln!("SKIP ping_with_no_reply_exits_1_and_says_so: cannot create a network namespace (needs root)");
        return;
    }
    let o = std::process::Command::new("unshare")
        .arg("-n")
        .arg(&bin)
        .args(["ping", "127.0.0.1", "-c", "2", "-i", "10", "-W", "200"])
        .env("MERIDIAN_DATA_DIR", "/nonexistent/meridian-diag-test")
        .output()
        .expect("run meridian in a namespace");
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("127.0.0.1: 0/2 replies, loss 100%"), "{out}");
    assert!(stderr(&o).contains("no reply from 127.0.0.1 (100% loss)"), "{}", stderr(&o));
}

// --------------------------------------------------------------- sweep ----

fn hosts_1_to_14() -> Vec<String> {
    (1..=14).map(|i| format!("127.1.0.{i}")).collect()
}

#[test]
fn sweep_finds_exactly_the_14_hosts_of_a_slash_28() {
    let o = run(&["sweep", "127.1.0.0/28", "--json", "--timeout-ms", "500", "--retries", "1"]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let v = json(&o.stdout);
    assert_eq!(v["total"], 14);
    let alive: Vec<String> =
        v["alive"].as_array().expect("alive").iter().filter_map(|a| a.as_str().map(str::to_owned)).collect();
    assert_eq!(alive, hosts_1_to_14());
    assert!(v["elapsedMs"].as_u64().is_some(), "{v}");
    // stderr is not a terminal here: no progress line.
    assert!(o.stderr.is_empty(), "{}", stderr(&o));

    // Plain output: the alive addresses, one per line, and nothing else.
    let o = run(&["sweep", "127.1.0.0/28", "--timeout-ms", "500"]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o).lines().collect::<Vec<_>>(), hosts_1_to_14());
}

#[test]
fn sweep_bad_cidr_is_refused_with_the_probe_reason() {
    let o = run(&["sweep", "127.1.0.0/28", "10.0.0.0/33"]);
    assert_refused(&o, &["range:", "\"10.0.0.0/33\"", "prefix length /33 is longer than 32 bits"]);
    let o = run(&["sweep", "10.0.0.0/33", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o.stdout)["error"]["fields"][0]["field"], "range");
}

#[test]
fn sweep_too_large_range_needs_force_and_says_how_many() {
    let o = run(&["sweep", "127.0.0.0/15"]);
    assert_refused(&o, &["131070 addresses requested", "limit of 65536", "--force"]);
    // Refused before probing: 131,070 timeouts would take far longer.
    let o = run(&["sweep", "127.0.0.0/16", "127.1.0.0/16", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let e = json(&o.stdout);
    assert_eq!(e["error"]["fields"][0]["field"], "range");
    assert!(e["error"]["detail"].as_str().is_some_and(|d| d.contains("131068 addresses")), "{e}");
}

// ---------------------------------------------------------------- SNMP ----

#[test]
fn snmp_walk_of_the_system_group_equals_snmpbulkwalk() {
    let s = snmpd();
    let addr = s.address();
    let o = run(&["snmp", "walk", "-On", &addr, SYSTEM]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let ours = normalise_uptime(stdout(&o).lines().map(str::to_owned).collect());
    let theirs = normalise_uptime(net_snmp("snmpbulkwalk", &["-v2c", "-c", "public", "-On", &addr, SYSTEM]));
    assert!(theirs.len() > 10, "snmpbulkwalk gave too little: {theirs:?}");
    assert!(ours.iter().any(|l| l == &format!("{SYS_UPTIME} = UPTIME")), "{ours:?}");
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(a, b, "line {i} differs");
    }
    assert_eq!(ours.len(), theirs.len());

    // A leaf root is fetched with a GET, as snmpbulkwalk does.
    let o = run(&["snmp", "walk", "-On", &addr, SYS_DESCR]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().collect::<Vec<_>>(),
        net_snmp("snmpbulkwalk", &["-v2c", "-c", "public", "-On", &addr, SYS_DESCR])
    );
}

#[test]
fn snmp_get_plain_and_json_agree_with_snmpget() {
    let s = snmpd();
    let addr = s.address();
    let o = run(&["snmp", "get", "-On", &addr, SYS_DESCR, SYS_NAME]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let theirs = net_snmp("snmpget", &["-v2c", "-c", "public", "-On", &addr, SYS_DESCR, SYS_NAME]);
    assert_eq!(stdout(&o).lines().collect::<Vec<_>>(), theirs);

    let o = run(&["snmp", "get", "-On", &addr, SYS_NAME, SYS_UPTIME, "--json"]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let v = json(&o.stdout);
    assert_eq!((v[0]["oid"].as_str(), v[0]["type"].as_str()), (Some(SYS_NAME), Some("STRING")));
    let name = theirs[1].split_once(" = STRING: ").map(|(_, n)| n.trim_matches('"')).expect("sysName line");
    assert_eq!(v[0]["value"].as_str(), Some(name));
    assert_eq!(v[1]["type"], "Timeticks");
    assert!(v[1]["value"].as_u64().is_some(), "{v}");
}

#[test]
fn snmp_v3_auth_priv_get_matches_the_v2c_answer() {
    let s = snmpd();
    let addr = s.address();
    let expected = net_snmp("snmpget", &["-v2c", "-c", "public", "-On", &addr, SYS_DESCR, SYS_NAME]);
    let users = snmpd_users();
    let picks = [("SHA-512", "AES-256"), ("MD5", "DES"), ("SHA", "AES"), ("SHA-224", "AES-192")];
    for (auth, privacy) in picks {
        let u = users
            .iter()
            .find(|u| u.auth == Some(auth) && u.privacy == Some(privacy))
            .unwrap_or_else(|| panic!("no snmpd user for {auth}/{privacy}"));
        let o = run(&[
            "snmp",
            "get",
            "-On",
            &addr,
            SYS_DESCR,
            SYS_NAME,
            "--user",
            &u.name,
            "--auth-proto",
            auth,
            "--auth-pass",
            AUTH_PASS,
            "--priv-proto",
            privacy,
            "--priv-pass",
            PRIV_PASS,
            "--timeout-ms",
            "2000",
        ]);
        assert!(o.status.success(), "{auth}/{privacy}: {}", stderr(&o));
        assert_eq!(stdout(&o).lines().collect::<Vec<_>>(), expected, "{auth}/{privacy}");
    }

    // A wrong pass phrase is the agent's report, named on the field at fault.
    let u = users.iter().find(|u| u.level() == "authPriv").expect("an authPriv user");
    let (auth, privacy) = (u.auth.unwrap_or("SHA"), u.privacy.unwrap_or("AES"));
    let o = run(&[
        "snmp",
        "get",
        &addr,
        SYS_NAME,
        "-u",
        &u.name,
        "-a",
        auth,
        "-A",
        "wrong-pass-phrase",
        "-x",
        privacy,
        "-X",
        PRIV_PASS,
        "-t",
        "500",
        "-r",
        "0",
    ]);
    assert_refused(&o, &["authPass:", "usmStatsWrongDigests"]);
}

#[test]
fn snmp_wrong_community_times_out_quickly_with_a_clear_message() {
    let s = snmpd();
    let addr = s.address();
    let started = Instant::now();
    let o = run(&[
        "snmp",
        "get",
        &addr,
        SYS_NAME,
        "--community",
        "not-the-community",
        "--timeout-ms",
        "300",
        "--retries",
        "0",
    ]);
    let took = started.elapsed();
    assert_refused(&o, &[&format!("no response from {addr} within 300 ms"), "wrong community"]);
    assert!(took >= Duration::from_millis(300), "gave up before the timeout: {took:?}");
}

#[test]
fn snmp_bad_input_is_refused_naming_the_field() {
    // Port 9 (discard) on loopback: a request that got out would time out,
    // not fail validation.
    let o = run(&["snmp", "get", "127.0.0.1:9", "1.3.x"]);
    assert_refused(&o, &["oid:", "invalid OID '1.3.x'"]);
    let o = run(&["snmp", "walk", "127.0.0.1:9", "1.3.6..1", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o.stdout)["error"]["fields"][0]["field"], "oid");

    let o = run(&["snmp", "get", "127.0.0.1:99999", SYS_NAME]);
    assert_refused(&o, &["target:", "port must be a number from 1 to 65535"]);
    let o = run(&["snmp", "get", "127.0.0.1:9", SYS_NAME, "--community", ""]);
    assert_refused(&o, &["community: must not be empty"]);
    let o = run(&["snmp", "get", "127.0.0.1:9", SYS_NAME, "-u", "x", "-a", "SHA-999", "-A", AUTH_PASS]);
    assert_refused(&o, &["authProto:", "'SHA-999' is not a USM auth protocol"]);
    let o = run(&[
        "snmp",
        "get",
        "127.0.0.1:9",
        SYS_NAME,
        "-u",
        "x",
        "-a",
        "SHA",
        "-A",
        AUTH_PASS,
        "-x",
        "rot13",
        "-X",
        PRIV_PASS,
    ]);
    assert_refused(&o, &["privProto:", "'rot13' is not a USM privacy protocol"]);
}
