//! A real `rsyslogd` as a relay: it takes syslog over UDP on a loopback port
//! (what `logger` sends) and forwards every message over TLS (RFC 5425,
//! GnuTLS, the peer's certificate checked against a CA and the name
//! `localhost`) with octet-counted framing, as a site's relay would forward
//! to Meridian. Config, pidfile and work dir live in a temp dir; a watchdog
//! kills it if the test process dies.

use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::{io, spawn_watchdog};
use crate::TestkitError;

pub struct RsyslogRelay {
    _dir: tempfile::TempDir,
    port: u16,
    child: Child,
}

impl RsyslogRelay {
    /// Starts the relay; `target` is the TLS receiver, `ca` the PEM CA that
    /// signed its certificate.
    pub fn start(target: SocketAddr, ca: &Path) -> Result<Self, TestkitError> {
        let port =
            UdpSocket::bind("127.0.0.1:0").and_then(|s| s.local_addr()).map_err(|e| io("pick a free port", e))?.port();
        let dir = tempfile::Builder::new().prefix("meridian-rsyslog").tempdir().map_err(|e| io("temp dir", e))?;
        let d = dir.path();
        let conf = format!(
            r#"global(workDirectory="{work}" defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="{ca}")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="{port}")
action(type="omfwd" target="{host}" port="{tport}" protocol="tcp" tcp_framing="octet-counted"
       streamDriver="gtls" streamDriverMode="1" streamDriverAuthMode="x509/name"
       streamDriverPermittedPeers="localhost" template="RSYSLOG_SyslogProtocol23Format"
       action.resumeRetryCount="-1" action.resumeInterval="1")
"#,
            work = d.display(),
            ca = ca.display(),
            host = target.ip(),
            tport = target.port(),
        );
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
        let me = Self { _dir: dir, port, child };
        me.wait_listening(Duration::from_secs(10))?;
        Ok(me)
    }

    /// Until rsyslogd's UDP input is bound (its line in /proc/net/udp), so a
    /// message sent next is not lost to a port nobody reads yet.
    fn wait_listening(&self, limit: Duration) -> Result<(), TestkitError> {
        let local = format!("0100007F:{:04X}", self.port);
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            let table = std::fs::read_to_string("/proc/net/udp").map_err(|e| io("read /proc/net/udp", e))?;
            if table.lines().any(|l| l.split_whitespace().nth(1) == Some(local.as_str())) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(TestkitError::Peer(format!("rsyslogd did not bind udp {} within {limit:?}: {}", self.port, self.log())))
    }

    /// Where to send (UDP) what the relay should forward.
    pub fn udp_addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// rsyslogd's own messages so far (config errors, TLS failures).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("rsyslogd.log")).unwrap_or_default()
    }
}

impl Drop for RsyslogRelay {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
