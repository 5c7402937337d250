use meridian_core::ntp::{Leap, NtpTimestamp};

use super::*;

/// chronyd 4.3 (`local stratum 8`) answering a query whose transmit
/// timestamp was 0xeebbdf59_00003039 (`tests/corpus/ntp_packet`).
const CHRONYD: &str =
    "240800e700000000000000007f7f0101eebbdf57fc935832eebbdf5900003039eebbdf594d44c9cbeebbdf594d4ed24c";
const SENT: NtpTimestamp = NtpTimestamp(0xeebb_df59_0000_3039);

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

#[test]
fn request_is_a_v4_client_packet() {
    let r = request(SENT);
    assert_eq!(r[0], 0x23); // LI 0, VN 4, mode 3
    assert_eq!(&r[40..], &SENT.0.to_be_bytes());
    assert!(r[1..40].iter().all(|b| *b == 0));
}

#[test]
fn chronyd_reply_decodes() {
    let reply = decode_reply(&hex(CHRONYD), SENT).expect("decodes");
    assert_eq!((reply.stratum, reply.version, reply.leap), (8, 4, Leap::None));
    assert_eq!(reply.reference_id.to_string(), "127.127.1.1");
    assert_eq!(reply.precision, -25);
    assert_eq!(reply.root_delay_s, 0.0);
    // Our t1 was not the real send time, so pick t4 to make a known 2 ms
    // round trip around chronyd's own processing time (t3 - t2).
    let processing = reply.transmit.0 - reply.receive.0;
    let two_ms = (2u64 << 32) / 1000;
    let r = reading(&reply, SENT, NtpTimestamp(SENT.0 + processing + two_ms));
    assert!((r.delay_s - 0.002).abs() < 1e-9, "{}", r.delay_s);
    assert!(!r.unsynchronised());
}

#[test]
fn bad_replies_get_typed_errors() {
    let good = hex(CHRONYD);
    assert_eq!(decode_reply(&good[..47], SENT).err(), Some(NtpDecodeError::Short(47)));
    let mut b = good.clone();
    b[0] = 0x23; // mode 3: a request, not a reply
    assert_eq!(decode_reply(&b, SENT).err(), Some(NtpDecodeError::WrongMode(3)));
    let mut b = good.clone();
    b[0] = 0x0c; // version 1
    assert_eq!(decode_reply(&b, SENT).err(), Some(NtpDecodeError::Version(1)));
    let mut b = good.clone();
    b[32..40].fill(0);
    assert_eq!(decode_reply(&b, SENT).err(), Some(NtpDecodeError::ZeroTimestamp("receive")));
    let mut b = good.clone();
    b[40..48].fill(0);
    assert_eq!(decode_reply(&b, SENT).err(), Some(NtpDecodeError::ZeroTimestamp("transmit")));
    assert_eq!(decode_reply(&good, NtpTimestamp(1)).err(), Some(NtpDecodeError::OriginMismatch));
    let mut b = good.clone();
    b[1] = 0;
    b[12..16].copy_from_slice(b"RATE");
    assert_eq!(decode_reply(&b, SENT).err(), Some(NtpDecodeError::Kiss("RATE".into())));
    // Leap bits and stratum 16 decode; the reading calls them unsynchronised.
    let mut b = good;
    b[0] = 0xe4;
    b[1] = 16;
    let reply = decode_reply(&b, SENT).expect("decodes");
    assert_eq!(reply.leap, Leap::Unsynchronised);
    assert!(reading(&reply, SENT, reply.transmit).unsynchronised());
}

proptest::proptest! {
    #[test]
    fn garbage_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..120), t in proptest::prelude::any::<u64>()) {
        let _ = decode_reply(&bytes, NtpTimestamp(t));
    }
}
