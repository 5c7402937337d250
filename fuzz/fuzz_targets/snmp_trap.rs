//! Arbitrary bytes into the trap receiver's decoder and USM checks
//! (`Authority::handle`: v1/v2c/v3 notifications, discovery, reports).
//! Seed with `../crates/meridian-probe/tests/corpus/snmp_trap`; copy
//! crashes there so `cargo test` keeps them fixed.
//! Run: `cargo +nightly fuzz run snmp_trap ../crates/meridian-probe/tests/corpus/snmp_trap`
#![no_main]

use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use meridian_core::credential::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use meridian_probe::snmp::trap::{Authority, LocalEngine, TrapAuth, TrapUser};

/// One authority for the whole run: its keys are localised once (a user
/// pinned to one sender engine id), not per input.
fn authority() -> &'static Mutex<Authority> {
    static A: OnceLock<Mutex<Authority>> = OnceLock::new();
    A.get_or_init(|| {
        let user = UsmUser {
            user: "trapper".into(),
            auth: Some((AuthProtocol::Sha1, Secret::new("authpass123"))),
            privacy: Some((PrivProtocol::Aes128, Secret::new("privpass123"))),
        };
        let auth = TrapAuth {
            communities: vec![Secret::new("public")],
            users: vec![TrapUser { user, engine_id: Some(vec![0x80, 0, 0, 0, 1, 2, 3, 4]) }],
        };
        Mutex::new(Authority::new(auth, LocalEngine::new(vec![0x80, 0, 0, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8], 1)))
    })
}

fuzz_target!(|data: &[u8]| {
    let mut a = authority().lock().unwrap_or_else(|p| p.into_inner());
    let _ = a.handle(data, "127.0.0.1:1162".parse().expect("addr"));
});
