//! Where the file vault's key comes from. Never the data directory: a copy
//! of that directory (a backup, a stolen laptop image) must reveal nothing.
//!
//! Two kinds of material:
//! - a passphrase, stretched with argon2id; the salt and cost parameters are
//!   stored in the vault file, the key never is;
//! - a 32-byte key in a file kept elsewhere (`MERIDIAN_VAULT_KEY_FILE`, or the
//!   systemd credential `$CREDENTIALS_DIRECTORY/meridian-vault-key`).

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::StoreError;

/// The name of the systemd credential (`LoadCredential=meridian-vault-key:...`).
pub const SYSTEMD_CREDENTIAL: &str = "meridian-vault-key";

const SALT_LEN: usize = 16;
// Upper bounds on the costs read back from a vault file, so a tampered file
// cannot make an unlock allocate gigabytes or spin for minutes.
const MAX_M_COST_KIB: u32 = 1 << 20;
const MAX_T_COST: u32 = 16;
const MAX_P_COST: u32 = 8;

/// How to unlock the file vault. Debug never shows a passphrase.
#[derive(Clone)]
pub enum KeySource {
    /// A passphrase typed by a person (the desktop's unlock dialog).
    Passphrase(Zeroizing<String>),
    /// A file whose content (less a trailing newline) is the passphrase.
    PassphraseFile(PathBuf),
    /// A file holding the key: 32 raw bytes or 64 hex digits.
    KeyFile(PathBuf),
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Passphrase(_) => f.write_str("Passphrase(***)"),
            Self::PassphraseFile(p) => write!(f, "PassphraseFile({})", p.display()),
            Self::KeyFile(p) => write!(f, "KeyFile({})", p.display()),
        }
    }
}

impl KeySource {
    /// The systemd credential, when the service manager passed one.
    pub fn systemd_credential() -> Option<Self> {
        let dir = std::env::var_os("CREDENTIALS_DIRECTORY")?;
        let p = Path::new(&dir).join(SYSTEMD_CREDENTIAL);
        p.is_file().then_some(Self::KeyFile(p))
    }

    /// Reads the material, refusing a file inside `data_dir` or readable by
    /// other users.
    pub(super) fn material(&self, data_dir: &Path) -> Result<Material, StoreError> {
        match self {
            Self::Passphrase(p) => passphrase(p.as_bytes().to_vec(), "the passphrase"),
            Self::PassphraseFile(path) => {
                let bytes = read_outside(path, data_dir)?;
                let mut text: &[u8] = &bytes;
                while let Some(rest) = text.strip_suffix(b"\n").or_else(|| text.strip_suffix(b"\r")) {
                    text = rest;
                }
                passphrase(text.to_vec(), &path.display().to_string())
            }
            Self::KeyFile(path) => {
                let bytes = read_outside(path, data_dir)?;
                let key = parse_key(&bytes).ok_or_else(|| {
                    StoreError::Vault(format!(
                        "{} is not a 32-byte key (32 raw bytes or 64 hex digits); make one with \
                         `head -c 32 /dev/urandom > FILE` and `chmod 600 FILE`",
                        path.display()
                    ))
                })?;
                Ok(Material::Key(key, path.clone()))
            }
        }
    }
}

fn passphrase(bytes: Vec<u8>, what: &str) -> Result<Material, StoreError> {
    let bytes = Zeroizing::new(bytes);
    if bytes.is_empty() {
        return Err(StoreError::Vault(format!("{what} is empty; a vault passphrase needs at least one character")));
    }
    Ok(Material::Passphrase(bytes))
}

/// The key material, read and checked; zeroed when dropped.
pub(super) enum Material {
    Passphrase(Zeroizing<Vec<u8>>),
    Key(Zeroizing<[u8; 32]>, PathBuf),
}

impl Material {
    /// How a person should supply this kind of material, for error messages.
    pub(super) fn describe(&self) -> String {
        match self {
            Self::Passphrase(_) => "the passphrase".into(),
            Self::Key(_, p) => format!("the key file {}", p.display()),
        }
    }
}

/// How the vault's key is made, stored in the vault file. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "algorithm", rename_all = "kebab-case", deny_unknown_fields)]
pub(super) enum Kdf {
    Argon2id { version: u32, m_cost_kib: u32, t_cost: u32, p_cost: u32, salt: String },
    KeyFile,
}

impl Kdf {
    /// A fresh record for `m`: a new random salt with argon2's recommended
    /// costs (19 MiB, 2 passes), or "a key file".
    pub(super) fn fresh(m: &Material) -> Result<Self, StoreError> {
        Ok(match m {
            Material::Key(..) => Self::KeyFile,
            Material::Passphrase(_) => {
                let mut salt = [0u8; SALT_LEN];
                getrandom::getrandom(&mut salt).map_err(|e| StoreError::Vault(format!("random: {e}")))?;
                let p = Params::default();
                Self::Argon2id {
                    version: 0x13,
                    m_cost_kib: p.m_cost(),
                    t_cost: p.t_cost(),
                    p_cost: p.p_cost(),
                    salt: super::file::to_hex(&salt),
                }
            }
        })
    }

    pub(super) fn describe(&self) -> &'static str {
        match self {
            Self::Argon2id { .. } => "a passphrase",
            Self::KeyFile => "a key file",
        }
    }

    /// The 32-byte key for `m` under this record.
    pub(super) fn derive(&self, m: &Material, vault_file: &Path) -> Result<Zeroizing<[u8; 32]>, StoreError> {
        match (self, m) {
            (Self::KeyFile, Material::Key(k, _)) => Ok(k.clone()),
            (Self::Argon2id { version, m_cost_kib, t_cost, p_cost, salt }, Material::Passphrase(pass)) => {
                let damaged = |what: &str| {
                    StoreError::Vault(format!("{} has a damaged key record ({what})", vault_file.display()))
                };
                if *version != 0x13 {
                    return Err(damaged("unknown argon2 version"));
                }
                if *m_cost_kib > MAX_M_COST_KIB || *t_cost > MAX_T_COST || *p_cost > MAX_P_COST {
                    return Err(damaged("argon2 costs out of range"));
                }
                let salt = super::file::from_hex(salt).ok_or_else(|| damaged("salt"))?;
                let params =
                    Params::new(*m_cost_kib, *t_cost, *p_cost, Some(32)).map_err(|_| damaged("argon2 costs"))?;
                let mut key = Zeroizing::new([0u8; 32]);
                Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                    .hash_password_into(pass, &salt, key.as_mut())
                    .map_err(|_| damaged("salt"))?;
                Ok(key)
            }
            _ => Err(StoreError::Vault(format!(
                "{} is protected by {}, but {} was given; give {} instead (see `meridian --help`, \
                 --vault-passphrase-file / MERIDIAN_VAULT_KEY_FILE)",
                vault_file.display(),
                self.describe(),
                m.describe(),
                self.describe()
            ))),
        }
    }
}

/// 32 raw bytes, or 64 hex digits with optional surrounding whitespace.
fn parse_key(bytes: &[u8]) -> Option<Zeroizing<[u8; 32]>> {
    let mut key = Zeroizing::new([0u8; 32]);
    if bytes.len() == 32 {
        key.copy_from_slice(bytes);
        return Some(key);
    }
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let raw = Zeroizing::new(super::file::from_hex(text)?);
    if raw.len() != 32 {
        return None;
    }
    key.copy_from_slice(&raw);
    Some(key)
}

/// Reads a key or passphrase file that must live outside the data directory
/// and be private to its owner.
fn read_outside(path: &Path, data_dir: &Path) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    let real = fs::canonicalize(path).map_err(|e| {
        StoreError::Vault(format!("cannot read {}: {e}; check the path you gave for the vault key", path.display()))
    })?;
    if let Ok(data) = fs::canonicalize(data_dir) {
        if real.starts_with(&data) {
            return Err(StoreError::Vault(format!(
                "{} is inside the data directory {}: a copy of the directory would carry its own key; move the \
                 file elsewhere (e.g. ~/.config/meridian or a systemd credential)",
                path.display(),
                data_dir.display()
            )));
        }
    }
    super::file::check_private(path)?;
    fs::read(path).map(Zeroizing::new).map_err(|e| StoreError::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_raw_or_hex_and_garbage_is_refused() {
        assert!(parse_key(&[7u8; 32]).is_some());
        let hex = "ab".repeat(32) + "\n";
        assert_eq!(parse_key(hex.as_bytes()).map(|k| k[0]), Some(0xab));
        for bad in [&b""[..], b"short", &[0u8; 33], b"zz".repeat(32).as_slice(), "ab".repeat(31).as_bytes()] {
            assert!(parse_key(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn debug_redacts_the_passphrase() {
        let s = format!("{:?}", KeySource::Passphrase(Zeroizing::new("hunter2-secret".into())));
        assert!(!s.contains("hunter2"), "{s}");
    }

    #[test]
    fn tampered_costs_and_mismatched_material_are_refused() {
        let f = Path::new("/x/vault/secrets.json");
        let pass = Material::Passphrase(Zeroizing::new(b"pw".to_vec()));
        let huge = Kdf::Argon2id { version: 0x13, m_cost_kib: u32::MAX, t_cost: 2, p_cost: 1, salt: "00".repeat(16) };
        assert!(huge.derive(&pass, f).err().map(|e| e.to_string()).unwrap_or_default().contains("out of range"));
        let key = Material::Key(Zeroizing::new([1u8; 32]), PathBuf::from("/k"));
        let fresh = Kdf::fresh(&pass).expect("fresh");
        let msg = fresh.derive(&key, f).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("protected by a passphrase") && msg.contains("/k"), "{msg}");
        // Same passphrase and salt, same key; another passphrase, another key.
        let a = fresh.derive(&pass, f).expect("derive");
        assert_eq!(*a, *fresh.derive(&Material::Passphrase(Zeroizing::new(b"pw".to_vec())), f).expect("again"));
        assert_ne!(*a, *fresh.derive(&Material::Passphrase(Zeroizing::new(b"pw2".to_vec())), f).expect("other"));
    }
}
