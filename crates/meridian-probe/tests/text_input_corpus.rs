//! Regression corpus of the `text_inputs` cargo-fuzz target: target lists
//! and OIDs as users type them, good and bad (`tests/corpus/text_inputs`).
//! Every file, every prefix of it and every one-character deletion must
//! parse or give a typed error, never panic; the known cases must come out
//! as named.

use std::path::Path;

use meridian_probe::icmp::{expand, expand_targets, parse_target_list, DEFAULT_MAX_TARGETS};
use meridian_probe::snmp::Oid;
use meridian_probe::ProbeError;

fn check(text: &str) {
    if let Ok(oid) = text.parse::<Oid>() {
        assert_eq!(oid.to_string().parse::<Oid>().ok(), Some(oid), "{text:?}");
    }
    if let Ok(blocks) = parse_target_list(text) {
        assert!(!blocks.is_empty(), "{text:?}");
        if let Ok(addrs) = expand(&blocks, false) {
            assert!(addrs.len() as u128 <= DEFAULT_MAX_TARGETS, "{text:?}");
        }
    }
}

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/text_inputs");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| {
            let path = e.expect("entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            (name, std::fs::read_to_string(&path).expect("UTF-8 corpus file"))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn corpus_never_panics() {
    let files = corpus();
    assert!(files.len() >= 20, "corpus has {} files", files.len());
    for (_, text) in &files {
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        for &cut in &cuts {
            check(&text[..cut]);
        }
        for w in cuts.windows(2) {
            check(&format!("{}{}", &text[..w[0]], &text[w[1]..]));
        }
    }
}

#[test]
fn known_inputs_come_out_as_named() {
    for (name, text) in corpus() {
        let targets = expand_targets(&text, false);
        let oid = text.parse::<Oid>();
        match name.trim_end_matches(".txt") {
            "cidr_v4" => assert_eq!(targets.expect(&name).len(), 65_534),
            // ::/126 keeps all 4 (IPv6 has no broadcast), plus 127.0.0.1.
            "mixed_list" => assert_eq!(targets.expect(&name).len(), 5),
            "range_v4" => assert_eq!(targets.expect(&name).len(), 9),
            "everything_v4" | "everything_v6" => {
                assert!(matches!(targets, Err(ProbeError::RangeTooLarge { .. })), "{name}: {targets:?}")
            }
            "oid_netsnmp" | "oid_max_arc" | "oid_long" => assert!(oid.is_ok(), "{name}: {oid:?}"),
            n if n.starts_with("oid_") => assert!(oid.is_err(), "{name} should be refused"),
            _ => assert!(
                matches!(targets, Err(ProbeError::InvalidRange { .. })),
                "{name} should be refused as a range: {targets:?}"
            ),
        }
    }
}
