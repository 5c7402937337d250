//! Arbitrary bytes into the floor-plan image header parser: it reads files
//! users pick (or any caller of the service sends), so it must answer every
//! input with a size or a typed error, and an accepted size must be within
//! the limits. The regression corpus (`crates/meridian-core/tests/corpus/
//! image_header`, seeded with real PNG, JPEG and WebP files) runs inside
//! `make test` through `crates/meridian-core/tests/floorplan.rs`; copy any
//! crash the fuzzer finds there.
//! Run: `make fuzz FUZZ_TARGETS=image_header` (see docs/RELIABILITY.md)
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_core::floorplan::{parse_image_header, MAX_SIDE};

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = parse_image_header(data) {
        assert!((1..=MAX_SIDE).contains(&info.width));
        assert!((1..=MAX_SIDE).contains(&info.height));
    }
});
