//! A real SMTP server on loopback: Python's `aiosmtpd` (installed into the
//! test venv by `scripts/install-snmpsim.sh`) with its Maildir handler, so
//! every message it accepts lands as a file the test reads. Also with TLS
//! (implicit, or STARTTLS required) through `smtp_tls.py`, with a
//! certificate from [`crate::TestCerts`].

use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::io;
use crate::TestkitError;

/// How a TLS sink secures its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkTls {
    /// TLS from the first byte (SMTPS, port 465 style).
    Implicit,
    /// Plain at first; STARTTLS offered and required before any mail.
    Starttls,
}

pub struct SmtpSink {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    /// Starts aiosmtpd on 127.0.0.1 at a free port and waits (at most 15 s)
    /// until it accepts connections.
    pub fn start() -> Result<Self, TestkitError> {
        Self::spawn(None)
    }

    /// The same speaking TLS as `tls` says, with the certificate `cert`
    /// (PEM, the leaf) and its `key`.
    pub fn start_tls(tls: SinkTls, cert: &Path, key: &Path) -> Result<Self, TestkitError> {
        Self::spawn(Some((tls, cert, key)))
    }

    fn spawn(tls: Option<(SinkTls, &Path, &Path)>) -> Result<Self, TestkitError> {
        let python = crate::snmpsim_venv().join("bin/python3");
        if !python.exists() {
            return Err(TestkitError::Peer(format!(
                "{} is missing: run scripts/install-snmpsim.sh (it installs aiosmtpd)",
                python.display()
            )));
        }
        let port = free_port()?;
        let dir = tempfile::tempdir().map_err(|e| io("smtp sink dir", e))?;
        let maildir = dir.path().join("maildir");
        let mut cmd = Command::new(&python);
        match tls {
            None => {
                cmd.args([
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    &format!("127.0.0.1:{port}"),
                    "-c",
                    "aiosmtpd.handlers.Mailbox",
                ])
                .arg(&maildir);
            }
            Some((mode, cert, key)) => {
                let script = dir.path().join("smtp_tls.py");
                std::fs::write(&script, include_str!("smtp_tls.py")).map_err(|e| io("write smtp_tls.py", e))?;
                let mode = match mode {
                    SinkTls::Implicit => "tls",
                    SinkTls::Starttls => "starttls",
                };
                cmd.arg(&script).args([mode, &port.to_string()]).arg(&maildir).arg(cert).arg(key);
            }
        }
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| io("start aiosmtpd", e))?;
        crate::process::spawn_watchdog("aiosmtpd", &format!("kill {} 2>/dev/null", child.id()))?;
        let mut sink = Self { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(15);
        let addr = SocketAddrV4::new(Ipv4Addr::LOCALHOST, port);
        while TcpStream::connect_timeout(&addr.into(), Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = sink.child.try_wait() {
                return Err(TestkitError::Peer(format!("aiosmtpd exited at start: {status}")));
            }
            if Instant::now() > deadline {
                return Err(TestkitError::Peer("aiosmtpd did not listen within 15 s".into()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(sink)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    fn maildir(&self) -> PathBuf {
        self.dir.path().join("maildir")
    }

    /// Every message received so far, raw (headers and body), oldest first.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = ["new", "cur"]
            .iter()
            .filter_map(|d| std::fs::read_dir(self.maildir().join(d)).ok())
            .flatten()
            .flatten()
            .map(|e| (e.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH), e.path()))
            .collect();
        files.sort();
        files.iter().filter_map(|(_, p)| read(p)).collect()
    }
}

fn read(p: &Path) -> Option<String> {
    std::fs::read(p).ok().map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// A loopback port nothing listens on right now (also what a test uses as
/// "an SMTP server that is down").
pub fn free_port() -> Result<u16, TestkitError> {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| io("bind a free port", e))?;
    Ok(l.local_addr().map_err(|e| io("free port", e))?.port())
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
