//! Secrets at rest: a data directory copied elsewhere reveals no secret. The
//! vault's key is derived from a passphrase kept outside the directory, so
//! the copy holds ciphertext, a salt and a check value, nothing that opens
//! them. Every file of the copy and every row of its store (opened afresh,
//! without the passphrase) is searched for the secret bytes.

use std::path::{Path, PathBuf};
use std::process::Command;

use meridian_service::{ApiErrorKind, App, AppConfig, SnmpCredential, SnmpVersion, UsmInput};
use meridian_store::{Store, StoreConfig};

const COMMUNITY: &str = "Kx4-community-AT-REST";
const AUTH: &str = "Kx4-authpass-AT-REST";
const PRIV: &str = "Kx4-privpass-AT-REST";
const PASSPHRASE: &str = "a long passphrase nobody guesses";

fn cfg(data: &Path, passphrase_file: Option<PathBuf>) -> AppConfig {
    let mut cfg = AppConfig::with_data_dir(data.to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = None;
    cfg.vault_passphrase_file = passphrase_file;
    cfg
}

/// The secrets as they could appear: raw, and hex-encoded either case.
fn needles() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for s in [COMMUNITY, AUTH, PRIV, PASSPHRASE] {
        out.push(s.as_bytes().to_vec());
        let hex: String = s.bytes().map(|b| format!("{b:02x}")).collect();
        out.push(hex.clone().into_bytes());
        out.push(hex.to_uppercase().into_bytes());
    }
    out
}

fn scan(dir: &Path, files: &mut usize, hits: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            scan(&p, files, hits);
        } else if let Ok(bytes) = std::fs::read(&p) {
            *files += 1;
            for n in needles() {
                if bytes.windows(n.len()).any(|w| w == n.as_slice()) {
                    hits.push(format!("{} holds {}", p.display(), String::from_utf8_lossy(&n)));
                }
            }
        }
    }
}

/// Every row of every table of the store, as JSON text.
async fn all_rows(data: &Path) -> String {
    let store = Store::open(StoreConfig::embedded(data)).await.expect("open the copy's store");
    let mut conn = store.conn().await.expect("conn");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables \
         WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("tables");
    let mut text = String::new();
    for t in &tables {
        let rows: Option<String> =
            sqlx::query_scalar(&format!("SELECT string_agg(row_to_json(whole_row)::text, E'\\n') FROM {t} whole_row"))
                .fetch_one(&mut *conn)
                .await
                .expect("rows");
        text += &rows.unwrap_or_default();
    }
    drop(conn);
    store.close().await;
    assert!(tables.len() > 10 && text.contains("lab-v3"), "the store looks empty: {tables:?}");
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copied_data_directory_reveals_no_secret() {
    let (root, outside) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    let data = root.path().join("data");
    let pass_file = outside.path().join("passphrase");
    meridian_testkit::write_private(&pass_file, format!("{PASSPHRASE}\n").as_bytes());

    let app = App::open(cfg(&data, Some(pass_file.clone()))).await.expect("open");
    app.add_community_credential("lab-v2c", SnmpVersion::V2c, COMMUNITY).await.expect("v2c");
    let v3 = UsmInput {
        name: "lab-v3".into(),
        user: "admin".into(),
        auth_proto: Some("SHA-256".into()),
        auth_pass: Some(AUTH.into()),
        priv_proto: Some("AES".into()),
        priv_pass: Some(PRIV.into()),
    };
    app.add_usm_credential(v3).await.expect("v3");
    app.close().await;

    let copy = root.path().join("copy");
    let ok = Command::new("cp").arg("-a").arg(&data).arg(&copy).status().expect("cp").success();
    assert!(ok, "cp -a");

    let (mut files, mut hits) = (0, Vec::new());
    scan(&copy, &mut files, &mut hits);
    assert!(files > 50 && copy.join("vault/secrets.json").is_file(), "the copy has {files} files");
    assert!(!copy.join("vault/key").exists(), "a key file sits in the data directory");
    assert!(hits.is_empty(), "secrets readable in the copy: {hits:?}");

    let rows = all_rows(&copy).await;
    for n in needles() {
        assert!(!rows.as_bytes().windows(n.len()).any(|w| w == n.as_slice()), "a store row holds a secret");
    }

    // Opened without the passphrase the copy works, but its secrets are locked.
    let app = App::open(cfg(&copy, None)).await.expect("open the copy");
    assert_eq!(app.list_credentials().await.expect("list").len(), 2);
    let e = app.credential_secret("lab-v2c").await.expect_err("read without the passphrase");
    assert_eq!(e.kind, ApiErrorKind::VaultLocked, "{e:?}");
    assert!(e.detail.contains("MERIDIAN_VAULT_PASSPHRASE_FILE"), "{}", e.detail);
    let status = app.vault_status().await.expect("status");
    assert!(status.locked, "{status:?}");
    // A wrong passphrase is refused on the passphrase field and changes nothing.
    let before = std::fs::read(copy.join("vault/secrets.json")).expect("vault");
    let e = app.unlock_vault("not the passphrase".into()).await.expect_err("wrong passphrase");
    assert!(e.fields.iter().any(|f| f.field == "passphrase") && e.detail.contains("does not unlock"), "{e:?}");
    assert_eq!(std::fs::read(copy.join("vault/secrets.json")).expect("vault"), before);
    assert!(app.credential_secret("lab-v3").await.is_err());

    // The passphrase alone opens it: the same secrets come back.
    let status = app.unlock_vault(PASSPHRASE.into()).await.expect("unlock");
    assert!(!status.locked);
    match app.credential_secret("lab-v3").await.expect("secret") {
        SnmpCredential::Usm(u) => {
            assert_eq!(u.auth.as_ref().map(|(_, s)| s.expose()), Some(AUTH));
            assert_eq!(u.privacy.as_ref().map(|(_, s)| s.expose()), Some(PRIV));
        }
        other => panic!("wrong kind {other:?}"),
    }
    match app.credential_secret("lab-v2c").await.expect("secret") {
        SnmpCredential::Community { community, .. } => assert_eq!(community.expose(), COMMUNITY),
        other => panic!("wrong kind {other:?}"),
    }
    app.close().await;
}
