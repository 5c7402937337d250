//! The encrypted-file vault for machines without a keyring.
//!
//! `vault/key` holds 32 random bytes, created 0600 so only the user can read
//! it; `vault/secrets.json` maps id -> hex(nonce || XChaCha20-Poly1305
//! ciphertext), with the id as associated data so entries cannot be swapped.
//! Random 192-bit nonces are safe without a counter. Writes go to a temp file
//! that is fsynced and renamed, so a crash leaves the old or the new file,
//! never half of one.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

use crate::embedded::make_private_dir;
use crate::error::StoreError;

use super::{SecretVault, ENCRYPTED_FILE};

const NONCE_LEN: usize = 24;

pub struct FileVault {
    dir: PathBuf,
    cipher: XChaCha20Poly1305,
    // Serialises read-modify-write of the secrets file within this process;
    // the data-directory lock keeps other processes out.
    guard: Mutex<()>,
}

impl FileVault {
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let dir = data_dir.join("vault");
        make_private_dir(&dir)?;
        let key = load_or_create_key(&dir.join("key")).map_err(|e| unusable(&dir, e))?;
        let vault = Self { cipher: XChaCha20Poly1305::new(Key::from_slice(&key)), dir, guard: Mutex::new(()) };
        vault.verify().map_err(|e| unusable(&vault.dir, e))?;
        Ok(vault)
    }

    /// Refuses, at open, a secrets file that does not parse or whose
    /// entries do not decrypt with this key: found later, it would surface
    /// as a device quietly polled without its credential.
    fn verify(&self) -> Result<(), StoreError> {
        let map = self.load()?;
        let bad: Vec<&str> =
            map.iter().filter(|(id, hex)| self.decrypt(id, hex).is_err()).map(|(id, _)| id.as_str()).collect();
        if bad.is_empty() {
            return Ok(());
        }
        Err(StoreError::Vault(format!(
            "{} does not decrypt with the key {} ({} of {} entries, e.g. {}): the key was replaced or belongs to \
             another data directory, or the file was damaged",
            self.secrets_path().display(),
            self.dir.join("key").display(),
            bad.len(),
            map.len(),
            bad[0]
        )))
    }

    fn decrypt(&self, id: &str, hex: &str) -> Result<Vec<u8>, StoreError> {
        let blob = from_hex(hex).ok_or_else(|| StoreError::Vault(format!("entry {id} is damaged")))?;
        if blob.len() < NONCE_LEN {
            return Err(StoreError::Vault(format!("entry {id} is truncated")));
        }
        let (nonce, ct) = blob.split_at(NONCE_LEN);
        self.cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: id.as_bytes() })
            .map_err(|_| StoreError::Vault(format!("entry {id} does not decrypt with this key")))
    }

    fn secrets_path(&self) -> PathBuf {
        self.dir.join("secrets.json")
    }

    fn load(&self) -> Result<BTreeMap<String, String>, StoreError> {
        let p = self.secrets_path();
        match fs::read(&p) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| StoreError::Vault(format!("{} is damaged: {e}", p.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(StoreError::io(p, e)),
        }
    }

    fn save(&self, map: &BTreeMap<String, String>) -> Result<(), StoreError> {
        let p = self.secrets_path();
        let tmp = self.dir.join("secrets.json.tmp");
        let body = serde_json::to_vec_pretty(map).map_err(|e| StoreError::Vault(e.to_string()))?;
        write_private(&tmp, &body)?;
        fs::rename(&tmp, &p).map_err(|e| StoreError::io(&p, e))?;
        File::open(&self.dir).and_then(|d| d.sync_all()).map_err(|e| StoreError::io(&self.dir, e))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        // A poisoned lock only means another thread panicked mid-call; the
        // file on disk is still whole thanks to the rename.
        self.guard.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl SecretVault for FileVault {
    fn backend(&self) -> &'static str {
        ENCRYPTED_FILE
    }

    fn describe(&self) -> String {
        format!("encrypted file {} (key {})", self.secrets_path().display(), self.dir.join("key").display())
    }

    fn put(&self, id: &str, secret: &[u8]) -> Result<(), StoreError> {
        let _g = self.lock();
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::getrandom(&mut nonce).map_err(|e| StoreError::Vault(format!("random: {e}")))?;
        let ct = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: secret, aad: id.as_bytes() })
            .map_err(|_| StoreError::Vault("encryption failed".into()))?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ct);
        let mut map = self.load()?;
        map.insert(id.to_owned(), to_hex(&blob));
        self.save(&map)
    }

    fn get(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let _g = self.lock();
        let Some(hex) = self.load()?.remove(id) else { return Ok(None) };
        self.decrypt(id, &hex).map(Some)
    }

    fn delete(&self, id: &str) -> Result<(), StoreError> {
        let _g = self.lock();
        let mut map = self.load()?;
        if map.remove(id).is_some() {
            self.save(&map)?;
        }
        Ok(())
    }
}

/// What to do about a vault that cannot be used, after what is wrong.
fn unusable(dir: &Path, e: StoreError) -> StoreError {
    let what = match e {
        StoreError::Vault(m) => m,
        other => other.to_string(),
    };
    StoreError::Vault(format!(
        "{what}; restore {} from a backup, or move it aside and add the credentials again \
         (`meridian credential add-v2c` or `add-v3`)",
        dir.display()
    ))
}

fn load_or_create_key(path: &Path) -> Result<[u8; 32], StoreError> {
    match fs::read(path) {
        Ok(bytes) => {
            check_private(path)?;
            bytes.try_into().map_err(|_| StoreError::Vault(format!("{} is not a 32-byte key", path.display())))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            getrandom::getrandom(&mut key).map_err(|e| StoreError::Vault(format!("random: {e}")))?;
            write_private(path, &key)?;
            Ok(key)
        }
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// A key readable by group or others is refused rather than silently used.
fn check_private(path: &Path) -> Result<(), StoreError> {
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

fn write_private(path: &Path, body: &[u8]) -> Result<(), StoreError> {
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

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_nothing_in_clear() {
        let dir = tempfile::tempdir().expect("tempdir");
        let v = FileVault::open(dir.path()).expect("open");
        v.put("a", b"very-secret-community").expect("put");
        v.put("b", b"other").expect("put");
        assert_eq!(v.get("a").expect("get").as_deref(), Some(&b"very-secret-community"[..]));
        let on_disk = fs::read_to_string(dir.path().join("vault/secrets.json")).expect("read");
        assert!(!on_disk.contains("very-secret"));
        v.delete("a").expect("delete");
        assert_eq!(v.get("a").expect("get"), None);
        // A second open reads the same key.
        let again = FileVault::open(dir.path()).expect("reopen");
        assert_eq!(again.get("b").expect("get").as_deref(), Some(&b"other"[..]));
    }

    #[cfg(unix)]
    #[test]
    fn key_is_private_and_a_leaky_key_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        FileVault::open(dir.path()).expect("open");
        let key = dir.path().join("vault/key");
        assert_eq!(fs::metadata(&key).expect("meta").permissions().mode() & 0o777, 0o600);
        fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).expect("chmod");
        assert!(matches!(FileVault::open(dir.path()), Err(StoreError::Vault(_))));
    }

    #[test]
    fn swapped_entries_do_not_decrypt() {
        let dir = tempfile::tempdir().expect("tempdir");
        let v = FileVault::open(dir.path()).expect("open");
        v.put("a", b"one").expect("put");
        let p = dir.path().join("vault/secrets.json");
        let text = fs::read_to_string(&p).expect("read").replace("\"a\"", "\"b\"");
        fs::write(&p, text).expect("write");
        assert!(v.get("b").is_err());
    }

    #[test]
    fn a_replaced_key_or_a_damaged_file_is_refused_at_open_naming_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        FileVault::open(dir.path()).expect("open").put("cred-1", b"secret").expect("put");
        let key = dir.path().join("vault/key");
        let secrets = dir.path().join("vault/secrets.json");
        let good = fs::read(&key).expect("key");
        write_private(&key, &[7u8; 32]).expect("other key");
        let msg = FileVault::open(dir.path()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains(&secrets.display().to_string()) && msg.contains("does not decrypt"), "{msg}");
        assert!(msg.contains("move it aside"), "{msg}");
        write_private(&key, &good).expect("key back");
        for garbage in [&b"{not json"[..], b"", b"{\"cred-1\": \"zz\"}", b"{\"cred-1\": \"00\"}"] {
            fs::write(&secrets, garbage).expect("garbage");
            let msg = FileVault::open(dir.path()).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(msg.contains(&dir.path().join("vault").display().to_string()), "{msg}");
        }
        write_private(&key, &good[..5]).expect("short key");
        let msg = FileVault::open(dir.path()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("not a 32-byte key") && msg.contains(&key.display().to_string()), "{msg}");
    }
}
