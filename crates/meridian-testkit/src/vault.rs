//! A key for the file vault, kept outside every test's data directory, as a
//! real deployment keeps it (`MERIDIAN_VAULT_KEY_FILE`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One 0600 key file per test process, under the system temp directory
/// (never inside a data directory). Its bytes come from the pid and the
/// clock: a test key, not a secret.
pub fn vault_key_file() -> PathBuf {
    static KEY: OnceLock<PathBuf> = OnceLock::new();
    KEY.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("meridian-test-vault-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("vault key dir");
        let path = dir.join("vault.key");
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let seed = format!("{:032x}{:032x}", nanos, u128::from(std::process::id()) << 64 | 0x6d65_7269_6469_616e);
        write_private(&path, seed.as_bytes());
        path
    })
    .clone()
}

/// Writes `body` to `path` readable by its owner only, as the vault demands.
pub fn write_private(path: &Path, body: &[u8]) {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    f.write_all(body).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
