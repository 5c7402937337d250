//! A real `rsyslogd` in two roles, each with its config, pidfile and work
//! dir in a temp dir and a watchdog that kills it if the test process dies:
//! - [`RsyslogRelay`] takes syslog over UDP on a loopback port (what
//!   `logger` sends) and forwards every message over TLS (RFC 5425, GnuTLS,
//!   the receiver's certificate checked against a CA and the name
//!   `localhost`) with octet-counted framing, as a site's relay would
//!   forward to Meridian;
//! - [`RsyslogTlsSink`] receives syslog over TLS on a loopback port and
//!   writes each message to a file, as a NOC's collector would receive
//!   Meridian's forwarded alarms.

use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::{io, spawn_watchdog};
use crate::TestkitError;

/// The running daemon and its directory.
struct Rsyslogd {
    dir: tempfile::TempDir,
    child: Child,
}

impl Rsyslogd {
    /// Writes `conf` (where `{dir}` stands for the temp dir) and starts
    /// rsyslogd in the foreground on it.
    fn start(conf: &str) -> Result<Self, TestkitError> {
        let dir = tempfile::Builder::new().prefix("meridian-rsyslog").tempdir().map_err(|e| io("temp dir", e))?;
        let d = dir.path();
        let conf = conf.replace("{dir}", &d.display().to_string());
        std::fs::write(d.join("rsyslog.conf"), conf).map_err(|e| io("write rsyslog.conf", e))?;
        let pid = d.join("rsyslogd.pid");
        spawn_watchdog("rsyslogd", &format!("kill $(cat {} 2>/dev/null) 2>/dev/null", pid.display()))?;
        let log = std::fs::File::create(d.join("rsyslogd.log")).map_err(|e| io("log", e))?;
        let child = Command::new("rsyslogd")
            .arg("-n")
            .arg("-f")
            .arg(d.join("rsyslog.conf"))
            .arg("-i")
            .arg(&pid)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| io("spawn rsyslogd (are rsyslog and rsyslog-gnutls installed?)", e))?;
        Ok(Self { dir, child })
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("rsyslogd.log")).unwrap_or_default()
    }

    /// Until `table` (/proc/net/udp or /proc/net/tcp) lists 127.0.0.1:`port`
    /// (for TCP in state LISTEN), so what is sent next is not lost to a port
    /// nobody reads yet.
    fn wait_bound(&self, table: &str, port: u16, limit: Duration) -> Result<(), TestkitError> {
        let local = format!("0100007F:{port:04X}");
        let listening = |l: &str| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            cols.get(1) == Some(&local.as_str()) && (table.ends_with("udp") || cols.get(3) == Some(&"0A"))
        };
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            let text = std::fs::read_to_string(table).map_err(|e| io(&format!("read {table}"), e))?;
            if text.lines().any(listening) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(TestkitError::Peer(format!("rsyslogd did not bind port {port} within {limit:?}: {}", self.log())))
    }
}

impl Drop for Rsyslogd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port(udp: bool) -> Result<u16, TestkitError> {
    let port = if udp {
        UdpSocket::bind("127.0.0.1:0").and_then(|s| s.local_addr())
    } else {
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|s| s.local_addr())
    };
    port.map(|a| a.port()).map_err(|e| io("pick a free port", e))
}

pub struct RsyslogRelay {
    daemon: Rsyslogd,
    port: u16,
}

impl RsyslogRelay {
    /// Starts the relay; `target` is the TLS receiver, `ca` the PEM CA that
    /// signed its certificate.
    pub fn start(target: SocketAddr, ca: &Path) -> Result<Self, TestkitError> {
        Self::start_with(target, ca, None)
    }

    /// [`RsyslogRelay::start`], presenting `client` (PEM certificate, key)
    /// to a receiver that asks for one.
    pub fn start_with(target: SocketAddr, ca: &Path, client: Option<(&Path, &Path)>) -> Result<Self, TestkitError> {
        let port = free_port(true)?;
        let identity = client
            .map(|(c, k)| {
                format!(
                    r#" defaultNetstreamDriverCertFile="{}" defaultNetstreamDriverKeyFile="{}""#,
                    c.display(),
                    k.display()
                )
            })
            .unwrap_or_default();
        let conf = format!(
            r#"global(workDirectory="{{dir}}" defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="{ca}"{identity})
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="{port}")
action(type="omfwd" target="{host}" port="{tport}" protocol="tcp" tcp_framing="octet-counted"
       streamDriver="gtls" streamDriverMode="1" streamDriverAuthMode="x509/name"
       streamDriverPermittedPeers="localhost" template="RSYSLOG_SyslogProtocol23Format"
       action.resumeRetryCount="-1" action.resumeInterval="1")
"#,
            ca = ca.display(),
            host = target.ip(),
            tport = target.port(),
        );
        let daemon = Rsyslogd::start(&conf)?;
        daemon.wait_bound("/proc/net/udp", port, Duration::from_secs(10))?;
        Ok(Self { daemon, port })
    }

    /// Where to send (UDP) what the relay should forward.
    pub fn udp_addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// rsyslogd's own messages so far (config errors, TLS failures).
    pub fn log(&self) -> String {
        self.daemon.log()
    }
}

pub struct RsyslogTlsSink {
    daemon: Rsyslogd,
    port: u16,
}

impl RsyslogTlsSink {
    /// Starts a TLS receiver with this PEM certificate and key (clients are
    /// not asked for certificates).
    pub fn start(cert: &Path, key: &Path, ca: &Path) -> Result<Self, TestkitError> {
        Self::start_auth(cert, key, ca, "anon")
    }

    /// [`RsyslogTlsSink::start`], but every client must present a
    /// certificate that `ca` signed (rsyslog's `x509/certvalid`); others are
    /// disconnected and nothing they send is written.
    pub fn start_requiring_client_certs(cert: &Path, key: &Path, ca: &Path) -> Result<Self, TestkitError> {
        Self::start_auth(cert, key, ca, "x509/certvalid")
    }

    fn start_auth(cert: &Path, key: &Path, ca: &Path, auth_mode: &str) -> Result<Self, TestkitError> {
        let port = free_port(false)?;
        let conf = format!(
            r#"global(workDirectory="{{dir}}" defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="{ca}"
       defaultNetstreamDriverCertFile="{cert}" defaultNetstreamDriverKeyFile="{key}")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="{auth_mode}")
input(type="imtcp" address="127.0.0.1" port="{port}")
action(type="omfile" file="{{dir}}/received.log" template="RSYSLOG_SyslogProtocol23Format")
"#,
            ca = ca.display(),
            cert = cert.display(),
            key = key.display(),
        );
        let daemon = Rsyslogd::start(&conf)?;
        daemon.wait_bound("/proc/net/tcp", port, Duration::from_secs(10))?;
        Ok(Self { daemon, port })
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// What it has written so far, one message a line.
    pub fn received(&self) -> String {
        std::fs::read_to_string(self.file()).unwrap_or_default()
    }

    pub fn file(&self) -> PathBuf {
        self.daemon.dir.path().join("received.log")
    }

    pub fn log(&self) -> String {
        self.daemon.log()
    }
}
