//! Arbitrary bytes into the device CSV import (`meridian import devices`):
//! the plan comes back or a validation error names its fields, never a
//! panic; any file the CSV reader accepts writes back and reads to the same
//! records. Corpus and regression tests: `crates/meridian-core/tests/corpus/device_csv`
//! through `crates/meridian-core/tests/device_csv.rs`; copy any crash there.
//! Run: `make fuzz FUZZ_TARGETS=device_csv` (see docs/RELIABILITY.md)
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_core::csv;
use meridian_core::inventory_csv::{plan_device_import, Existing, MAX_ROWS};

fuzz_target!(|data: &[u8]| {
    match plan_device_import(data, &Existing::default()) {
        Ok(plan) => assert!(!plan.devices.is_empty() && plan.devices.len() <= MAX_ROWS),
        Err(e) => assert!(!e.fields().is_empty()),
    }
    if let Ok(records) = csv::read(data, MAX_ROWS) {
        let mut text = String::new();
        for r in &records {
            csv::write_row(&mut text, &r.fields);
        }
        let again = csv::read(text.as_bytes(), MAX_ROWS).expect("written CSV reads back");
        assert!(again.iter().map(|r| &r.fields).eq(records.iter().map(|r| &r.fields)));
    }
});
