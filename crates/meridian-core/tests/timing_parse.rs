//! Phase files: the regression corpus of the `phase_file` cargo-fuzz target
//! (`tests/corpus/phase_file`: good files named `good_*`, refused ones named
//! after what is wrong), each of their prefixes and one-byte deletions, and
//! random bytes. Whatever the fuzzer finds is copied into the corpus.

use std::path::Path;

use meridian_core::timing::{parse_phase, PhaseSeries, MIN_POINTS};
use proptest::prelude::*;

/// The parser's promise: finite values, enough of them, and a usable step.
fn check(bytes: &[u8]) {
    if let Ok(p) = parse_phase(bytes) {
        assert!(p.phase.len() >= MIN_POINTS && p.phase.iter().all(|v| v.is_finite()));
        if let Some(tau0) = p.tau0 {
            assert!(tau0.is_finite() && tau0 > 0.0);
            assert!(PhaseSeries::new(p.phase, tau0).is_ok());
        }
    }
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/phase_file");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| {
            let path = e.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            (name, std::fs::read(&path).expect("read"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn corpus_never_panics_on_any_prefix_or_deletion() {
    let files = corpus();
    assert!(files.len() >= 15, "corpus has {} files", files.len());
    for (_, bytes) in &files {
        for cut in 0..=bytes.len() {
            check(&bytes[..cut]);
        }
        for i in 0..bytes.len() {
            check(&[&bytes[..i], &bytes[i + 1..]].concat());
        }
    }
}

/// The error message for a refused corpus file.
fn refusal(name: &str) -> String {
    let bytes = corpus().into_iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no {name}")).1;
    let e = parse_phase(&bytes).expect_err(name);
    assert_eq!(e.fields().len(), 1, "{name}");
    assert_eq!(e.fields()[0].field, "file", "{name}");
    e.fields()[0].message.clone()
}

#[test]
fn good_files_parse_and_bad_ones_name_the_line() {
    for (name, bytes) in corpus() {
        let parsed = parse_phase(&bytes);
        assert_eq!(parsed.is_ok(), name.starts_with("good_"), "{name}: {parsed:?}");
    }
    let cases = [
        ("text.txt", "line 3: phase 'abc' is not a number"),
        ("nan.txt", "line 3: phase 'NaN' is not a finite number"),
        ("inf.txt", "line 2: phase 'inf' is not a finite number"),
        ("overflow.txt", "line 3: phase '1e400' is not a finite number"),
        ("too_few.txt", "3 phase value(s); at least 4 are needed"),
        ("empty.txt", "0 phase value(s); at least 4 are needed"),
        ("irregular.txt", "line 4: time step 2 s differs from the first step 1 s"),
        ("time_repeats.txt", "line 3: time 1 does not increase (previous 1)"),
        ("mixed_columns.txt", "line 3: 1 column(s), but the first data line has 2"),
        ("three_columns.txt", "line 1: 3 columns; expected one (phase) or two (time and phase)"),
        ("latin1.txt", "line 3: is not UTF-8 text"),
        ("header.txt", "line 1: phase 'phase' is not a number"),
        ("empty_field.csv", "line 1: empty phase field"),
    ];
    for (name, want) in cases {
        let got = refusal(name);
        assert!(got.starts_with(want), "{name}: {got}");
    }
}

#[test]
fn time_column_gives_tau0() {
    let files = corpus();
    let get = |name: &str| parse_phase(&files.iter().find(|(n, _)| n == name).expect(name).1).expect(name);
    let two = get("good_two_columns.txt");
    assert_eq!((two.phase, two.tau0), (vec![1e-9, 2e-9, -1e-9, 0.0, 3e-9], Some(0.5)));
    // Epoch timestamps at 16 Hz: printed to 4 decimals, f64 keeps the step to 0.1 %.
    let epoch = get("good_csv_epoch.csv").tau0.expect("tau0");
    assert!((epoch - 0.0625).abs() < 1e-6, "{epoch}");
    let one = get("good_comments_crlf.txt");
    assert_eq!((one.phase, one.tau0), (vec![1e-9, 2e-9, 3e-9, 4e-9], None));
    assert_eq!(get("good_one_column.txt").phase.len(), 5);
}

#[test]
fn the_shared_file_parses_whole() {
    let bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/wpm_phase_seed12345.txt")).expect("data");
    let p = parse_phase(&bytes).expect("parse");
    assert_eq!((p.phase.len(), p.tau0), (10_000, None));
    assert_eq!(p.phase[0], -1.423825036455e-09);
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(&bytes);
    }

    #[test]
    fn random_number_lines_never_panic(lines in prop::collection::vec("[-+0-9eE.,# naif]{0,12}", 0..20)) {
        check(lines.join("\n").as_bytes());
    }
}
