//! Discovery of 127.1.0.0/16 with SNMP answering on 100 of its addresses:
//! a Meridian discovery run (`App::start_discovery`, ICMP sweep then SNMP
//! identification and classification of the responders, results stored)
//! against the obvious baseline, in the same run on the same network:
//! `fping -a -q -r 0 -t 200 -i 0 -g 127.1.0.0/16`, then one net-snmp
//! `snmpget` of the system group (7 scalars) per live host, one after the
//! other. Alternating, median wall time of 5 each, printed as markdown.
//!
//! The network: one real net-snmp `snmpd` listening on 100 addresses spread
//! over the /16 (meridian-testkit), one UDP port, community `public`. On
//! loopback every address answers ICMP, so iptables drops everything to
//! 127.1.0.0/16 except those 100 (rules removed when the guards drop, also
//! on panic): both contenders see 100 live hosts and 65,434 dead ones.
//!
//! Run: `cargo bench -p meridian-service --bench discovery` (as root: raw
//! ICMP and iptables). Traffic goes only to 127.1.0.0/16. Every run is
//! bounded: 200 ms per request and no retry on both sides, plus a 120 s
//! wall-clock limit per run. `MERIDIAN_BENCH_SWEEP_CONCURRENCY=4096,65536`
//! also times the bare ICMP sweep of the same network at those
//! concurrencies (to choose the job's `SWEEP_CONCURRENCY`).

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};
use std::process::Stdio;
use std::time::{Duration, Instant};

use meridian_probe::icmp::{expand_targets, IcmpEngine, SweepOptions};
use meridian_service::diag::SnmpCredentialInput;
use meridian_service::{App, AppConfig, CoreEvent, DiscoveryRequest, RunState};
use meridian_testkit::{DropRule, Snmpd, COMMUNITY};

const RANGE: &str = "127.1.0.0/16";
const AGENTS: usize = 100;
const RUNS: usize = 5;
const TIMEOUT_MS: u64 = 200;
const LIMIT: Duration = Duration::from_secs(120);
/// The system group's scalars, sysDescr.0 .. sysServices.0.
const SYSTEM_GROUP: [&str; 7] = [
    ".1.3.6.1.2.1.1.1.0",
    ".1.3.6.1.2.1.1.2.0",
    ".1.3.6.1.2.1.1.3.0",
    ".1.3.6.1.2.1.1.4.0",
    ".1.3.6.1.2.1.1.5.0",
    ".1.3.6.1.2.1.1.6.0",
    ".1.3.6.1.2.1.1.7.0",
];

/// 100 distinct addresses spread over the /16: third octet 10, 12, .., 208,
/// fourth octet scattered over 2..=251.
fn agent_addresses() -> Vec<Ipv4Addr> {
    (0..AGENTS).map(|i| Ipv4Addr::new(127, 1, (10 + 2 * i) as u8, ((i * 97) % 250 + 2) as u8)).collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}

/// The baseline's figures for one run.
struct Baseline {
    total: Duration,
    fping: Duration,
    alive: usize,
    /// Hosts whose snmpget printed all 7 varbinds.
    answered: usize,
}

/// fping sweep, then one `snmpget` of the system group per live host, in
/// turn; None if fping is missing.
fn baseline_once(d: &Snmpd) -> Option<Baseline> {
    let started = Instant::now();
    let alive = meridian_testkit::fping_alive(RANGE, LIMIT)?;
    let fping = started.elapsed();
    let mut answered = 0;
    for host in &alive {
        let agent = format!("{host}:{}", d.port());
        let mut args = vec!["-v2c", "-c", COMMUNITY, "-r0", "-t1", "-On", agent.as_str()];
        args.extend(SYSTEM_GROUP);
        let out = d.tool_command("snmpget", &args).stderr(Stdio::null()).output().expect("run snmpget");
        let varbinds =
            String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.starts_with(".1.3.6.1.2.1.1.")).count();
        if out.status.success() && varbinds == SYSTEM_GROUP.len() {
            answered += 1;
        }
    }
    Some(Baseline { total: started.elapsed(), fping, alive: alive.len(), answered })
}

/// Meridian's figures for one run.
struct Run {
    total: Duration,
    /// Until the first result was stored: the ICMP sweep plus one SNMP probe.
    first_found: Option<Duration>,
    /// Addresses whose SNMP agent was identified (folded ones included).
    identified: BTreeSet<IpAddr>,
    /// Result rows after folding responders that are one agent.
    rows: usize,
}

async fn meridian_once(app: &App, port: u16) -> Run {
    let mut events = app.subscribe();
    let req = DiscoveryRequest {
        targets: vec![RANGE.into()],
        port,
        timeout_ms: TIMEOUT_MS,
        retries: 0,
        ..DiscoveryRequest::default()
    };
    let cred = SnmpCredentialInput { community: Some(COMMUNITY.into()), ..SnmpCredentialInput::default() };
    let started = Instant::now();
    let handle = app.start_discovery(req, &[cred]).await.expect("discovery starts");
    let id = handle.run.id;
    // Note when the first result arrives, while the run goes on.
    let watch = tokio::spawn(async move {
        loop {
            match events.recv().await {
                Ok(CoreEvent::DiscoveryFound { device }) if device.run_id == id => return Some(started.elapsed()),
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(_) => return None,
            }
        }
    });
    let run = tokio::time::timeout(LIMIT, handle.finished())
        .await
        .expect("discovery finished within the limit")
        .expect("discovery ran");
    let total = started.elapsed();
    assert_eq!(run.state, RunState::Completed, "run ended {:?}: {:?}", run.state, run.error);
    let first_found = tokio::time::timeout(Duration::from_millis(100), watch).await.ok().and_then(|j| j.ok()).flatten();
    let results = app.discovery_results(&id.to_string()).await.expect("results");
    let mut identified = BTreeSet::new();
    for f in results.iter().filter(|f| f.snmp.is_some() && f.classification.is_some()) {
        identified.insert(f.address.parse::<IpAddr>().expect("address"));
        identified.extend(f.other_addresses.iter().map(|a| a.parse::<IpAddr>().expect("address")));
    }
    Run { total, first_found, identified, rows: results.len() }
}

/// The bare ICMP sweep of the same network at each concurrency asked for.
fn sweep_scan(rt: &tokio::runtime::Runtime, list: &str) {
    let targets = expand_targets(RANGE, false).expect("range parses");
    println!("\n### Bare ICMP sweep of {RANGE} (100 live, timeout {TIMEOUT_MS} ms, 0 retries)\n");
    println!("| concurrency | wall time (median of {RUNS}) | alive (min of runs) | send errors (max of runs) |");
    println!("|---:|---:|---:|---:|");
    for c in list.split(',').filter_map(|c| c.trim().parse::<usize>().ok()) {
        let opts =
            SweepOptions { concurrency: c, timeout: Duration::from_millis(TIMEOUT_MS), retries: 0, payload_size: 56 };
        let (mut times, mut alive, mut errors) = (Vec::new(), usize::MAX, 0);
        for _ in 0..RUNS {
            let engine = IcmpEngine::new();
            let report = rt.block_on(async {
                tokio::time::timeout(LIMIT, engine.sweep(targets.clone(), &opts, |_| {}))
                    .await
                    .expect("sweep finished within the limit")
                    .expect("sweep ran")
            });
            eprintln!(
                "sweep concurrency {c}: {:?}, {} alive, {} send errors",
                report.elapsed,
                report.alive.len(),
                report.send_errors
            );
            times.push(report.elapsed);
            alive = alive.min(report.alive.len());
            errors = errors.max(report.send_errors);
        }
        println!("| {c} | {} | {alive} | {errors} |", ms(median(times)));
    }
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that is not ours means
    // another bench was selected, so do nothing.
    if std::env::args().skip(1).any(|a| !a.starts_with('-') && !"discovery".contains(a.as_str())) {
        return;
    }
    let agents = agent_addresses();
    let expected: BTreeSet<IpAddr> = agents.iter().map(|a| IpAddr::V4(*a)).collect();
    let d = Snmpd::start_on(&agents).expect("snmpd on 100 loopback addresses");
    let port = d.port();
    // Live set = the agents: drop all of the /16, accept the 100 above it.
    let net = Ipv4Addr::new(127, 1, 0, 0);
    let _block = DropRule::add_block(net, 16).expect("iptables block (run as root)");
    let _accept: Vec<DropRule> = agents.iter().map(|a| DropRule::accept(*a).expect("iptables accept")).collect();

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = rt.block_on(async {
        let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
        cfg.vault = Some("file".into());
        cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
        App::open(cfg).await.expect("app opens")
    });

    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        let b = baseline_once(&d);
        let m = rt.block_on(meridian_once(&app, port));
        assert_eq!(m.identified, expected, "meridian identified exactly the 100 agents");
        if let Some(b) = &b {
            assert_eq!((b.alive, b.answered), (AGENTS, AGENTS), "baseline found and read the 100 agents");
        }
        eprintln!(
            "run {run}: meridian {} (first result at {:?}, {} identified, {} rows), baseline {}",
            ms(m.total),
            m.first_found,
            m.identified.len(),
            m.rows,
            b.as_ref().map_or("n/a".into(), |b| format!("{} (fping {})", ms(b.total), ms(b.fping))),
        );
        ours.push(m);
        theirs.extend(b);
    }
    rt.block_on(app.close());

    let ours_med = median(ours.iter().map(|m| m.total).collect());
    let first = median(ours.iter().map(|m| m.first_found.unwrap_or(m.total)).collect());
    let rows = ours.iter().map(|m| m.rows).max().unwrap_or(0);
    println!("\n### Discovery of {RANGE} ({AGENTS} SNMP agents, 65,434 dead), median of {RUNS}\n");
    println!("| contender | wall time (median) | of which sweep | identified | ratio vs baseline |");
    println!("|---|---:|---:|---:|---:|");
    let ours_row = |ratio: String| {
        println!(
            "| meridian discovery (timeout {TIMEOUT_MS} ms, 0 retries; {rows} result row(s) after folding) | {} | {} (to first result) | {AGENTS} | {ratio} |",
            ms(ours_med),
            ms(first)
        );
    };
    if theirs.is_empty() {
        ours_row("n/a (fping not installed)".into());
    } else {
        let base_med = median(theirs.iter().map(|b| b.total).collect());
        let fping_med = median(theirs.iter().map(|b| b.fping).collect());
        let ratio = ours_med.as_secs_f64() / base_med.as_secs_f64();
        ours_row(format!("**{ratio:.2}x**"));
        println!(
            "| `fping -a -q -r 0 -t 200 -i 0 -g {RANGE}` + {AGENTS} x `snmpget -v2c -r0 -t1` (system group) | {} | {} (fping) | {AGENTS} | 1.00x |",
            ms(base_med),
            ms(fping_med)
        );
        println!(
            "\nRuns (meridian / baseline): {}",
            ours.iter()
                .zip(&theirs)
                .map(|(m, b)| format!("{} / {}", ms(m.total), ms(b.total)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if let Ok(list) = std::env::var("MERIDIAN_BENCH_SWEEP_CONCURRENCY") {
        sweep_scan(&rt, &list);
    }
}
