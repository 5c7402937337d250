//! The responder processes seen from the poller. CPU and memory are read
//! with the probe benches' /proc readers (`common/procstat.rs`).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::procstat::{cpu_of, vm_kib};
use crate::responder::{PER_RESPONDER, RESPONDER_ENV};

const READY_TIMEOUT: Duration = Duration::from_secs(120);

struct One {
    child: Child,
    pid: String,
    port: u16,
    out: BufReader<std::process::ChildStdout>,
}

/// The responder processes, each with a slice of `PER_RESPONDER` agents.
pub struct Responders {
    procs: Vec<One>,
}

/// One line from a child's stdout, waited for at most `limit`.
fn read_line(
    out: BufReader<std::process::ChildStdout>,
    limit: Duration,
) -> (Option<String>, Option<BufReader<std::process::ChildStdout>>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut out = out;
        let mut line = String::new();
        let ok = out.read_line(&mut line).is_ok();
        let _ = tx.send(ok.then_some(line));
        out
    });
    match rx.recv_timeout(limit) {
        Ok(line) => (line, reader.join().ok()),
        Err(_) => (None, None),
    }
}

impl Responders {
    pub fn start(agents: u32) -> Responders {
        let exe = std::env::current_exe().expect("current exe");
        let mut procs = Vec::new();
        let mut first = 0;
        while first < agents {
            let count = PER_RESPONDER.min(agents - first);
            let mut child = Command::new(&exe)
                .env(RESPONDER_ENV, format!("{first},{count}"))
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("spawn responder");
            let pid = child.id().to_string();
            let out = BufReader::new(child.stdout.take().expect("responder stdout"));
            let (line, out) = read_line(out, READY_TIMEOUT);
            let port = line.as_deref().and_then(|l| l.trim().strip_prefix("READY ")).and_then(|p| p.parse().ok());
            let (Some(port), Some(out)) = (port, out) else {
                let _ = child.kill();
                let _ = child.wait();
                drop(Responders { procs });
                panic!("responder for agents {first}..{} did not start: {line:?}", first + count);
            };
            procs.push(One { child, pid, port, out });
            first += count;
        }
        Responders { procs }
    }

    /// The port agent `i` listens on.
    pub fn port(&self, i: u32) -> u16 {
        self.procs.get((i / PER_RESPONDER) as usize).map_or(0, |p| p.port)
    }

    pub fn count(&self) -> usize {
        self.procs.len()
    }

    pub fn cpu(&self) -> Duration {
        self.procs.iter().map(|p| cpu_of(&p.pid).unwrap_or_default()).sum()
    }

    /// The largest VmHWM among them, KiB.
    pub fn peak_rss(&self) -> u64 {
        self.procs.iter().filter_map(|p| vm_kib(&p.pid, "VmHWM:")).max().unwrap_or(0)
    }

    /// Closes their stdin, collects the summary lines, reaps them (killing
    /// any that has not exited within 10 s).
    pub fn stop(mut self) -> Vec<String> {
        let procs = std::mem::take(&mut self.procs);
        let mut summaries = Vec::new();
        for mut p in procs {
            drop(p.child.stdin.take());
            let (line, _) = read_line(p.out, Duration::from_secs(10));
            summaries.push(line.unwrap_or_else(|| "no summary".into()).trim().to_owned());
            reap(&mut p.child);
        }
        summaries
    }
}

fn reap(child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return;
            }
        }
    }
}

impl Drop for Responders {
    /// A panic in the bench still takes the children down.
    fn drop(&mut self) {
        for p in &mut self.procs {
            let _ = p.child.kill();
            let _ = p.child.wait();
        }
    }
}
