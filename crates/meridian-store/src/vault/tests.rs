//! The file vault against real files: key sources, locking, migration of the
//! old layout, and damaged or wrong material.

use std::fs;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::file::write_private;
use super::*;

fn key_file(dir: &Path, name: &str, key: &[u8]) -> KeySource {
    let p = dir.join(name);
    write_private(&p, key).expect("key file");
    KeySource::KeyFile(p)
}

fn pass(p: &str) -> KeySource {
    KeySource::Passphrase(Zeroizing::new(p.to_owned()))
}

fn err(r: Result<impl Sized, StoreError>) -> String {
    r.err().map(|e| e.to_string()).unwrap_or_default()
}

/// Every file below `dir`, read whole.
fn all_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(all_bytes(&p));
        } else {
            out.push((p.clone(), fs::read(&p).expect("read")));
        }
    }
    out
}

#[test]
fn round_trip_with_a_key_file_and_nothing_in_clear() {
    let (data, outside) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    let k = key_file(outside.path(), "k", &[9u8; 32]);
    let v = FileVault::open(data.path(), Some(&k)).expect("open");
    v.put("a", b"very-secret-community").expect("put");
    v.put("b", b"other").expect("put");
    assert_eq!(v.get("a").expect("get").as_deref().map(|x| x.as_slice()), Some(&b"very-secret-community"[..]));
    v.delete("a").expect("delete");
    assert_eq!(v.get("a").expect("get"), None);
    for (p, bytes) in all_bytes(data.path()) {
        assert!(!bytes.windows(11).any(|w| w == b"very-secret"), "{} holds the secret", p.display());
        assert!(!bytes.windows(32).any(|w| w == [9u8; 32]), "{} holds the key", p.display());
    }
    let again = FileVault::open(data.path(), Some(&k)).expect("reopen");
    assert_eq!(again.get("b").expect("get").as_deref().map(|x| x.as_slice()), Some(&b"other"[..]));
    assert_eq!(again.protection().expect("protection"), Protection::KeyFile);
}

#[test]
fn locked_without_a_key_and_a_wrong_passphrase_changes_nothing() {
    let data = tempfile::tempdir().expect("tmp");
    let v = FileVault::open(data.path(), Some(&pass("correct horse"))).expect("open");
    v.put("cred", b"s3cret").expect("put");
    let before = fs::read(data.path().join("vault/secrets.json")).expect("read");

    let locked = FileVault::open(data.path(), None).expect("open locked");
    assert!(locked.is_locked());
    assert_eq!(locked.protection().expect("protection"), Protection::Passphrase);
    let msg = err(locked.get("cred"));
    assert!(msg.contains("locked") && msg.contains("MERIDIAN_VAULT_PASSPHRASE_FILE"), "{msg}");
    assert!(matches!(locked.put("x", b"y"), Err(StoreError::VaultLocked(_))));

    let msg = err(locked.unlock(&pass("wrong horse")));
    assert!(msg.contains("does not unlock") && msg.contains("nothing was changed"), "{msg}");
    assert!(locked.is_locked());
    let msg = err(locked.unlock(&key_file(data.path().parent().expect("parent"), "k-wrong", &[1u8; 32])));
    assert!(msg.contains("protected by a passphrase"), "{msg}");
    assert_eq!(fs::read(data.path().join("vault/secrets.json")).expect("read"), before);

    locked.unlock(&pass("correct horse")).expect("unlock");
    assert_eq!(locked.get("cred").expect("get").as_deref().map(|x| x.as_slice()), Some(&b"s3cret"[..]));
}

#[test]
fn an_old_vault_is_re_encrypted_and_its_key_deleted_on_first_unlock() {
    let data = tempfile::tempdir().expect("tmp");
    // The layout before this change: vault/key and a bare map.
    let dir = data.path().join("vault");
    fs::create_dir_all(&dir).expect("mkdir");
    let old_key = [42u8; 32];
    write_private(&dir.join("key"), &old_key).expect("old key");
    let old = chacha20poly1305::XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(&old_key));
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let nonce = [5u8; 24];
    let ct = old
        .encrypt(chacha20poly1305::XNonce::from_slice(&nonce), Payload { msg: b"legacy-community", aad: b"c1" })
        .expect("encrypt");
    let blob: Vec<u8> = nonce.iter().chain(ct.iter()).copied().collect();
    fs::write(dir.join("secrets.json"), format!("{{\"c1\": \"{}\"}}", super::file::to_hex(&blob))).expect("old file");

    let v = FileVault::open(data.path(), None).expect("open locked");
    assert_eq!(v.protection().expect("p"), Protection::Legacy);
    assert!(v.get("c1").is_err(), "an old vault is not readable before it moves to a passphrase");
    v.unlock(&pass("new passphrase")).expect("migrate");
    assert!(!dir.join("key").exists(), "the old key file is still in the data directory");
    assert_eq!(v.get("c1").expect("get").as_deref().map(|x| x.as_slice()), Some(&b"legacy-community"[..]));
    let reopened = FileVault::open(data.path(), Some(&pass("new passphrase"))).expect("reopen");
    assert_eq!(reopened.protection().expect("p"), Protection::Passphrase);
    assert_eq!(reopened.get("c1").expect("get").as_deref().map(|x| x.as_slice()), Some(&b"legacy-community"[..]));
}

#[test]
fn key_files_inside_the_data_dir_or_readable_by_others_are_refused() {
    let data = tempfile::tempdir().expect("tmp");
    let inside = key_file(data.path(), "inside.key", &[3u8; 32]);
    let msg = err(FileVault::open(data.path(), Some(&inside)));
    assert!(msg.contains("inside the data directory"), "{msg}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let outside = tempfile::tempdir().expect("tmp");
        let KeySource::KeyFile(p) = key_file(outside.path(), "k", &[3u8; 32]) else { unreachable!() };
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).expect("chmod");
        let msg = err(FileVault::open(data.path(), Some(&KeySource::KeyFile(p))));
        assert!(msg.contains("chmod 600"), "{msg}");
    }
}

#[test]
fn swapped_entries_do_not_decrypt() {
    let (data, outside) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    let k = key_file(outside.path(), "k", &[8u8; 32]);
    let v = FileVault::open(data.path(), Some(&k)).expect("open");
    v.put("a", b"one").expect("put");
    let p = data.path().join("vault/secrets.json");
    let text = fs::read_to_string(&p).expect("read").replace("\"a\"", "\"b\"");
    fs::write(&p, text).expect("write");
    assert!(v.get("b").is_err());
}

#[test]
fn a_replaced_key_or_a_damaged_file_is_refused_at_open_naming_the_file() {
    let (data, outside) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    let good = key_file(outside.path(), "good", &[1u8; 32]);
    FileVault::open(data.path(), Some(&good)).expect("open").put("cred-1", b"secret").expect("put");
    let secrets = data.path().join("vault/secrets.json");
    let other = key_file(outside.path(), "other", &[2u8; 32]);
    let msg = err(FileVault::open(data.path(), Some(&other)));
    assert!(msg.contains(&secrets.display().to_string()) && msg.contains("does not unlock"), "{msg}");
    let body = fs::read(&secrets).expect("read");
    for garbage in [&b"{not json"[..], b"", b"{\"cred-1\": \"zz\"}", b"{\"cred-1\": \"00\"}"] {
        fs::write(&secrets, garbage).expect("garbage");
        let msg = err(FileVault::open(data.path(), Some(&good)));
        assert!(msg.contains(&data.path().join("vault").display().to_string()), "{msg}");
    }
    fs::write(&secrets, &body).expect("restore");
    let short = key_file(outside.path(), "short", &[1u8; 5]);
    let msg = err(FileVault::open(data.path(), Some(&short)));
    assert!(msg.contains("not a 32-byte key") && msg.contains("short"), "{msg}");
    FileVault::open(data.path(), Some(&good)).expect("the good key still opens it");
}

/// Garbage in the vault file (random bytes, truncations, flipped bytes of a
/// real file) and in key files: every open answers Ok or a `Vault` error
/// naming the file, and never panics. A seeded generator keeps it replayable.
#[test]
fn garbage_vault_and_key_files_never_panic() {
    let (data, outside) = (tempfile::tempdir().expect("tmp"), tempfile::tempdir().expect("tmp"));
    let k = key_file(outside.path(), "k", &[4u8; 32]);
    let v = FileVault::open(data.path(), Some(&k)).expect("open");
    v.put("cred-1", b"secret-one").expect("put");
    v.put("cred-2", b"secret-two").expect("put");
    let secrets = data.path().join("vault/secrets.json");
    let good = fs::read(&secrets).expect("read");
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..600 {
        let body: Vec<u8> = match i % 3 {
            0 => (0..next() % 300).map(|_| next() as u8).collect(),
            1 => good[..(next() as usize % good.len())].to_vec(),
            _ => {
                let mut b = good.clone();
                for _ in 0..=next() % 4 {
                    let at = next() as usize % b.len();
                    b[at] = next() as u8;
                }
                b
            }
        };
        fs::write(&secrets, &body).expect("write");
        match FileVault::open(data.path(), Some(&k)) {
            Ok(v) => {
                // Accepted: every entry still reads back or fails cleanly.
                let _ = v.get("cred-1");
            }
            Err(StoreError::Vault(m)) => assert!(m.contains("vault"), "case {i}: {m}"),
            Err(other) => panic!("case {i}: unexpected error kind {other:?}"),
        }
        let key_body: Vec<u8> = (0..next() % 80).map(|_| next() as u8).collect();
        let bad_key = key_file(outside.path(), "garbage.key", &key_body);
        let _ = FileVault::open(data.path(), Some(&bad_key));
    }
    fs::write(&secrets, &good).expect("restore");
    let v = FileVault::open(data.path(), Some(&k)).expect("the real file still opens");
    assert_eq!(v.get("cred-2").expect("get").as_deref().map(|x| x.as_slice()), Some(&b"secret-two"[..]));
}
