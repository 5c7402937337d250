//! A real net-snmp `snmpd` on 127.0.0.1 with a generated configuration:
//! community `public` (v1/v2c) and one SNMPv3 user for every auth/priv
//! pair this snmpd supports, plus a noAuthNoPriv and an authNoPriv user.
//!
//! Debian's net-snmp 5.9 accepts MD5, SHA-1, SHA-224/256/384/512 with DES,
//! AES-128, AES-192 and AES-256 (all 24 pairs answer), which is what
//! [`AUTH_PROTOCOLS`] x [`PRIV_PROTOCOLS`] lists.
//!
//! The view hides the process and socket tables (hrSWRun, hrSWRunPerf,
//! TCP/UDP connection and listener tables): they change between two walks
//! run a moment apart, so no walk could be compared line by line with
//! `snmpbulkwalk`. Everything else of snmpd's tree stays visible.
//!
//! A watchdog shell kills snmpd and removes its directory when the test
//! process exits, however it exits (statics are never dropped).

use std::net::{Ipv4Addr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::io;
use crate::TestkitError;

/// net-snmp's spellings, as `createUser` and `snmpget -a/-x` take them.
pub const AUTH_PROTOCOLS: [&str; 6] = ["MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512"];
pub const PRIV_PROTOCOLS: [&str; 4] = ["DES", "AES", "AES-192", "AES-256"];
pub const AUTH_PASS: &str = "authpass123";
pub const PRIV_PASS: &str = "privpass123";
pub const COMMUNITY: &str = "public";

const EXCLUDED: [&str; 7] = [
    ".1.3.6.1.2.1.25.4",
    ".1.3.6.1.2.1.25.5",
    ".1.3.6.1.2.1.6.13",
    ".1.3.6.1.2.1.6.19",
    ".1.3.6.1.2.1.6.20",
    ".1.3.6.1.2.1.7.5",
    ".1.3.6.1.2.1.7.7",
];

/// One v3 user of the generated config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnmpdUser {
    pub name: String,
    pub auth: Option<&'static str>,
    pub privacy: Option<&'static str>,
}

impl SnmpdUser {
    /// net-snmp's security level name for this user.
    pub fn level(&self) -> &'static str {
        match (self.auth, self.privacy) {
            (None, _) => "noAuthNoPriv",
            (Some(_), None) => "authNoPriv",
            (Some(_), Some(_)) => "authPriv",
        }
    }
}

/// Every user the generated config creates.
pub fn snmpd_users() -> Vec<SnmpdUser> {
    let mut v = vec![
        SnmpdUser { name: "noauth".into(), auth: None, privacy: None },
        SnmpdUser { name: "authonly".into(), auth: Some("SHA-256"), privacy: None },
        SnmpdUser { name: "authonly_md5".into(), auth: Some("MD5"), privacy: None },
    ];
    for a in AUTH_PROTOCOLS {
        for p in PRIV_PROTOCOLS {
            let name = format!("u_{}_{}", a.replace('-', "").to_lowercase(), p.replace('-', "").to_lowercase());
            v.push(SnmpdUser { name, auth: Some(a), privacy: Some(p) });
        }
    }
    v
}

pub struct Snmpd {
    dir: PathBuf,
    port: u16,
    /// Addresses snmpd listens on (all on `port`); 127.0.0.1 unless started
    /// with [`Snmpd::start_on`].
    listen: Vec<Ipv4Addr>,
    child: Child,
}

impl Snmpd {
    /// Starts snmpd and waits (up to 15 s) until it answers a v2c GET.
    pub fn start() -> Result<Self, TestkitError> {
        Self::start_on(&[Ipv4Addr::LOCALHOST])
    }

    /// One snmpd listening on every address of `listen` (all inside
    /// 127.0.0.0/8, at least one), on one UDP port, with the same
    /// configuration as [`Snmpd::start`]: a lab of many "agents" for the
    /// price of one process. They are one agent to a client that looks (same
    /// engine id, same sysName). Waits until the first address answers.
    /// Requests arrive from 127.0.0.1 (the kernel's source for all of
    /// 127.0.0.0/8), which is what the community is limited to.
    pub fn start_on(listen: &[Ipv4Addr]) -> Result<Self, TestkitError> {
        Self::start_with(listen, "")
    }

    /// [`Snmpd::start_on`] with lines appended to the generated config, e.g.
    /// a `pass` handler whose script reads a value the test writes, so a
    /// test can drive a polled value up and down.
    pub fn start_with(listen: &[Ipv4Addr], extra_config: &str) -> Result<Self, TestkitError> {
        if listen.is_empty() || listen.iter().any(|a| !a.is_loopback()) {
            return Err(TestkitError::Peer("snmpd listens only on 127.0.0.0/8 addresses (and at least one)".into()));
        }
        let mut last = String::new();
        // A free port found by binding may be taken again before snmpd binds
        // it; try a few.
        for _ in 0..3 {
            match Self::try_start(listen, extra_config) {
                Ok(s) => return Ok(s),
                Err(e) => last = e.to_string(),
            }
        }
        Err(TestkitError::Peer(format!("snmpd did not start: {last}")))
    }

    fn try_start(listen: &[Ipv4Addr], extra_config: &str) -> Result<Self, TestkitError> {
        let dir = tempfile::Builder::new().prefix("meridian-snmpd-").tempdir().map_err(|e| io("temp dir", e))?.keep();
        let port = free_udp_port()?;
        let conf = dir.join("snmpd.conf");
        std::fs::write(&conf, config() + extra_config).map_err(|e| io("write snmpd.conf", e))?;
        let persist = dir.join("persist");
        std::fs::create_dir_all(&persist).map_err(|e| io("persist dir", e))?;
        let log = std::fs::File::create(dir.join("snmpd.log")).map_err(|e| io("snmpd.log", e))?;
        let log2 = log.try_clone().map_err(|e| io("snmpd.log", e))?;
        let child = Command::new("snmpd")
            .args(["-f", "-Lo", "-C", "-c"])
            .arg(&conf)
            .arg("-p")
            .arg(dir.join("snmpd.pid"))
            .arg(format!("--persistentDir={}", persist.display()))
            // No MIB files are needed by the agent; skip loading them.
            .args(["-M", "/nonexistent", "-m", ""])
            .arg(listen.iter().map(|a| format!("udp:{a}:{port}")).collect::<Vec<_>>().join(","))
            .stdin(Stdio::null())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log2))
            .spawn()
            .map_err(|e| io("spawn snmpd (is the snmpd package installed?)", e))?;
        let s = Self { dir, port, listen: listen.to_vec(), child };
        s.spawn_watchdog()?;
        s.wait_ready(Duration::from_secs(15))?;
        tracing::info!(port, "snmpd started");
        Ok(s)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:PORT` (the first listening address, for
    /// [`Snmpd::start_on`]), as net-snmp tools take it.
    pub fn address(&self) -> String {
        format!("{}:{}", self.listen[0], self.port)
    }

    /// The addresses snmpd listens on, each on [`Snmpd::port`].
    pub fn listen_addresses(&self) -> &[Ipv4Addr] {
        &self.listen
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs a net-snmp client tool (`snmpget`, `snmpbulkwalk`, ...) with
    /// MIB loading off, a private persistent dir and the C locale, so its
    /// output depends only on the agent; returns stdout.
    pub fn tool(&self, name: &str, args: &[&str]) -> Result<String, TestkitError> {
        crate::process::stdout_of(self.tool_command(name, args), name)
    }

    /// The command [`Snmpd::tool`] runs, for callers that time it.
    pub fn tool_command(&self, name: &str, args: &[&str]) -> Command {
        crate::process::net_snmp_tool(&self.dir, name, args)
    }

    fn wait_ready(&self, limit: Duration) -> Result<(), TestkitError> {
        let start = Instant::now();
        let addr = self.address();
        while start.elapsed() < limit {
            let ok = self
                .tool_command("snmpget", &["-v2c", "-c", COMMUNITY, "-r0", "-t0.3", "-On", &addr, ".1.3.6.1.2.1.1.3.0"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if ok {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let log = std::fs::read_to_string(self.dir.join("snmpd.log")).unwrap_or_default();
        Err(TestkitError::Peer(format!("snmpd on {addr} not answering after {limit:?}; log: {log}")))
    }

    fn spawn_watchdog(&self) -> Result<(), TestkitError> {
        let cleanup = format!("kill -9 {} 2>/dev/null; rm -rf {:?}", self.child.id(), self.dir);
        crate::process::spawn_watchdog("snmpd", &cleanup)
    }
}

impl Drop for Snmpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn config() -> String {
    let mut c = String::from("# generated by meridian-testkit\nview all included .1\n");
    for e in EXCLUDED {
        c.push_str(&format!("view all excluded {e}\n"));
    }
    c.push_str(&format!("rocommunity {COMMUNITY} 127.0.0.1 -V all\n"));
    for u in snmpd_users() {
        match (u.auth, u.privacy) {
            (None, _) => c.push_str(&format!("createUser {}\n", u.name)),
            (Some(a), None) => c.push_str(&format!("createUser {} {a} \"{AUTH_PASS}\"\n", u.name)),
            (Some(a), Some(p)) => {
                c.push_str(&format!("createUser {} {a} \"{AUTH_PASS}\" {p} \"{PRIV_PASS}\"\n", u.name))
            }
        }
        let level = match u.level() {
            "noAuthNoPriv" => "noauth",
            "authNoPriv" => "auth",
            _ => "priv",
        };
        c.push_str(&format!("rouser {} {level} -V all\n", u.name));
    }
    c
}

fn free_udp_port() -> Result<u16, TestkitError> {
    let s = UdpSocket::bind("127.0.0.1:0").map_err(|e| io("find a free UDP port", e))?;
    Ok(s.local_addr().map_err(|e| io("find a free UDP port", e))?.port())
}
