//! A real `chronyd` serving NTP on 127.0.0.1 from a local reference
//! (`local stratum 8`), started with `-x` so it never touches the system
//! clock, with its config, pidfile and driftfile in a temp dir and no
//! command port. It can be stopped and started again on the same port (the
//! NTP unreachable test). A watchdog kills it if the test process dies.

use std::net::{SocketAddr, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::{io, spawn_watchdog};
use crate::TestkitError;

pub struct Chronyd {
    dir: tempfile::TempDir,
    port: u16,
    child: Option<Child>,
}

impl Chronyd {
    /// Starts chronyd on a free loopback port and waits (at most 10 s) until it answers.
    pub fn start() -> Result<Self, TestkitError> {
        let port =
            UdpSocket::bind("127.0.0.1:0").and_then(|s| s.local_addr()).map_err(|e| io("pick a free port", e))?.port();
        let dir = tempfile::Builder::new().prefix("meridian-chronyd").tempdir().map_err(|e| io("temp dir", e))?;
        let d = dir.path();
        let conf = format!(
            "local stratum 8\nallow 127.0.0.1\nbindaddress 127.0.0.1\nport {port}\ncmdport 0\n\
             pidfile {}\ndriftfile {}\n",
            d.join("chronyd.pid").display(),
            d.join("drift").display()
        );
        std::fs::write(d.join("chrony.conf"), conf).map_err(|e| io("write chrony.conf", e))?;
        spawn_watchdog("chronyd", &format!("kill $(cat {}/chronyd.pid 2>/dev/null) 2>/dev/null", d.display()))?;
        let mut me = Self { dir, port, child: None };
        me.resume()?;
        Ok(me)
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// Kills chronyd; its port stops answering.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts chronyd again with the same config and port.
    pub fn resume(&mut self) -> Result<(), TestkitError> {
        if self.child.is_some() {
            return Ok(());
        }
        let log = std::fs::File::create(self.dir.path().join("chronyd.log")).map_err(|e| io("log", e))?;
        let child = Command::new("chronyd")
            .args(["-x", "-d", "-f"])
            .arg(self.dir.path().join("chrony.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| io("spawn chronyd (is chrony installed?)", e))?;
        self.child = Some(child);
        self.wait_answering(Duration::from_secs(10))
    }

    /// One mode-3 query every 100 ms until a reply comes, for at most `limit`.
    fn wait_answering(&self, limit: Duration) -> Result<(), TestkitError> {
        let sock = UdpSocket::bind("127.0.0.1:0").map_err(|e| io("bind", e))?;
        sock.set_read_timeout(Some(Duration::from_millis(100))).map_err(|e| io("timeout", e))?;
        let mut req = [0u8; 48];
        req[0] = 0x23;
        req[40] = 1; // a non-zero transmit timestamp, which chronyd requires
        let deadline = Instant::now() + limit;
        let mut buf = [0u8; 512];
        while Instant::now() < deadline {
            let _ = sock.send_to(&req, self.addr());
            if sock.recv(&mut buf).is_ok_and(|n| n >= 48) {
                return Ok(());
            }
        }
        let log = std::fs::read_to_string(self.dir.path().join("chronyd.log")).unwrap_or_default();
        Err(TestkitError::Peer(format!("chronyd did not answer on {} within {limit:?}: {log}", self.addr())))
    }
}

impl Drop for Chronyd {
    fn drop(&mut self) {
        self.stop();
    }
}
