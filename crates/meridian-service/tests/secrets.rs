//! No secret in plaintext: not in the database (a real `pg_dump` of the
//! native backend, and every byte of the embedded data directory), not in
//! the logs (captured at TRACE), and not in what the API returns.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use meridian_service::{App, AppConfig, SnmpCredential, SnmpVersion, UsmInput};
use meridian_testkit::NativePostgres;

const COMMUNITY: &str = "Zq7-community-NEVER-LOG";
const AUTH: &str = "Zq7-authpass-NEVER-LOG";
const PRIV: &str = "Zq7-privpass-NEVER-LOG";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn scan_dir(dir: &Path, hits: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            scan_dir(&p, hits);
        } else if let Ok(bytes) = std::fs::read(&p) {
            for s in [COMMUNITY, AUTH, PRIV] {
                if contains(&bytes, s) {
                    hits.push(format!("{} holds {s}", p.display()));
                }
            }
        }
    }
}

async fn exercise(app: &App) -> String {
    let mut api_output = String::new();
    let c = app.add_community_credential("lab-v2c", SnmpVersion::V2c, COMMUNITY).await.expect("v2c");
    api_output += &serde_json::to_string(&c).expect("json");
    let v3 = UsmInput {
        name: "lab-v3".into(),
        user: "admin".into(),
        auth_proto: Some("SHA-512".into()),
        auth_pass: Some(AUTH.into()),
        priv_proto: Some("AES-256".into()),
        priv_pass: Some(PRIV.into()),
    };
    api_output += &serde_json::to_string(&app.add_usm_credential(v3).await.expect("v3")).expect("json");
    // A duplicate is refused before the vault is touched; its error must not echo the secret.
    let dup = app.add_community_credential("lab-v2c", SnmpVersion::V2c, COMMUNITY).await.expect_err("dup");
    api_output += &serde_json::to_string(&dup).expect("json");
    let d = app
        .add_device(meridian_service::DeviceInput {
            name: "r1".into(),
            address: "127.0.0.1".into(),
            credential: Some("lab-v3".into()),
            ..Default::default()
        })
        .await
        .expect("device");
    api_output += &serde_json::to_string(&d).expect("json");
    api_output += &serde_json::to_string(&app.list_credentials().await.expect("list")).expect("json");

    // The secrets are really kept: the pollers can get them back.
    match app.credential_secret("lab-v2c").await.expect("secret") {
        SnmpCredential::Community { community, .. } => assert_eq!(community.expose(), COMMUNITY),
        other => panic!("wrong kind {other:?}"),
    }
    match app.credential_secret("lab-v3").await.expect("secret") {
        SnmpCredential::Usm(u) => {
            assert_eq!(u.auth.as_ref().map(|(_, s)| s.expose()), Some(AUTH));
            assert_eq!(u.privacy.as_ref().map(|(_, s)| s.expose()), Some(PRIV));
        }
        other => panic!("wrong kind {other:?}"),
    }
    api_output
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_stay_out_of_store_dump_and_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    // Embedded: every byte under the data directory (heap, WAL, vault file).
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open");
    let api = exercise(&app).await;
    app.close().await;
    let mut hits = Vec::new();
    scan_dir(dir.path(), &mut hits);
    assert!(hits.is_empty(), "plaintext secrets on disk: {hits:?}");

    // Native PostgreSQL: a real pg_dump of the database.
    let pg = NativePostgres::shared().expect("native PostgreSQL");
    let url = pg.fresh_database().expect("db");
    let dir2 = tempfile::tempdir().expect("tempdir");
    let mut cfg = AppConfig::with_data_dir(dir2.path().to_path_buf());
    cfg.database_url = Some(url.clone());
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    let app = App::open(cfg).await.expect("open native");
    let api2 = exercise(&app).await;
    app.close().await;
    let dump = pg.pg_dump(&url).expect("pg_dump");
    assert!(dump.contains("lab-v3") && dump.contains("CREATE TABLE public.credentials"), "dump looks empty");
    let log_text = String::from_utf8_lossy(&logs.0.lock().expect("logs")).into_owned();
    assert!(log_text.contains("credential added"), "logs were not captured");
    for s in [COMMUNITY, AUTH, PRIV] {
        assert!(!dump.contains(s), "pg_dump holds {s}");
        assert!(!log_text.contains(s), "logs hold {s}");
        assert!(!api.contains(s) && !api2.contains(s), "API output holds {s}");
    }
}
