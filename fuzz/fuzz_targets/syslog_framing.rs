//! Arbitrary bytes as TCP syslog streams (RFC 6587 framing; byte 0 = maximum message size, byte 1 = read size). The properties live in
//! `meridian_probe::syslog::invariants`, shared with the regression corpus
//! (`crates/meridian-probe/tests/corpus/syslog_framing`), which runs inside
//! `make test` through `crates/meridian-probe/tests/syslog_corpus.rs`;
//! copy any crash the fuzzer finds there.
//! Run: `cargo +nightly fuzz run syslog_framing crates/meridian-probe/tests/corpus/syslog_framing`
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| meridian_probe::syslog::invariants::check_framing(data));
