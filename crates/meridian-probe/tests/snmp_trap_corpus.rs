//! Regression corpus for the trap receiver's decoder and USM checks (the
//! `snmp_trap` cargo-fuzz target): real net-snmp notifications captured by
//! `capture.py` in the corpus directory, garbage, and whatever `cargo fuzz`
//! finds, copied there. Every file, every prefix of it and every one-byte
//! flip must come back as a verdict, never a panic; the real ones decode.

use std::net::SocketAddr;

use meridian_core::credential::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use meridian_probe::snmp::trap::{AuthFailure, Authority, LocalEngine, TrapAuth, TrapUser, Verdict};

fn authority() -> Authority {
    let user = UsmUser {
        user: "trapper".into(),
        auth: Some((AuthProtocol::Sha1, Secret::new("authpass123"))),
        privacy: Some((PrivProtocol::Aes128, Secret::new("privpass123"))),
    };
    let auth = TrapAuth {
        communities: vec![Secret::new("public")],
        users: vec![TrapUser { user, engine_id: Some(vec![0x80, 0, 0, 0, 1, 2, 3, 4]) }],
    };
    Authority::new(auth, LocalEngine::new(vec![0x80, 0, 0, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8], 1))
}

fn files() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/snmp_trap");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_none_or(|x| x == "bin"))
        .map(|p| {
            (p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned(), std::fs::read(&p).expect("read"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn corpus_never_panics() {
    let mut a = authority();
    let from: SocketAddr = "127.0.0.1:1162".parse().expect("addr");
    let files = files();
    assert!(files.len() >= 9, "corpus has {} files", files.len());
    for (_, bytes) in &files {
        for cut in 0..=bytes.len() {
            let _ = a.handle(&bytes[..cut], from);
        }
        for i in 0..bytes.len().min(600) {
            let mut b = bytes.clone();
            b[i] ^= 0xa5;
            let _ = a.handle(&b, from);
        }
    }
}

#[test]
fn real_notifications_decode() {
    let mut a = authority();
    let from: SocketAddr = "127.0.0.1:1162".parse().expect("addr");
    for (name, bytes) in files() {
        let h = a.handle(&bytes, from);
        let ok = match name.as_str() {
            "v3_inform_discovery.bin" => h.verdict == Verdict::Discovery && h.reply.is_some(),
            // The user is configured authPriv; a lower level is refused.
            "v3_trap_authnopriv.bin" => h.verdict == Verdict::Rejected(AuthFailure::UnsupportedSecLevel),
            n if n.starts_with("v1_") || n.starts_with("v2c_") || n.starts_with("v3_trap") => {
                matches!(h.verdict, Verdict::Accepted(_))
            }
            _ => matches!(h.verdict, Verdict::Malformed(_)),
        };
        assert!(ok, "{name}: {h:?}");
    }
}
