//! A damaged data directory, a store written by a newer schema and a vault
//! that cannot be decrypted: each makes the CLI exit 1 with one error line
//! that names the file and says what to do, and nothing panics.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{meridian, run_ok};

/// PostgreSQL's own data directory inside a Meridian data directory.
const PGDATA: &str = "pglite/tmp/pglite/base";

/// A data directory with a device, a credential in the file vault and a schema.
fn seeded(root: &Path) -> PathBuf {
    let data = root.join("seed");
    run_ok(&data, &["device", "add", "r1", "127.0.0.1"]);
    run_ok(&data, &["credential", "add-v2c", "lab", "--community", "not-public"]);
    data
}

/// A copy of `seed` to damage; `cp -a` keeps the modes the vault checks.
fn copy(seed: &Path, name: &str) -> PathBuf {
    let to = seed.with_file_name(name);
    let ok = Command::new("cp").arg("-a").arg(seed).arg(&to).status().expect("cp").success();
    assert!(ok, "cp -a {} {}", seed.display(), to.display());
    std::fs::copy(seed.with_extension("toml"), to.with_extension("toml")).expect("config copy");
    to
}

/// `meridian device list` must exit 1 with one line naming `file` and `todo`.
fn refused(data: &Path, case: &str, file: &Path, todo: &str) {
    refused_with(data, case, file, todo, &[]);
}

/// `refused` with the environment variables `env` set (a key or passphrase file).
fn refused_with(data: &Path, case: &str, file: &Path, todo: &str, env: &[(&str, &Path)]) {
    let mut cmd = meridian(data);
    for (k, v) in env {
        cmd.env_remove("MERIDIAN_VAULT_KEY_FILE").env(k, v);
    }
    let out = cmd.args(["device", "list"]).output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{case}: exit {:?}, stderr {err}", out.status);
    assert!(!err.contains("panicked"), "{case}: {err}");
    assert_eq!(err.lines().count(), 1, "{case}: one line expected, got {err}");
    assert!(err.contains(&file.display().to_string()), "{case}: {err} does not name {}", file.display());
    assert!(err.contains(todo), "{case}: {err} does not say '{todo}'");
    assert!(out.stdout.is_empty(), "{case}: printed {}", String::from_utf8_lossy(&out.stdout));
}

/// The largest file of the database's own relations: the catalog.
fn largest_relation(data: &Path) -> PathBuf {
    let dir = data.join(PGDATA).join("base/1");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("base/1")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)));
    files.remove(0)
}

#[test]
fn damaged_store_files_are_named_with_a_way_out() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let seed = seeded(tmp.path());
    let garbage = |p: &Path, len: usize| std::fs::write(p, vec![0xA5u8; len]).expect("garbage");

    let d = copy(&seed, "control");
    let control = d.join(PGDATA).join("global/pg_control");
    garbage(&control, 100);
    refused(&d, "pg_control cut to 100 bytes", &control, "restore");

    let d = copy(&seed, "catalog");
    let rel = largest_relation(&d);
    std::fs::OpenOptions::new().write(true).open(&rel).and_then(|f| f.set_len(8192)).expect("truncate");
    refused(&d, "catalog relation truncated", &rel, "restore");

    let d = copy(&seed, "wal");
    let wal = d.join(PGDATA).join("pg_wal");
    let segment =
        std::fs::read_dir(&wal).expect("pg_wal").filter_map(Result::ok).map(|e| e.path()).find(|p| p.is_file());
    garbage(&segment.expect("a WAL segment"), 8192);
    refused(&d, "WAL segment overwritten", &wal, "restore");

    // The database files gone: pglite-oxide would open its template as a
    // fresh, empty store, which the marker refuses.
    let d = copy(&seed, "vanished");
    std::fs::remove_dir_all(d.join(PGDATA).join("base")).expect("rm base");
    refused(&d, "database files deleted", &d.join(PGDATA), "move");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_newer_schema_is_refused_naming_the_store() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = seeded(tmp.path());
    let store = common::open_store(&data).await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99990101000000, 'from the future', true, '\\x00'::bytea, 0)",
    )
    .execute(&mut *store.conn().await.expect("conn"))
    .await
    .expect("a migration from the future");
    store.close().await;
    refused(&data, "newer schema", &data.join("pglite"), "upgrade Meridian");
    // Refused before anything changed: the future migration is still the newest.
    let store = common::open_store_raw(&data).await;
    assert!(store.is_err(), "a second open went through");
}

#[test]
fn an_undecryptable_vault_is_refused_naming_the_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let seed = seeded(tmp.path());
    // Keys and passphrases live outside every data directory.
    let keys = tempfile::tempdir().expect("tempdir");

    let d = copy(&seed, "other-key");
    let other = keys.path().join("other.key");
    meridian_testkit::write_private(&other, &[0x5A; 32]);
    let secrets = d.join("vault/secrets.json");
    let before = std::fs::read(&secrets).expect("vault");
    refused_with(&d, "another key file", &secrets, "aside", &[("MERIDIAN_VAULT_KEY_FILE", &other)]);
    assert_eq!(std::fs::read(&secrets).expect("vault"), before, "a wrong key changed the vault");

    let d = copy(&seed, "garbage-vault");
    let secrets = d.join("vault/secrets.json");
    std::fs::write(&secrets, b"\x00\x01 not json").expect("garbage");
    refused(&d, "secrets file garbage", &secrets, "move it aside");

    let d = copy(&seed, "short-key");
    let short = keys.path().join("short.key");
    meridian_testkit::write_private(&short, b"short");
    refused_with(&d, "key cut short", &short, "32-byte key", &[("MERIDIAN_VAULT_KEY_FILE", &short)]);

    // A vault protected by a passphrase, opened with the wrong one.
    let pass = keys.path().join("pass");
    meridian_testkit::write_private(&pass, b"the right passphrase\n");
    let data = tmp.path().join("by-passphrase");
    let ok = meridian(&data)
        .env_remove("MERIDIAN_VAULT_KEY_FILE")
        .arg("--vault-passphrase-file")
        .arg(&pass)
        .args(["credential", "add-v2c", "lab", "--community", "not-public"])
        .output()
        .expect("run");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let wrong = keys.path().join("wrong");
    meridian_testkit::write_private(&wrong, b"a wrong passphrase\n");
    let secrets = data.join("vault/secrets.json");
    refused_with(
        &data,
        "wrong passphrase",
        &secrets,
        "nothing was changed",
        &[("MERIDIAN_VAULT_PASSPHRASE_FILE", &wrong)],
    );

    // No key at all: the store opens, but a secret cannot be written; the
    // one error line says how to give the passphrase.
    let out = meridian(&tmp.path().join("locked"))
        .env_remove("MERIDIAN_VAULT_KEY_FILE")
        .args(["credential", "add-v2c", "lab", "--community", "not-public"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("locked") && err.contains("--vault-passphrase-file"), "{err}");
}

#[test]
fn a_systemd_credential_keys_the_vault() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let creds = tempfile::tempdir().expect("tempdir");
    let key = creds.path().join("meridian-vault-key");
    meridian_testkit::write_private(&key, "5a".repeat(32).as_bytes());
    let data = tmp.path().join("systemd");
    let run = |args: &[&str], creds_dir: &Path| {
        meridian(&data)
            .env_remove("MERIDIAN_VAULT_KEY_FILE")
            .env("CREDENTIALS_DIRECTORY", creds_dir)
            .args(args)
            .output()
    };
    let out = run(&["credential", "add-v2c", "lab", "--community", "not-public"], creds.path()).expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let backend = run(&["credential", "backend"], creds.path()).expect("run");
    assert!(String::from_utf8_lossy(&backend.stdout).contains("key file"), "{backend:?}");
    // Another credential under the same name does not open it.
    let other = tempfile::tempdir().expect("tempdir");
    meridian_testkit::write_private(&other.path().join("meridian-vault-key"), &[1u8; 32]);
    let out = run(&["device", "list"], other.path()).expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("does not unlock") && err.contains("meridian-vault-key"), "{err}");
}
