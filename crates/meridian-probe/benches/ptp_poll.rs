//! PTP polling benchmark (issue 16): 1,000 clocks polled every 10 s, each
//! poll a `snapshot()` (GET DEFAULT, CURRENT, PARENT and PORT data sets and
//! TIME_STATUS_NP: five management exchanges). Goal: <= 5% of one core.
//!
//! Two processes, so the clocks' CPU is not counted as the poller's:
//! - the responder: this binary re-executed with `MERIDIAN_PTP_RESPONDER`
//!   set to a directory. It binds one UNIX datagram socket per clock there
//!   (as ptp4l binds its `uds_address`), decodes every request with the
//!   probe's own decoder and answers a GET with a RESPONSE carrying the data
//!   field ptp4l 3.1.1 really sent for that data set (from
//!   `tests/corpus/ptp_management`), or MANAGEMENT_ERROR_STATUS NO_SUCH_ID.
//!   It stops when its stdin closes.
//! - the poller (this process): a multi-thread tokio runtime as the CLI
//!   builds, one `PtpManagementClient` per clock over its own UNIX socket,
//!   poll starts spread evenly over the cycle as the scheduler does.
//!
//! CPU is user+sys from /proc/<pid>/stat deltas over whole cycles.
//! Run: `cargo bench -p meridian-probe --bench ptp_poll`
//! Knobs (env): PTP_CLOCKS (default 1000), PTP_CYCLE_SECS (default 10),
//! PTP_CYCLES (default 2).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use meridian_probe::ptp::{Action, Message, Payload, PtpClient, PtpEndpoint, PtpManagementClient, RetryPolicy};
use tokio::net::UnixDatagram;

mod common;
use common::procstat::{cpu_of, self_cpu, vm_kib};

const RESPONDER_ENV: &str = "MERIDIAN_PTP_RESPONDER";

fn env_or(key: &str, default: u64) -> u64 {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// managementId -> the data field ptp4l sent for it, from the corpus.
fn canned() -> HashMap<u16, Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/ptp_management");
    let mut out = HashMap::new();
    for name in ["default_data_set", "current_data_set", "parent_data_set", "port_data_set", "time_status_np"] {
        let bytes = std::fs::read(dir.join(format!("slave_{name}.bin"))).expect("corpus file");
        let msg = Message::decode(&bytes).expect("corpus reply decodes");
        if let Payload::Management { id, data } = msg.payload {
            out.insert(id, data);
        }
    }
    out
}

fn socket_path(dir: &Path, i: u64) -> PathBuf {
    dir.join(format!("clock{i}.sock"))
}

fn responder(dir: PathBuf, clocks: u64) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async move {
        let canned = Arc::new(canned());
        let answered = Arc::new(AtomicU64::new(0));
        for i in 0..clocks {
            let sock = UnixDatagram::bind(socket_path(&dir, i)).expect("bind clock socket");
            let (canned, answered) = (Arc::clone(&canned), Arc::clone(&answered));
            tokio::spawn(async move {
                let mut buf = vec![0u8; 1500];
                while let Ok((n, from)) = sock.recv_from(&mut buf).await {
                    let Ok(req) = Message::decode(&buf[..n]) else { continue };
                    let (Action::Get, Payload::Management { id, .. }) = (req.action, &req.payload) else { continue };
                    let payload = match canned.get(id) {
                        Some(data) => Payload::Management { id: *id, data: data.clone() },
                        None => Payload::Error { error_id: 2, id: *id, display: String::new() },
                    };
                    let mut reply = req.clone();
                    reply.target = req.source;
                    reply.source.port = 1;
                    reply.source.clock.0 = (i << 8).to_be_bytes();
                    reply.action = Action::Response;
                    reply.payload = payload;
                    if let Some(path) = from.as_pathname() {
                        if sock.send_to(&reply.encode(), path).await.is_ok() {
                            answered.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            });
        }
        println!("READY");
        // Stop when the poller closes our stdin.
        let _ = tokio::task::spawn_blocking(|| std::io::stdin().lines().count()).await;
        println!("answered {}", answered.load(Ordering::Relaxed));
    });
}

fn main() {
    if let Ok(dir) = std::env::var(RESPONDER_ENV) {
        responder(PathBuf::from(dir), env_or("PTP_CLOCKS", 1000));
        return;
    }
    let clocks = env_or("PTP_CLOCKS", 1000);
    let cycle = Duration::from_secs(env_or("PTP_CYCLE_SECS", 10));
    let cycles = env_or("PTP_CYCLES", 2) as u32;
    let dir = tempfile::Builder::new().prefix("meridian-ptp-bench").tempdir().expect("temp dir");
    let exe = std::env::current_exe().expect("current exe");
    let mut child = Command::new(exe)
        .env(RESPONDER_ENV, dir.path())
        .env("PTP_CLOCKS", clocks.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn responder");
    let pid = child.id().to_string();
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    out.read_line(&mut line).expect("responder output");
    assert_eq!(line.trim(), "READY", "responder did not start");

    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let (ok, failed, cpu, responder_cpu) = rt.block_on(async {
        let clients_dir = dir.path().join("clients");
        std::fs::create_dir(&clients_dir).expect("clients dir");
        let policy = RetryPolicy { timeout: Duration::from_millis(500), attempts: 2 };
        let clients: Vec<Arc<PtpManagementClient>> = (0..clocks)
            .map(|i| {
                let endpoint =
                    PtpEndpoint::Unix { server: socket_path(dir.path(), i), client_dir: clients_dir.clone() };
                Arc::new(PtpManagementClient::open(&endpoint, 0, policy).expect("client socket"))
            })
            .collect();
        let ok = Arc::new(AtomicU64::new(0));
        let failed = Arc::new(AtomicU64::new(0));
        let (c0, r0) = (self_cpu(), cpu_of(&pid).unwrap_or_default());
        let start = tokio::time::Instant::now();
        let spacing = cycle / clocks as u32;
        let mut tasks = Vec::new();
        for k in 0..cycles {
            for (i, c) in clients.iter().enumerate() {
                tokio::time::sleep_until(start + cycle * k + spacing * i as u32).await;
                let (c, ok, failed) = (Arc::clone(c), Arc::clone(&ok), Arc::clone(&failed));
                tasks.push(tokio::spawn(async move {
                    match c.snapshot().await {
                        Ok(s) if s.current.steps_removed == 1 => ok.fetch_add(1, Ordering::Relaxed),
                        _ => failed.fetch_add(1, Ordering::Relaxed),
                    };
                }));
            }
        }
        for t in tasks {
            let _ = t.await;
        }
        tokio::time::sleep_until(start + cycle * cycles).await;
        let cpu = self_cpu().saturating_sub(c0);
        let rcpu = cpu_of(&pid).unwrap_or_default().saturating_sub(r0);
        (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed), cpu, rcpu)
    });
    let hwm = vm_kib("self", "VmHWM:").unwrap_or(0);
    drop(child.stdin.take());
    let mut summary = String::new();
    let _ = out.read_line(&mut summary);
    let _ = child.wait();
    let _ = std::io::stdout().flush();

    let wall = cycle.as_secs_f64() * f64::from(cycles);
    let polls = ok + failed;
    println!("PTP poll: {clocks} clocks x {cycles} cycle(s) of {:?}, 5 GETs per poll", cycle);
    println!("polls ok / failed          {ok} / {failed}");
    println!("responder                  {}", summary.trim());
    println!("poller CPU (user+sys)      {:.2} s over {wall:.0} s", cpu.as_secs_f64());
    println!("poller share of one core   {:.2} %", 100.0 * cpu.as_secs_f64() / wall);
    println!("poller CPU per poll        {:.1} us", cpu.as_secs_f64() * 1e6 / polls.max(1) as f64);
    println!("responder CPU              {:.2} s", responder_cpu.as_secs_f64());
    println!("poller peak RSS (VmHWM)    {:.1} MiB", hwm as f64 / 1024.0);
    assert_eq!(failed, 0, "every poll must succeed");
}
