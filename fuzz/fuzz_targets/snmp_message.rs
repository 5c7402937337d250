//! Arbitrary bytes into the SNMP reply parser, the v3 USM check and the
//! dispatcher. Seed with `../crates/meridian-probe/tests/corpus/snmp`;
//! copy crashes there so `cargo test` keeps them fixed.
//! Run: `cargo +nightly fuzz run snmp_message ../crates/meridian-probe/tests/corpus/snmp`
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_core::credential::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use meridian_probe::snmp::{decode_message, dispatch_id, open_v3, LocalKeys, Message};

fuzz_target!(|data: &[u8]| {
    let _ = dispatch_id(data);
    if let Ok(Message::V3(m)) = decode_message(data) {
        let user = UsmUser {
            user: "u".into(),
            auth: Some((AuthProtocol::Sha1, Secret::new("authpass123"))),
            privacy: Some((PrivProtocol::Des, Secret::new("privpass123"))),
        };
        // Fixed keys: localising per input would spend the time on SHA-1.
        let _ = open_v3(data, &m, &LocalKeys::localize(&user, b"fuzz"));
    }
});
