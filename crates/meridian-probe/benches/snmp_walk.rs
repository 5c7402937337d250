//! SNMP walk benchmark against net-snmp in the same run, on a real snmpd:
//! 1. wall time of a full `.1` walk: our engine (GETBULK, adaptive) vs
//!    `snmpbulkwalk -v2c -Cr50 -c public -On` (median of 5);
//! 2. client CPU per PDU: our engine doing GETNEXT (v1-style walk) vs
//!    `snmpwalk -Cc` (GETNEXT), CPU from getrusage (RUSAGE_SELF for us,
//!    RUSAGE_CHILDREN for the net-snmp tools), split into user and system;
//! 3. the same per-PDU CPU with 8 of our GETNEXT walks in flight at once
//!    (how the poller works: replies that queue up are taken in one
//!    `recvmmsg`), against the same `snmpwalk -Cc` figure. A different
//!    workload from the anchor's, printed as its own row.
//!
//! Run: `cargo bench -p meridian-probe --bench snmp_walk`

use std::sync::Arc;
use std::time::{Duration, Instant};

use meridian_core::credential::{Secret, SnmpCredential, SnmpVersion};
use meridian_probe::snmp::{EngineConfig, SnmpEngine, Target};
use meridian_testkit::{Snmpd, COMMUNITY};

const RUNS: usize = 5;

/// (user, system) CPU of us (`who` 0) or of our waited-for children (1).
fn cpu_split(who: u8) -> (Duration, Duration) {
    // The same numbers getrusage(RUSAGE_SELF / RUSAGE_CHILDREN) returns,
    // read from /proc/self/stat (utime, stime, cutime, cstime): calling
    // getrusage needs libc and `unsafe`, which the workspace forbids.
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |x| x.1);
    // `after` starts at field 3 (state), so proc(5) field N is index N-3:
    // utime 14 -> 11, stime 12, cutime 13, cstime 14. (Fields are indexed
    // as they stand: an earlier version dropped the non-numeric ones, and
    // tpgid is -1 without a terminal, which shifted every index by one.)
    let f: Vec<&str> = after.split_whitespace().collect();
    let tick = 100u64; // USER_HZ on Linux
    let (u, s) = if who == 0 { (11, 12) } else { (13, 14) };
    let ms = |i: usize| Duration::from_millis(f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) * 1000 / tick);
    (ms(u), ms(s))
}

fn cpu(who: u8) -> Duration {
    let (u, s) = cpu_split(who);
    u + s
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let d = Snmpd::start().expect("snmpd");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let engine = Arc::new(rt.block_on(SnmpEngine::new(EngineConfig::default())).expect("engine"));
    let addr = d.address().parse().expect("addr");
    let cred = |v| SnmpCredential::Community { version: v, community: Secret::new(COMMUNITY) };
    let t2 = Target::new(addr, cred(SnmpVersion::V2c));
    let t1 = Target::new(addr, cred(SnmpVersion::V1));

    // Warm up both (agent caches).
    let n_vb = rt.block_on(engine.walk_all(&t2)).expect("walk").len();
    let bulk_args = ["-v2c", "-Cr50", "-c", COMMUNITY, "-On", &d.address(), ".1"];
    d.tool("snmpbulkwalk", &bulk_args).expect("snmpbulkwalk");

    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let s = Instant::now();
        rt.block_on(engine.walk_all(&t2)).expect("walk");
        ours.push(s.elapsed());
        let s = Instant::now();
        let out = d.tool_command("snmpbulkwalk", &bulk_args).output().expect("run");
        theirs.push(s.elapsed());
        assert!(out.status.success());
    }
    let (wo, wt) = (median(ours), median(theirs));

    // CPU per PDU, GETNEXT both sides.
    let before = engine.stats().sent;
    let c0 = cpu_split(0);
    for _ in 0..RUNS {
        rt.block_on(engine.walk_all(&t1)).expect("v1 walk");
    }
    let c1 = cpu_split(0);
    let (our_user, our_sys) = (c1.0 - c0.0, c1.1 - c0.1);
    let our_cpu = our_user + our_sys;
    let our_pdus = engine.stats().sent - before;

    // The same walks, 8 at a time.
    let before = engine.stats().sent;
    let p0 = cpu(0);
    for _ in 0..RUNS {
        rt.block_on(async {
            let mut walks = tokio::task::JoinSet::new();
            for _ in 0..8 {
                let (engine, t1) = (Arc::clone(&engine), t1.clone());
                walks.spawn(async move { engine.walk_all(&t1).await.map(|v| v.len()) });
            }
            while let Some(r) = walks.join_next().await {
                r.expect("walk task").expect("v1 walk");
            }
        });
    }
    let par_cpu = cpu(0) - p0;
    let par_pdus = engine.stats().sent - before;

    let cs0 = cpu_split(1);
    let cc0 = cpu(1);
    let mut their_pdus = 0u64;
    for _ in 0..RUNS {
        let out = d
            .tool_command("snmpwalk", &["-v2c", "-Cc", "-c", COMMUNITY, "-On", &d.address(), ".1"])
            .output()
            .expect("snmpwalk");
        // One GETNEXT per printed varbind, plus the final one past the end.
        their_pdus += String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.starts_with('.')).count() as u64;
    }
    let their_cpu = cpu(1) - cc0;
    let cs1 = cpu_split(1);
    let (their_user, their_sys) = (cs1.0 - cs0.0, cs1.1 - cs0.1);
    let per = |c: Duration, n: u64| c.as_secs_f64() * 1e6 / n.max(1) as f64;
    let (po, pt) = (per(our_cpu, our_pdus), per(their_cpu, their_pdus));
    let pp = per(par_cpu, par_pdus);

    println!("| measure | meridian | net-snmp | ratio |");
    println!("|---|---|---|---|");
    println!(
        "| full walk of snmpd `.1` ({n_vb} varbinds), wall, median of {RUNS} | {:.1} ms | {:.1} ms (snmpbulkwalk -Cr50) | {:.2}x |",
        wo.as_secs_f64() * 1e3,
        wt.as_secs_f64() * 1e3,
        wo.as_secs_f64() / wt.as_secs_f64()
    );
    println!(
        "| client CPU per GETNEXT PDU ({our_pdus} vs {their_pdus} PDUs) | {po:.1} us | {pt:.1} us (snmpwalk -Cc) | {:.2}x |",
        po / pt
    );
    println!(
        "| of which user / system | {:.1} / {:.1} us | {:.1} / {:.1} us | |",
        per(our_user, our_pdus),
        per(our_sys, our_pdus),
        per(their_user, their_pdus),
        per(their_sys, their_pdus)
    );
    println!(
        "| client CPU per GETNEXT PDU, 8 of our walks at once ({par_pdus} PDUs) vs the sequential anchor | {pp:.1} us | {pt:.1} us | {:.2}x |",
        pp / pt
    );
}
