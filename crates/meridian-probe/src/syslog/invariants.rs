//! The properties every input must keep, shared by the cargo-fuzz targets
//! (`fuzz/fuzz_targets/syslog_*.rs`) and the corpus replay test
//! (`tests/syslog_corpus.rs`) so both check the same thing. Each function
//! panics when a property breaks; that is its purpose.

use chrono::{DateTime, Utc};
use meridian_core::syslog::SyslogMessage;

use super::{parse, parse_3164, parse_5424, FrameDecoder};

/// A fixed receive time, so a failing input replays the same way.
fn received() -> DateTime<Utc> {
    DateTime::from_timestamp(1_796_310_000, 0).unwrap_or_default()
}

fn text_ok(m: &SyslogMessage) {
    let fields = [m.host.as_deref(), m.app.as_deref(), m.procid.as_deref(), m.msgid.as_deref(), Some(&m.message)];
    for f in fields.into_iter().flatten() {
        assert!(!f.contains('\0'), "NUL reached a stored field");
    }
    for sd in &m.structured_data {
        assert!(!sd.id.is_empty() && sd.id.len() <= 32);
        assert!(sd.params.iter().all(|p| !p.value.contains('\0') && !p.name.is_empty()));
    }
    assert!(m.facility.is_none_or(|f| f <= 23));
}

/// BSD syslog: parses or names a field; parsed text is storable.
pub fn check_3164(data: &[u8]) {
    match parse_3164(data, received()) {
        Ok(m) => text_ok(&m),
        Err(e) => assert!(!e.field.is_empty()),
    }
    if let Ok((_, m)) = parse(data, received()) {
        text_ok(&m);
    }
}

/// RFC 5424: parsed header fields keep the RFC's lengths.
pub fn check_5424(data: &[u8]) {
    if let Ok(m) = parse_5424(data) {
        text_ok(&m);
        assert!(m.app.as_ref().is_none_or(|a| a.len() <= 48));
        assert!(m.msgid.as_ref().is_none_or(|a| a.len() <= 32));
        assert!(m.host.as_ref().is_none_or(|a| a.len() <= 255));
    }
}

/// Framing: byte 0 is the maximum size, byte 1 the read size, the rest the
/// stream. Frames never exceed the maximum, and the same stream gives the
/// same frames whether it arrives in one read or in many.
pub fn check_framing(data: &[u8]) {
    let [max, chunk, stream @ ..] = data else { return };
    let max = usize::from(*max).max(1);
    let run = |chunk: usize| {
        let mut dec = FrameDecoder::new(max);
        let mut out = Vec::new();
        for part in stream.chunks(chunk) {
            dec.extend(part);
            loop {
                match dec.next_frame() {
                    Ok(Some(f)) => out.push(Ok(f)),
                    Ok(None) => break,
                    Err(e) => {
                        out.push(Err(e));
                        return out;
                    }
                }
            }
        }
        out.extend(dec.finish().map(Ok));
        out
    };
    let whole = run(stream.len().max(1));
    let pieces = run(usize::from(*chunk).max(1));
    assert_eq!(whole.len(), pieces.len(), "frame count depends on read sizes");
    for (a, b) in whole.iter().zip(&pieces) {
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert!(a.bytes.len() <= max);
                assert_eq!(a, b, "frames depend on read sizes");
                let _ = parse(&a.bytes, received());
            }
            (Err(_), Err(_)) => {}
            _ => panic!("framing error depends on read sizes"),
        }
    }
}
