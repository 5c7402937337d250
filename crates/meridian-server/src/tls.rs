//! The listener's certificate: the user's PEM files, or a self-signed one
//! generated on first start in the state directory and reused after. Its
//! SHA-256 fingerprint is printed so a desktop can pin it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};

pub struct TlsSetup {
    pub config: Arc<rustls::ServerConfig>,
    /// `AB:CD:...` over the leaf certificate's DER.
    pub fingerprint: String,
    /// Where the certificate came from (for the start-up line and tests).
    pub cert_path: PathBuf,
    pub generated: bool,
}

/// `cert` and `key` both or neither; with neither, `state_dir/tls/`.
pub fn load_or_generate(cert: Option<&Path>, key: Option<&Path>, state_dir: &Path) -> anyhow::Result<TlsSetup> {
    let (cert_path, key_path, generated) = match (cert, key) {
        (Some(c), Some(k)) => (c.to_path_buf(), k.to_path_buf(), false),
        (None, None) => {
            let dir = state_dir.join("tls");
            let (c, k) = (dir.join("cert.pem"), dir.join("key.pem"));
            let fresh = !c.exists() || !k.exists();
            if fresh {
                generate(&dir, &c, &k)?;
            }
            (c, k, fresh)
        }
        _ => bail!("--tls-cert and --tls-key go together"),
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert_path)
        .with_context(|| format!("--tls-cert {}", cert_path.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("--tls-cert {}: not PEM certificates", cert_path.display()))?;
    let Some(leaf) = certs.first() else { bail!("--tls-cert {}: no certificate in the file", cert_path.display()) };
    let fingerprint = fingerprint(leaf);
    let key = PrivateKeyDer::from_pem_file(&key_path)
        .with_context(|| format!("--tls-key {}: no PEM private key", key_path.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .context("the TLS certificate and key do not match")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsSetup { config: Arc::new(config), fingerprint, cert_path, generated })
}

pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    Sha256::digest(cert.as_ref()).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

fn generate(dir: &Path, cert: &Path, key: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned(), "::1".to_owned()];
    if let Ok(h) = std::fs::read_to_string("/etc/hostname") {
        let h = h.trim();
        if !h.is_empty() && h != "localhost" {
            names.push(h.to_owned());
        }
    }
    let ck = rcgen::generate_simple_self_signed(names).context("generate a self-signed certificate")?;
    write_private(key, ck.signing_key.serialize_pem().as_bytes())?;
    std::fs::write(cert, ck.cert.pem()).with_context(|| format!("write {}", cert.display()))?;
    tracing::info!(cert = %cert.display(), "generated a self-signed TLS certificate");
    Ok(())
}

/// The key file is readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o.open(path).with_context(|| format!("write {}", path.display()))?;
    f.write_all(bytes).with_context(|| format!("write {}", path.display()))?;
    Ok(())
}
