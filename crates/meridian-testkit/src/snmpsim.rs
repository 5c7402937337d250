//! `snmpsim` (PyPI) answering with recordings of real devices from
//! `snmpsim-data`, on loopback.
//!
//! `scripts/install-snmpsim.sh` (run by `make deps`) builds the venv this
//! harness uses: `$MERIDIAN_SNMPSIM_VENV`, by default
//! `/var/tmp/meridian-snmpsim-venv`. Without it [`Snmpsim::start`] fails
//! with a message naming the script; tests never skip silently.
//!
//! How snmpsim is run, and why:
//! - Each instance gets a temporary data dir with copies of only the
//!   recordings asked for (snmpsim indexes every file in its data dir, and
//!   `snmpsim-data` holds 116 walks, some of millions of lines), plus a cache
//!   dir for its indices. Both belong to the user snmpsim runs as.
//! - snmpsim refuses to run as root, so when the tests run as root it is
//!   started with `--process-user nobody --process-group <nobody's group>`
//!   and drops to that user itself; as any other user it runs as that user.
//! - The v1/v2c community selects the recording: its path under the data
//!   dir without the `.snmprec`/`.snmprec.bz2` extension, with `/` between
//!   directories, e.g. `os/linux/slackware`.
//! - It listens on one free UDP port on every address given (127.0.0.1 by
//!   default; any 127.x.y.z works on Linux), so one process can stand in for
//!   several devices.
//! - A watchdog shell kills snmpsim and removes its directory when the test
//!   process exits, however it exits (statics are never dropped).
//!
//! Editing a recording: [`recording_text`] gives the decompressed lines of a
//! snmpsim-data recording (`OID|TAG|VALUE`), [`replace_record`] rewrites one
//! of them, and [`SnmpsimBuilder::edited`] serves the result under a
//! community of its own. A record tagged `TAG:writecache|value=V` (snmpsim's
//! writecache variation module) answers V until an SNMP SET changes it, which
//! lets a test change the agent between two polls.

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::io;
use crate::TestkitError;

/// Where `scripts/install-snmpsim.sh` puts the venv unless
/// `MERIDIAN_SNMPSIM_VENV` says otherwise.
pub const DEFAULT_SNMPSIM_VENV: &str = "/var/tmp/meridian-snmpsim-venv";

/// Where [`Snmpsim::fleet`] keeps one directory per recording, with the
/// index snmpsim builds: `$MERIDIAN_SNMPSIM_FLEET`, by default
/// `/var/tmp/meridian-snmpsim-fleet` (outside the repo, reused by later runs).
pub fn fleet_dir() -> PathBuf {
    std::env::var_os("MERIDIAN_SNMPSIM_FLEET")
        .map_or_else(|| PathBuf::from("/var/tmp/meridian-snmpsim-fleet"), PathBuf::from)
}

/// The unprivileged user snmpsim drops to when started as root.
const RUN_AS: &str = "nobody";

/// The venv holding snmpsim and snmpsim-data.
pub fn snmpsim_venv() -> PathBuf {
    std::env::var_os("MERIDIAN_SNMPSIM_VENV").map_or_else(|| PathBuf::from(DEFAULT_SNMPSIM_VENV), PathBuf::from)
}

fn not_installed(detail: &str) -> TestkitError {
    TestkitError::Peer(format!(
        "snmpsim is not installed ({detail}); run `bash scripts/install-snmpsim.sh` (or `make deps`), \
         which builds its venv at {} (MERIDIAN_SNMPSIM_VENV overrides the path)",
        snmpsim_venv().display()
    ))
}

/// The `data` directory of the installed snmpsim-data package.
pub fn snmpsim_data_dir() -> Result<PathBuf, TestkitError> {
    let lib = snmpsim_venv().join("lib");
    let entries = std::fs::read_dir(&lib).map_err(|e| not_installed(&format!("cannot read {}: {e}", lib.display())))?;
    entries
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("site-packages/snmpsim_data/data"))
        .find(|p| p.is_dir())
        .ok_or_else(|| not_installed(&format!("no {}/python3.*/site-packages/snmpsim_data/data", lib.display())))
}

/// The file of a snmpsim-data recording, named as its community:
/// `os/linux/slackware` -> `.../data/os/linux/slackware.snmprec.bz2`.
pub fn recording_path(name: &str) -> Result<PathBuf, TestkitError> {
    let data = snmpsim_data_dir()?;
    ["snmprec.bz2", "snmprec"]
        .iter()
        .map(|ext| data.join(format!("{name}.{ext}")))
        .find(|p| p.is_file())
        .ok_or_else(|| TestkitError::Peer(format!("no recording {name:?} in {}", data.display())))
}

/// The decompressed text of a snmpsim-data recording, one `OID|TAG|VALUE`
/// record a line. The venv's own Python decompresses it, so no bzip2 tool
/// is needed.
pub fn recording_text(name: &str) -> Result<String, TestkitError> {
    let bytes = recording_bytes(name)?;
    String::from_utf8(bytes).map_err(|e| TestkitError::Peer(format!("recording {name} is not UTF-8: {e}")))
}

/// The decompressed bytes of a recording (some hold raw non-UTF-8 octets).
pub fn recording_bytes(name: &str) -> Result<Vec<u8>, TestkitError> {
    let path = recording_path(name)?;
    let python = snmpsim_venv().join("bin/python3");
    let out = Command::new(&python)
        .args(["-c", "import bz2,sys; p=sys.argv[1]; sys.stdout.buffer.write((bz2.open if p.endswith('.bz2') else open)(p,'rb').read())"])
        .arg(&path)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| not_installed(&format!("cannot run {}: {e}", python.display())))?;
    if !out.status.success() {
        return Err(TestkitError::Peer(format!(
            "reading {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}

/// Replaces the record of `oid` (dotted, no leading dot) with
/// `oid|tag_and_value`, e.g. `("1.3.6.1.2.1.2.2.1.8.3", "2|2")` or
/// `("1.3.6.1.2.1.1.3.0", "67:writecache|value=500")`. Fails when the
/// recording has no such record, so an edit cannot silently miss.
pub fn replace_record(text: &str, oid: &str, tag_and_value: &str) -> Result<String, TestkitError> {
    let prefix = format!("{oid}|");
    let mut found = false;
    let mut out = String::with_capacity(text.len() + tag_and_value.len());
    for line in text.lines() {
        if line.starts_with(&prefix) {
            found = true;
            out.push_str(&prefix);
            out.push_str(tag_and_value);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    if found {
        Ok(out)
    } else {
        Err(TestkitError::Peer(format!("the recording has no record for {oid}")))
    }
}

/// The value field of `oid`'s record (`OID|TAG|VALUE`), if there is one.
pub fn record_value<'a>(text: &'a str, oid: &str) -> Option<&'a str> {
    let prefix = format!("{oid}|");
    text.lines().find_map(|l| l.strip_prefix(&prefix)).and_then(|rest| rest.split_once('|')).map(|(_, v)| v)
}

enum Source {
    /// A snmpsim-data recording, copied as it is.
    Data(String),
    /// Recording text written by the test.
    Text(String),
}

/// What one snmpsim process serves and where.
pub struct SnmpsimBuilder {
    recordings: Vec<(String, Source)>,
    addresses: Vec<Ipv4Addr>,
    port: Option<u16>,
    keep: Option<PathBuf>,
}

impl SnmpsimBuilder {
    /// Serves the snmpsim-data recording `name` (e.g. `network/switch/cisco-c3560`)
    /// under the community `name`.
    pub fn recording(mut self, name: &str) -> Self {
        self.recordings.push((name.to_owned(), Source::Data(name.to_owned())));
        self
    }

    /// Serves the snmpsim-data recording `name` under `community`, e.g. a
    /// real device's recording as `public`.
    pub fn recording_as(mut self, name: &str, community: &str) -> Self {
        self.recordings.push((community.to_owned(), Source::Data(name.to_owned())));
        self
    }

    /// Listens on this UDP port instead of a free one (several processes on
    /// different loopback addresses can share a port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Uses `dir` (created if missing) instead of a temporary directory and
    /// leaves it behind, so snmpsim's index of a large recording, built on
    /// the first start, is reused by later runs (indexing the biggest
    /// snmpsim-data walks takes minutes; answering from an index is fast).
    pub fn persistent_dir(mut self, dir: PathBuf) -> Self {
        self.keep = Some(dir);
        self
    }

    /// Serves `text` (snmprec lines) under `community` (letters, digits,
    /// `-`, `_` and `/` between directories).
    pub fn edited(mut self, community: &str, text: String) -> Self {
        self.recordings.push((community.to_owned(), Source::Text(text)));
        self
    }

    /// Listens on these loopback addresses (same port on each) instead of
    /// 127.0.0.1 alone.
    pub fn addresses(mut self, addrs: &[Ipv4Addr]) -> Self {
        self.addresses = addrs.to_vec();
        self
    }

    /// Starts snmpsim and waits (up to 30 s) until every address answers.
    pub fn start(self) -> Result<Snmpsim, TestkitError> {
        if self.recordings.is_empty() {
            return Err(TestkitError::Peer("snmpsim needs at least one recording".into()));
        }
        if let Some(a) = self.addresses.iter().find(|a| !a.is_loopback()) {
            return Err(TestkitError::Peer(format!("{a} is not a loopback address; tests stay on 127.0.0.0/8")));
        }
        let responder = snmpsim_venv().join("bin/snmpsim-command-responder");
        if !responder.is_file() {
            return Err(not_installed(&format!("{} is missing", responder.display())));
        }
        let mut last = String::new();
        // A free port found by binding may be taken again before snmpsim
        // binds it; try a few.
        for _ in 0..3 {
            let dir = match &self.keep {
                Some(d) => {
                    std::fs::create_dir_all(d).map_err(|e| io(&format!("create {}", d.display()), e))?;
                    d.clone()
                }
                None => tempfile::Builder::new()
                    .prefix("meridian-snmpsim-")
                    .tempdir()
                    .map_err(|e| io("temp dir", e))?
                    .keep(),
            };
            match self.try_start(&responder, dir.clone()) {
                Ok(s) => return Ok(s),
                Err(e) => {
                    if self.keep.is_none() {
                        let _ = std::fs::remove_dir_all(&dir);
                    }
                    last = e.to_string();
                }
            }
        }
        Err(TestkitError::Peer(format!("snmpsim did not start: {last}")))
    }

    fn try_start(&self, responder: &Path, dir: PathBuf) -> Result<Snmpsim, TestkitError> {
        let data = dir.join("data");
        let cache = dir.join("cache");
        for d in [&data, &cache] {
            std::fs::create_dir_all(d).map_err(|e| io("snmpsim dirs", e))?;
        }
        let mut first_community = None;
        for (community, source) in &self.recordings {
            if community.is_empty()
                || community.starts_with('/')
                || community.split('/').any(|p| p.is_empty() || p == "." || p == "..")
            {
                return Err(TestkitError::Peer(format!("bad community {community:?}")));
            }
            first_community.get_or_insert(community.clone());
            match source {
                // Kept directories hold the recording decompressed: snmpsim
                // seeks in the data file for every request, and seeking in a
                // .bz2 stream means decompressing from its start, which makes
                // the large walks answer in seconds instead of milliseconds.
                Source::Data(name) if self.keep.is_some() => {
                    let to = data.join(format!("{community}.snmprec"));
                    if !to.is_file() {
                        make_parent(&to)?;
                        let tmp = to.with_extension("partial");
                        std::fs::write(&tmp, recording_bytes(name)?)
                            .and_then(|()| std::fs::rename(&tmp, &to))
                            .map_err(|e| io(&format!("write {}", to.display()), e))?;
                    }
                }
                Source::Data(name) => {
                    let from = recording_path(name)?;
                    let ext = if from.extension().is_some_and(|e| e == "bz2") { "snmprec.bz2" } else { "snmprec" };
                    let to = data.join(format!("{community}.{ext}"));
                    make_parent(&to)?;
                    std::fs::copy(&from, &to).map_err(|e| io(&format!("copy {}", from.display()), e))?;
                }
                Source::Text(text) => {
                    let to = data.join(format!("{community}.snmprec"));
                    make_parent(&to)?;
                    std::fs::write(&to, text).map_err(|e| io(&format!("write {}", to.display()), e))?;
                }
            }
        }
        let run_as = if is_root() { Some(drop_to()?) } else { None };
        if let Some((user, group)) = &run_as {
            chown_tree(&dir, user, group)?;
        }
        let port = match self.port {
            Some(p) => p,
            None => free_udp_port()?,
        };
        let addresses = if self.addresses.is_empty() { vec![Ipv4Addr::LOCALHOST] } else { self.addresses.clone() };
        let log = std::fs::File::create(dir.join("snmpsim.log")).map_err(|e| io("snmpsim.log", e))?;
        let log2 = log.try_clone().map_err(|e| io("snmpsim.log", e))?;
        let mut cmd = Command::new(responder);
        cmd.arg(format!("--data-dir={}", data.display()))
            .arg(format!("--cache-dir={}", cache.display()))
            .arg("--logging-method=stderr");
        for a in &addresses {
            cmd.arg(format!("--agent-udpv4-endpoint={a}:{port}"));
        }
        if let Some((user, group)) = &run_as {
            cmd.arg(format!("--process-user={user}")).arg(format!("--process-group={group}"));
        }
        let child = cmd
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log2))
            .spawn()
            .map_err(|e| io(&format!("spawn {}", responder.display()), e))?;
        let keep = self.keep.is_some();
        let mut s = Snmpsim { dir, port, addresses, child, keep };
        s.spawn_watchdog()?;
        let community = first_community.unwrap_or_default();
        // A kept directory may be indexing a large recording for the first time.
        s.wait_ready(&community, Duration::from_secs(if keep { 600 } else { 30 }))?;
        if run_as.is_some() && s.process_uid() == Some(0) {
            return Err(TestkitError::Peer("snmpsim still runs as root after --process-user".into()));
        }
        tracing::info!(port, "snmpsim started");
        Ok(s)
    }
}

pub struct Snmpsim {
    dir: PathBuf,
    port: u16,
    addresses: Vec<Ipv4Addr>,
    child: Child,
    /// The directory outlives the process (see `persistent_dir`).
    keep: bool,
}

impl Snmpsim {
    pub fn builder() -> SnmpsimBuilder {
        SnmpsimBuilder { recordings: Vec::new(), addresses: Vec::new(), port: None, keep: None }
    }

    /// One snmpsim per `(address, recording)`, all on one port, each
    /// answering community `public` with its recording, as a lab of real
    /// devices would. One process per device because snmpsim 1.2.2 with
    /// pysnmp 7 ignores its by-transport-address data layout (its
    /// `probe_hash_context` hook is never called), so one process cannot
    /// serve different recordings on different addresses under one
    /// community. Starts up to `parallel` at a time. Each recording keeps
    /// its directory (and snmpsim's index) under [`fleet_dir`].
    pub fn fleet(devices: &[(Ipv4Addr, String)], parallel: usize) -> Result<Vec<Snmpsim>, TestkitError> {
        let port = free_udp_port()?;
        let mut out: Vec<Snmpsim> = Vec::with_capacity(devices.len());
        for chunk in devices.chunks(parallel.max(1)) {
            let started: Vec<Result<Snmpsim, TestkitError>> = std::thread::scope(|s| {
                let handles: Vec<_> = chunk
                    .iter()
                    .map(|(addr, rec)| {
                        s.spawn(move || {
                            Snmpsim::builder()
                                .recording_as(rec, "public")
                                .addresses(&[*addr])
                                .port(port)
                                .persistent_dir(fleet_dir().join(rec.replace('/', "_")))
                                .start()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|_| Err(TestkitError::Peer("snmpsim start panicked".into()))))
                    .collect()
            });
            for (r, (addr, rec)) in started.into_iter().zip(chunk) {
                out.push(r.map_err(|e| TestkitError::Peer(format!("{rec} on {addr}: {e}")))?);
            }
        }
        Ok(out)
    }

    /// snmpsim on 127.0.0.1 serving these snmpsim-data recordings, each
    /// under its own name as the community.
    pub fn start(recordings: &[&str]) -> Result<Self, TestkitError> {
        recordings.iter().fold(Self::builder(), |b, r| b.recording(r)).start()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The addresses snmpsim listens on (all with [`Snmpsim::port`]).
    pub fn addresses(&self) -> &[Ipv4Addr] {
        &self.addresses
    }

    /// `ADDR:PORT` of the first address, as net-snmp tools take it.
    pub fn address(&self) -> String {
        self.socket_addr().to_string()
    }

    pub fn socket_addr(&self) -> SocketAddr {
        SocketAddr::from((self.addresses.first().copied().unwrap_or(Ipv4Addr::LOCALHOST), self.port))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The real user id snmpsim runs as now (Linux `/proc`), if known.
    pub fn process_uid(&self) -> Option<u32> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status.lines().find_map(|l| l.strip_prefix("Uid:"))?.split_whitespace().next()?.parse().ok()
    }

    /// What snmpsim logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("snmpsim.log")).unwrap_or_default()
    }

    /// Runs a net-snmp client tool (`snmpbulkwalk`, `snmpset`, ...) with MIB
    /// loading off, a private persistent dir and the C locale, so its output
    /// depends only on the agent; returns stdout.
    pub fn tool(&self, name: &str, args: &[&str]) -> Result<String, TestkitError> {
        crate::process::stdout_of(self.tool_command(name, args), name)
    }

    /// The command [`Snmpsim::tool`] runs, for callers that time it.
    pub fn tool_command(&self, name: &str, args: &[&str]) -> Command {
        crate::process::net_snmp_tool(&self.dir, name, args)
    }

    fn wait_ready(&mut self, community: &str, limit: Duration) -> Result<(), TestkitError> {
        let start = Instant::now();
        let mut pending: Vec<String> = self.addresses.iter().map(|a| format!("{a}:{}", self.port)).collect();
        while start.elapsed() < limit && !pending.is_empty() {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(TestkitError::Peer(format!("snmpsim exited ({status}); log: {}", self.log())));
            }
            let mut still = Vec::new();
            for addr in pending {
                let ok = self
                    .tool_command(
                        "snmpget",
                        &["-v2c", "-c", community, "-r0", "-t0.5", "-On", &addr, ".1.3.6.1.2.1.1.3.0"],
                    )
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
                if !ok {
                    still.push(addr);
                }
            }
            pending = still;
            if !pending.is_empty() {
                std::thread::sleep(Duration::from_millis(200));
            }
        }
        if pending.is_empty() {
            return Ok(());
        }
        Err(TestkitError::Peer(format!(
            "snmpsim not answering community {community:?} on {pending:?} after {limit:?}; log: {}",
            self.log()
        )))
    }

    fn spawn_watchdog(&self) -> Result<(), TestkitError> {
        let cleanup = if self.keep {
            format!("kill -9 {} 2>/dev/null", self.child.id())
        } else {
            format!("kill -9 {} 2>/dev/null; rm -rf {:?}", self.child.id(), self.dir)
        };
        crate::process::spawn_watchdog("snmpsim", &cleanup)
    }
}

impl Drop for Snmpsim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn make_parent(path: &Path) -> Result<(), TestkitError> {
    match path.parent() {
        Some(p) => std::fs::create_dir_all(p).map_err(|e| io(&format!("create {}", p.display()), e)),
        None => Ok(()),
    }
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The user and group snmpsim drops to: `nobody` and its primary group
/// (`nogroup` on Debian).
fn drop_to() -> Result<(String, String), TestkitError> {
    let out =
        Command::new("id").args(["-gn", RUN_AS]).output().map_err(|e| io(&format!("look up user {RUN_AS}"), e))?;
    let group = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !out.status.success() || group.is_empty() {
        return Err(TestkitError::Peer(format!("no user {RUN_AS} for snmpsim to run as")));
    }
    Ok((RUN_AS.to_owned(), group))
}

fn chown_tree(dir: &Path, user: &str, group: &str) -> Result<(), TestkitError> {
    let ok =
        Command::new("chown").arg("-R").arg(format!("{user}:{group}")).arg(dir).status().is_ok_and(|s| s.success());
    if ok {
        Ok(())
    } else {
        Err(TestkitError::Peer(format!("chown -R {user}:{group} {} failed", dir.display())))
    }
}

/// A UDP port free on 127.0.0.1 now (several snmpsim processes on different
/// loopback addresses can then share it).
pub fn free_udp_port() -> Result<u16, TestkitError> {
    let s = UdpSocket::bind("127.0.0.1:0").map_err(|e| io("find a free UDP port", e))?;
    Ok(s.local_addr().map_err(|e| io("find a free UDP port", e))?.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_record_rewrites_one_line_or_fails() {
        let text = "1.3.6.1.2.1.1.3.0|67|100\n1.3.6.1.2.1.1.30.0|2|1\n";
        let edited = replace_record(text, "1.3.6.1.2.1.1.3.0", "67:writecache|value=100").expect("edit");
        assert_eq!(edited, "1.3.6.1.2.1.1.3.0|67:writecache|value=100\n1.3.6.1.2.1.1.30.0|2|1\n");
        assert!(replace_record(text, "1.3.6.1.2.1.1.3", "2|1").is_err());
        assert_eq!(record_value(text, "1.3.6.1.2.1.1.30.0"), Some("1"));
        assert_eq!(record_value(text, "1.3.6.1.2.1.1.3"), None);
    }
}
