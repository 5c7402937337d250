//! Configuration. Precedence, highest first: explicit values (CLI flags),
//! environment variables, the TOML file, built-in defaults.
//!
//! The file is `config.toml` in the platform config directory
//! (`~/.config/meridian/` on Linux), or wherever `MERIDIAN_CONFIG` points.
//! Unknown keys are an error, not silently ignored: a typo such as
//! `data-dir` for `data_dir` would otherwise put data in the wrong place.

use std::path::{Path, PathBuf};
use std::time::Duration;

use meridian_store::vault::KeySource;
use meridian_store::{default_data_dir, StoreConfig};
use serde::Deserialize;

use crate::error::{ApiError, ApiErrorKind};

/// How to open the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    pub data_dir: PathBuf,
    /// Use this PostgreSQL instead of embedded PGlite.
    pub database_url: Option<String>,
    /// Force the secret backend: `keyring` or `file`.
    pub vault: Option<String>,
    /// A file holding the file vault's passphrase (headless tools; never
    /// the passphrase itself on the command line or in the environment).
    pub vault_passphrase_file: Option<PathBuf>,
    /// A file holding the file vault's key, outside the data directory.
    pub vault_key_file: Option<PathBuf>,
    /// Who the audit log names for changes made through this app.
    pub actor: String,
    /// Poll intervals; `None` keeps the monitor's defaults (30 s / 60 s).
    pub icmp_interval: Option<Duration>,
    pub snmp_interval: Option<Duration>,
    /// ENTITY-MIB and LLDP/CDP refresh; `None` keeps the default (1 h).
    pub inventory_interval: Option<Duration>,
    /// How long after the monitor starts the first polls wait
    /// (`poll_start_delay_secs`, `MERIDIAN_POLL_START_DELAY`): a desktop
    /// started at login may be up before its VPN or Wi-Fi, and polls sent
    /// then would call every device down. Meanwhile devices show their last
    /// known state, marked stale. `None` polls at once.
    pub poll_start_delay: Option<Duration>,
    /// The `[syslog]` settings (receiver port, retention, size cap).
    pub syslog: crate::syslog::SyslogSettings,
    /// Where `meridian monitor` serves `/metrics` and `/health`: a loopback
    /// `IP:PORT`, or `off`. `None` means the default, 127.0.0.1:9464.
    pub metrics_addr: Option<String>,
    /// A directory of the user's own (vendor) MIB modules, loaded after the
    /// shipped ones (`mib_dir`, `MERIDIAN_MIB_DIR`, `--mib-dir`).
    pub mib_dir: Option<PathBuf>,
}

/// The TOML file's shape. Every key is optional.
#[derive(Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub vault: Option<String>,
    pub vault_passphrase_file: Option<PathBuf>,
    pub vault_key_file: Option<PathBuf>,
    pub icmp_interval_secs: Option<u64>,
    pub snmp_interval_secs: Option<u64>,
    pub inventory_interval_secs: Option<u64>,
    /// Seconds the first polls wait after the monitor starts (0..3600).
    pub poll_start_delay_secs: Option<u64>,
    #[serde(default)]
    pub syslog: crate::syslog::SyslogSettings,
    /// `IP:PORT` on loopback, or `off`.
    pub metrics_addr: Option<String>,
    /// A directory of vendor MIB modules, loaded after the shipped ones.
    pub mib_dir: Option<PathBuf>,
}

impl FileConfig {
    pub fn parse(text: &str, origin: &Path) -> Result<Self, ApiError> {
        toml::from_str(text)
            .map_err(|e| ApiError::new(ApiErrorKind::Validation, format!("{}: {}", origin.display(), e.message())))
    }

    /// The file at `MERIDIAN_CONFIG` or the default path; absent is fine.
    pub fn load() -> Result<Self, ApiError> {
        let Some(path) = non_empty_env("MERIDIAN_CONFIG").map(PathBuf::from).or_else(default_config_path) else {
            return Ok(Self::default());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && non_empty_env("MERIDIAN_CONFIG").is_none() => {
                Ok(Self::default())
            }
            Err(e) => Err(ApiError::new(ApiErrorKind::Validation, format!("{}: {e}", path.display()))),
        }
    }
}

pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("net", "meridian", "Meridian").map(|d| d.config_dir().join("config.toml"))
}

/// The MIB directory for commands that run without a data directory
/// (`snmp walk/get`, `mib ...`): a flag over `MERIDIAN_MIB_DIR` over the
/// file's `mib_dir`. A broken config file is an error, as for the others.
pub fn mib_dir(flag: Option<PathBuf>) -> Result<Option<PathBuf>, ApiError> {
    match flag.or_else(|| non_empty_env("MERIDIAN_MIB_DIR").map(PathBuf::from)) {
        Some(d) => Ok(Some(d)),
        None => Ok(FileConfig::load()?.mib_dir),
    }
}

impl AppConfig {
    /// Environment, then the config file, then defaults.
    pub fn from_env() -> Result<Self, ApiError> {
        Self::load(None)
    }

    /// For embedding and tests: `data_dir` as given, the rest from the
    /// environment and the config file (a broken file is logged and ignored).
    pub fn with_data_dir(data_dir: PathBuf) -> Self {
        let file = FileConfig::load().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "ignoring the config file");
            FileConfig::default()
        });
        let secs = (file.icmp_interval_secs, file.snmp_interval_secs, file.inventory_interval_secs);
        let delay = file.poll_start_delay_secs;
        let mut cfg = Self::base(data_dir, file);
        match intervals(secs) {
            Ok((i, s, v)) => (cfg.icmp_interval, cfg.snmp_interval, cfg.inventory_interval) = (i, s, v),
            Err(e) => tracing::warn!(error = %e, "ignoring bad poll intervals"),
        }
        match start_delay(delay) {
            Ok(d) => cfg.poll_start_delay = d,
            Err(e) => tracing::warn!(error = %e, "ignoring a bad poll start delay"),
        }
        cfg
    }

    /// A `--data-dir` flag (if any) over `MERIDIAN_DATA_DIR` over the file's
    /// `data_dir` over the platform default. A broken config file is an error.
    pub fn load(flag_data_dir: Option<PathBuf>) -> Result<Self, ApiError> {
        let file = FileConfig::load()?;
        let data_dir = match flag_data_dir.or_else(|| non_empty_env("MERIDIAN_DATA_DIR").map(PathBuf::from)) {
            Some(d) => d,
            None => match &file.data_dir {
                Some(d) => d.clone(),
                None => default_data_dir().map_err(|e| ApiError::new(ApiErrorKind::Validation, e.to_string()))?,
            },
        };
        Self::merge(data_dir, file)
    }

    fn merge(data_dir: PathBuf, file: FileConfig) -> Result<Self, ApiError> {
        let (i, s, v) = intervals((file.icmp_interval_secs, file.snmp_interval_secs, file.inventory_interval_secs))?;
        let delay = start_delay(file.poll_start_delay_secs)?;
        let mut cfg = Self::base(data_dir, file);
        (cfg.icmp_interval, cfg.snmp_interval, cfg.inventory_interval) = (i, s, v);
        cfg.poll_start_delay = delay;
        Ok(cfg)
    }

    fn base(data_dir: PathBuf, file: FileConfig) -> Self {
        Self {
            data_dir,
            database_url: non_empty_env("MERIDIAN_DATABASE_URL").or(file.database_url),
            vault: non_empty_env("MERIDIAN_VAULT").or(file.vault),
            vault_passphrase_file: non_empty_env("MERIDIAN_VAULT_PASSPHRASE_FILE")
                .map(PathBuf::from)
                .or(file.vault_passphrase_file),
            vault_key_file: non_empty_env("MERIDIAN_VAULT_KEY_FILE").map(PathBuf::from).or(file.vault_key_file),
            actor: non_empty_env("USER").or_else(|| non_empty_env("USERNAME")).unwrap_or_else(|| "local".into()),
            icmp_interval: None,
            snmp_interval: None,
            inventory_interval: None,
            poll_start_delay: None,
            syslog: file.syslog,
            metrics_addr: non_empty_env("MERIDIAN_METRICS_ADDR").or(file.metrics_addr),
            mib_dir: non_empty_env("MERIDIAN_MIB_DIR").map(PathBuf::from).or(file.mib_dir),
        }
    }

    /// What unlocks the file vault at open: a passphrase file, else a key
    /// file, else the systemd credential `meridian-vault-key`; none leaves
    /// it locked until `App::unlock_vault`.
    pub(crate) fn vault_key(&self) -> Option<KeySource> {
        self.vault_passphrase_file
            .clone()
            .map(KeySource::PassphraseFile)
            .or_else(|| self.vault_key_file.clone().map(KeySource::KeyFile))
            .or_else(KeySource::systemd_credential)
    }

    pub(crate) fn store_config(&self) -> StoreConfig {
        match &self.database_url {
            Some(url) => StoreConfig::external(&self.data_dir, url),
            None => StoreConfig::embedded(&self.data_dir),
        }
    }
}

/// The same bounds the scheduler enforces (1 s .. 1 day), checked here so a
/// typo fails at start-up with the setting's name rather than later.
fn interval(env: &str, key: &str, file: Option<u64>) -> Result<Option<Duration>, ApiError> {
    seconds(env, key, file, 1..=86_400)
}

type Intervals = (Option<Duration>, Option<Duration>, Option<Duration>);

/// (ICMP, SNMP, inventory) seconds from the file; the environment overrides each.
fn intervals((icmp, snmp, inventory): (Option<u64>, Option<u64>, Option<u64>)) -> Result<Intervals, ApiError> {
    Ok((
        interval("MERIDIAN_ICMP_INTERVAL", "icmp_interval_secs", icmp)?,
        interval("MERIDIAN_SNMP_INTERVAL", "snmp_interval_secs", snmp)?,
        interval("MERIDIAN_INVENTORY_INTERVAL", "inventory_interval_secs", inventory)?,
    ))
}

/// Longest start delay: an hour. Longer is a typo, and would leave the
/// monitor showing stale states for most of a working session.
const MAX_START_DELAY_SECS: u64 = 3600;

/// `MERIDIAN_POLL_START_DELAY` over the file's `poll_start_delay_secs`; 0 is none.
fn start_delay(file: Option<u64>) -> Result<Option<Duration>, ApiError> {
    seconds("MERIDIAN_POLL_START_DELAY", "poll_start_delay_secs", file, 0..=MAX_START_DELAY_SECS)
        .map(|d| d.filter(|d| !d.is_zero()))
}

fn seconds(
    env: &str,
    key: &str,
    file: Option<u64>,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Option<Duration>, ApiError> {
    let (secs, origin) = match non_empty_env(env) {
        Some(raw) => match raw.trim().parse::<u64>() {
            Ok(v) => (Some(v), env),
            Err(_) => {
                return Err(ApiError::field(key, format!("{env}={raw:?} is not a whole number of seconds")));
            }
        },
        None => (file, key),
    };
    match secs {
        None => Ok(None),
        Some(s) if range.contains(&s) => Ok(Some(Duration::from_secs(s))),
        Some(s) => {
            Err(ApiError::field(key, format!("{origin} = {s}: must be {}..{} seconds", range.start(), range.end())))
        }
    }
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_keys_and_rejects_typos() {
        let p = Path::new("/etc/meridian.toml");
        let ok = FileConfig::parse("data_dir = \"/srv/meridian\"\nvault = \"file\"\n", p).expect("valid");
        assert_eq!(ok.data_dir.as_deref(), Some(Path::new("/srv/meridian")));
        assert_eq!(ok.vault.as_deref(), Some("file"));
        let typo = FileConfig::parse("data-dir = \"/srv\"\n", p).expect_err("unknown key");
        assert!(typo.detail.contains("/etc/meridian.toml") && typo.detail.contains("unknown field"), "{}", typo.detail);
        assert!(FileConfig::parse("data_dir = [", p).is_err());
        let mibs = FileConfig::parse("mib_dir = \"/srv/mibs\"\n", p).expect("valid");
        assert_eq!(mibs.mib_dir.as_deref(), Some(Path::new("/srv/mibs")));
        let metrics = FileConfig::parse("metrics_addr = \"off\"\n", p).expect("valid");
        assert_eq!(metrics.metrics_addr.as_deref(), Some("off"));
    }

    #[test]
    fn poll_intervals_are_bounded_and_named_in_errors() {
        let unset = "MERIDIAN_TEST_NEVER_SET_INTERVAL";
        assert_eq!(interval(unset, "icmp_interval_secs", None).expect("none"), None);
        assert_eq!(interval(unset, "icmp_interval_secs", Some(30)).expect("ok"), Some(Duration::from_secs(30)));
        let e = interval(unset, "icmp_interval_secs", Some(0)).expect_err("zero");
        assert_eq!(e.fields[0].field, "icmp_interval_secs");
        assert!(interval(unset, "snmp_interval_secs", Some(86_401)).is_err());
        let file =
            FileConfig::parse("icmp_interval_secs = 10\nsnmp_interval_secs = 120\n", Path::new("x")).expect("ok");
        assert_eq!((file.icmp_interval_secs, file.snmp_interval_secs), (Some(10), Some(120)));
    }

    #[test]
    fn poll_start_delay_is_bounded_and_zero_means_none() {
        // The environment variable is not set in tests, so the file's value decides.
        assert_eq!(start_delay(None).expect("unset"), None);
        assert_eq!(start_delay(Some(0)).expect("zero"), None);
        assert_eq!(start_delay(Some(30)).expect("ok"), Some(Duration::from_secs(30)));
        let e = start_delay(Some(3601)).expect_err("over an hour");
        assert_eq!(e.fields[0].field, "poll_start_delay_secs");
        assert!(e.detail.contains("0..3600"), "{}", e.detail);
        let file = FileConfig::parse("poll_start_delay_secs = 45\n", Path::new("x")).expect("ok");
        assert_eq!(file.poll_start_delay_secs, Some(45));
    }
}
