//! Arbitrary bytes as RFC 5424 messages. The properties live in
//! `meridian_probe::syslog::invariants`, shared with the regression corpus
//! (`crates/meridian-probe/tests/corpus/syslog_5424`), which runs inside
//! `make test` through `crates/meridian-probe/tests/syslog_corpus.rs`;
//! copy any crash the fuzzer finds there.
//! Run: `cargo +nightly fuzz run syslog_5424 crates/meridian-probe/tests/corpus/syslog_5424`
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| meridian_probe::syslog::invariants::check_5424(data));
