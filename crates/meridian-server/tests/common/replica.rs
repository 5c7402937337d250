//! A replica: a process of the real server binary on the test's database.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_meridian-server");

/// Kills the replica when the test ends, however it ends.
pub struct Replica {
    child: Child,
    pub addr: SocketAddr,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a replica on `db` with the state directory `state` and waits for
/// its "listening on" line.
pub fn start_replica(db: &str, state: &std::path::Path) -> Replica {
    let mut child = Command::new(BIN)
        .env("MERIDIAN_DATABASE_URL", db)
        .env("MERIDIAN_SERVER_STATE", state)
        .env("RUST_LOG", "warn")
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn replica");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut addr = None;
    while addr.is_none() && Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        addr = line.strip_prefix("listening on https://").and_then(|a| a.parse().ok());
    }
    // Keep reading so the replica never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Replica { child, addr: addr.expect("a 'listening on' line within 60 s") }
}
