//! Arbitrary bytes into the PTP management decoder (message, TLV and data
//! set): every input must decode or return a typed error, and a message
//! that decodes must encode to bytes that decode to the same message. The
//! regression corpus (`crates/meridian-probe/tests/corpus/ptp_management`,
//! ptp4l's real replies) runs inside `make test` through
//! `crates/meridian-probe/tests/ptp_corpus.rs`; copy any crash the fuzzer
//! finds there.
//! Run: `make fuzz FUZZ_TARGETS=ptp_management` (see docs/RELIABILITY.md)
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_probe::ptp::{decode_reply, Message};

fuzz_target!(|data: &[u8]| {
    if let Ok((msg, _)) = decode_reply(data) {
        let again = Message::decode(&msg.encode()).expect("our own encoding decodes");
        assert_eq!(again.payload, msg.payload);
    }
});
