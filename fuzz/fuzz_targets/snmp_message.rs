//! Arbitrary bytes into the SNMP reply parser, the v3 USM check and the
//! dispatcher. Seeded (by `make fuzz`, through `fuzz/seed-dirs`) from
//! `crates/meridian-probe/tests/corpus/snmp`; copy crashes there so
//! `cargo test` keeps them fixed.
//!
//! A fuzzed message never carries a valid HMAC, so with the user's keys the
//! decryption behind the digest check is out of reach. The second `open` uses
//! privacy-only keys, which `open` decrypts without a digest when the message
//! claims privacy without authentication: that puts DES-CBC and AES-CFB
//! (any salt, boots, time and ciphertext length) under the fuzzer too.
//! Run: `make fuzz FUZZ_TARGETS=snmp_message` (see docs/RELIABILITY.md)
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use meridian_core::credential::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use meridian_probe::snmp::{decode_message, dispatch_id, open_v3, LocalKeys, Message};

/// Localised once: `LocalKeys::localize` hashes 1 MB per pass phrase, which
/// per input would spend the run on SHA-1 instead of the parser.
fn keys() -> &'static LocalKeys {
    static KEYS: OnceLock<LocalKeys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let user = UsmUser {
            user: "u".into(),
            auth: Some((AuthProtocol::Sha1, Secret::new("authpass123"))),
            privacy: Some((PrivProtocol::Des, Secret::new("privpass123"))),
        };
        LocalKeys::localize(&user, b"fuzz")
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = dispatch_id(data);
    if let Ok(Message::V3(m)) = decode_message(data) {
        let keys = keys();
        let _ = open_v3(data, &m, keys);
        let Some((_, key)) = &keys.privacy else { return };
        let cipher = PRIVACY[usize::from(m.engine_id.first().copied().unwrap_or(0)) % PRIVACY.len()];
        let key = key.iter().copied().cycle().take(32).collect();
        let _ = open_v3(data, &m, &LocalKeys { auth: None, privacy: Some((cipher, key)) });
    }
});

/// Picked by the message's own engine ID, so one input covers one cipher.
const PRIVACY: [PrivProtocol; 4] =
    [PrivProtocol::Des, PrivProtocol::Aes128, PrivProtocol::Aes192, PrivProtocol::Aes256];
