//! Poll-cycle benchmark (issue 3, item 10, last bullet): 10,000 SNMPv2c
//! agents x 20 OIDs, one GET each per cycle, from one `SnmpEngine` with the
//! default config. Goal: the poller uses <= 50% of one core at the real
//! 60 s cadence; report its RSS.
//!
//! Two processes, so the agents' CPU is not counted as the poller's:
//! - the responder: this same binary re-executed with
//!   `MERIDIAN_POLL_RESPONDER=1`. It binds one UDP socket per agent on a
//!   distinct loopback address (127.77.x.y, all on one port, as real agents
//!   all listen on 161), decodes every request with the probe crate's own
//!   decoder, checks version, community and PDU type, and answers with a
//!   Response carrying typed values for the 20 OIDs (strings, OID,
//!   TimeTicks, Counter64, Gauge32, INTEGER; noSuchObject for any other OID).
//!   It runs on a single-threaded tokio runtime and stops when its stdin
//!   closes (or after a time bound), printing what it answered.
//! - the poller (this process): a multi-thread tokio runtime, as
//!   `meridian-cli` builds, and one `SnmpEngine`. Like the service's
//!   supervisor it sleeps until the next poll is due and spawns one task per
//!   poll; the starts are evenly spaced across the cycle.
//!
//! To keep the run short the cycle is compressed (default 10 s for 10,000
//! agents: 6x the real per-second rate); CPU-seconds per cycle / 60 s gives
//! the share of one core at the real 60 s cadence. Two cycles run back to
//! back: the first from a fresh engine, the second warm (the steady state
//! of a service that polls every minute).
//!
//! CPU is user+sys from /proc/<pid>/stat deltas (both processes), peak RSS
//! is VmHWM from /proc/<pid>/status: no `unsafe`, no libc.
//!
//! Run: `cargo bench -p meridian-probe --bench poll_cycle`
//! Knobs (env): POLL_AGENTS (default 10000), POLL_OIDS is fixed at 20,
//! POLL_CYCLE_SECS (default 10; 60 runs the real cadence), POLL_CYCLES
//! (default 2), POLL_RUNTIME=current (a current-thread runtime instead of
//! the service's multi-thread one).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use meridian_core::credential::{Secret, SnmpCredential, SnmpVersion};
use meridian_probe::snmp::{
    decode_message, encode_pdu, EngineConfig, Message, Oid, Pdu, SnmpEngine, Target, Value, VarBind, WireVersion, GET,
    RESPONSE,
};
use meridian_probe::ProbeError;

mod common;
use common::procstat::{cpu_of, self_cpu, vm_kib};

const RESPONDER_ENV: &str = "MERIDIAN_POLL_RESPONDER";
const COMMUNITY: &str = "public";
/// Agents live on 127.77.0.1 and up (250 per /24), away from the
/// 127.1.0.0/16 the ICMP sweep bench uses.
const SECOND_OCTET: u8 = 77;
/// Bounds: the responder never outlives this, and an agent never answers
/// more than this many requests.
const RESPONDER_MAX_LIFETIME: Duration = Duration::from_secs(900);
const MAX_REQUESTS_PER_AGENT: u32 = 1_000;
/// How long the poller waits for the responder to bind its sockets.
const RESPONDER_READY_TIMEOUT: Duration = Duration::from_secs(60);

/// What a device poll asks for: the system group and a row of the
/// interface, host-resources and UCD tables (the OIDs
/// `meridian-service/src/monitor/poll.rs` reads), 20 in all.
const POLL_OIDS: [&str; 20] = [
    "1.3.6.1.2.1.1.1.0",             // sysDescr
    "1.3.6.1.2.1.1.2.0",             // sysObjectID
    "1.3.6.1.2.1.1.3.0",             // sysUpTime
    "1.3.6.1.2.1.1.5.0",             // sysName
    "1.3.6.1.2.1.1.6.0",             // sysLocation
    "1.3.6.1.2.1.2.2.1.2.1",         // ifDescr.1
    "1.3.6.1.2.1.2.2.1.7.1",         // ifAdminStatus.1
    "1.3.6.1.2.1.2.2.1.8.1",         // ifOperStatus.1
    "1.3.6.1.2.1.2.2.1.13.1",        // ifInDiscards.1
    "1.3.6.1.2.1.2.2.1.14.1",        // ifInErrors.1
    "1.3.6.1.2.1.2.2.1.19.1",        // ifOutDiscards.1
    "1.3.6.1.2.1.2.2.1.20.1",        // ifOutErrors.1
    "1.3.6.1.2.1.31.1.1.1.1.1",      // ifName.1
    "1.3.6.1.2.1.31.1.1.1.6.1",      // ifHCInOctets.1
    "1.3.6.1.2.1.31.1.1.1.10.1",     // ifHCOutOctets.1
    "1.3.6.1.2.1.31.1.1.1.15.1",     // ifHighSpeed.1
    "1.3.6.1.2.1.25.3.3.1.2.196608", // hrProcessorLoad
    "1.3.6.1.2.1.25.2.3.1.5.1",      // hrStorageSize.1
    "1.3.6.1.2.1.25.2.3.1.6.1",      // hrStorageUsed.1
    "1.3.6.1.4.1.2021.10.1.3.1",     // laLoad.1
];

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

fn agent_addr(i: u32, port: u16) -> SocketAddr {
    let (hi, lo) = (i / 250, i % 250 + 1);
    let hi = u8::try_from(hi).expect("at most 64,000 agents");
    SocketAddr::new(IpAddr::V4(Ipv4Addr::new(127, SECOND_OCTET, hi, lo as u8)), port)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

// ---- the responder (child process) ----

/// The value an agent returns for one of the poll OIDs (`None`: not one of
/// them, answered noSuchObject).
fn agent_value(agent: u32, which: Option<usize>, n: u64) -> Value {
    let c = u64::from(agent) * 1_000_003 + n * 7_919;
    match which {
        Some(0) => Value::OctetString(
            format!("Linux agent-{agent} 6.1.0-25-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.106-3 x86_64").into_bytes(),
        ),
        Some(1) => Value::Oid("1.3.6.1.4.1.8072.3.2.10".parse().expect("oid")),
        Some(2) => Value::TimeTicks(u32::try_from(c % u64::from(u32::MAX)).unwrap_or(0)),
        Some(3) => Value::OctetString(format!("agent-{agent}.lab.example").into_bytes()),
        Some(4) => Value::OctetString(b"Rack 12, Row C, DC-North".to_vec()),
        Some(5) | Some(12) => Value::OctetString(b"eth0".to_vec()),
        Some(6) | Some(7) => Value::Integer(1),
        Some(8..=11) => Value::Counter32(u32::try_from(c % 100_000).unwrap_or(0)),
        Some(13) | Some(14) => Value::Counter64(c.wrapping_mul(1_500)),
        Some(15) => Value::Gauge32(10_000),
        Some(16) => Value::Integer(i64::try_from(c % 100).unwrap_or(0)),
        Some(17) => Value::Integer(4_096_000),
        Some(18) => Value::Integer(i64::try_from(c % 4_096_000).unwrap_or(0)),
        Some(19) => Value::OctetString(b"0.42".to_vec()),
        _ => Value::NoSuchObject,
    }
}

/// A tag and a BER definite length.
fn push_header(out: &mut Vec<u8>, tag: u8, len: usize) {
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else if let Ok(b) = u8::try_from(len) {
        out.extend_from_slice(&[0x81, b]);
    } else {
        let b = u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes();
        out.extend_from_slice(&[0x82, b[0], b[1]]);
    }
}

/// The Response to a datagram, or `None` for anything an agent would drop
/// (not v2c, wrong community, not a GET, undecodable).
fn answer(agent: u32, req: &[u8], n: u64, oids: &[Oid]) -> Option<Vec<u8>> {
    let Ok(Message::Community { version: WireVersion::V2c, community, pdu }) = decode_message(req) else {
        return None;
    };
    if community != COMMUNITY.as_bytes() || pdu.tag != GET {
        return None;
    }
    let varbinds = pdu
        .varbinds
        .into_iter()
        .map(|vb| {
            let which = oids.iter().position(|o| *o == vb.oid);
            VarBind { value: agent_value(agent, which, n), oid: vb.oid }
        })
        .collect();
    let resp = Pdu { tag: RESPONSE, request_id: pdu.request_id, error_status: 0, error_index: 0, varbinds };
    let mut body = Vec::with_capacity(768);
    body.extend_from_slice(&[0x02, 0x01, WireVersion::V2c as u8]);
    push_header(&mut body, 0x04, community.len());
    body.extend_from_slice(&community);
    encode_pdu(&mut body, &resp);
    let mut out = Vec::with_capacity(body.len() + 4);
    push_header(&mut out, 0x30, body.len());
    out.extend_from_slice(&body);
    Some(out)
}

#[derive(Default)]
struct AgentCounters {
    answered: AtomicU64,
    dropped: AtomicU64,
}

async fn agent_loop(sock: tokio::net::UdpSocket, agent: u32, oids: Arc<Vec<Oid>>, counters: Arc<AgentCounters>) {
    let mut buf = vec![0u8; 2048];
    for n in 0..MAX_REQUESTS_PER_AGENT {
        let Ok((len, from)) = sock.recv_from(&mut buf).await else { continue };
        match buf.get(..len).and_then(|req| answer(agent, req, u64::from(n), &oids)) {
            Some(reply) => {
                if sock.send_to(&reply, from).await.is_ok() {
                    counters.answered.fetch_add(1, Ordering::Relaxed);
                }
            }
            None => {
                counters.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Binds `agents` sockets on 127.77.x.y:port, all on the same port. The
/// port is the ephemeral one the first bind got; if another process holds
/// it on some of our addresses, try again with a new one (bounded).
fn bind_agents(agents: u32) -> Result<(u16, Vec<std::net::UdpSocket>), String> {
    let mut last = String::new();
    for _attempt in 0..5 {
        let first = std::net::UdpSocket::bind(agent_addr(0, 0)).map_err(|e| format!("bind: {e}"))?;
        let port = first.local_addr().map_err(|e| e.to_string())?.port();
        let mut socks = Vec::with_capacity(agents as usize);
        socks.push(first);
        let mut ok = true;
        for i in 1..agents {
            match std::net::UdpSocket::bind(agent_addr(i, port)) {
                Ok(s) => socks.push(s),
                Err(e) => {
                    last = format!("bind {}: {e}", agent_addr(i, port));
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            return Ok((port, socks));
        }
    }
    Err(last)
}

fn raise_nofile(need: u64) {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{getrlimit, setrlimit, Resource};
        let lim = getrlimit(Resource::Nofile);
        let want = need.min(lim.maximum.unwrap_or(u64::MAX));
        if lim.current.is_some_and(|c| c < want) {
            let new = rustix::process::Rlimit { current: Some(want), maximum: lim.maximum };
            if let Err(e) = setrlimit(Resource::Nofile, new) {
                eprintln!("responder: cannot raise RLIMIT_NOFILE to {want}: {e}");
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = need;
}

fn responder() {
    let agents = u32::try_from(env_num("POLL_AGENTS", 10_000)).unwrap_or(10_000);
    raise_nofile(u64::from(agents) + 256);
    let (port, socks) = match bind_agents(agents) {
        Ok(x) => x,
        Err(e) => {
            println!("ERROR {e}");
            return;
        }
    };
    let oids: Arc<Vec<Oid>> = Arc::new(POLL_OIDS.iter().map(|o| o.parse().expect("oid")).collect());
    let counters = Arc::new(AgentCounters::default());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    // Stdin closing is the signal to stop; a thread turns it into a message.
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = std::io::stdin().lock().take(1 << 20).read_to_end(&mut sink);
        let _ = stop_tx.send(());
    });
    rt.block_on(async {
        for (i, s) in socks.into_iter().enumerate() {
            s.set_nonblocking(true).expect("nonblocking");
            let s = tokio::net::UdpSocket::from_std(s).expect("register socket");
            let agent = u32::try_from(i).unwrap_or(u32::MAX);
            tokio::spawn(agent_loop(s, agent, oids.clone(), counters.clone()));
        }
        println!("READY {port}");
        let _ = std::io::stdout().flush();
        let _ = tokio::time::timeout(RESPONDER_MAX_LIFETIME, stop_rx).await;
    });
    println!(
        "DONE answered={} dropped={}",
        counters.answered.load(Ordering::Relaxed),
        counters.dropped.load(Ordering::Relaxed)
    );
}

// ---- the poller (this process) ----

struct Responder {
    child: Child,
    pid: String,
    port: u16,
    out: BufReader<std::process::ChildStdout>,
}

impl Responder {
    fn start(agents: u32) -> Responder {
        let exe = std::env::current_exe().expect("current exe");
        let mut child = Command::new(exe)
            .env(RESPONDER_ENV, "1")
            .env("POLL_AGENTS", agents.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn responder");
        let pid = child.id().to_string();
        let mut out = BufReader::new(child.stdout.take().expect("responder stdout"));
        // Wait for "READY <port>", bounded: the read is on a thread so a
        // stuck child cannot hang the bench.
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut line = String::new();
            let r = out.read_line(&mut line);
            let _ = tx.send(r.map(|_| line));
            out
        });
        let line = match rx.recv_timeout(RESPONDER_READY_TIMEOUT) {
            Ok(Ok(l)) => l,
            other => {
                let _ = child.kill();
                panic!("responder did not start: {other:?}");
            }
        };
        let out = reader.join().expect("reader thread");
        let port = match line.trim().strip_prefix("READY ").and_then(|p| p.parse().ok()) {
            Some(p) => p,
            None => {
                let _ = child.kill();
                panic!("responder: {line}");
            }
        };
        Responder { child, pid, port, out }
    }

    fn cpu(&self) -> Duration {
        cpu_of(&self.pid).unwrap_or_default()
    }

    /// Closes its stdin, reads its summary line, reaps it (killing it if
    /// it does not exit within 10 s).
    fn stop(mut self) -> String {
        let hwm = vm_kib(&self.pid, "VmHWM:").unwrap_or(0);
        drop(self.child.stdin.take());
        let (tx, rx) = std::sync::mpsc::channel();
        let mut out = self.out;
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = out.read_line(&mut s);
            let _ = tx.send(s);
        });
        let summary = rx.recv_timeout(Duration::from_secs(10)).unwrap_or_else(|_| "no summary".into());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
                _ => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    break;
                }
            }
        }
        format!("{} peak_rss={hwm}KiB", summary.trim())
    }
}

#[derive(Default)]
struct CycleResult {
    wall: Duration,
    cpu: Duration,
    responder_cpu: Duration,
    ok: u64,
    timeouts: u64,
    other_errors: u64,
    bad_replies: u64,
    latencies: Vec<Duration>,
    load_before: String,
    load_after: String,
}

enum Outcome {
    Ok(Duration),
    Bad(Duration),
    Timeout,
    Error(String),
}

async fn poll_one(engine: Arc<SnmpEngine>, target: Target, oids: Arc<Vec<Oid>>) -> Outcome {
    let start = Instant::now();
    match engine.get(&target, &oids).await {
        Ok(vbs) => {
            let took = start.elapsed();
            let good = vbs.len() == oids.len()
                && vbs.iter().zip(oids.iter()).all(|(vb, o)| vb.oid == *o && !vb.value.is_exception());
            if good {
                Outcome::Ok(took)
            } else {
                Outcome::Bad(took)
            }
        }
        Err(ProbeError::SnmpTimeout { .. }) => Outcome::Timeout,
        Err(e) => Outcome::Error(e.to_string()),
    }
}

async fn run_cycle(
    engine: &Arc<SnmpEngine>,
    targets: &[Target],
    oids: &Arc<Vec<Oid>>,
    cycle: Duration,
    responder: &Responder,
) -> CycleResult {
    let n = u32::try_from(targets.len()).unwrap_or(u32::MAX).max(1);
    let spacing = cycle / n;
    // Like the supervisor, polls report back over a channel and their
    // JoinHandles are dropped (holding 10,000 finished tasks would add
    // their memory to the RSS we report).
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Outcome>();
    let expected = targets.len();
    let collector = tokio::spawn(async move {
        let mut r = CycleResult { latencies: Vec::with_capacity(expected), ..Default::default() };
        for _ in 0..expected {
            let Some(outcome) = rx.recv().await else { break };
            match outcome {
                Outcome::Ok(d) => {
                    r.ok += 1;
                    r.latencies.push(d);
                }
                Outcome::Bad(d) => {
                    r.bad_replies += 1;
                    r.latencies.push(d);
                }
                Outcome::Timeout => r.timeouts += 1,
                Outcome::Error(e) => {
                    if r.other_errors < 5 {
                        eprintln!("poll error: {e}");
                    }
                    r.other_errors += 1;
                }
            }
        }
        r
    });
    let load_before = loadavg();
    let (c0, r0) = (self_cpu(), responder.cpu());
    let t0 = tokio::time::Instant::now();
    // The scheduler's job: sleep until the next start, spawn the poll.
    for (i, t) in targets.iter().enumerate() {
        let due = t0 + spacing * u32::try_from(i).unwrap_or(u32::MAX);
        tokio::time::sleep_until(due).await;
        let (engine, target, oids, tx) = (engine.clone(), t.clone(), oids.clone(), tx.clone());
        tokio::spawn(async move {
            let _ = tx.send(poll_one(engine, target, oids).await);
        });
    }
    drop(tx);
    // Every poll ends by its own timeouts (3 x 1 s at worst); the bound is
    // only against a bug.
    let mut r = match tokio::time::timeout(Duration::from_secs(60), collector).await {
        Ok(Ok(r)) => r,
        _ => panic!("polls did not finish within 60 s of the last start"),
    };
    r.wall = t0.elapsed();
    r.cpu = self_cpu().saturating_sub(c0);
    r.responder_cpu = responder.cpu().saturating_sub(r0);
    r.load_before = load_before;
    r.load_after = loadavg();
    r.latencies.sort();
    r
}

fn pct(v: &[Duration], p: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v.get(i).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    if std::env::var_os(RESPONDER_ENV).is_some() {
        responder();
        return;
    }
    let agents = u32::try_from(env_num("POLL_AGENTS", 10_000)).unwrap_or(10_000).clamp(1, 60_000);
    let cycle = Duration::from_secs(env_num("POLL_CYCLE_SECS", 10).clamp(1, 600));
    let cycles = env_num("POLL_CYCLES", 2).clamp(1, 10);
    let real_cadence = Duration::from_secs(60);

    let responder = Responder::start(agents);
    let current_thread = std::env::var("POLL_RUNTIME").is_ok_and(|v| v == "current");
    let rt = if current_thread {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().enable_all().build()
    }
    .expect("runtime");
    let rss_start = vm_kib("self", "VmRSS:").unwrap_or(0);
    let engine = Arc::new(rt.block_on(SnmpEngine::new(EngineConfig::default())).expect("engine"));
    let oids: Arc<Vec<Oid>> = Arc::new(POLL_OIDS.iter().map(|o| o.parse().expect("oid")).collect());
    let cred = SnmpCredential::Community { version: SnmpVersion::V2c, community: Secret::new(COMMUNITY) };
    let targets: Vec<Target> = (0..agents).map(|i| Target::new(agent_addr(i, responder.port), cred.clone())).collect();
    let rss_ready = vm_kib("self", "VmRSS:").unwrap_or(0);

    let mut results = Vec::new();
    for _ in 0..cycles {
        results.push(rt.block_on(run_cycle(&engine, &targets, &oids, cycle, &responder)));
    }
    let stats = engine.stats();
    let rss_end = vm_kib("self", "VmRSS:").unwrap_or(0);
    let hwm = vm_kib("self", "VmHWM:").unwrap_or(0);
    drop(engine);
    drop(rt);
    let responder_summary = responder.stop();

    let nf = f64::from(agents);
    println!();
    println!(
        "Poll cycle: {agents} SNMPv2c agents x {} OIDs (one GET each), starts evenly spaced over a {} s cycle \
         ({:.1}x the real 60 s rate); one SnmpEngine, EngineConfig::default(); tokio {} runtime, {} CPUs.",
        POLL_OIDS.len(),
        cycle.as_secs(),
        real_cadence.as_secs_f64() / cycle.as_secs_f64(),
        if current_thread { "current-thread" } else { "multi-thread" },
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    );
    println!();
    let head: Vec<String> = (1..=results.len())
        .map(|i| if i == 1 { "cycle 1 (fresh engine)".to_string() } else { format!("cycle {i} (warm)") })
        .collect();
    println!("| measure | {} |", head.join(" | "));
    println!("|---|{}", "---|".repeat(results.len()));
    let row = |name: &str, f: &dyn Fn(&CycleResult) -> String| {
        let cells: Vec<String> = results.iter().map(f).collect();
        println!("| {name} | {} |", cells.join(" | "));
    };
    row("replies received (20/20 varbinds, right OIDs) / timeouts", &|r| {
        let mut s = format!("{} / {}", r.ok, r.timeouts);
        if r.bad_replies + r.other_errors > 0 {
            s += &format!(" (bad replies {}, other errors {})", r.bad_replies, r.other_errors);
        }
        s
    });
    row("wall time of the cycle", &|r| format!("{:.2} s", r.wall.as_secs_f64()));
    row("poller CPU, user+sys", &|r| format!("{:.2} s", r.cpu.as_secs_f64()));
    row("poller CPU per poll (1 GET + 1 Response)", &|r| format!("{:.1} us", r.cpu.as_secs_f64() * 1e6 / nf));
    row("poller share of one core during the compressed cycle", &|r| {
        format!("{:.1}%", 100.0 * r.cpu.as_secs_f64() / r.wall.as_secs_f64().max(1e-9))
    });
    row("**poller share of one core at the 60 s cadence** (CPU per cycle / 60 s)", &|r| {
        format!("**{:.2}%**", 100.0 * r.cpu.as_secs_f64() / real_cadence.as_secs_f64())
    });
    row("latency p50 / p99 (GET sent to varbinds back)", &|r| {
        format!("{} / {}", ms(pct(&r.latencies, 0.50)), ms(pct(&r.latencies, 0.99)))
    });
    row("latency max", &|r| ms(r.latencies.last().copied().unwrap_or_default()));
    row("responder CPU, user+sys (separate process)", &|r| format!("{:.2} s", r.responder_cpu.as_secs_f64()));
    row("load average before / after", &|r| format!("{} / {}", r.load_before, r.load_after));
    println!();
    println!("| poller memory | KiB |");
    println!("|---|---|");
    println!("| RSS before the engine (runtime, binary) | {rss_start} |");
    println!("| RSS with engine and {agents} targets, before polling | {rss_ready} |");
    println!("| RSS after the last cycle | {rss_end} |");
    println!("| **peak RSS (VmHWM)** | **{hwm}** |");
    println!();
    println!(
        "engine stats: sent {} received {} timeouts {} retries {} stray {} malformed {}",
        stats.sent, stats.received, stats.timeouts, stats.retries, stats.stray, stats.malformed
    );
    println!("responder: {responder_summary}");
    let all_ok = results.iter().all(|r| r.ok == u64::from(agents) && r.timeouts == 0);
    if !all_ok {
        println!("NOT ALL POLLS SUCCEEDED");
        std::process::exit(1);
    }
}
