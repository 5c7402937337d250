//! Arbitrary text into the parsers of what users type: target lists (CLI
//! `sweep`, discovery ranges, device addresses) and OIDs (`snmp get|walk`,
//! poll templates). Each input must come back parsed or as a typed error;
//! a parsed OID must print and re-parse to itself, and an expanded target
//! list must stay within the default limit. The regression corpus
//! (`crates/meridian-probe/tests/corpus/text_inputs`) runs inside
//! `make test` through `crates/meridian-probe/tests/text_input_corpus.rs`;
//! copy any crash the fuzzer finds there.
//! Run: `make fuzz FUZZ_TARGETS=text_inputs` (see docs/RELIABILITY.md)
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_probe::icmp::{expand, parse_target_list, DEFAULT_MAX_TARGETS};
use meridian_probe::snmp::Oid;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(oid) = text.parse::<Oid>() {
        assert_eq!(oid.to_string().parse::<Oid>().ok(), Some(oid));
    }
    if let Ok(blocks) = parse_target_list(text) {
        assert!(!blocks.is_empty());
        if let Ok(addrs) = expand(&blocks, false) {
            assert!(addrs.len() as u128 <= DEFAULT_MAX_TARGETS);
        }
    }
});
