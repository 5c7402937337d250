//! The ICMP engine against the real kernel. Traffic goes only to 127.0.0.0/8
//! and ::1 (every 127.x address answers echo on Linux), or inside network
//! namespaces these tests create. Dead targets are loopback addresses behind
//! an `iptables -j DROP` rule that the test adds and removes (in a guard's
//! Drop, so also on panic). Every probe loop is bounded in count and time.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use meridian_probe::icmp::{
    Credentials, IcmpEngine, PingConfig, RangeErrorKind, SocketMode, SweepOptions, SweepProgress, DEFAULT_MAX_TARGETS,
};
use meridian_probe::ProbeError;

mod common;
use common::{is_root, DropRule};

fn ip(s: &str) -> IpAddr {
    s.parse().expect("valid address")
}

/// ::1 exists on lo (IPv6 may be disabled on some hosts).
fn has_ipv6_loopback() -> bool {
    std::fs::read_to_string("/proc/net/if_inet6")
        .map(|t| t.lines().any(|l| l.starts_with("00000000000000000000000000000001")))
        .unwrap_or(false)
}

fn quick(count: u32) -> PingConfig {
    PingConfig { count, interval: Duration::from_millis(50), timeout: Duration::from_secs(1), payload_size: 56 }
}

fn assert_sane(r: &meridian_probe::icmp::PingReport, count: u32) {
    let s = &r.stats;
    assert_eq!((s.sent, s.received, s.loss_percent), (count, count, 0.0), "{r:?}");
    let (min, avg, max) = (s.rtt_min.expect("min"), s.rtt_avg.expect("avg"), s.rtt_max.expect("max"));
    assert!(min <= avg && avg <= max, "{r:?}");
    assert!(max < Duration::from_millis(500), "loopback RTT should be tiny: {r:?}");
    assert!(s.jitter.expect("jitter with >= 2 replies") <= max - min, "{r:?}");
    assert!(r.rtts.iter().all(Option::is_some));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pings_127_0_0_1_127_3_4_5_and_ipv6_loopback_over_shared_sockets() {
    let engine = IcmpEngine::new();
    let mut targets = vec![(ip("127.0.0.1"), quick(3)), (ip("127.3.4.5"), quick(3))];
    if has_ipv6_loopback() {
        targets.push((ip("::1"), quick(3)));
    } else {
        eprintln!("SKIP ::1: no IPv6 loopback on this host");
    }
    for (r, (addr, _)) in engine.ping_many(&targets).await.into_iter().zip(&targets) {
        let r = r.expect("ping runs");
        assert_eq!(r.target, *addr);
        assert_sane(&r, 3);
    }
    let expected = if is_root() { SocketMode::Raw } else { SocketMode::Datagram };
    assert_eq!(engine.mode_for(ip("127.0.0.1")).await.expect("open"), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn count_interval_and_payload_size_are_honoured() {
    let engine = IcmpEngine::new();
    let cfg = PingConfig {
        count: 5,
        interval: Duration::from_millis(200),
        timeout: Duration::from_secs(1),
        payload_size: 1400,
    };
    let started = Instant::now();
    let r = engine.ping(ip("127.0.0.1"), &cfg).await.expect("ping runs");
    let took = started.elapsed();
    assert_sane(&r, 5);
    assert_eq!(r.rtts.len(), 5);
    // Four intervals between five requests, plus a loopback RTT.
    assert!(took >= Duration::from_millis(790), "too fast for 5 x 200 ms: {took:?}");

    let err = engine.ping(ip("127.0.0.1"), &PingConfig { count: 0, ..quick(1) }).await.expect_err("count 0");
    assert!(matches!(err, ProbeError::InvalidTarget(_)), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_address_is_100_percent_loss_within_the_timeout() {
    let Some(_rule) = DropRule::add("127.9.9.9") else { return };
    let engine = IcmpEngine::new();
    let cfg = PingConfig {
        count: 3,
        interval: Duration::from_millis(100),
        timeout: Duration::from_millis(300),
        payload_size: 56,
    };
    let started = Instant::now();
    let r = engine.ping(ip("127.9.9.9"), &cfg).await.expect("ping runs");
    let took = started.elapsed();
    assert_eq!((r.stats.sent, r.stats.received, r.stats.loss_percent), (3, 0, 100.0), "{r:?}");
    assert!(r.stats.all_lost() && r.stats.rtt_avg.is_none() && r.stats.jitter.is_none());
    assert_eq!(r.last_error, None, "dropped, so no ICMP error and no send failure: {r:?}");
    // (count - 1) * interval + timeout = 500 ms; generous slack for a busy box.
    // Lower bound only: the timeout must be honoured; wall-clock upper
    // bounds would make the test depend on machine load.
    assert!(took >= Duration::from_millis(480), "{took:?}");
    // A live neighbour on the same socket is unaffected.
    assert_sane(&engine.ping(ip("127.9.9.8"), &quick(2)).await.expect("ping runs"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_of_a_slash_22_finds_exactly_the_1022_hosts() {
    let engine = IcmpEngine::new();
    let events = Arc::new(AtomicUsize::new(0));
    let last = Arc::new(Mutex::new(None::<SweepProgress>));
    let (ev, la) = (Arc::clone(&events), Arc::clone(&last));
    let opts = SweepOptions { concurrency: 128, timeout: Duration::from_secs(1), retries: 1, payload_size: 56 };
    let report = engine
        .sweep_spec("127.1.0.0/22", false, &opts, move |p| {
            ev.fetch_add(1, Ordering::Relaxed);
            let mut last = la.lock().expect("lock");
            if last.is_none_or(|l| l.probed < p.probed) {
                *last = Some(p);
            }
        })
        .await
        .expect("sweep runs");
    // Network (127.1.0.0) and broadcast (127.1.3.255) are left out, as fping -g does.
    let expected: BTreeSet<IpAddr> =
        (1..1023u32).map(|i| IpAddr::from([127, 1, (i >> 8) as u8, (i & 0xff) as u8])).collect();
    assert_eq!(report.total, 1022);
    assert_eq!(report.alive.len(), 1022);
    assert_eq!(report.alive, expected);
    assert_eq!(events.load(Ordering::Relaxed), 1022, "one progress event per address");
    let last = last.lock().expect("lock").expect("progress seen");
    assert_eq!((last.probed, last.total, last.alive), (1022, 1022, 1022));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_excludes_a_dropped_address_and_mixes_families() {
    let Some(_rule) = DropRule::add("127.2.0.77") else { return };
    let engine = IcmpEngine::new();
    let opts = SweepOptions { concurrency: 64, timeout: Duration::from_millis(300), retries: 1, payload_size: 56 };
    let spec = if has_ipv6_loopback() { "127.2.0.0/24, ::1" } else { "127.2.0.0/24" };
    let report = engine.sweep_spec(spec, false, &opts, |_| {}).await.expect("sweep runs");
    assert!(!report.alive.contains(&ip("127.2.0.77")));
    assert!(report.alive.contains(&ip("127.2.0.76")) && report.alive.contains(&ip("127.2.0.78")));
    let v4 = report.alive.iter().filter(|a| a.is_ipv4()).count();
    assert_eq!(v4, 253, "254 hosts minus the dropped one");
    if has_ipv6_loopback() {
        assert!(report.alive.contains(&ip("::1")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sweeps_and_pings_keep_their_own_replies() {
    // Two sweeps of the same range and a ping inside it at the same time: on
    // raw sockets every reply reaches every socket, so each must pick out its
    // own (identifier, cookie, address) or the counts go wrong.
    let engine = IcmpEngine::new();
    let opts = SweepOptions { concurrency: 64, timeout: Duration::from_secs(1), retries: 1, payload_size: 0 };
    let ping = quick(3);
    let (a, b, p) = tokio::join!(
        engine.sweep_spec("127.3.0.0/24", false, &opts, |_| {}),
        engine.sweep_spec("127.3.0.0/24", false, &opts, |_| {}),
        engine.ping(ip("127.3.0.9"), &ping),
    );
    let expected: BTreeSet<IpAddr> = (1..255u8).map(|i| IpAddr::from([127, 3, 0, i])).collect();
    for report in [a.expect("first sweep"), b.expect("second sweep")] {
        assert_eq!(report.alive, expected);
        assert_eq!(report.send_errors, 0);
    }
    assert_sane(&p.expect("ping runs"), 3);
    let too_big = SweepOptions { payload_size: 70_000, ..opts };
    assert!(matches!(engine.sweep_spec("127.3.0.1", false, &too_big, |_| {}).await, Err(ProbeError::InvalidTarget(_))));
}

#[tokio::test]
async fn bad_ranges_and_oversized_sweeps_are_typed_errors() {
    let engine = IcmpEngine::new();
    let opts = SweepOptions::default();
    for (spec, want) in [
        ("10.0.0.0/33", RangeErrorKind::PrefixTooLong { prefix: 33, max: 32 }),
        ("1.2.3", RangeErrorKind::BadAddress),
        ("::1/129", RangeErrorKind::PrefixTooLong { prefix: 129, max: 128 }),
        ("", RangeErrorKind::Empty),
    ] {
        match engine.sweep_spec(spec, false, &opts, |_| {}).await {
            Err(ProbeError::InvalidRange { kind, .. }) => assert_eq!(kind, want, "{spec}"),
            other => panic!("{spec}: expected InvalidRange, got {other:?}"),
        }
    }
    // Refused before a single packet: these ranges are never probed.
    match engine.sweep_spec("127.0.0.0/15", false, &opts, |_| {}).await {
        Err(ProbeError::RangeTooLarge { count, limit }) => assert_eq!((count, limit), (131_070, DEFAULT_MAX_TARGETS)),
        other => panic!("expected RangeTooLarge, got {other:?}"),
    }
    assert!(matches!(engine.sweep_spec("::/64", true, &opts, |_| {}).await, Err(ProbeError::RangeTooLarge { .. })));
}

// ---- the non-root path, for real: a test binary run as `nobody` ----------

/// A network namespace of our own, deleted on drop.
struct Netns(String);

impl Netns {
    fn create(suffix: &str, ping_group_range: Option<&str>) -> Self {
        let name = format!("meridian-icmp-{}-{suffix}", std::process::id());
        let ok = |c: &mut Command| c.status().map(|s| s.success()).unwrap_or(false);
        assert!(ok(Command::new("ip").args(["netns", "add", &name])), "ip netns add {name}");
        let ns = Self(name);
        assert!(ok(Command::new("ip").args(["netns", "exec", &ns.0, "ip", "link", "set", "lo", "up"])));
        if let Some(range) = ping_group_range {
            // /proc/sys/net is per namespace: written from inside, it changes
            // only ours. (Plain sh rather than sysctl(8): no procps needed.)
            let script = format!("echo '{range}' > /proc/sys/net/ipv4/ping_group_range");
            assert!(ok(Command::new("ip").args(["netns", "exec", &ns.0, "sh", "-c", &script])), "{script}");
        }
        ns
    }

    /// Run a command inside the namespace; true on success.
    fn exec(&self, args: &[&str]) -> bool {
        Command::new("ip").args(["netns", "exec", &self.0]).args(args).status().map(|s| s.success()).unwrap_or(false)
    }

    /// Run this test binary's `child_probe_in_netns` test inside the
    /// namespace as `nobody`, with a 60 s limit. Returns (success, output).
    fn run_child_as_nobody(&self, expect: &str) -> (bool, String) {
        self.run_child(&["runuser", "-u", "nobody", "--"], expect)
    }

    /// Same, as `prefix` (e.g. runuser) or as ourselves when it is empty.
    fn run_child(&self, prefix: &[&str], expect: &str) -> (bool, String) {
        let exe = std::env::current_exe().expect("test binary path");
        let mut child = Command::new("ip")
            .args(["netns", "exec", &self.0])
            .args(prefix)
            .arg("env")
            .arg(format!("MERIDIAN_ICMP_CHILD={expect}"))
            .arg(exe)
            .args(["child_probe_in_netns", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
            .current_dir("/")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn child");
        let deadline = Instant::now() + Duration::from_secs(60);
        while child.try_wait().expect("poll child").is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let out = child.wait_with_output().expect("child output");
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.success() && text.contains("1 passed"), text)
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

#[test]
fn non_root_uses_ping_sockets_when_allowed_and_names_the_fix_when_not() {
    let tools = ["ip", "runuser"].iter().all(|t| Command::new(t).arg("-V").output().is_ok());
    if !is_root() || !tools {
        eprintln!("SKIP: needs root, ip and runuser to run a child as nobody; the pure decide_mode tests cover it");
        return;
    }
    let allowed = Netns::create("dgram", Some("0 2147483647"));
    let (ok, out) = allowed.run_child_as_nobody("dgram");
    assert!(ok, "child as nobody with ping_group_range open failed:\n{out}");
    eprintln!("child (dgram):\n{out}");
    drop(allowed);

    // A fresh namespace has the kernel default "1 0": nobody may not ping.
    let denied = Netns::create("denied", None);
    let (ok, out) = denied.run_child_as_nobody("denied");
    assert!(ok, "child as nobody with ping_group_range closed failed:\n{out}");
    eprintln!("child (denied):\n{out}");
}

/// An IPv6 dead target without touching the host's ::1: inside a namespace
/// of our own, ip6tables drops ICMPv6 to ::1 (the rule dies with the
/// namespace), and a child of this binary pings it from there.
#[test]
fn ipv6_dropped_loopback_in_a_namespace_is_100_percent_loss() {
    let tools = ["ip", "ip6tables"].iter().all(|t| Command::new(t).arg("-V").output().is_ok());
    if !is_root() || !tools || !has_ipv6_loopback() {
        eprintln!("SKIP: needs root, ip, ip6tables and IPv6 for a namespaced IPv6 dead target");
        return;
    }
    let ns = Netns::create("v6dead", None);
    assert!(ns.exec(&["ip6tables", "-w", "-I", "INPUT", "-d", "::1", "-p", "ipv6-icmp", "-j", "DROP"]));
    let (ok, out) = ns.run_child(&[], "v6dead");
    assert!(ok, "child in the namespace failed:\n{out}");
}

/// Runs only when a test above starts it inside a namespace (it is
/// `#[ignore]`d and checks `MERIDIAN_ICMP_CHILD`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "started inside a namespace by the tests above"]
async fn child_probe_in_netns() {
    let Ok(expect) = std::env::var("MERIDIAN_ICMP_CHILD") else { return };
    let creds = Credentials::current().expect("credentials");
    let engine = IcmpEngine::new();
    if expect == "v6dead" {
        let cfg = PingConfig {
            count: 2,
            interval: Duration::from_millis(100),
            timeout: Duration::from_millis(300),
            payload_size: 56,
        };
        let r = engine.ping(ip("::1"), &cfg).await.expect("ping runs");
        assert_eq!((r.stats.sent, r.stats.received, r.stats.loss_percent), (2, 0, 100.0), "{r:?}");
        // Silently dropped, not a local send failure (which would mean ::1 is missing here).
        assert_eq!(r.last_error, None, "{r:?}");
        assert_sane(&engine.ping(ip("127.0.0.1"), &quick(2)).await.expect("ping"), 2);
        let opts = SweepOptions { concurrency: 4, timeout: Duration::from_millis(300), retries: 1, payload_size: 56 };
        let report = engine.sweep_spec("::1, 127.0.0.1", false, &opts, |_| {}).await.expect("sweep");
        assert_eq!(report.alive.into_iter().collect::<Vec<_>>(), [ip("127.0.0.1")]);
        return;
    }
    assert!(creds.uid != 0 && !creds.cap_net_raw, "child must be unprivileged: {creds:?}");
    match expect.as_str() {
        "dgram" => {
            assert_eq!(engine.planned_mode().expect("allowed"), SocketMode::Datagram);
            assert_sane(&engine.ping(ip("127.0.0.1"), &quick(2)).await.expect("ping"), 2);
            assert_eq!(engine.mode_for(ip("127.0.0.1")).await.expect("open"), SocketMode::Datagram);
            if has_ipv6_loopback() {
                assert_sane(&engine.ping(ip("::1"), &quick(2)).await.expect("ping ::1"), 2);
            }
            let opts = SweepOptions { concurrency: 8, timeout: Duration::from_secs(1), retries: 1, payload_size: 56 };
            let report = engine.sweep_spec("127.0.0.0/28", false, &opts, |_| {}).await.expect("sweep");
            assert_eq!(report.alive.len(), 14);
        }
        "denied" => match engine.ping(ip("127.0.0.1"), &quick(1)).await {
            Err(ProbeError::Permission(msg)) => {
                println!("permission error as expected: {msg}");
                assert!(msg.contains("sysctl -w net.ipv4.ping_group_range=\"0 2147483647\""), "{msg}");
                assert!(msg.contains("setcap cap_net_raw+ep"), "{msg}");
            }
            other => panic!("expected Permission, got {other:?}"),
        },
        other => panic!("unknown MERIDIAN_ICMP_CHILD={other}"),
    }
}
