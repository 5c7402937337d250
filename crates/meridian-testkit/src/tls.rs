//! A test certificate authority and a server certificate for `localhost`
//! and 127.0.0.1 signed by it, made by the `openssl` tool in a temp dir, for
//! the TLS listeners' tests (the receiver is given the server pair, the
//! peer trusts the CA).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{io, stdout_of};
use crate::TestkitError;

pub struct TestCerts {
    dir: tempfile::TempDir,
}

impl TestCerts {
    /// A P-256 CA and a leaf for `localhost` / 127.0.0.1, valid for two days.
    pub fn new() -> Result<Self, TestkitError> {
        let dir = tempfile::Builder::new().prefix("meridian-certs").tempdir().map_err(|e| io("temp dir", e))?;
        let d = dir.path();
        std::fs::write(d.join("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n")
            .map_err(|e| io("write san.ext", e))?;
        // Extensions make the client certificate X.509 v3, which webpki requires.
        std::fs::write(d.join("client.ext"), "extendedKeyUsage=clientAuth\n").map_err(|e| io("write client.ext", e))?;
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        // Signed by the CA: (name, its CSR subject, its extensions file).
        let sign = |name: &'static str, ext: &'static str| -> Vec<String> {
            let v = ["x509", "-req", "-in", &format!("{name}.csr"), "-CA", "ca.pem", "-CAkey", "ca.key"]
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>();
            let tail = ["-CAcreateserial", "-out", &format!("{name}.pem"), "-days", "2", "-extfile", ext];
            [v, tail.into_iter().map(str::to_owned).collect()].concat()
        };
        let request = |name: &str, x509: bool, subject: &str| -> Vec<String> {
            let head: &[&str] = if x509 { &["req", "-x509"] } else { &["req"] };
            let out = if x509 { format!("{name}.pem") } else { format!("{name}.csr") };
            let tail = ["-keyout", &format!("{name}.key"), "-out", &out, "-days", "2", "-subj", subject];
            [head, &ec[..], &tail[..]].concat().into_iter().map(str::to_owned).collect()
        };
        // The CA; the server for localhost; a client (a relay) signed by
        // the CA; a stranger signed by no one.
        let steps = [
            request("ca", true, "/CN=Meridian test CA"),
            request("server", false, "/CN=localhost"),
            sign("server", "san.ext"),
            request("client", false, "/CN=relay"),
            sign("client", "client.ext"),
            request("stranger", true, "/CN=stranger"),
        ];
        for args in steps {
            let mut cmd = Command::new("openssl");
            cmd.args(args).current_dir(d);
            stdout_of(cmd, "openssl")?;
        }
        Ok(Self { dir })
    }

    /// A client certificate signed by the CA (PEM) and its key.
    pub fn client(&self) -> (PathBuf, PathBuf) {
        (self.path("client.pem"), self.path("client.key"))
    }

    /// A self-signed client certificate the CA never saw, and its key.
    pub fn stranger(&self) -> (PathBuf, PathBuf) {
        (self.path("stranger.pem"), self.path("stranger.key"))
    }

    pub fn ca(&self) -> PathBuf {
        self.path("ca.pem")
    }

    /// The server's certificate (PEM, the leaf only).
    pub fn cert(&self) -> PathBuf {
        self.path("server.pem")
    }

    /// The server's private key (PEM, PKCS#8).
    pub fn key(&self) -> PathBuf {
        self.path("server.key")
    }

    /// The CA's key: a valid key that does not match the server certificate.
    pub fn other_key(&self) -> PathBuf {
        self.path("ca.key")
    }

    fn path(&self, name: &str) -> PathBuf {
        Path::join(self.dir.path(), name)
    }
}
