//! A LinuxPTP lab: two network namespaces joined by a veth pair, a `ptp4l`
//! master in one and a slave in the other, with the configs in
//! `tests/timing/` (software timestamping, `free_running 1`, so the host's
//! clock is never adjusted). Their UNIX management sockets sit in a temp
//! dir: pathname sockets are not scoped by network namespace, so a client in
//! the test process reaches both without entering the namespaces.
//!
//! Names carry the test's pid, so parallel tests never share a namespace.
//! `Drop` kills ptp4l and deletes the namespaces (which deletes the veth
//! pair); a watchdog does the same if the test process dies without
//! dropping (abort, SIGKILL). Needs root.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::process::{io, spawn_watchdog, stdout_of};
use crate::TestkitError;

/// One ptp4l in its namespace.
struct Instance {
    child: Option<Child>,
    socket: PathBuf,
}

pub struct Ptp4lLab {
    dir: tempfile::TempDir,
    namespaces: [String; 2],
    master: Instance,
    slave: Instance,
    /// The veth ends' addresses (master, slave), inside the namespaces.
    pub addresses: [std::net::Ipv4Addr; 2],
    pub interfaces: [String; 2],
}

/// True when this process runs as root (namespaces and ptp4l need it).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

fn config_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/timing")
}

fn ip(args: &[&str]) -> Result<(), TestkitError> {
    let mut c = Command::new("ip");
    c.args(args);
    stdout_of(c, &format!("ip {}", args.join(" "))).map(|_| ())
}

impl Ptp4lLab {
    /// Creates the namespaces and starts both ptp4l. Returns at once; the
    /// slave needs a few seconds (announce receipt) to pick its master.
    pub fn start() -> Result<Self, TestkitError> {
        Self::start_with(true)
    }

    /// As [`Self::start`]; with `slave_only` false the slave's `slaveOnly`
    /// line is dropped, so it can win the BMCA (a grandmaster change when
    /// the master's priority1 is made worse than its 128).
    pub fn start_with(slave_only: bool) -> Result<Self, TestkitError> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        if !is_root() {
            return Err(TestkitError::Peer("the ptp4l lab needs root (network namespaces)".into()));
        }
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tag = format!("{}{}", std::process::id(), n);
        let namespaces = [format!("meridian-ptpm-{tag}"), format!("meridian-ptps-{tag}")];
        let interfaces = [format!("mpm{tag}"), format!("mps{tag}")];
        let third = 1 + (n % 250) as u8;
        let addresses = [std::net::Ipv4Addr::new(10, 231, third, 1), std::net::Ipv4Addr::new(10, 231, third, 2)];
        let dir = tempfile::Builder::new().prefix("meridian-ptp4l").tempdir().map_err(|e| io("temp dir", e))?;
        // Registered before anything exists, so a failure half-way is cleaned too.
        spawn_watchdog(
            "ptp4l lab",
            &format!(
                "ip netns pids {m} 2>/dev/null | xargs -r kill; ip netns pids {s} 2>/dev/null | xargs -r kill; \
                 ip netns del {m} 2>/dev/null; ip netns del {s} 2>/dev/null; rm -rf {d}",
                m = namespaces[0],
                s = namespaces[1],
                d = dir.path().display()
            ),
        )?;
        let mut lab = Self {
            master: Instance { child: None, socket: dir.path().join("master.sock") },
            slave: Instance { child: None, socket: dir.path().join("slave.sock") },
            dir,
            namespaces,
            addresses,
            interfaces,
        };
        lab.network()?;
        lab.master.child = Some(lab.spawn(0, "m.cfg", true)?);
        lab.slave.child = Some(lab.spawn(1, "s.cfg", slave_only)?);
        lab.wait_for_sockets(Duration::from_secs(10))?;
        Ok(lab)
    }

    fn network(&self) -> Result<(), TestkitError> {
        let [m, s] = &self.namespaces;
        let [mi, si] = &self.interfaces;
        ip(&["netns", "add", m])?;
        ip(&["netns", "add", s])?;
        ip(&["link", "add", mi, "type", "veth", "peer", "name", si])?;
        for (ns, ifc, addr) in [(m, mi, self.addresses[0]), (s, si, self.addresses[1])] {
            ip(&["link", "set", ifc, "netns", ns])?;
            ip(&["-n", ns, "addr", "add", &format!("{addr}/24"), "dev", ifc])?;
            ip(&["-n", ns, "link", "set", ifc, "up"])?;
            ip(&["-n", ns, "link", "set", "lo", "up"])?;
        }
        Ok(())
    }

    /// ptp4l with the shared config, its `uds_address` moved into our dir.
    fn spawn(&self, i: usize, config: &str, keep_slave_only: bool) -> Result<Child, TestkitError> {
        let text = std::fs::read_to_string(config_dir().join(config)).map_err(|e| io(config, e))?;
        let socket = if i == 0 { &self.master.socket } else { &self.slave.socket };
        let text: String = text
            .lines()
            .filter(|l| keep_slave_only || !l.starts_with("slaveOnly"))
            .map(|l| if l.starts_with("uds_address") { format!("uds_address {}", socket.display()) } else { l.into() })
            .collect::<Vec<_>>()
            .join("\n");
        let cfg = self.dir.path().join(config);
        std::fs::write(&cfg, text + "\n").map_err(|e| io("write ptp4l config", e))?;
        let log = std::fs::File::create(self.dir.path().join(format!("{config}.log"))).map_err(|e| io("log", e))?;
        let err = log.try_clone().map_err(|e| io("log", e))?;
        Command::new("ip")
            .args(["netns", "exec", &self.namespaces[i], "ptp4l", "-m", "-f"])
            .arg(&cfg)
            .args(["-i", &self.interfaces[i]])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .map_err(|e| io("spawn ptp4l (is linuxptp installed?)", e))
    }

    fn wait_for_sockets(&self, limit: Duration) -> Result<(), TestkitError> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if self.master.socket.exists() && self.slave.socket.exists() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(TestkitError::Peer(format!("ptp4l did not create its sockets within {limit:?}: {}", self.logs())))
    }

    pub fn master_socket(&self) -> &Path {
        &self.master.socket
    }

    pub fn slave_socket(&self) -> &Path {
        &self.slave.socket
    }

    /// A directory the test may bind client sockets in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn namespace(&self, i: usize) -> &str {
        &self.namespaces[i]
    }

    /// Kills the master's ptp4l (loss of sync for the slave).
    pub fn kill_master(&mut self) {
        if let Some(mut c) = self.master.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// `pmc -u -b 0 -s SOCKET CMD` (e.g. `SET PRIORITY1 100`): its stdout.
    pub fn pmc(&self, socket: &Path, cmd: &str) -> Result<String, TestkitError> {
        let mut c = Command::new("timeout");
        c.args(["5", "pmc", "-u", "-b", "0", "-s"]).arg(socket).arg(cmd);
        stdout_of(c, "pmc")
    }

    /// Both ptp4l logs, for failure messages.
    pub fn logs(&self) -> String {
        ["m.cfg.log", "s.cfg.log"]
            .iter()
            .map(|f| format!("--- {f}\n{}", std::fs::read_to_string(self.dir.path().join(f)).unwrap_or_default()))
            .collect()
    }
}

impl Drop for Ptp4lLab {
    fn drop(&mut self) {
        for inst in [&mut self.master, &mut self.slave] {
            if let Some(mut c) = inst.child.take() {
                let _ = c.kill();
                let _ = c.wait();
            }
        }
        for ns in &self.namespaces {
            let _ = Command::new("ip").args(["netns", "del", ns]).status();
        }
    }
}
