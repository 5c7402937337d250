//! Regression corpora of the `syslog_3164`, `syslog_5424` and
//! `syslog_framing` cargo-fuzz targets (`tests/corpus/syslog_*`): real
//! senders' lines (util-linux logger, Cisco IOS, Junos, rsyslog, RFC 5424's
//! examples) and broken ones. Every file, every prefix and every one-byte
//! mutation must keep the targets' properties (no panic, storable text,
//! frames independent of read sizes); the real lines must parse.

use std::path::Path;

use chrono::Utc;
use meridian_core::syslog::SyslogFormat;
use meridian_probe::syslog::invariants::{check_3164, check_5424, check_framing};
use meridian_probe::syslog::parse;

fn files(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .map(|p| (p.file_name().expect("ok").to_string_lossy().into_owned(), std::fs::read(&p).expect("read")))
        .collect();
    out.sort();
    assert!(out.len() >= 5, "{target}: corpus too small");
    out
}

fn replay(target: &str, check: fn(&[u8])) {
    for (_, bytes) in files(target) {
        for cut in 0..=bytes.len() {
            check(&bytes[..cut]);
        }
        for i in 0..bytes.len() {
            for flip in [0x01, 0x20, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= flip;
                check(&b);
            }
        }
    }
}

#[test]
fn rfc3164_corpus_keeps_its_properties() {
    replay("syslog_3164", check_3164);
}

#[test]
fn rfc5424_corpus_keeps_its_properties() {
    replay("syslog_5424", check_5424);
}

#[test]
fn framing_corpus_keeps_its_properties() {
    replay("syslog_framing", check_framing);
}

/// Files named for a real sender parse with the grammar their directory
/// names; the others (bad dates, bad PRI, unclosed data) are refused.
#[test]
fn real_lines_parse_and_broken_ones_are_refused() {
    let broken = ["bad_date", "pri_too_big", "sd_not_closed", "sd_value_backslash_at_end", "bad_time"];
    for (target, format) in [("syslog_3164", SyslogFormat::Rfc3164), ("syslog_5424", SyslogFormat::Rfc5424)] {
        for (name, bytes) in files(target) {
            let got = parse(&bytes, Utc::now());
            if broken.iter().any(|b| name.starts_with(b)) {
                assert!(got.is_err(), "{target}/{name} parsed");
            } else {
                let (f, m) = got.unwrap_or_else(|e| panic!("{target}/{name}: {e}"));
                assert_eq!(f, format, "{target}/{name}");
                assert!(m.severity.is_some(), "{target}/{name}");
            }
        }
    }
}
