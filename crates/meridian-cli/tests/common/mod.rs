//! What the crash and disk-full tests share: the real `meridian` binary run
//! as a monitor with its writer's commit log captured, and the checks that
//! every batch and alarm it reported is in the store afterwards.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use meridian_store::{BatchRecord, Store, StoreConfig};

/// The `meridian` binary with a data directory of its own, the file vault,
/// no external database and an empty config file (so nothing of the
/// machine's own configuration leaks in).
pub fn meridian(data_dir: &Path) -> Command {
    let conf = data_dir.with_extension("toml");
    if !conf.exists() {
        std::fs::write(&conf, "").expect("empty config file");
    }
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("meridian"));
    c.arg("--data-dir")
        .arg(data_dir)
        .env("MERIDIAN_VAULT", "file")
        .env("MERIDIAN_VAULT_KEY_FILE", meridian_testkit::vault_key_file())
        .env("MERIDIAN_CONFIG", &conf)
        .env_remove("MERIDIAN_DATABASE_URL")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null());
    c
}

/// Runs a CLI command to success; its stdout.
pub fn run_ok(data_dir: &Path, args: &[&str]) -> String {
    let out = meridian(data_dir).args(args).output().expect("run meridian");
    assert!(
        out.status.success(),
        "meridian {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A `meridian monitor --json` child: events as JSON lines on stdout, the
/// writer's and the supervisor's info lines on stderr, both into files.
pub struct Monitor {
    pub child: Child,
    pub stdout: PathBuf,
    pub stderr: PathBuf,
}

impl Monitor {
    pub fn spawn(data_dir: &Path, logs: &Path, run: usize, icmp_interval: u32) -> Self {
        let stdout = logs.join(format!("run{run:02}.out"));
        let stderr = logs.join(format!("run{run:02}.err"));
        let child = meridian(data_dir)
            .args(["--json", "monitor", "--icmp-interval", &icmp_interval.to_string()])
            .env("MERIDIAN_LOG", "warn,meridian_service::writer=info,meridian_service::monitor=info")
            .env("NO_COLOR", "1")
            .stdout(std::fs::File::create(&stdout).expect("stdout file"))
            .stderr(std::fs::File::create(&stderr).expect("stderr file"))
            .spawn()
            .expect("spawn meridian monitor");
        Self { child, stdout, stderr }
    }

    /// Waits, bounded, until `pred` holds for the monitor's stderr or
    /// stdout text; false on timeout or when the monitor exited.
    pub fn wait_for(&mut self, limit: Duration, pred: impl Fn(&str, &str) -> bool) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if pred(&read(&self.stderr), &read(&self.stdout)) {
                return true;
            }
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return pred(&read(&self.stderr), &read(&self.stdout));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    pub fn started(&mut self, limit: Duration) -> bool {
        self.wait_for(limit, |err, _| err.contains("monitor started"))
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reap.
    pub fn kill(mut self) -> Logs {
        let _ = self.child.kill();
        let _ = self.child.wait();
        Logs { stderr: read(&self.stderr), stdout: read(&self.stdout) }
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Logs {
    pub stderr: String,
    pub stdout: String,
}

pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

/// The writer's `committed batch seq=N samples=K first_at=.. last_at=..`
/// lines, in the order written.
pub fn committed_batches(stderr: &str) -> Vec<BatchRecord> {
    stderr
        .lines()
        .filter(|l| l.contains("committed batch"))
        .map(|l| {
            let field = |name: &str| {
                l.split_whitespace()
                    .find_map(|w| w.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
                    .unwrap_or_else(|| panic!("no {name} in {l:?}"))
                    .to_owned()
            };
            let at = |name: &str| {
                chrono::DateTime::parse_from_rfc3339(&field(name)).expect("timestamp").with_timezone(&chrono::Utc)
            };
            BatchRecord {
                seq: field("seq").parse().expect("seq"),
                samples: field("samples").parse().expect("samples"),
                first_at: at("first_at"),
                last_at: at("last_at"),
            }
        })
        .collect()
}

/// Alarm ids the monitor announced, each with whether the last
/// announcement was a clear. Events are printed only after the store took them.
pub fn announced_alarms(stdout: &str) -> BTreeMap<String, bool> {
    let mut seen = BTreeMap::new();
    for line in stdout.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let cleared = match v["type"].as_str() {
            Some("alarmRaised") => false,
            Some("alarmCleared") => true,
            _ => continue,
        };
        if let Some(id) = v["alarm"]["id"].as_str() {
            seen.insert(id.to_owned(), cleared);
        }
    }
    seen
}

pub async fn open_store(data_dir: &Path) -> Store {
    open_store_raw(data_dir).await.unwrap_or_else(|e| panic!("the store in {} does not open: {e}", data_dir.display()))
}

pub async fn open_store_raw(data_dir: &Path) -> Result<Store, meridian_store::StoreError> {
    Store::open(StoreConfig::embedded(data_dir)).await
}

/// Every batch in `logged` is in the ledger exactly as logged, its samples
/// are rows in the table, and the ledger accounts for every sample row
/// (the batch and its ledger row commit together or not at all).
pub async fn check_batches(store: &Store, logged: &[BatchRecord]) -> Result<(), String> {
    let ledger: BTreeMap<i64, BatchRecord> =
        store.batch_ledger().await.map_err(|e| e.to_string())?.into_iter().map(|b| (b.seq, b)).collect();
    for b in logged {
        match ledger.get(&b.seq) {
            Some(l) if l == b => {}
            Some(l) => return Err(format!("batch seq={} was logged as {b:?} but the ledger has {l:?}", b.seq)),
            None => return Err(format!("batch seq={} was logged as committed but is not in the store", b.seq)),
        }
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM samples WHERE at BETWEEN $1 AND $2")
            .bind(b.first_at)
            .bind(b.last_at)
            .fetch_one(&mut *store.conn().await.map_err(|e| e.to_string())?)
            .await
            .map_err(|e| e.to_string())?;
        if rows < i64::from(b.samples) {
            return Err(format!(
                "batch seq={} had {} samples; the store has {rows} in its time span",
                b.seq, b.samples
            ));
        }
    }
    let in_ledger: i64 = ledger.values().map(|b| i64::from(b.samples)).sum();
    let rows = store.count_samples().await.map_err(|e| e.to_string())?;
    if rows != in_ledger {
        return Err(format!("{rows} sample rows but the ledger accounts for {in_ledger}"));
    }
    Ok(())
}

/// Every announced alarm is stored, and one announced as cleared is stored cleared.
pub async fn check_alarms(store: &Store, announced: &BTreeMap<String, bool>) -> Result<(), String> {
    let rows: Vec<(String, bool)> = sqlx::query_as("SELECT id::text, cleared_at IS NOT NULL FROM alarms")
        .fetch_all(&mut *store.conn().await.map_err(|e| e.to_string())?)
        .await
        .map_err(|e| e.to_string())?;
    let stored: BTreeMap<String, bool> = rows.into_iter().collect();
    for (id, cleared) in announced {
        match stored.get(id) {
            None => return Err(format!("alarm {id} was announced but is not in the store")),
            Some(false) if *cleared => return Err(format!("alarm {id} was announced cleared but is stored active")),
            Some(_) => {}
        }
    }
    Ok(())
}

/// A small seeded generator (SplitMix64), so a failing kill schedule can be
/// replayed from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [lo, hi) milliseconds.
    pub fn millis(&mut self, lo: u64, hi: u64) -> Duration {
        Duration::from_millis(lo + self.next_u64() % (hi - lo).max(1))
    }
}
