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
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        let steps: [Vec<&str>; 3] = [
            [&["req", "-x509"][..], &ec, &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2"]].concat(),
            [&["req"][..], &ec, &["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]].concat(),
            vec![
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.pem",
                "-days",
                "2",
                "-extfile",
                "san.ext",
            ],
        ];
        for (i, args) in steps.iter().enumerate() {
            let mut cmd = Command::new("openssl");
            cmd.args(args).current_dir(d);
            if i == 0 {
                cmd.args(["-subj", "/CN=Meridian test CA"]);
            }
            stdout_of(cmd, "openssl")?;
        }
        Ok(Self { dir })
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
