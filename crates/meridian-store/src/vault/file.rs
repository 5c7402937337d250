//! The encrypted-file vault for machines without a keyring.
//!
//! `vault/secrets.json` holds a key record (argon2id salt and costs, or "a
//! key file"), a check value, and id -> hex(nonce || XChaCha20-Poly1305
//! ciphertext) with the id as associated data so entries cannot be swapped.
//! The key itself is never in the data directory: it is derived from a
//! passphrase or read from a key file kept elsewhere (see `key.rs`). Until
//! one is given the vault is locked and every read or write says how to
//! unlock it. Random 192-bit nonces are safe without a counter. Writes go to
//! a temp file that is fsynced and renamed, so a crash leaves the old or the
//! new file, never half of one.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::embedded::make_private_dir;
use crate::error::StoreError;

use super::key::{Kdf, KeySource, Material};
use super::{SecretVault, ENCRYPTED_FILE};

const NONCE_LEN: usize = 24;
const FORMAT: u32 = 2;
/// Associated data of the check value: decrypting it proves the key right
/// even when the vault holds no entry yet.
const CHECK_AAD: &[u8] = b"meridian-vault-check";

/// What `secrets.json` holds.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VaultFile {
    format: u32,
    kdf: Kdf,
    check: String,
    entries: BTreeMap<String, String>,
}

/// The file as found: this format, or the one from before the key left the
/// data directory (a bare id -> entry map beside `vault/key`).
#[derive(Deserialize)]
#[serde(untagged)]
enum OnDisk {
    Current(VaultFile),
    Legacy(BTreeMap<String, String>),
}

/// How the vault is protected, for the unlock screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    /// No vault file yet: the first unlock sets the passphrase or key.
    New,
    Passphrase,
    KeyFile,
    /// The old layout with its key in the data directory; the first unlock
    /// re-encrypts it and deletes that key.
    Legacy,
}

struct Unlocked {
    cipher: XChaCha20Poly1305,
    kdf: Kdf,
    check: String,
}

pub struct FileVault {
    data_dir: PathBuf,
    dir: PathBuf,
    unlocked: RwLock<Option<Unlocked>>,
    // Serialises read-modify-write of the secrets file within this process;
    // the data-directory lock keeps other processes out.
    guard: Mutex<()>,
}

impl FileVault {
    /// Opens the vault, unlocked with `key` if given (checking every entry),
    /// else locked.
    pub fn open(data_dir: &Path, key: Option<&KeySource>) -> Result<Self, StoreError> {
        let dir = data_dir.join("vault");
        make_private_dir(&dir)?;
        let v = Self { data_dir: data_dir.to_owned(), dir, unlocked: RwLock::new(None), guard: Mutex::new(()) };
        if let Some(k) = key {
            v.unlock(k)?;
        }
        Ok(v)
    }

    pub fn is_locked(&self) -> bool {
        self.unlocked.read().map(|u| u.is_none()).unwrap_or(true)
    }

    pub fn protection(&self) -> Result<Protection, StoreError> {
        Ok(match self.load()? {
            None if self.legacy_key_path().exists() => Protection::Legacy,
            None => Protection::New,
            Some(OnDisk::Legacy(_)) => Protection::Legacy,
            Some(OnDisk::Current(f)) => match f.kdf {
                Kdf::KeyFile => Protection::KeyFile,
                Kdf::Argon2id { .. } => Protection::Passphrase,
            },
        })
    }

    /// Unlocks with `key`. A new vault is created protected by it; an old
    /// vault with its key in the data directory is re-encrypted under it and
    /// that key file deleted. A wrong key changes nothing.
    pub fn unlock(&self, key: &KeySource) -> Result<(), StoreError> {
        let material = key.material(&self.data_dir)?;
        let _g = self.lock();
        let state = match self.load().map_err(|e| self.unusable(e))? {
            Some(OnDisk::Current(f)) => self.open_current(f, &material)?,
            Some(OnDisk::Legacy(map)) => self.migrate(map, &material)?,
            None if self.legacy_key_path().exists() => self.migrate(BTreeMap::new(), &material)?,
            None => {
                let s = self.fresh(&material)?;
                self.save(&s, &BTreeMap::new())?;
                s
            }
        };
        *self.unlocked.write().unwrap_or_else(|p| p.into_inner()) = Some(state);
        Ok(())
    }

    fn open_current(&self, f: VaultFile, m: &Material) -> Result<Unlocked, StoreError> {
        if f.format != FORMAT {
            return Err(self.unusable(StoreError::Vault(format!(
                "{} has format {} (this build reads {FORMAT})",
                self.secrets_path().display(),
                f.format
            ))));
        }
        let key = f.kdf.derive(m, &self.secrets_path())?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(key.as_ref()));
        if open_blob(&cipher, &f.check, CHECK_AAD).is_err() {
            return Err(StoreError::Vault(format!(
                "{} does not unlock {}: check {} and try again (nothing was changed); if it is lost, move {} \
                 aside and add the credentials again",
                m.describe(),
                self.secrets_path().display(),
                m.describe(),
                self.dir.display()
            )));
        }
        let s = Unlocked { cipher, kdf: f.kdf, check: f.check };
        self.verify(&s.cipher, &f.entries, &m.describe()).map_err(|e| self.unusable(e))?;
        Ok(s)
    }

    /// Re-encrypts a vault whose key sits in the data directory under the
    /// new material, then deletes that key. The new file is in place before
    /// the old key goes, so a crash in between loses nothing.
    fn migrate(&self, map: BTreeMap<String, String>, m: &Material) -> Result<Unlocked, StoreError> {
        let key_path = self.legacy_key_path();
        let old_key = load_legacy_key(&key_path).map_err(|e| self.unusable(e))?;
        let old = XChaCha20Poly1305::new(Key::from_slice(old_key.as_ref()));
        self.verify(&old, &map, &format!("the key {}", key_path.display())).map_err(|e| self.unusable(e))?;
        let s = self.fresh(m)?;
        let mut entries = BTreeMap::new();
        for (id, hex) in &map {
            let plain = open_blob(&old, hex, id.as_bytes())
                .map_err(|_| StoreError::Vault(format!("entry {id} does not decrypt with the old key")))?;
            entries.insert(id.clone(), seal(&s.cipher, &plain, id.as_bytes())?);
        }
        self.save(&s, &entries)?;
        fs::remove_file(&key_path).map_err(|e| StoreError::io(&key_path, e))?;
        sync_dir(&self.dir)?;
        tracing::info!(vault = %self.dir.display(), entries = entries.len(), "vault re-encrypted; its key file in the data directory was deleted");
        Ok(s)
    }

    fn fresh(&self, m: &Material) -> Result<Unlocked, StoreError> {
        let kdf = Kdf::fresh(m)?;
        let key = kdf.derive(m, &self.secrets_path())?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(key.as_ref()));
        let check = seal(&cipher, &[0u8; 32], CHECK_AAD)?;
        Ok(Unlocked { cipher, kdf, check })
    }

    /// Refuses entries that do not decrypt: found later, one would surface as
    /// a device quietly polled without its credential.
    fn verify(&self, c: &XChaCha20Poly1305, map: &BTreeMap<String, String>, key: &str) -> Result<(), StoreError> {
        let bad: Vec<&str> = map
            .iter()
            .filter(|(id, hex)| open_blob(c, hex, id.as_bytes()).is_err())
            .map(|(id, _)| id.as_str())
            .collect();
        if bad.is_empty() {
            return Ok(());
        }
        Err(StoreError::Vault(format!(
            "{} does not decrypt with {key} ({} of {} entries, e.g. {}): the key was replaced or belongs to \
             another data directory, or the file was damaged",
            self.secrets_path().display(),
            bad.len(),
            map.len(),
            bad[0]
        )))
    }

    fn secrets_path(&self) -> PathBuf {
        self.dir.join("secrets.json")
    }

    fn legacy_key_path(&self) -> PathBuf {
        self.dir.join("key")
    }

    fn load(&self) -> Result<Option<OnDisk>, StoreError> {
        let p = self.secrets_path();
        match fs::read(&p) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| StoreError::Vault(format!("{} is damaged: {e}", p.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io(p, e)),
        }
    }

    fn entries(&self) -> Result<BTreeMap<String, String>, StoreError> {
        match self.load()? {
            Some(OnDisk::Current(f)) => Ok(f.entries),
            Some(OnDisk::Legacy(_)) | None => Ok(BTreeMap::new()),
        }
    }

    fn save(&self, s: &Unlocked, entries: &BTreeMap<String, String>) -> Result<(), StoreError> {
        let p = self.secrets_path();
        let tmp = self.dir.join("secrets.json.tmp");
        let file = VaultFile { format: FORMAT, kdf: s.kdf.clone(), check: s.check.clone(), entries: entries.clone() };
        let body = serde_json::to_vec_pretty(&file).map_err(|e| StoreError::Vault(e.to_string()))?;
        write_private(&tmp, &body)?;
        fs::rename(&tmp, &p).map_err(|e| StoreError::io(&p, e))?;
        sync_dir(&self.dir)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        // A poisoned lock only means another thread panicked mid-call; the
        // file on disk is still whole thanks to the rename.
        self.guard.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` with the unlocked state, or says how to unlock.
    fn with_key<T>(&self, f: impl FnOnce(&Unlocked) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let g = self.unlocked.read().unwrap_or_else(|p| p.into_inner());
        match g.as_ref() {
            Some(s) => f(s),
            None => Err(StoreError::VaultLocked(format!(
                "the encrypted-file vault {} is locked: give its passphrase in a file (--vault-passphrase-file or \
                 MERIDIAN_VAULT_PASSPHRASE_FILE) or its key file (MERIDIAN_VAULT_KEY_FILE, or the systemd \
                 credential {}), or unlock it in the desktop app",
                self.dir.display(),
                super::key::SYSTEMD_CREDENTIAL
            ))),
        }
    }

    /// What to do about a vault that cannot be used, after what is wrong.
    fn unusable(&self, e: StoreError) -> StoreError {
        let what = match e {
            StoreError::Vault(m) => m,
            other => other.to_string(),
        };
        StoreError::Vault(format!(
            "{what}; restore {} from a backup, or move it aside and add the credentials again \
             (`meridian credential add-v2c` or `add-v3`)",
            self.dir.display()
        ))
    }
}

impl SecretVault for FileVault {
    fn backend(&self) -> &'static str {
        ENCRYPTED_FILE
    }

    fn describe(&self) -> String {
        let how = match self.protection() {
            Ok(Protection::Passphrase) => "passphrase",
            Ok(Protection::KeyFile) => "key file",
            Ok(Protection::New) => "not yet created",
            Ok(Protection::Legacy) => "key in the data directory, re-encrypted at the next unlock",
            Err(_) => "unreadable",
        };
        let state = if self.is_locked() { "locked" } else { "unlocked" };
        format!("encrypted file {} ({how}, {state})", self.secrets_path().display())
    }

    fn put(&self, id: &str, secret: &[u8]) -> Result<(), StoreError> {
        let _g = self.lock();
        self.with_key(|s| {
            let mut map = self.entries()?;
            map.insert(id.to_owned(), seal(&s.cipher, secret, id.as_bytes())?);
            self.save(s, &map)
        })
    }

    fn get(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        let _g = self.lock();
        self.with_key(|s| {
            let Some(hex) = self.entries()?.remove(id) else { return Ok(None) };
            open_blob(&s.cipher, &hex, id.as_bytes())
                .map(Some)
                .map_err(|_| StoreError::Vault(format!("entry {id} does not decrypt with this key")))
        })
    }

    fn delete(&self, id: &str) -> Result<(), StoreError> {
        let _g = self.lock();
        self.with_key(|s| {
            let mut map = self.entries()?;
            if map.remove(id).is_some() {
                self.save(s, &map)?;
            }
            Ok(())
        })
    }
}

fn seal(c: &XChaCha20Poly1305, plain: &[u8], aad: &[u8]) -> Result<String, StoreError> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::getrandom(&mut nonce).map_err(|e| StoreError::Vault(format!("random: {e}")))?;
    let ct = c
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad })
        .map_err(|_| StoreError::Vault("encryption failed".into()))?;
    let mut blob = nonce.to_vec();
    blob.extend_from_slice(&ct);
    Ok(to_hex(&blob))
}

fn open_blob(c: &XChaCha20Poly1305, hex: &str, aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, ()> {
    let blob = from_hex(hex).ok_or(())?;
    if blob.len() < NONCE_LEN {
        return Err(());
    }
    let (nonce, ct) = blob.split_at(NONCE_LEN);
    c.decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad }).map(Zeroizing::new).map_err(|_| ())
}

/// The key of the old layout, `vault/key` in the data directory.
fn load_legacy_key(path: &Path) -> Result<Zeroizing<[u8; 32]>, StoreError> {
    let bytes = Zeroizing::new(fs::read(path).map_err(|e| StoreError::io(path, e))?);
    check_private(path)?;
    let mut key = Zeroizing::new([0u8; 32]);
    if bytes.len() != 32 {
        return Err(StoreError::Vault(format!("{} is not a 32-byte key", path.display())));
    }
    key.copy_from_slice(&bytes);
    Ok(key)
}

/// A key readable by group or others is refused rather than silently used.
pub(super) fn check_private(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path).map_err(|e| StoreError::io(path, e))?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(StoreError::Vault(format!(
                "{} is readable by other users (mode {:o}); run `chmod 600` on it",
                path.display(),
                mode & 0o777
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

pub(super) fn write_private(path: &Path, body: &[u8]) -> Result<(), StoreError> {
    let mut opts = OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(|e| StoreError::io(path, e))?;
    f.write_all(body).and_then(|_| f.sync_all()).map_err(|e| StoreError::io(path, e))
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(|e| StoreError::io(dir, e))
}

pub(super) fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub(super) fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}
