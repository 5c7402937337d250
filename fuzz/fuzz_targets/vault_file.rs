//! Arbitrary bytes as the encrypted-file vault's `vault/secrets.json`,
//! opened with a key file kept outside the data directory, beside a key of
//! the old layout (`vault/key`) so that a legacy id -> entry map takes the
//! re-encryption path too. The open parses the JSON, the key record (an
//! argon2id record meets a key file and is refused before any hashing), the
//! check value and every entry's hex nonce and ciphertext. It must return an
//! error or an unlocked vault, never panic; an error changes nothing on disk,
//! and an unlocked vault stores and reads back a secret.
//!
//! Why the vault's sources are included by path instead of depending on
//! `meridian-store`: that crate pulls sqlx, PGlite and the keyring (D-Bus)
//! into an instrumented build. `vault/file.rs` and `vault/key.rs` need only
//! `StoreError`, `make_private_dir` and the `SecretVault` trait, given below
//! with the same shapes; the code under test is the store's own, unchanged.
//!
//! Seeds and regression files: `crates/meridian-store/tests/corpus/vault_file`,
//! replayed by `crates/meridian-store/tests/vault_corpus.rs` (which writes the
//! valid seeds with the vault itself); copy any crash there.
//! Run: `make fuzz FUZZ_TARGETS=vault_file` (see docs/RELIABILITY.md)
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// The stand-ins for the parts of `meridian-store` the vault uses.
mod error {
    use std::path::PathBuf;

    #[derive(Debug, thiserror::Error)]
    pub enum StoreError {
        #[error("data directory {path}: {source}")]
        Io { path: PathBuf, source: std::io::Error },
        #[error("secret vault: {0}")]
        Vault(String),
        #[error("secret vault: {0}")]
        VaultLocked(String),
    }

    impl StoreError {
        pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
            Self::Io { path: path.into(), source }
        }
    }
}

mod embedded {
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    use crate::error::StoreError;

    pub(crate) fn make_private_dir(dir: &Path) -> Result<(), StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| StoreError::io(dir, e))
    }
}

// At the crate root, as `vault/mod.rs` is in the store: the two files reach
// their siblings and the trait through `super::`.
#[allow(dead_code)]
#[path = "../../crates/meridian-store/src/vault/file.rs"]
mod file;
#[allow(dead_code)]
#[path = "../../crates/meridian-store/src/vault/key.rs"]
mod key;

use file::FileVault;
use key::KeySource;
use zeroize::Zeroizing;

#[allow(dead_code)]
const ENCRYPTED_FILE: &str = "encrypted-file";

#[allow(dead_code)]
trait SecretVault: Send + Sync {
    fn backend(&self) -> &'static str;
    fn describe(&self) -> String;
    fn put(&self, id: &str, secret: &[u8]) -> Result<(), error::StoreError>;
    fn get(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>, error::StoreError>;
    fn delete(&self, id: &str) -> Result<(), error::StoreError>;
}

/// The key of the committed seeds (`vault_corpus.rs` writes them with it).
const KEY_HEX: &str = "6d6572696469616e2d7661756c742d66757a7a2d7365656420206b65792121ab";
/// The old layout's key in `vault/key` (32 raw bytes), also the seeds'.
const LEGACY_KEY: [u8; 32] = [0x4c; 32];

struct Dirs {
    data: PathBuf,
    key: KeySource,
}

/// One data directory on tmpfs when there is one (the vault fsyncs every
/// write), and the key file outside it, made once per process.
fn dirs() -> &'static Dirs {
    static DIRS: OnceLock<Dirs> = OnceLock::new();
    DIRS.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
        // libFuzzer gives no teardown, so a run removes what earlier runs
        // (processes no longer alive) left behind.
        for e in std::fs::read_dir(&base).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(pid) = name.strip_prefix("meridian-fuzz-vault-") {
                if !Path::new("/proc").join(pid).exists() {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let root = base.join(format!("meridian-fuzz-vault-{}", std::process::id()));
        let data = root.join("data");
        std::fs::create_dir_all(&data).expect("fuzz data dir");
        let key = root.join("vault.key");
        write_private(&key, KEY_HEX.as_bytes());
        Dirs { data, key: KeySource::KeyFile(key) }
    })
}

fn write_private(path: &Path, body: &[u8]) {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .expect("write fuzz file");
    std::io::Write::write_all(&mut f, body).expect("write fuzz file");
}

fuzz_target!(|data: &[u8]| {
    let d = dirs();
    let vault_dir = d.data.join("vault");
    let _ = std::fs::remove_dir_all(&vault_dir);
    std::fs::create_dir_all(&vault_dir).expect("vault dir");
    let secrets = vault_dir.join("secrets.json");
    write_private(&secrets, data);
    write_private(&vault_dir.join("key"), &LEGACY_KEY);
    match FileVault::open(&d.data, Some(&d.key)) {
        Err(e) => {
            assert!(!e.to_string().is_empty());
            assert_eq!(std::fs::read(&secrets).expect("secrets.json kept"), data, "a refused vault was changed");
        }
        Ok(v) => {
            assert!(!v.is_locked());
            v.put("fuzz-probe", b"probe").expect("an unlocked vault stores");
            let back = v.get("fuzz-probe").expect("an unlocked vault reads");
            assert_eq!(back.as_deref().map(|b| b.as_slice()), Some(&b"probe"[..]));
        }
    }
});
