//! Regression corpus of the `mib_text` cargo-fuzz target
//! (`tests/corpus/mib_text`): small modules, SMIv1 and SMIv2, and broken
//! ones. Every file, prefixes of it and one-byte mutations of it must keep
//! the target's properties (no parser panic, errors name a file, the
//! shipped modules still load). Prefixes and mutations are taken at a
//! stride: each load parses the SMI base modules too.

use std::path::Path;

use meridian_probe::mib::invariants::check_mib_text;

fn files() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/mib_text");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .map(|p| (p.file_name().expect("name").to_string_lossy().into_owned(), std::fs::read(&p).expect("read")))
        .collect();
    out.sort();
    assert!(out.len() >= 5, "corpus too small");
    out
}

#[test]
fn mib_corpus_keeps_its_properties() {
    for (name, bytes) in files() {
        check_mib_text(&bytes);
        let stride = (bytes.len() / 12).max(1);
        for cut in (0..bytes.len()).step_by(stride) {
            check_mib_text(&bytes[..cut]);
        }
        for i in (0..bytes.len()).step_by(stride) {
            for flip in [0x01, 0x20, 0x80] {
                let mut b = bytes.clone();
                b[i] ^= flip;
                check_mib_text(&b);
            }
        }
        eprintln!("{name}: ok");
    }
}
