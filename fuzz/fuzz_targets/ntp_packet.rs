//! Arbitrary bytes into the NTP reply decoder: the first 8 bytes are the
//! transmit timestamp of "our" query, the rest the reply. Every input must
//! decode or return a typed error. The regression corpus
//! (`crates/meridian-probe/tests/corpus/ntp_packet`, chronyd's real replies)
//! runs inside `make test` through `crates/meridian-probe/tests/ntp_corpus.rs`;
//! copy any crash the fuzzer finds there.
//! Run: `cargo +nightly fuzz run ntp_packet`
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_core::ntp::NtpTimestamp;
use meridian_probe::ntp::{decode_reply, reading};

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let (sent, packet) = data.split_at(8);
    let mut b = [0u8; 8];
    b.copy_from_slice(sent);
    let sent = NtpTimestamp(u64::from_be_bytes(b));
    if let Ok(reply) = decode_reply(packet, sent) {
        assert!(!reply.transmit.is_zero() && reply.origin == sent);
        let r = reading(&reply, sent, reply.transmit);
        assert!(r.offset_s.is_finite() && r.delay_s.is_finite());
    }
});
