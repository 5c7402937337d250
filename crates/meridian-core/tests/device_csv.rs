//! The device import reader against its corpus (`tests/corpus/device_csv`,
//! also the seed and regression corpus of the `device_csv` fuzz target):
//! each file is planned or refused as its name says, and no prefix or
//! flipped byte of any file panics.

use std::path::{Path, PathBuf};

use meridian_core::csv;
use meridian_core::inventory_csv::{plan_device_import, Existing};

fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/device_csv");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .map(|e| {
            let p = e.expect("entry").path();
            let bytes = std::fs::read(&p).expect("read");
            (p, bytes)
        })
        .collect();
    files.sort();
    files
}

fn first_field(bytes: &[u8]) -> Vec<String> {
    match plan_device_import(bytes, &Existing::default()) {
        Ok(_) => vec![],
        Err(e) => e.fields().iter().map(|f| f.field.clone()).collect(),
    }
}

#[test]
fn corpus_files_are_planned_or_refused_by_name() {
    let files = corpus();
    assert!(files.len() >= 11, "corpus has {} files", files.len());
    for (path, bytes) in &files {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let fields = first_field(bytes);
        let want: &[&str] = match name {
            "good" | "bom_crlf_quoted" => &[],
            "bad_rows" => &["row 2: lon", "row 2: address", "row 2: lat", "row 2: tags", "row 3"],
            "wrong_header" | "empty" => &["header"],
            // A second byte-order mark is text, so the header is wrong (found by the fuzzer).
            "double_bom" => &["header"],
            "latin1" => &["encoding"],
            "unclosed_quote" | "after_quote" => &["row 2"],
            // A line break inside quotes is read, then refused as a control character.
            "multiline_name" => &["row 2: name"],
            "duplicates" => &["row 3: name", "row 3: address"],
            other => panic!("no expectation for corpus file {other}"),
        };
        assert_eq!(fields, want, "{name}");
    }
    let plan = plan_device_import(
        &files.iter().find(|(p, _)| p.ends_with("bom_crlf_quoted.csv")).expect("file").1,
        &Existing::default(),
    )
    .expect("valid");
    assert_eq!(plan.devices[0].name, "edge, one");
    assert_eq!(plan.devices[1].tags, ["a", "b"]);
    assert_eq!(plan.new_sites[0].name, "Site \"A\"");
}

#[test]
fn no_prefix_or_flipped_byte_panics_and_records_round_trip() {
    for (_, bytes) in corpus() {
        for cut in 0..=bytes.len() {
            let _ = plan_device_import(&bytes[..cut], &Existing::default());
        }
        for i in 0..bytes.len() {
            for flip in [0x01u8, 0x22, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= flip;
                let _ = plan_device_import(&b, &Existing::default());
                if let Ok(records) = csv::read(&b, 1000) {
                    let mut text = String::new();
                    for r in &records {
                        csv::write_row(&mut text, &r.fields);
                    }
                    let again: Vec<_> =
                        csv::read(text.as_bytes(), 1000).expect("rewritten").into_iter().map(|r| r.fields).collect();
                    let want: Vec<_> = records.into_iter().map(|r| r.fields).collect();
                    assert_eq!(again, want);
                }
            }
        }
    }
}
