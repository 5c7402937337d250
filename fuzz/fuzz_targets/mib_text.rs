//! Arbitrary bytes as a user's MIB file, loaded after the shipped modules.
//! The properties live in `meridian_probe::mib::invariants`, shared with the
//! regression corpus (`crates/meridian-probe/tests/corpus/mib_text`), which
//! runs inside `make test` through `crates/meridian-probe/tests/mib_corpus.rs`;
//! copy any crash the fuzzer finds there.
//! Run: `cargo fuzz run mib_text crates/meridian-probe/tests/corpus/mib_text`
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| meridian_probe::mib::invariants::check_mib_text(data));
