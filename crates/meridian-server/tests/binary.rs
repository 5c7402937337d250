//! The `meridian-server` binary itself: `init` with a password on stdin and
//! with a generated one, a second `init` refused, then serving over TLS with
//! a generated certificate whose printed fingerprint is the one served, and
//! a login with the generated password. Also refuses a non-loopback
//! plaintext health listener.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use meridian_testkit::NativePostgres;
use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_meridian-server");

fn cmd(db: &str, state: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.env("MERIDIAN_DATABASE_URL", db).env("MERIDIAN_SERVER_STATE", state).env("RUST_LOG", "warn");
    c
}

fn init(db: &str, state: &std::path::Path, admin: &str, stdin: &str) -> std::process::Output {
    let mut child = cmd(db, state)
        .args(["init", "--admin", admin])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn init");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("init")
}

/// Kills the server when the test ends, however it ends.
struct Running(Child);
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn init_then_serve_over_tls_and_log_in() {
    let pg = NativePostgres::shared().expect("PostgreSQL");
    let db = pg.fresh_database().expect("database");
    let state = tempfile::tempdir().expect("state");

    // A generated password, printed once.
    let out = init(&db, state.path(), "root-admin", "");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let password = stdout.lines().find_map(|l| l.strip_prefix("password: ")).expect("printed password").to_owned();
    assert!(password.len() >= 12);
    let again = init(&db, state.path(), "second", "another-password-123\n");
    assert!(!again.status.success(), "a second init is refused");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has users"));

    // A password from stdin on another database; a weak one is refused by name.
    let db2 = pg.fresh_database().expect("database");
    let state2 = tempfile::tempdir().expect("state");
    let weak = init(&db2, state2.path(), "alice", "short\n");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password"), "{}", String::from_utf8_lossy(&weak.stderr));
    let ok = init(&db2, state2.path(), "alice", "from-stdin-password-1\n");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(!String::from_utf8_lossy(&ok.stdout).contains("from-stdin"), "a given password is never echoed");

    // Serve on an ephemeral loopback port; read the address and fingerprint.
    let mut child = cmd(&db, state.path())
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let stdout = child.stdout.take().expect("stdout");
    let _guard = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let (mut url, mut fp) = (None, None);
    let deadline = Instant::now() + Duration::from_secs(60);
    while (url.is_none() || fp.is_none()) && Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(u) = line.strip_prefix("listening on ") {
            url = Some(u.to_owned());
        }
        if let Some((_, f)) = line.split_once("SHA-256 fingerprint ") {
            fp = Some(f.to_owned());
        }
    }
    let (url, fp) = (url.expect("listening line"), fp.expect("fingerprint line"));
    let cert = state.path().join("tls/cert.pem");
    let served = {
        use rustls::pki_types::pem::PemObject;
        let der = rustls::pki_types::CertificateDer::from_pem_file(&cert).expect("cert");
        use sha2::Digest;
        sha2::Sha256::digest(der.as_ref()).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
    };
    assert_eq!(fp, served, "the printed fingerprint is the generated certificate's");
    let port = url.rsplit(':').next().expect("port").to_owned();
    let client = common::https_client(&cert);
    let r = client
        .post(format!("https://localhost:{port}/api/v1/login"))
        .json(&json!({"name": "root-admin", "password": password}))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status().as_u16(), 200);
    let me: serde_json::Value = r.json().await.expect("json");
    assert_eq!(me["user"]["role"], "admin");

    let bad =
        cmd(&db, state.path()).args(["--listen", "127.0.0.1:0", "--health-listen", "0.0.0.0:0"]).output().expect("run");
    assert!(!bad.status.success(), "a non-loopback plaintext listener is refused");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("loopback"));
}
