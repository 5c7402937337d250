use zeroize::Zeroizing;

use crate::error::StoreError;

use super::{SecretVault, KEYRING};

const SERVICE: &str = "net.meridian.desktop";

/// The OS keyring: Keychain, Windows Credential Manager, or the freedesktop
/// Secret Service over D-Bus.
#[derive(Debug, Default)]
pub struct KeyringVault;

impl KeyringVault {
    pub fn new() -> Self {
        Self
    }

    /// A write-read-delete round trip. A keyring crate "works" on a headless
    /// Linux box right up to the first write, so only a round trip proves it.
    pub fn probe(&self) -> Result<(), StoreError> {
        #[cfg(target_os = "linux")]
        if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
            return Err(StoreError::Vault("no D-Bus session bus, so no Secret Service".into()));
        }
        let id = format!("probe-{}", std::process::id());
        self.put(&id, b"probe")?;
        let back = self.get(&id)?;
        self.delete(&id)?;
        match back.as_deref().map(Vec::as_slice) {
            Some(b"probe") => Ok(()),
            _ => Err(StoreError::Vault("keyring did not return what was stored".into())),
        }
    }

    fn entry(id: &str) -> Result<keyring::Entry, StoreError> {
        keyring::Entry::new(SERVICE, id).map_err(vault_err)
    }
}

fn vault_err(e: keyring::Error) -> StoreError {
    StoreError::Vault(format!("keyring: {e}"))
}

impl SecretVault for KeyringVault {
    fn backend(&self) -> &'static str {
        KEYRING
    }

    fn describe(&self) -> String {
        format!("OS keyring, service '{SERVICE}'")
    }

    fn put(&self, id: &str, secret: &[u8]) -> Result<(), StoreError> {
        Self::entry(id)?.set_secret(secret).map_err(vault_err)
    }

    fn get(&self, id: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        match Self::entry(id)?.get_secret() {
            Ok(s) => Ok(Some(Zeroizing::new(s))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(vault_err(e)),
        }
    }

    fn delete(&self, id: &str) -> Result<(), StoreError> {
        match Self::entry(id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(vault_err(e)),
        }
    }
}
