//! Syslog over TLS (RFC 5425): the receiver's rustls server configuration
//! from PEM and its handshake, with a time limit so a peer that connects
//! and says nothing cannot hold a connection slot; and the client side that
//! forwarding sends with.

use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use std::net::SocketAddr;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;
use tokio_rustls::{TlsAcceptor, TlsConnector};

use crate::ProbeError;

/// The IANA port for syslog over TLS.
pub const DEFAULT_SYSLOG_TLS_PORT: u16 = 6514;

/// A handshake not finished in this time is abandoned.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A server configuration for a PEM certificate chain (leaf first) and its
/// PEM private key (PKCS#8, PKCS#1 or SEC1). With `client_ca_pem`, every
/// client must present a certificate signed by one of those CAs (RFC 5425
/// mutual authentication); without it, none is asked for. The ring
/// provider is named, not taken from the process default, so a second
/// provider elsewhere in the build cannot make this ambiguous.
pub fn server_config(
    cert_pem: &[u8],
    key_pem: &[u8],
    client_ca_pem: Option<&[u8]>,
) -> Result<Arc<ServerConfig>, ProbeError> {
    let (certs, key) = identity_from_pem(cert_pem, key_pem)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| ProbeError::Tls { what: "configuration", detail: e.to_string() })?;
    let builder = match client_ca_pem {
        Some(pem) => {
            let roots = roots("client CA file", Some(pem))?;
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| ProbeError::Tls { what: "client CA file", detail: e.to_string() })?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let config = builder
        .with_single_cert(certs, key)
        .map_err(|e| ProbeError::Tls { what: "key", detail: format!("does not match the certificate: {e}") })?;
    Ok(Arc::new(config))
}

/// The CA certificates of `pem`, or the system's when `None`.
fn roots(what: &'static str, pem: Option<&[u8]>) -> Result<RootCertStore, ProbeError> {
    let mut roots = RootCertStore::empty();
    let certs = match pem {
        Some(pem) => CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| ProbeError::Tls { what, detail: format!("not PEM: {e}") })?,
        None => rustls_native_certs::load_native_certs().certs,
    };
    let (added, _) = roots.add_parsable_certificates(certs);
    if added == 0 {
        return Err(ProbeError::Tls { what, detail: "no usable CA certificate".into() });
    }
    Ok(roots)
}

/// A client configuration trusting the CA certificates in `ca_pem`, or the
/// system's when `None` (through rustls-native-certs). With `identity`
/// (PEM certificate chain, PEM key) the client presents that certificate
/// to a receiver that asks for one.
pub fn client_config(ca_pem: Option<&[u8]>, identity: Option<(&[u8], &[u8])>) -> Result<Arc<ClientConfig>, ProbeError> {
    let roots = roots("CA file", ca_pem)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ProbeError::Tls { what: "configuration", detail: e.to_string() })?
        .with_root_certificates(roots);
    let config = match identity {
        Some((cert_pem, key_pem)) => {
            let (certs, key) = identity_from_pem(cert_pem, key_pem)?;
            builder
                .with_client_auth_cert(certs, key)
                .map_err(|e| ProbeError::Tls { what: "key", detail: format!("does not match the certificate: {e}") })?
        }
        None => builder.with_no_client_auth(),
    };
    Ok(Arc::new(config))
}

/// A certificate chain (leaf first) and its private key (PKCS#8, PKCS#1 or
/// SEC1), both PEM: what a server or a client presents.
fn identity_from_pem(
    cert_pem: &[u8],
    key_pem: &[u8],
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), ProbeError> {
    let certs = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProbeError::Tls { what: "certificate", detail: format!("not PEM: {e}") })?;
    if certs.is_empty() {
        return Err(ProbeError::Tls { what: "certificate", detail: "no CERTIFICATE block in the file".into() });
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem)
        .map_err(|e| ProbeError::Tls { what: "key", detail: format!("no usable private key: {e}") })?;
    Ok((certs, key))
}

/// Connects to `to` over TLS, checks its certificate for `server_name` (a
/// DNS name or an IP), writes `data`, and closes with close_notify, each
/// step within `limit`.
pub async fn send_tls(
    config: Arc<ClientConfig>,
    to: SocketAddr,
    server_name: &str,
    data: &[u8],
    limit: Duration,
) -> Result<(), ProbeError> {
    let name = ServerName::try_from(server_name.to_owned())
        .map_err(|e| ProbeError::Tls { what: "server name", detail: format!("{server_name}: {e}") })?;
    let io_err = |what: &str, e: std::io::Error| ProbeError::Tls { what: "connection", detail: format!("{what}: {e}") };
    let step = |what: &'static str| {
        move |_| ProbeError::Tls { what: "connection", detail: format!("{what}: no answer within {limit:?}") }
    };
    let tcp = tokio::time::timeout(limit, TcpStream::connect(to))
        .await
        .map_err(step("connecting"))?
        .map_err(|e| io_err("connecting", e))?;
    let mut tls = tokio::time::timeout(limit, TlsConnector::from(config).connect(name, tcp))
        .await
        .map_err(step("handshake"))?
        .map_err(|e| io_err("handshake", e))?;
    tokio::time::timeout(limit, tls.write_all(data))
        .await
        .map_err(step("sending"))?
        .map_err(|e| io_err("sending", e))?;
    tokio::time::timeout(limit, tls.shutdown()).await.map_err(step("closing"))?.map_err(|e| io_err("closing", e))
}

/// Completes the server handshake, or says why not.
pub(super) async fn accept(acceptor: &TlsAcceptor, stream: TcpStream) -> Result<TlsStream<TcpStream>, String> {
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no handshake within {HANDSHAKE_TIMEOUT:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_without_a_certificate_or_key_are_errors_not_panics() {
        let junk: [&[u8]; 4] =
            [b"", b"not pem at all", b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n", &[0xff; 64]];
        for cert in junk {
            let e = server_config(cert, b"", None).expect_err("no certificate");
            assert!(matches!(e, ProbeError::Tls { what: "certificate", .. }), "{e}");
        }
    }
}
