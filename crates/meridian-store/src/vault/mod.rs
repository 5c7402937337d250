//! Where secrets live. The OS keyring when one answers; otherwise an
//! encrypted file whose key is a separate file only the user can read. The
//! database stores which backend holds each secret, so a credential written
//! under one backend is still found if the default changes later.

mod file;
mod keyring_backend;

use std::path::Path;

pub use file::FileVault;
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
    fn get(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError>;
    fn delete(&self, id: &str) -> Result<(), StoreError>;
}

/// Which backend to use: `MERIDIAN_VAULT=keyring|file` forces one; otherwise
/// the keyring if a round trip through it works, else the encrypted file.
pub fn open_default(data_dir: &Path, forced: Option<&str>) -> Result<Box<dyn SecretVault>, StoreError> {
    match forced {
        Some("file") | Some(ENCRYPTED_FILE) => Ok(Box::new(FileVault::open(data_dir)?)),
        Some("keyring") => {
            let k = KeyringVault::new();
            k.probe()?;
            Ok(Box::new(k))
        }
        Some(other) => Err(StoreError::Config(format!("MERIDIAN_VAULT='{other}': use 'keyring' or 'file'"))),
        None => {
            let k = KeyringVault::new();
            match k.probe() {
                Ok(()) => Ok(Box::new(k)),
                Err(e) => {
                    tracing::info!(reason = %e, "no usable OS keyring; secrets go to the encrypted file vault");
                    Ok(Box::new(FileVault::open(data_dir)?))
                }
            }
        }
    }
}

/// The vault for a backend name recorded in the database.
pub fn open_named(name: &str, data_dir: &Path) -> Result<Box<dyn SecretVault>, StoreError> {
    match name {
        KEYRING => Ok(Box::new(KeyringVault::new())),
        ENCRYPTED_FILE => Ok(Box::new(FileVault::open(data_dir)?)),
        other => Err(StoreError::Vault(format!("unknown vault backend '{other}'"))),
    }
}
