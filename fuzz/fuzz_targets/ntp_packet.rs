//! Arbitrary bytes into the NTP reply decoder: the input is the reply, and
//! "our" query's transmit timestamp is the reply's origin field (bytes
//! 24..32), as in the replay test, so the committed captures seed the fuzzer
//! as they are and a crash file replays there unchanged. (A reply whose
//! origin does not match is one comparison, tested in the crate.) Every input
//! must decode or return a typed error. The regression corpus
//! (`crates/meridian-probe/tests/corpus/ntp_packet`, chronyd's real replies)
//! runs inside `make test` through `crates/meridian-probe/tests/ntp_corpus.rs`;
//! copy any crash the fuzzer finds there.
//! Run: `make fuzz FUZZ_TARGETS=ntp_packet` (see docs/RELIABILITY.md)
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_core::ntp::NtpTimestamp;
use meridian_probe::ntp::{decode_reply, reading};

fuzz_target!(|data: &[u8]| {
    let mut b = [0u8; 8];
    if let Some(origin) = data.get(24..32) {
        b.copy_from_slice(origin);
    }
    let sent = NtpTimestamp(u64::from_be_bytes(b));
    let packet = data;
    if let Ok(reply) = decode_reply(packet, sent) {
        assert!(!reply.transmit.is_zero() && reply.origin == sent);
        let r = reading(&reply, sent, reply.transmit);
        assert!(r.offset_s.is_finite() && r.delay_s.is_finite());
    }
});
