//! Syslog over TLS settings: which certificate and key, on which port, and
//! the checks that name the setting at fault before anything listens.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use meridian_core::FieldError;
use meridian_probe::syslog::{server_config, DEFAULT_SYSLOG_TLS_PORT};
use meridian_probe::ProbeError;

use super::SyslogSettings;
use crate::error::ApiError;

/// The TLS listener of the syslog receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyslogTls {
    /// 0 picks a free port, as for UDP and TCP.
    pub port: u16,
    /// PEM certificate chain, leaf first.
    pub cert: PathBuf,
    /// PEM private key of the leaf.
    pub key: PathBuf,
    /// PEM CA certificates: when set, only clients with a certificate they
    /// signed may connect (RFC 5425 mutual authentication).
    pub client_ca: Option<PathBuf>,
}

impl SyslogTls {
    /// From the `[syslog]` table: on when a certificate or key is named. One
    /// without the other is kept so that `problems` can say which is missing.
    pub(super) fn from_settings(s: &SyslogSettings) -> Option<Self> {
        if s.tls_cert.is_none() && s.tls_key.is_none() {
            return None;
        }
        Some(Self {
            port: s.tls_port.unwrap_or(DEFAULT_SYSLOG_TLS_PORT),
            cert: s.tls_cert.clone().unwrap_or_default(),
            key: s.tls_key.clone().unwrap_or_default(),
            client_ca: s.tls_client_ca.clone(),
        })
    }

    /// What keeps these settings from working: a missing or unreadable file,
    /// PEM that holds no certificate or key, a key that is not the leaf's.
    pub(super) fn problems(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        let cert = read("tls_cert", &self.cert).map_err(|f| e.push(f)).ok();
        let key = read("tls_key", &self.key).map_err(|f| e.push(f)).ok();
        let ca = match &self.client_ca {
            Some(p) => read("tls_client_ca", p).map(Some).map_err(|f| e.push(f)).ok(),
            None => Some(None),
        };
        if let (Some(cert), Some(key), Some(ca)) = (cert, key, ca) {
            if let Err(err) = server_config(&cert, &key, ca.as_deref()) {
                e.push(tls_field(&err));
            }
        }
        e
    }

    /// The rustls configuration; a bad file is a field error as in `problems`.
    pub(super) fn server_config(&self) -> Result<Arc<rustls::ServerConfig>, ApiError> {
        let cert = read("tls_cert", &self.cert).map_err(field_error)?;
        let key = read("tls_key", &self.key).map_err(field_error)?;
        let ca = self.client_ca.as_deref().map(|p| read("tls_client_ca", p)).transpose().map_err(field_error)?;
        server_config(&cert, &key, ca.as_deref()).map_err(|e| field_error(tls_field(&e)))
    }
}

fn read(field: &str, path: &Path) -> Result<Vec<u8>, FieldError> {
    if path.as_os_str().is_empty() {
        let other = if field == "tls_cert" { "tls_key" } else { "tls_cert" };
        return Err(FieldError::new(field, format!("is required with {other}")));
    }
    std::fs::read(path).map_err(|e| FieldError::new(field, format!("cannot read {}: {e}", path.display())))
}

fn tls_field(e: &ProbeError) -> FieldError {
    let field = match e {
        ProbeError::Tls { what: "certificate", .. } => "tls_cert",
        ProbeError::Tls { what: "client CA file", .. } => "tls_client_ca",
        _ => "tls_key",
    };
    FieldError::new(field, e.to_string())
}

fn field_error(f: FieldError) -> ApiError {
    ApiError::field(&f.field, f.message)
}
