//! Regression corpus for the sweep's echo-reply parser (the `icmp_reply`
//! cargo-fuzz target): real packets captured on loopback by `capture.py` in
//! the corpus directory, named by the framing they are read with. Every
//! file, every prefix of it and every one-byte mutation must parse to a
//! reply or `None`, never panic; the real replies must parse, and the ones
//! to a Meridian sweep must carry its tag.

use std::path::Path;

use meridian_probe::icmp::echo::{parse_reply, Framing, Tag};

fn framing(name: &str) -> Option<Framing> {
    match name.split('_').next()? {
        "rawv4" => Some(Framing::RawV4 { header: false }),
        "dgramv4" => Some(Framing::DgramV4),
        "v6" => Some(Framing::V6),
        _ => None,
    }
}

fn files() -> Vec<(String, Framing, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/icmp_reply");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("corpus dir") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if !name.ends_with(".bin") {
            continue;
        }
        let framing = framing(&name).unwrap_or_else(|| panic!("{name}: prefix names no framing"));
        out.push((name, framing, std::fs::read(&path).expect("read")));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn check(bytes: &[u8], framing: Framing) {
    if let Some(reply) = parse_reply(bytes, framing) {
        assert!(reply.payload.len() + 8 <= bytes.len());
        let _ = Tag::read(reply.payload);
    }
}

#[test]
fn corpus_never_panics() {
    let files = files();
    assert!(files.len() >= 7, "corpus has {} files", files.len());
    for (_, framing, bytes) in &files {
        for cut in 0..=bytes.len() {
            check(&bytes[..cut], *framing);
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0xa5;
            check(&b, *framing);
        }
    }
}

#[test]
fn real_packets_parse_as_what_they_are() {
    for (name, framing, bytes) in files() {
        let parsed = parse_reply(&bytes, framing);
        if name.contains("request") || name.contains("unreachable") {
            assert_eq!(parsed, None, "{name} is not an echo reply");
            continue;
        }
        let reply = parsed.unwrap_or_else(|| panic!("{name} should parse"));
        if name.contains("meridian_sweep") {
            // A one-address sweep: the target's index is 0.
            let tag = Tag::read(reply.payload).unwrap_or_else(|| panic!("{name} carries a tag"));
            assert_eq!(tag.index, 0, "{name}");
        }
    }
}
