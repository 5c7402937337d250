//! Regression corpus for the NTP reply decoder (the `ntp_packet` cargo-fuzz
//! target): chronyd 4.3's real replies (`local stratum 8`). Every file, every
//! prefix and every one-byte mutation decodes or fails with a typed error,
//! never panics; the real replies decode as stratum 8 from 127.127.1.1.

use std::path::Path;

use meridian_core::ntp::NtpTimestamp;
use meridian_probe::ntp::decode_reply;

fn files() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/ntp_packet");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).expect("read")))
        .collect();
    out.sort();
    out
}

/// The transmit timestamp the capture's query carried, echoed as origin.
fn origin(bytes: &[u8]) -> NtpTimestamp {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[24..32]);
    NtpTimestamp(u64::from_be_bytes(b))
}

#[test]
fn corpus_never_panics() {
    let files = files();
    assert!(files.len() >= 2);
    for (_, bytes) in &files {
        let sent = origin(bytes);
        for cut in 0..=bytes.len() {
            let _ = decode_reply(&bytes[..cut], sent);
        }
        for i in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= flip;
                let _ = decode_reply(&b, sent);
            }
        }
    }
}

#[test]
fn real_replies_decode() {
    for (name, bytes) in files() {
        let r = decode_reply(&bytes, origin(&bytes)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(r.stratum, 8, "{name}");
        assert_eq!(r.reference_id.to_string(), "127.127.1.1", "{name}");
    }
}
