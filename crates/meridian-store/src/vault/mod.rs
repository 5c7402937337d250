//! Where secrets live. The OS keyring when one answers; otherwise an
//! encrypted file whose key is derived from a passphrase or read from a key
//! file outside the data directory. The database stores which backend holds
//! each secret, so a credential written under one backend is still found if
//! the default changes later.

mod file;
mod key;
mod keyring_backend;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::Arc;

use zeroize::Zeroizing;

pub use file::{FileVault, Protection};
pub use key::{KeySource, SYSTEMD_CREDENTIAL};
pub use keyring_backend::KeyringVault;

use crate::error::StoreError;

pub const KEYRING: &str = "keyring";
pub const ENCRYPTED_FILE: &str = "encrypted-file";

/// Blocking I/O: call from `spawn_blocking` in async code (the keyring talks
/// D-Bus or XPC synchronously).
pub trait SecretVault: Send + Sync {
    /// "keyring" or "encrypted-file".
    fn backend(&self) -> &'static str;
    /// Where, for `meridian credential backend`: a service name or a path.
    fn describe(&self) -> String;
    fn put(&self, id: &str, secret: &[u8]) -> Result<(), StoreError>;
    /// The secret, zeroed when the caller drops it.
    fn get(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError>;
    fn delete(&self, id: &str) -> Result<(), StoreError>;
}

/// The default vault for new secrets, and the file vault (the same one when
/// the file is the default), which may hold older secrets either way.
pub struct Vaults {
    pub default: Arc<dyn SecretVault>,
    pub file: Arc<FileVault>,
}

/// Which backend to use: `MERIDIAN_VAULT=keyring|file` forces one; otherwise
/// the keyring if a round trip through it works, else the encrypted file.
/// The file vault is unlocked with `key` when one is given, else left locked.
pub fn open_default(data_dir: &Path, forced: Option<&str>, key: Option<&KeySource>) -> Result<Vaults, StoreError> {
    let use_keyring = match forced {
        Some("file") | Some(ENCRYPTED_FILE) => false,
        Some("keyring") => {
            KeyringVault::new().probe()?;
            true
        }
        Some(other) => return Err(StoreError::Config(format!("MERIDIAN_VAULT='{other}': use 'keyring' or 'file'"))),
        None => match KeyringVault::new().probe() {
            Ok(()) => true,
            Err(e) => {
                tracing::info!(reason = %e, "no usable OS keyring; secrets go to the encrypted file vault");
                false
            }
        },
    };
    let file = Arc::new(FileVault::open(data_dir, key)?);
    let default: Arc<dyn SecretVault> = if use_keyring { Arc::new(KeyringVault::new()) } else { file.clone() };
    Ok(Vaults { default, file })
}

impl Vaults {
    /// The vault for a backend name recorded in the database.
    pub fn named(&self, name: &str) -> Result<Arc<dyn SecretVault>, StoreError> {
        match name {
            KEYRING => Ok(Arc::new(KeyringVault::new())),
            ENCRYPTED_FILE => Ok(self.file.clone()),
            other => Err(StoreError::Vault(format!("unknown vault backend '{other}'"))),
        }
    }
}
