//! Regression corpus for the SNMP parser: real snmpd replies plus
//! truncated and garbled variants (and whatever `cargo fuzz` finds, copied
//! here). Every file must decode to Ok or a typed error, never panic, and
//! every prefix of every file must too.

use meridian_core::credential::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use meridian_probe::snmp::{decode_message, dispatch_id, open_v3, LocalKeys, Message};

fn check(bytes: &[u8]) {
    let _ = dispatch_id(bytes);
    if let Ok(Message::V3(m)) = decode_message(bytes) {
        let user = UsmUser {
            user: "u".into(),
            auth: Some((AuthProtocol::Sha256, Secret::new("authpass123"))),
            privacy: Some((PrivProtocol::Aes128, Secret::new("privpass123"))),
        };
        let _ = open_v3(bytes, &m, &LocalKeys::localize(&user, &m.engine_id));
    }
}

#[test]
fn corpus_never_panics() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/snmp");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus dir") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("read");
        for cut in 0..=bytes.len() {
            check(&bytes[..cut]);
        }
        // Flip each byte once too: cheap mutation coverage.
        for i in 0..bytes.len().min(600) {
            let mut b = bytes.clone();
            b[i] ^= 0xa5;
            check(&b);
        }
        n += 1;
    }
    assert!(n >= 10, "corpus has {n} files");
}

#[test]
fn real_replies_decode() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/snmp");
    for name in ["v2c_get_sysdescr.bin", "v2c_bulk_iftable.bin", "v2c_nosuchobject.bin", "v3_discovery_report.bin"] {
        let bytes = std::fs::read(dir.join(name)).expect("read");
        assert!(decode_message(&bytes).is_ok(), "{name}: {:?}", decode_message(&bytes));
    }
}
