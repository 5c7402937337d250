//! Arbitrary bytes into the phase-file parser of `meridian timing mtie|tdev`
//! (`meridian_core::timing::parse_phase`). Each input must come back as
//! finite values (at least `MIN_POINTS`, with a positive finite tau0 when
//! the file has a time column) or as a typed error; the metrics must then
//! run on what it returns. The regression corpus
//! (`crates/meridian-core/tests/corpus/phase_file`) runs inside `make test`
//! through `crates/meridian-core/tests/timing_parse.rs`; copy any crash the
//! fuzzer finds there.
//! Run: `make fuzz FUZZ_TARGETS=phase_file` (see docs/RELIABILITY.md)
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_core::timing::{mtie, parse_phase, tdev, PhaseSeries, MIN_POINTS};

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = parse_phase(data) {
        assert!(p.phase.len() >= MIN_POINTS);
        assert!(p.phase.iter().all(|v| v.is_finite()));
        let tau0 = p.tau0.unwrap_or(1.0);
        assert!(tau0.is_finite() && tau0 > 0.0);
        let series = PhaseSeries::new(p.phase, tau0).expect("parsed values make a series");
        assert!(mtie(&series).is_ok() && tdev(&series).is_ok());
    }
});
