//! Arbitrary bytes into the sweep's echo-reply parser, under each framing
//! (the first byte picks it): whatever a socket delivers must come back as a
//! reply or `None`, and a reply's payload must lie inside the input. The
//! regression corpus (`crates/meridian-probe/tests/corpus/icmp_reply`, real
//! loopback packets) runs inside `make test` through
//! `crates/meridian-probe/tests/icmp_reply_corpus.rs`; copy any crash the
//! fuzzer finds there.
//! Run: `cargo +nightly fuzz run icmp_reply`
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_probe::icmp::echo::{parse_reply, Framing, Tag};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let framing = match pick % 3 {
        0 => Framing::RawV4 { header: false },
        1 => Framing::DgramV4,
        _ => Framing::V6,
    };
    if let Some(reply) = parse_reply(bytes, framing) {
        assert!(reply.payload.len() + 8 <= bytes.len());
        let _ = Tag::read(reply.payload);
    }
});
