//! Arbitrary bytes into the sweep's echo-reply parser, read under all three
//! framings (so the committed captures seed the fuzzer as they are, and a
//! crash file replays in the test once named after the framing that failed):
//! whatever a socket delivers must come back as a
//! reply or `None`, and a reply's payload must lie inside the input. The
//! regression corpus (`crates/meridian-probe/tests/corpus/icmp_reply`, real
//! loopback packets) runs inside `make test` through
//! `crates/meridian-probe/tests/icmp_reply_corpus.rs`; copy any crash the
//! fuzzer finds there.
//! Run: `make fuzz FUZZ_TARGETS=icmp_reply` (see docs/RELIABILITY.md)
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_probe::icmp::echo::{parse_reply, Framing, Tag};

const FRAMINGS: [Framing; 3] = [Framing::RawV4 { header: false }, Framing::DgramV4, Framing::V6];

fuzz_target!(|bytes: &[u8]| {
    for framing in FRAMINGS {
        if let Some(reply) = parse_reply(bytes, framing) {
            assert!(reply.payload.len() + 8 <= bytes.len());
            let _ = Tag::read(reply.payload);
        }
    }
});
