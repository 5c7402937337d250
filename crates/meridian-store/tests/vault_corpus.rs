//! The encrypted-file vault against its corpus (`tests/corpus/vault_file`,
//! also the seed and regression corpus of the `vault_file` fuzz target):
//! each file is put in place as `vault/secrets.json` and opened with the key
//! file the fuzz target uses, beside a key of the old layout. `valid_*` files
//! (written by the vault itself, see `write_seeds`) unlock; every other file,
//! prefix and flipped byte is refused with the file left as it was, or
//! unlocks, and nothing panics.
//!
//! The valid seeds are remade with `UPDATE_VAULT_CORPUS=1 cargo test
//! --workspace --locked --test vault_corpus` (fresh nonces, so new bytes).

use std::fs;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use meridian_store::vault::{FileVault, KeySource, SecretVault};
use zeroize::Zeroizing;

/// The same key and legacy key as `fuzz/fuzz_targets/vault_file.rs`.
const KEY_HEX: &str = "6d6572696469616e2d7661756c742d66757a7a2d7365656420206b65792121ab";
const LEGACY_KEY: [u8; 32] = [0x4c; 32];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/vault_file")
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = fs::read_dir(corpus_dir())
        .expect("corpus dir")
        .map(|e| {
            let p = e.expect("entry").path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            (name, fs::read(&p).expect("read"))
        })
        .collect();
    files.sort();
    files
}

fn write_private(path: &Path, body: &[u8]) {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f =
        fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path).expect("open for write");
    std::io::Write::write_all(&mut f, body).expect("write");
}

/// A data directory and a key file outside it, as the fuzz target has them.
struct Place {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    key: KeySource,
}

fn place() -> Place {
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tmp.path().join("data");
    fs::create_dir_all(&data).expect("data dir");
    let key = tmp.path().join("vault.key");
    write_private(&key, KEY_HEX.as_bytes());
    Place { data, key: KeySource::KeyFile(key), _tmp: tmp }
}

/// What the fuzz target does with one input: Ok(true) if it unlocked.
fn open_as_fuzzed(p: &Place, bytes: &[u8]) -> Result<bool, String> {
    let dir = p.data.join("vault");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("vault dir");
    let secrets = dir.join("secrets.json");
    write_private(&secrets, bytes);
    write_private(&dir.join("key"), &LEGACY_KEY);
    match FileVault::open(&p.data, Some(&p.key)) {
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.is_empty());
            if fs::read(&secrets).expect("secrets.json kept") != bytes {
                return Err(format!("refused ({msg}) but changed the file"));
            }
            Ok(false)
        }
        Ok(v) => {
            v.put("probe", b"probe").map_err(|e| e.to_string())?;
            let back = v.get("probe").map_err(|e| e.to_string())?;
            assert_eq!(back.as_deref().map(|b| b.as_slice()), Some(&b"probe"[..]));
            Ok(true)
        }
    }
}

#[test]
fn corpus_files_unlock_or_are_refused_by_name() {
    let files = corpus();
    assert!(files.len() >= 8, "corpus has {} files", files.len());
    let p = place();
    for (name, bytes) in &files {
        let unlocked = open_as_fuzzed(&p, bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(unlocked, name.starts_with("valid_"), "{name}");
    }
}

#[test]
fn no_prefix_or_flipped_byte_panics_or_changes_a_refused_file() {
    let p = place();
    for (name, bytes) in corpus() {
        for cut in 0..bytes.len() {
            open_as_fuzzed(&p, &bytes[..cut]).unwrap_or_else(|e| panic!("{name} cut at {cut}: {e}"));
        }
        for i in 0..bytes.len().min(400) {
            let mut b = bytes.clone();
            b[i] ^= 0xa5;
            open_as_fuzzed(&p, &b).unwrap_or_else(|e| panic!("{name} byte {i} flipped: {e}"));
        }
    }
}

/// The valid seeds, written by the vault: a key-file vault with entries, an
/// empty one, the old layout's map under `LEGACY_KEY`, and a passphrase
/// vault (refused by the key file, but its argon2id record is parsed).
#[test]
fn write_seeds() {
    if std::env::var_os("UPDATE_VAULT_CORPUS").is_none() {
        return;
    }
    let dir = corpus_dir();
    fs::create_dir_all(&dir).expect("corpus dir");
    let written = |p: &Place| fs::read(p.data.join("vault/secrets.json")).expect("secrets.json");

    let p = place();
    let v = FileVault::open(&p.data, Some(&p.key)).expect("open");
    v.put("cred/1/community", b"public-ro").expect("put");
    v.put("cred/2/auth", b"authpass123").expect("put");
    v.put("channel/3/url", b"https://hooks.example/abc").expect("put");
    fs::write(dir.join("valid_keyfile_entries.json"), written(&p)).expect("seed");

    let p = place();
    FileVault::open(&p.data, Some(&p.key)).expect("open");
    fs::write(dir.join("valid_keyfile_empty.json"), written(&p)).expect("seed");

    let old = XChaCha20Poly1305::new(Key::from_slice(&LEGACY_KEY));
    let mut map = std::collections::BTreeMap::new();
    for (i, (id, secret)) in [("cred/1/community", "public"), ("cred/2/priv", "privpass123")].iter().enumerate() {
        let nonce = [i as u8 + 1; 24];
        let ct = old.encrypt(XNonce::from_slice(&nonce), Payload { msg: secret.as_bytes(), aad: id.as_bytes() });
        let blob: Vec<u8> = nonce.iter().copied().chain(ct.expect("seal")).collect();
        map.insert(id.to_string(), blob.iter().map(|b| format!("{b:02x}")).collect::<String>());
    }
    let legacy = serde_json::to_vec_pretty(&map).expect("json");
    fs::write(dir.join("valid_legacy_map.json"), legacy).expect("seed");

    let p = place();
    let pass = KeySource::Passphrase(Zeroizing::new("seed passphrase".into()));
    FileVault::open(&p.data, Some(&pass)).expect("open").put("cred/1/community", b"x").expect("put");
    fs::write(dir.join("passphrase_vault.json"), written(&p)).expect("seed");
}
