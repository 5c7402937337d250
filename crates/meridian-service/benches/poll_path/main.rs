//! Issue 13's whole-path poll benchmark: every answered SNMP poll goes the
//! way the monitor's supervisor takes it (`Done::Snmp` in
//! `src/monitor/supervisor.rs`): the reply becomes an `SnmpReading`, one
//! `Interpreter` per device turns it into observations (fed to the device's
//! state machine) and samples, a `RuleEngine` with 100
//! rules sees each sample, `upsert_interfaces` stores the interface rows,
//! and the samples go by the device's series ids through the batch
//! writer's `SampleSink` into an embedded (PGlite) store.
//!
//! `POLL_AGENTS` agents (default 100,000) x 20 OIDs, one GET each per
//! `POLL_CYCLE_SECS` (default 60), for `POLL_CYCLES` cycles (default 2; the
//! second is the warm one: rates need a previous reading). The agents are
//! this binary re-executed (`responder.rs`), several processes of 12,500
//! sockets on loopback addresses from 127.80.0.1 up, so their CPU is not
//! the poller's. Reported per cycle: polls answered / timed out, samples
//! produced / written / dropped, rule actions, CPU (this process, which
//! includes PGlite; the responders apart), share of one core at the cycle's
//! cadence, VmHWM, and how late the polls started.
//!
//! Run (dev profile for a small check):
//! `POLL_AGENTS=2000 POLL_CYCLE_SECS=10 cargo bench --workspace --profile dev --bench poll_path`

// The probe benches' /proc readers, one copy for every bench.
mod procs;
#[allow(dead_code)]
#[path = "../../../meridian-probe/benches/common/procstat.rs"]
mod procstat;
mod responder;
mod setup;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use meridian_core::credential::{Secret, SnmpCredential, SnmpVersion};
use meridian_core::interpret::Interpreter;
use meridian_core::metric::SeriesKey;
use meridian_core::poll::{IfReading, SnmpReading};
use meridian_core::rules::RuleEngine;
use meridian_core::sample::Sample;
use meridian_core::state::{DeviceMonitor, MonitorConfig};
use meridian_probe::snmp::{EngineConfig, Oid, SnmpEngine, Target, Value, VarBind};
use meridian_probe::ProbeError;
use meridian_service::monitor::interface_row;
use meridian_service::writer::{spawn_writer, SampleSink, WriterConfig};
use meridian_store::{InterfaceRow, Store, StoreConfig};
use tokio::time::Instant;

use procs::Responders;
use procstat::{cpu_of, vm_kib};

/// The monitor's defaults (`MonitorConfig`): 2 s timeout, one retry.
const SNMP_TIMEOUT: Duration = Duration::from_secs(2);
const SNMP_RETRIES: u32 = 1;
/// After the last poll starts, how long the cycle may take to finish its
/// polls and drain the writer before the bench gives up on it.
const DRAIN_LIMIT: Duration = Duration::from_secs(180);

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

fn num(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Counter32(n) | Value::Gauge32(n) | Value::TimeTicks(n) => Some(u64::from(*n)),
        Value::Counter64(n) => Some(*n),
        Value::Integer(n) => u64::try_from(*n).ok(),
        _ => None,
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::OctetString(b) => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    }
}

/// The reply's varbinds (in `responder::POLL_OIDS` order) as the poller's
/// `SnmpReading`.
fn reading(vbs: &[VarBind]) -> SnmpReading {
    let v = |i: usize| vbs.get(i).map(|vb| &vb.value).filter(|v| !v.is_exception());
    let interfaces = (0..2u32)
        .map(|k| {
            let b = 3 + 8 * k as usize;
            IfReading {
                if_index: k + 1,
                descr: text(v(b)),
                admin_status: num(v(b + 1)).and_then(|n| i64::try_from(n).ok()),
                oper_status: num(v(b + 2)).and_then(|n| i64::try_from(n).ok()),
                in_octets: num(v(b + 3)).map(|n| (n, true)),
                out_octets: num(v(b + 4)).map(|n| (n, true)),
                in_errors: num(v(b + 5)),
                out_errors: num(v(b + 6)),
                speed_bps: num(v(b + 7)).map(|mbps| mbps * 1_000_000),
                in_discards: if k == 0 { num(v(19)) } else { None },
                ..IfReading::default()
            }
        })
        .collect();
    SnmpReading {
        sys_uptime: num(v(0)),
        sys_name: text(v(1)),
        cpu_loads: num(v(2)).map(|c| vec![c as f64]).unwrap_or_default(),
        interfaces,
        ..SnmpReading::default()
    }
}

/// A made-up reading `secs` into a run, for the list of series kinds.
fn sample_reading(secs: u64) -> SnmpReading {
    let vbs: Vec<VarBind> =
        [Value::TimeTicks(secs as u32 * 100), Value::OctetString(b"x".to_vec()), Value::Integer(10)]
            .into_iter()
            .chain((0..2).flat_map(|_| {
                [
                    Value::OctetString(b"eth".to_vec()),
                    Value::Integer(1),
                    Value::Integer(1),
                    Value::Counter64(secs * 1_000),
                    Value::Counter64(secs * 1_000),
                    Value::Counter32(secs as u32),
                    Value::Counter32(secs as u32),
                    Value::Gauge32(1_000),
                ]
            }))
            .chain([Value::Counter32(secs as u32)])
            .map(|value| VarBind { oid: "1.3".parse().expect("oid"), value })
            .collect();
    reading(&vbs)
}

/// What the supervisor keeps per device, for this path.
struct Dev {
    interp: Interpreter,
    monitor: DeviceMonitor,
    series: HashMap<SeriesKey, i64>,
}

struct Done {
    idx: u32,
    at: DateTime<Utc>,
    out: Result<Vec<VarBind>, ProbeError>,
}

#[derive(Default)]
struct CycleResult {
    answered: u64,
    timeouts: u64,
    errors: u64,
    produced: u64,
    written: u64,
    dropped: u64,
    late: u64,
    no_series: u64,
    upsert_errors: u64,
    rule_actions: u64,
    state_actions: u64,
    lags: Vec<Duration>,
    wall: Duration,
    cpu: Duration,
    responder_cpu: Duration,
    hwm_kib: u64,
    drained: bool,
}

struct Path {
    store: Arc<Store>,
    sink: SampleSink,
    rules: RuleEngine,
    devs: Vec<Dev>,
}

impl Path {
    /// The supervisor's `on_done` for an SNMP poll, less the live view and
    /// the alarm writes (actions are counted, not applied).
    async fn on_done(&mut self, d: Done, r: &mut CycleResult) {
        let Some(dev) = self.devs.get_mut(d.idx as usize) else { return };
        let device = setup::device_id(d.idx);
        let vbs = match d.out {
            Ok(vbs) => vbs,
            Err(e) => {
                match e {
                    ProbeError::SnmpTimeout { .. } => r.timeouts += 1,
                    other => {
                        if r.errors < 5 {
                            eprintln!("poll error: {other}");
                        }
                        r.errors += 1;
                    }
                }
                for o in dev.interp.snmp_failed(d.at).observations {
                    r.state_actions += dev.monitor.observe(o).len() as u64;
                }
                return;
            }
        };
        r.answered += 1;
        let reading = reading(&vbs);
        let rows: Vec<InterfaceRow> = reading.interfaces.iter().map(interface_row).collect();
        let if_names: HashMap<u32, String> = reading.interfaces.iter().map(|i| (i.if_index, i.label())).collect();
        let meaning = dev.interp.snmp(d.at, &reading, &[]);
        for o in meaning.observations {
            r.state_actions += dev.monitor.observe(o).len() as u64;
        }
        for s in &meaning.samples {
            let label = s.key.if_index().and_then(|i| if_names.get(&i)).map(String::as_str);
            r.rule_actions += self.rules.observe(device, s, label, d.at).len() as u64;
        }
        if self.store.upsert_interfaces(device, &rows, d.at).await.is_err() {
            r.upsert_errors += 1;
        }
        for s in meaning.samples {
            r.produced += 1;
            match dev.series.get(&s.key) {
                Some(&series) => {
                    self.sink.send(Sample { at: d.at, series, value: s.value }).await;
                }
                None => r.no_series += 1,
            }
        }
    }
}

async fn run_cycle(
    path: &mut Path,
    engine: &Arc<SnmpEngine>,
    targets: &Arc<Vec<Target>>,
    oids: &Arc<Vec<Oid>>,
    cycle: Duration,
    responders: &Responders,
) -> CycleResult {
    let n = targets.len();
    let spacing = cycle / u32::try_from(n).unwrap_or(u32::MAX).max(1);
    let before = path.sink.stats();
    let (c0, r0) = (cpu_of("self").unwrap_or_default(), responders.cpu());
    let t0 = Instant::now();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Done>(4_096);
    let (lag_tx, mut lag_rx) = tokio::sync::mpsc::unbounded_channel::<Duration>();
    // The scheduler: sleep until the next poll is due, spawn it; the
    // poll notes how late it started (the supervisor's StartWatch).
    let sched = {
        let (engine, targets, oids) = (engine.clone(), targets.clone(), oids.clone());
        tokio::spawn(async move {
            for i in 0..n {
                let due = t0 + spacing * u32::try_from(i).unwrap_or(u32::MAX);
                tokio::time::sleep_until(due).await;
                let (engine, targets, oids, tx, lag_tx) =
                    (engine.clone(), targets.clone(), oids.clone(), tx.clone(), lag_tx.clone());
                tokio::spawn(async move {
                    let _ = lag_tx.send(Instant::now().saturating_duration_since(due));
                    let Some(target) = targets.get(i) else { return };
                    let out = engine.get(target, &oids).await;
                    let idx = u32::try_from(i).unwrap_or(u32::MAX);
                    let _ = tx.send(Done { idx, at: Utc::now(), out }).await;
                });
            }
        })
    };
    let mut r = CycleResult { lags: Vec::with_capacity(n), ..CycleResult::default() };
    let deadline = t0 + cycle + DRAIN_LIMIT;
    let mut seen = 0;
    while seen < n {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(d)) => {
                seen += 1;
                path.on_done(d, &mut r).await;
            }
            _ => break,
        }
    }
    let _ = sched.await;
    // The cycle ends when the writer has stored (or dropped) what it took.
    let mut s = path.sink.stats();
    while s.written + s.write_errors < s.accepted && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        s = path.sink.stats();
    }
    r.drained = s.written + s.write_errors >= s.accepted && seen == n;
    r.wall = t0.elapsed();
    r.cpu = cpu_of("self").unwrap_or_default().saturating_sub(c0);
    r.responder_cpu = responders.cpu().saturating_sub(r0);
    r.written = s.written - before.written;
    r.dropped = s.dropped - before.dropped;
    r.late = s.late - before.late;
    r.hwm_kib = vm_kib("self", "VmHWM:").unwrap_or(0);
    while let Ok(l) = lag_rx.try_recv() {
        r.lags.push(l);
    }
    r.lags.sort();
    r
}

fn pct(v: &[Duration], p: f64) -> Duration {
    let i = ((v.len().max(1) - 1) as f64 * p).round() as usize;
    v.get(i).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    if let Ok(spec) = std::env::var(responder::RESPONDER_ENV) {
        responder::run(&spec);
        return;
    }
    let agents = u32::try_from(env_num("POLL_AGENTS", 100_000)).unwrap_or(100_000).clamp(1, 250_000);
    let cycle = Duration::from_secs(env_num("POLL_CYCLE_SECS", 60).clamp(1, 600));
    let cycles = env_num("POLL_CYCLES", 2).clamp(1, 10) as usize;
    let responders = Responders::start(agents);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let (results, notes) = rt.block_on(run(agents, cycle, cycles, &responders));
    drop(rt);
    let peak_responder = responders.peak_rss();
    let n_resp = responders.count();
    let summaries = responders.stop();
    report(agents, cycle, &results, &notes, n_resp, peak_responder, &summaries);
    let clean = results.last().is_some_and(|r| {
        r.answered == u64::from(agents) && r.dropped == 0 && r.no_series == 0 && r.upsert_errors == 0 && r.drained
    });
    if !clean {
        println!("NOT CLEAN: the last cycle had timeouts, drops, missing series or store errors");
        std::process::exit(1);
    }
}

/// Setup figures for the report.
struct Notes {
    rss_setup_kib: u64,
    setup_secs: f64,
    series: usize,
    writer: String,
}

async fn run(agents: u32, cycle: Duration, cycles: usize, responders: &Responders) -> (Vec<CycleResult>, Notes) {
    let started = std::time::Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(Store::open(StoreConfig::embedded(dir.path())).await.expect("store"));
    let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).single().expect("time");
    let kinds = setup::sample_kinds(sample_reading, t0);
    let maps = setup::populate(&store, agents, &kinds).await;
    let series = maps.iter().map(HashMap::len).sum();
    let rules = setup::rule_engine(agents);
    let (sink, writer) = spawn_writer(store.clone(), WriterConfig::default());
    let config = MonitorConfig { snmp: true, ..MonitorConfig::default() };
    let devs = (0..agents)
        .zip(maps)
        .map(|(i, series)| Dev {
            interp: Interpreter::new(),
            monitor: DeviceMonitor::new(setup::device_id(i), config),
            series,
        })
        .collect();
    let mut path = Path { store: store.clone(), sink, rules, devs };
    let engine = Arc::new(SnmpEngine::new(EngineConfig::default()).await.expect("engine"));
    let oids = Arc::new(responder::poll_oids());
    let cred = SnmpCredential::Community { version: SnmpVersion::V2c, community: Secret::new(responder::COMMUNITY) };
    let targets: Arc<Vec<Target>> = Arc::new(
        (0..agents)
            .map(|i| Target {
                timeout: SNMP_TIMEOUT,
                retries: SNMP_RETRIES,
                ..Target::new(responder::agent_addr(i, responders.port(i)), cred.clone())
            })
            .collect(),
    );
    let notes_base = (vm_kib("self", "VmRSS:").unwrap_or(0), started.elapsed().as_secs_f64(), series);
    let mut results = Vec::new();
    for _ in 0..cycles {
        results.push(run_cycle(&mut path, &engine, &targets, &oids, cycle, responders).await);
    }
    let s = path.sink.stats();
    let e = engine.stats();
    let writer_line = format!(
        "writer: accepted {} written {} dropped {} late {} batches {} (mean {:.1} ms) write errors {}; \
         engine: sent {} received {} timeouts {} retries {}",
        s.accepted,
        s.written,
        s.dropped,
        s.late,
        s.batches,
        s.batch_micros as f64 / 1e3 / s.batches.max(1) as f64,
        s.write_errors,
        e.sent,
        e.received,
        e.timeouts,
        e.retries
    );
    drop(path);
    let _ = tokio::time::timeout(Duration::from_secs(60), writer).await;
    drop(store);
    let notes =
        Notes { rss_setup_kib: notes_base.0, setup_secs: notes_base.1, series: notes_base.2, writer: writer_line };
    (results, notes)
}

fn report(
    agents: u32,
    cycle: Duration,
    results: &[CycleResult],
    notes: &Notes,
    n_resp: usize,
    peak_responder: u64,
    summaries: &[String],
) {
    println!();
    println!(
        "Whole poll path: {agents} SNMPv2c agents x 20 OIDs, one GET each per {} s cycle, in {n_resp} responder \
         process(es); interpret, 100 rules, upsert_interfaces, batch writer into embedded PGlite; {} CPUs. \
         Setup (store, {} series, rules): {:.1} s.",
        cycle.as_secs(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        notes.series,
        notes.setup_secs,
    );
    println!();
    let head: Vec<String> = (1..=results.len())
        .map(|i| if i == 1 { "cycle 1 (first readings)".to_owned() } else { format!("cycle {i} (warm)") })
        .collect();
    println!("| measure | {} |", head.join(" | "));
    println!("|---|{}", "---|".repeat(results.len()));
    let row = |name: &str, f: &dyn Fn(&CycleResult) -> String| {
        let cells: Vec<String> = results.iter().map(f).collect();
        println!("| {name} | {} |", cells.join(" | "));
    };
    row("polls answered / timed out (other errors)", &|r| format!("{} / {} ({})", r.answered, r.timeouts, r.errors));
    row("samples produced / written / **dropped**", &|r| format!("{} / {} / **{}**", r.produced, r.written, r.dropped));
    row("samples late (writer's 30 s) / without a series", &|r| format!("{} / {}", r.late, r.no_series));
    row("rule actions (raise + clear) / state-machine actions", &|r| {
        format!("{} / {}", r.rule_actions, r.state_actions)
    });
    row("upsert_interfaces errors", &|r| r.upsert_errors.to_string());
    row("wall time (last start + drain)", &|r| {
        format!("{:.1} s{}", r.wall.as_secs_f64(), if r.drained { "" } else { " (NOT drained)" })
    });
    row("this process CPU, user+sys (poller, rules, PGlite)", &|r| format!("{:.2} s", r.cpu.as_secs_f64()));
    row("**share of one core at the cycle's cadence**", &|r| {
        format!("**{:.1}%**", 100.0 * r.cpu.as_secs_f64() / cycle.as_secs_f64())
    });
    row("CPU per answered poll", &|r| format!("{:.0} us", r.cpu.as_secs_f64() * 1e6 / r.answered.max(1) as f64));
    row("responders' CPU, user+sys (separate processes)", &|r| format!("{:.2} s", r.responder_cpu.as_secs_f64()));
    row("poll start lag p50 / p99 / max", &|r| {
        format!(
            "{} / {} / {}",
            ms(pct(&r.lags, 0.5)),
            ms(pct(&r.lags, 0.99)),
            ms(r.lags.last().copied().unwrap_or_default())
        )
    });
    row("**VmHWM of this process** at the cycle's end", &|r| format!("**{} MiB**", r.hwm_kib / 1024));
    println!();
    println!(
        "RSS after setup: {} MiB; largest responder VmHWM: {} MiB",
        notes.rss_setup_kib / 1024,
        peak_responder / 1024
    );
    println!("{}", notes.writer);
    println!("responders: {}", summaries.join("; "));
}
