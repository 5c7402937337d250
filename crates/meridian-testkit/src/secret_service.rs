//! A real freedesktop Secret Service for the keyring tests: a private
//! `dbus-daemon` session bus and `gnome-keyring-daemon` on it, its login
//! keyring created and unlocked with a password written to its stdin. All
//! state lives in a temp directory; nothing touches the machine's own
//! keyring or session bus.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::process::{io, stdout_of};
use crate::TestkitError;

const START_LIMIT: Duration = Duration::from_secs(15);

pub struct SecretService {
    bus: Child,
    keyring: Child,
    address: String,
    _home: tempfile::TempDir,
}

impl SecretService {
    /// Starts the bus and the keyring, and waits (bounded) until the keyring
    /// owns `org.freedesktop.secrets`. An error names what failed to start.
    pub fn start() -> Result<Self, TestkitError> {
        let home = tempfile::tempdir().map_err(|e| io("secret service temp dir", e))?;
        let run = home.path().join("run");
        std::fs::create_dir(&run).map_err(|e| io("runtime dir", e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).map_err(|e| io("chmod", e))?;
        }
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", home.path().join("bus").display()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| io("start dbus-daemon (Debian package dbus)", e))?;
        let address = match first_line(&mut bus) {
            Some(a) => a,
            None => {
                let _ = bus.kill();
                let _ = bus.wait();
                return Err(TestkitError::Peer("dbus-daemon printed no bus address".into()));
            }
        };
        let keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", &run)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let mut keyring = match keyring {
            Ok(k) => k,
            Err(e) => {
                let _ = bus.kill();
                let _ = bus.wait();
                return Err(io("start gnome-keyring-daemon (Debian package gnome-keyring)", e));
            }
        };
        // The login keyring's password; stdin closed ends it.
        if let Some(mut stdin) = keyring.stdin.take() {
            let _ = stdin.write_all(b"meridian-test-keyring");
        }
        let me = Self { bus, keyring, address, _home: home };
        me.wait_for_owner()?;
        Ok(me)
    }

    /// `DBUS_SESSION_BUS_ADDRESS` of the private bus.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// `secret-tool` (Debian libsecret-tools) on the private bus: an
    /// independent reader of what the keyring holds.
    pub fn secret_tool(&self, args: &[&str]) -> Result<String, TestkitError> {
        let mut c = Command::new("secret-tool");
        c.args(args).env("DBUS_SESSION_BUS_ADDRESS", &self.address);
        stdout_of(c, "secret-tool")
    }

    fn wait_for_owner(&self) -> Result<(), TestkitError> {
        let deadline = Instant::now() + START_LIMIT;
        while Instant::now() < deadline {
            let mut c = Command::new("dbus-send");
            c.args(["--session", "--dest=org.freedesktop.DBus", "--print-reply", "/org/freedesktop/DBus"])
                .args(["org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"])
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address);
            if stdout_of(c, "dbus-send").is_ok_and(|o| o.contains("boolean true")) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(TestkitError::Peer(format!(
            "gnome-keyring-daemon did not take org.freedesktop.secrets on {} within {START_LIMIT:?}",
            self.address
        )))
    }
}

/// The first stdout line of `child`, waiting at most `START_LIMIT`.
fn first_line(child: &mut Child) -> Option<String> {
    let out = child.stdout.take()?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(out).read_line(&mut line);
        let _ = tx.send(line);
    });
    rx.recv_timeout(START_LIMIT).ok().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty())
}

impl Drop for SecretService {
    fn drop(&mut self) {
        for c in [&mut self.keyring, &mut self.bus] {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
