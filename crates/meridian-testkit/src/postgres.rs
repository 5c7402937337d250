//! A throwaway native PostgreSQL cluster.
//!
//! `initdb` refuses to run as root, so when the tests run as root (CI here)
//! the cluster belongs to the unprivileged `postgres` user and every server
//! command runs through `runuser`. The server listens on loopback only, on a
//! free port, with trust auth inside a private temp directory.
//!
//! One cluster serves a whole test binary ([`NativePostgres::shared`]); each
//! test takes its own database from it. A watchdog process stops the cluster
//! and deletes its directory when the test process exits, however it exits,
//! because statics are never dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use crate::TestkitError;

pub struct NativePostgres {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    run_as: Option<String>,
    next_db: AtomicU32,
}

static SHARED: OnceLock<Result<NativePostgres, String>> = OnceLock::new();

impl NativePostgres {
    /// The cluster shared by this test process, started on first use.
    pub fn shared() -> Result<&'static NativePostgres, TestkitError> {
        SHARED
            .get_or_init(|| Self::start().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| TestkitError::Peer(e.clone()))
    }

    pub fn start() -> Result<Self, TestkitError> {
        let bin = find_bin_dir()?;
        let run_as = is_root().then(|| "postgres".to_owned());
        let dir = make_dir(run_as.as_deref())?;
        let pg = Self { dir, bin, port: free_port()?, run_as, next_db: AtomicU32::new(0) };
        pg.spawn_watchdog()?;
        let data = pg.dir.join("data");
        pg.run(
            "initdb",
            &["-D", path_str(&data)?, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
        )?;
        let opts =
            format!("-c listen_addresses=127.0.0.1 -p {} -k {} -c max_connections=200", pg.port, path_str(&pg.dir)?);
        let log = pg.dir.join("server.log");
        pg.run("pg_ctl", &["-D", path_str(&data)?, "-l", path_str(&log)?, "-o", &opts, "-w", "-t", "60", "start"])?;
        tracing::info!(port = pg.port, dir = %pg.dir.display(), "native PostgreSQL started");
        Ok(pg)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// URL of the `postgres` maintenance database.
    pub fn admin_url(&self) -> String {
        self.url_for("postgres")
    }

    pub fn url_for(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates an empty database for one test and returns its URL.
    pub fn fresh_database(&self) -> Result<String, TestkitError> {
        let n = self.next_db.fetch_add(1, Ordering::SeqCst);
        let name = format!("t{}_{n}", std::process::id());
        self.psql(&format!("CREATE DATABASE {name}"))?;
        Ok(self.url_for(&name))
    }

    /// Runs SQL through the real `psql` client.
    pub fn psql(&self, sql: &str) -> Result<String, TestkitError> {
        self.output(
            "psql",
            &["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-d", "postgres", "-At", "-c", sql],
        )
    }

    /// `pg_dump` of one database as plain SQL, as an operator would take it.
    pub fn pg_dump(&self, db_url: &str) -> Result<String, TestkitError> {
        self.output("pg_dump", &["--no-owner", "-d", db_url])
    }

    fn tool(&self, name: &str) -> PathBuf {
        self.bin.join(name)
    }

    fn command(&self, name: &str, args: &[&str]) -> Command {
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(self.tool(name)).args(args);
                c
            }
            None => {
                let mut c = Command::new(self.tool(name));
                c.args(args);
                c
            }
        }
    }

    fn run(&self, name: &str, args: &[&str]) -> Result<(), TestkitError> {
        self.output(name, args).map(|_| ())
    }

    fn output(&self, name: &str, args: &[&str]) -> Result<String, TestkitError> {
        let mut cmd = self.command(name, args);
        cmd.current_dir(&self.dir);
        crate::process::stdout_of(cmd, name)
    }

    fn spawn_watchdog(&self) -> Result<(), TestkitError> {
        let stop = self.command("pg_ctl", &["-D", path_str(&self.dir.join("data"))?, "-m", "immediate", "stop"]);
        let stop_line = format!(
            "{:?} {}",
            stop.get_program(),
            stop.get_args().map(|a| format!("{a:?}")).collect::<Vec<_>>().join(" ")
        );
        crate::process::spawn_watchdog("PostgreSQL", &format!("{stop_line} >/dev/null 2>&1; rm -rf {:?}", self.dir))
    }
}

impl Drop for NativePostgres {
    fn drop(&mut self) {
        if let Ok(data) = path_str(&self.dir.join("data")) {
            let _ = self.run("pg_ctl", &["-D", data, "-m", "fast", "-w", "stop"]);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn find_bin_dir() -> Result<PathBuf, TestkitError> {
    if let Some(p) = std::env::var_os("MERIDIAN_PG_BIN") {
        return Ok(PathBuf::from(p));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| TestkitError::Io {
            what: "find PostgreSQL (is the postgresql package installed?)".into(),
            source: e,
        })?
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, p)| p.join("initdb").exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, p)| p)
        .ok_or_else(|| TestkitError::Peer("no /usr/lib/postgresql/*/bin/initdb; install the postgresql package".into()))
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn make_dir(owner: Option<&str>) -> Result<PathBuf, TestkitError> {
    let dir = tempfile::Builder::new()
        .prefix("meridian-pg-")
        .tempdir()
        .map_err(|e| TestkitError::Io { what: "temp dir".into(), source: e })?
        .keep();
    if let Some(user) = owner {
        let ok = Command::new("chown")
            .args([&format!("{user}:"), path_str(&dir)?])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            return Err(TestkitError::Peer(format!("chown {} to {user} failed", dir.display())));
        }
    }
    Ok(dir)
}

fn free_port() -> Result<u16, TestkitError> {
    let l = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| TestkitError::Io { what: "bind 127.0.0.1:0".into(), source: e })?;
    l.local_addr().map(|a| a.port()).map_err(|e| TestkitError::Io { what: "local addr".into(), source: e })
}

fn path_str(p: &Path) -> Result<&str, TestkitError> {
    p.to_str().ok_or_else(|| TestkitError::Peer(format!("non-UTF-8 path {}", p.display())))
}
