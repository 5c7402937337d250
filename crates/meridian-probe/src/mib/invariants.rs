//! The properties every MIB text must keep, shared by the cargo-fuzz target
//! (`fuzz/fuzz_targets/mib_text.rs`) and the corpus replay test
//! (`tests/mib_corpus.rs`). Each function panics when a property breaks;
//! that is its purpose.

use super::{load_texts, MibText};

const FILE: &str = "fuzz.txt";

/// Loading arbitrary bytes as a user's MIB file (after the shipped ones):
/// the parser does not panic (the loader would catch it, and say so), every
/// error names a file, the shipped modules still load, and lookups over the
/// result do not panic.
pub fn check_mib_text(data: &[u8]) {
    let shipped: Vec<MibText> = super::SHIPPED
        .iter()
        .filter(|(f, _)| f.starts_with("SNMPv2-SMI") || f.starts_with("SNMPv2-TC"))
        .map(|(f, t)| MibText { file: format!("shipped:{f}"), text: t.as_bytes().to_vec() })
        .collect();
    let mut texts = shipped;
    texts.push(MibText { file: FILE.into(), text: data.to_vec() });
    let set = load_texts(texts, Vec::new());
    let report = set.report();
    for e in &report.errors {
        assert!(!e.message.contains("parser failed"), "the MIB parser panicked: {}", e.message);
        assert!(!e.file.is_empty());
        assert!(e.line.is_none_or(|l| l >= 1), "lines are 1-based");
    }
    assert!(report.modules.iter().any(|m| m.name == "SNMPv2-SMI"), "a bad file cost a shipped module: {report:?}");
    for m in report.modules.iter().filter(|m| m.source == FILE) {
        assert!(data.windows(m.name.len()).any(|w| w == m.name.as_bytes()), "module {} not in the text", m.name);
    }
    // Lookups over whatever loaded.
    let _ = set.name("1.3.6.1.2.1.1.1.0");
    let _ = set.search("a", 20);
    for n in set.children(Some("1.3.6.1")) {
        let _ = set.show(&n.oid);
        let _ = set.children(Some(&n.oid));
    }
}
