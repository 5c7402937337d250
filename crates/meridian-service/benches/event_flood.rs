//! Event intake under a flood (issue 17's benchmark): SNMP traps and syslog
//! over UDP on loopback, decoded and stored by Meridian on the embedded
//! store (PGlite), and the same floods side by side against net-snmp's
//! `snmptrapd` logging to a file and `rsyslogd` writing to a file.
//!
//! Phases, one after the other, in one run:
//! 1. traps at a fixed offered rate (`MERIDIAN_FLOOD_TRAP_RATE`, 20,000/s)
//!    for `MERIDIAN_FLOOD_SECS` (60) into Meridian;
//! 2. syslog (RFC 5424) at `MERIDIAN_FLOOD_SYSLOG_RATE` (50,000/s) for the
//!    same time into Meridian;
//! 3. as fast as one sender can go for `MERIDIAN_FLOOD_COMPARE_SECS` (20):
//!    traps into Meridian, then into snmptrapd; syslog into Meridian, then
//!    into rsyslogd. Each contender's intake rate is what it stored (or
//!    wrote) divided by the time from the first datagram to the last one
//!    written.
//!
//! The sender is this binary again (`MERIDIAN_FLOOD_SENDER`), a separate
//! process, so its CPU is not Meridian's. Peak resident memory is this
//! process's VmHWM, reset before each phase (`/proc/self/clear_refs`), plus
//! the largest VmRSS seen at 1 s samples. Drops are counted where they
//! happen: the receiver's queue (Meridian's own counters), the store (the
//! intake's failures), and the kernel's socket buffers (`RcvbufErrors` of
//! `/proc/net/snmp`, machine-wide, so the other contenders' are counted the
//! same way).
//!
//! Run: `cargo bench -p meridian-service --bench event_flood` (or `make
//! bench-events`). Traffic goes only to 127.0.0.1, and each flood stops at
//! its time limit.

use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use meridian_probe::snmp::trap::v2c_trap;
use meridian_probe::snmp::{Oid, Value, VarBind};
use meridian_service::{App, AppConfig, SyslogConfig};

const SENDER_ENV: &str = "MERIDIAN_FLOOD_SENDER";
/// After a flood, a contender that has written nothing new for this long is done.
const SETTLED: Duration = Duration::from_secs(3);
/// The longest a contender may take to catch up after its flood.
const DRAIN_LIMIT: Duration = Duration::from_secs(120);
/// Distinct messages the sender cycles through.
const DISTINCT: usize = 1024;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    if let Ok(spec) = std::env::var(SENDER_ENV) {
        sender(&spec);
        return;
    }
    let secs = env_num("MERIDIAN_FLOOD_SECS", 60);
    let trap_rate = env_num("MERIDIAN_FLOOD_TRAP_RATE", 20_000);
    let syslog_rate = env_num("MERIDIAN_FLOOD_SYSLOG_RATE", 50_000);
    let compare = env_num("MERIDIAN_FLOOD_COMPARE_SECS", 20);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(run(secs, trap_rate, syslog_rate, compare));
}

/// One contender's figures for one flood.
struct Outcome {
    name: String,
    offered_rate: String,
    sent: u64,
    stored: u64,
    /// Seconds from the first datagram to the last one written.
    busy: f64,
    queue_drops: Option<u64>,
    kernel_drops: u64,
    peak_rss_mib: Option<f64>,
}

impl Outcome {
    fn rate(&self) -> f64 {
        self.stored as f64 / self.busy.max(1e-9)
    }
}

async fn run(secs: u64, trap_rate: u64, syslog_rate: u64, compare: u64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().join("app"));
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("app opens");
    let mut rows = Vec::new();

    rows.push(meridian_traps(&app, trap_rate, secs).await);
    rows.push(meridian_syslog(&app, syslog_rate, secs).await);
    rows.push(meridian_traps(&app, 0, compare).await);
    let d = dir.path().to_path_buf();
    rows.push(tokio::task::spawn_blocking(move || snmptrapd(&d, compare)).await.expect("snmptrapd phase"));
    rows.push(meridian_syslog(&app, 0, compare).await);
    let d = dir.path().to_path_buf();
    rows.push(tokio::task::spawn_blocking(move || rsyslogd(&d, compare)).await.expect("rsyslogd phase"));
    app.close().await;

    let assertions = if cfg!(debug_assertions) { "on" } else { "off" };
    println!("\nevent flood: UDP on loopback, Meridian on PGlite; debug assertions {assertions}");
    println!("{secs} s at fixed rates, then {compare} s at full speed per contender\n");
    println!("| contender | offered | sent | stored / written | busy | intake per s | queue drops | kernel drops | peak RSS |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {:.1} s | {:.0} | {} | {} | {} |",
            r.name,
            r.offered_rate,
            r.sent,
            r.stored,
            r.busy,
            r.rate(),
            r.queue_drops.map_or("n/a".into(), |d| d.to_string()),
            r.kernel_drops,
            r.peak_rss_mib.map_or("n/a".into(), |m| format!("{m:.0} MiB")),
        );
    }
    let ratio = |a: usize, b: usize| rows[a].rate() / rows[b].rate().max(1e-9);
    println!("\ntraps: Meridian / snmptrapd = {:.2}x (the issue asks for at least 2x)", ratio(2, 3));
    println!("syslog: Meridian / rsyslogd = {:.2}x (the issue asks for at least 0.5x)", ratio(4, 5));
}

fn offered(rate: u64) -> String {
    if rate == 0 {
        "max".into()
    } else {
        format!("{rate}/s")
    }
}

async fn meridian_traps(app: &App, rate: u64, secs: u64) -> Outcome {
    let (svc, rx) = app.listen_traps("127.0.0.1:0".parse().expect("addr")).await.expect("trap receiver");
    // Nobody reads the foreground tap here; without a reader it costs nothing.
    drop(rx);
    let to = svc.local_addr();
    let rss = RssWatch::start();
    let kernel = udp_rcvbuf_errors();
    let started = Instant::now();
    let sent = flood("trap", to, rate, secs).await;
    let busy = settle(started, || async { svc.intake_counts().stored }).await;
    let (stats, counts) = (svc.stats(), svc.intake_counts());
    let out = Outcome {
        name: "Meridian traps (v2c linkDown, 4 varbinds)".into(),
        offered_rate: offered(rate),
        sent,
        stored: counts.stored,
        busy,
        queue_drops: Some(stats.drops + counts.store_failed),
        kernel_drops: udp_rcvbuf_errors().saturating_sub(kernel),
        peak_rss_mib: rss.stop(),
    };
    drop(svc);
    out
}

async fn meridian_syslog(app: &App, rate: u64, secs: u64) -> Outcome {
    let cfg = SyslogConfig { bind: "127.0.0.1".parse().expect("ip"), port: 0, tcp: false, ..SyslogConfig::default() };
    let status = app.start_syslog(cfg).await.expect("syslog receiver");
    let to: SocketAddr = status.udp.expect("udp").parse().expect("addr");
    let before = status.counters;
    let rss = RssWatch::start();
    let kernel = udp_rcvbuf_errors();
    let started = Instant::now();
    let sent = flood("syslog", to, rate, secs).await;
    let counters = || async { app.syslog_status().await.map(|s| s.counters).unwrap_or_default() };
    let busy = settle(started, || async { counters().await.stored }).await;
    let c = counters().await;
    let out = Outcome {
        name: "Meridian syslog (RFC 5424)".into(),
        offered_rate: offered(rate),
        sent,
        stored: c.stored - before.stored,
        busy,
        queue_drops: Some(c.dropped - before.dropped),
        kernel_drops: udp_rcvbuf_errors().saturating_sub(kernel),
        peak_rss_mib: rss.stop(),
    };
    app.stop_syslog().await;
    out
}

/// Waits until `count` stops growing; the seconds from `started` to its last change.
async fn settle<F: std::future::Future<Output = u64>>(started: Instant, count: impl Fn() -> F) -> f64 {
    let mut last = count().await;
    let mut changed = Instant::now();
    let deadline = Instant::now() + DRAIN_LIMIT;
    while changed.elapsed() < SETTLED && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = count().await;
        if now != last {
            (last, changed) = (now, Instant::now());
        }
    }
    (changed - started).as_secs_f64()
}

/// The same wait for a file another process writes, by its line count.
fn settle_file(started: Instant, file: &Path) -> (u64, f64) {
    let lines = || std::fs::read(file).map(|b| b.iter().filter(|&&c| c == b'\n').count() as u64).unwrap_or(0);
    let mut last = lines();
    let mut changed = Instant::now();
    let deadline = Instant::now() + DRAIN_LIMIT;
    while changed.elapsed() < SETTLED && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        let now = lines();
        if now != last {
            (last, changed) = (now, Instant::now());
        }
    }
    (last, (changed - started).as_secs_f64())
}

/// net-snmp's trap daemon, logging every trap (decoded, one line each) to a file.
fn snmptrapd(dir: &Path, secs: u64) -> Outcome {
    let d = dir.join("snmptrapd");
    std::fs::create_dir_all(&d).expect("dir");
    std::fs::write(d.join("snmptrapd.conf"), "disableAuthorization yes\nformat print2 %B [%b]: %v\\n\n").expect("conf");
    let port = free_udp_port();
    let log = d.join("traps.log");
    let child = Command::new("snmptrapd")
        .args(["-f", "-n", "-C", "-c"])
        .arg(d.join("snmptrapd.conf"))
        .arg("-Lf")
        .arg(&log)
        .arg(format!("udp:127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("snmptrapd (make deps installs snmptrapd)");
    let guard = Peer(child);
    wait_udp_bound(port);
    // snmptrapd writes a start line before any trap.
    let header = settle_file(Instant::now() - SETTLED, &log).0;
    let kernel = udp_rcvbuf_errors();
    let started = Instant::now();
    let sent = send_flood("trap", SocketAddr::from(([127, 0, 0, 1], port)), 0, secs);
    let (lines, busy) = settle_file(started, &log);
    let peak = peak_rss_of(guard.0.id());
    drop(guard);
    Outcome {
        name: "snmptrapd 5.9 (-Lf file)".into(),
        offered_rate: offered(0),
        sent,
        stored: lines.saturating_sub(header),
        busy,
        queue_drops: None,
        kernel_drops: udp_rcvbuf_errors().saturating_sub(kernel),
        peak_rss_mib: peak,
    }
}

/// rsyslogd receiving over UDP and writing every message to a file.
fn rsyslogd(dir: &Path, secs: u64) -> Outcome {
    let d = dir.join("rsyslogd");
    std::fs::create_dir_all(&d).expect("dir");
    let port = free_udp_port();
    let out = d.join("flood.log");
    let conf = format!(
        "global(workDirectory=\"{dir}\")\nmodule(load=\"imudp\")\ninput(type=\"imudp\" address=\"127.0.0.1\" port=\"{port}\")\n\
         action(type=\"omfile\" file=\"{out}\")\n",
        dir = d.display(),
        out = out.display()
    );
    std::fs::write(d.join("rsyslog.conf"), conf).expect("conf");
    let child = Command::new("rsyslogd")
        .arg("-n")
        .arg("-f")
        .arg(d.join("rsyslog.conf"))
        .arg("-i")
        .arg(d.join("rsyslogd.pid"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("rsyslogd (make deps installs rsyslog)");
    let guard = Peer(child);
    wait_udp_bound(port);
    let kernel = udp_rcvbuf_errors();
    let started = Instant::now();
    let sent = send_flood("syslog", SocketAddr::from(([127, 0, 0, 1], port)), 0, secs);
    let (lines, busy) = settle_file(started, &out);
    let peak = peak_rss_of(guard.0.id());
    drop(guard);
    Outcome {
        name: "rsyslogd 8 (imudp, omfile)".into(),
        offered_rate: offered(0),
        sent,
        stored: lines,
        busy,
        queue_drops: None,
        kernel_drops: udp_rcvbuf_errors().saturating_sub(kernel),
        peak_rss_mib: peak,
    }
}

/// A peer daemon, killed when dropped (also when the bench panics).
struct Peer(Child);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0").and_then(|s| s.local_addr()).expect("free port").port()
}

/// Until /proc/net/udp lists 127.0.0.1:`port`, at most 10 s.
fn wait_udp_bound(port: u16) {
    let local = format!("0100007F:{port:04X}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let table = std::fs::read_to_string("/proc/net/udp").unwrap_or_default();
        if table.lines().any(|l| l.split_whitespace().nth(1) == Some(local.as_str())) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nothing bound udp port {port} within 10 s");
}

/// [`send_flood`] off the runtime's worker threads, which Meridian needs.
async fn flood(kind: &'static str, to: SocketAddr, rate: u64, secs: u64) -> u64 {
    tokio::task::spawn_blocking(move || send_flood(kind, to, rate, secs)).await.expect("sender thread")
}

/// Runs the sender process and returns how many datagrams it sent.
fn send_flood(kind: &str, to: SocketAddr, rate: u64, secs: u64) -> u64 {
    let exe = std::env::current_exe().expect("own path");
    let out = Command::new(exe)
        .env(SENDER_ENV, format!("{kind} {to} {rate} {secs}"))
        .stderr(Stdio::inherit())
        .output()
        .expect("sender");
    assert!(out.status.success(), "sender failed");
    String::from_utf8_lossy(&out.stdout).trim().parse().expect("sender prints its count")
}

/// The sender: `kind addr rate secs` (rate 0: as fast as it can), bounded by `secs`.
fn sender(spec: &str) {
    let parts: Vec<&str> = spec.split_whitespace().collect();
    let &[kind, to, rate, secs] = parts.as_slice() else { panic!("sender spec: kind addr rate secs") };
    let to: SocketAddr = to.parse().expect("addr");
    let rate: u64 = rate.parse().expect("rate");
    let limit = Duration::from_secs(secs.parse().expect("secs"));
    let messages: Vec<Vec<u8>> = (0..DISTINCT).map(|i| if kind == "trap" { trap(i) } else { syslog(i) }).collect();
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let started = Instant::now();
    let mut sent = 0u64;
    while started.elapsed() < limit {
        let due = if rate == 0 { sent + 64 } else { (started.elapsed().as_secs_f64() * rate as f64) as u64 };
        while sent < due {
            // Loopback does not block; a full receiver buffer drops in the kernel (counted there).
            if socket.send_to(&messages[sent as usize % DISTINCT], to).is_err() {
                std::thread::yield_now();
            }
            sent += 1;
        }
        if rate != 0 {
            std::thread::sleep(Duration::from_micros(500));
        }
    }
    println!("{sent}");
}

/// An SNMPv2c linkDown (IF-MIB) for interface `i`, community `public`.
fn trap(i: usize) -> Vec<u8> {
    let if_index = i as u32 % 48 + 1;
    let oid = |s: &str| -> Oid { s.parse().expect("oid") };
    let varbinds = vec![
        VarBind { oid: oid(&format!("1.3.6.1.2.1.2.2.1.1.{if_index}")), value: Value::Integer(i64::from(if_index)) },
        VarBind { oid: oid(&format!("1.3.6.1.2.1.2.2.1.7.{if_index}")), value: Value::Integer(1) },
        VarBind { oid: oid(&format!("1.3.6.1.2.1.2.2.1.8.{if_index}")), value: Value::Integer(2) },
        VarBind {
            oid: oid(&format!("1.3.6.1.2.1.31.1.1.1.1.{if_index}")),
            value: Value::OctetString(format!("ge-0/0/{if_index}").into_bytes()),
        },
    ];
    v2c_trap(b"public", i as i32 + 1, 123_456, &oid("1.3.6.1.6.3.1.1.5.3"), varbinds).expect("encodes")
}

/// An RFC 5424 line as a router would send it.
fn syslog(i: usize) -> Vec<u8> {
    format!(
        "<187>1 2026-12-04T10:00:{:02}.{:03}Z edge-{} bgpd 4242 BGP-5-ADJCHANGE [meta sequenceId=\"{i}\"] \
         neighbor 127.0.0.{} Down BGP Notification sent, hold time expired",
        i % 60,
        i % 1000,
        i % 16,
        i % 250 + 1
    )
    .into_bytes()
}

/// Kernel UDP receive-buffer overflows so far, machine-wide.
fn udp_rcvbuf_errors() -> u64 {
    let text = std::fs::read_to_string("/proc/net/snmp").unwrap_or_default();
    let mut udp = text.lines().filter(|l| l.starts_with("Udp:"));
    let (Some(names), Some(values)) = (udp.next(), udp.next()) else { return 0 };
    let at = names.split_whitespace().position(|n| n == "RcvbufErrors");
    at.and_then(|i| values.split_whitespace().nth(i)).and_then(|v| v.parse().ok()).unwrap_or(0)
}

fn status_kib(pid: &str, field: &str) -> Option<f64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse::<f64>().ok()
}

fn peak_rss_of(pid: u32) -> Option<f64> {
    status_kib(&pid.to_string(), "VmHWM:").map(|k| k / 1024.0)
}

/// This process's peak RSS over a phase: VmHWM reset at the start, and the
/// largest VmRSS of 1 s samples as a check.
struct RssWatch {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    sampler: std::thread::JoinHandle<f64>,
}

impl RssWatch {
    fn start() -> Self {
        // "5" resets the peak (Linux 4.0+); without it VmHWM covers earlier phases.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let sampler = std::thread::spawn(move || {
            let mut max: f64 = 0.0;
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                max = max.max(status_kib("self", "VmRSS:").unwrap_or(0.0));
                std::thread::sleep(Duration::from_secs(1));
            }
            max / 1024.0
        });
        Self { stop, sampler }
    }

    fn stop(self) -> Option<f64> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let sampled = self.sampler.join().ok()?;
        let hwm = status_kib("self", "VmHWM:").map(|k| k / 1024.0)?;
        Some(hwm.max(sampled))
    }
}
