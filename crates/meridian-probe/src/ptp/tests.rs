use meridian_core::ptp::{ClockIdentity, PortIdentity, PortState};

use super::*;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

/// What `pmc -u -b 0` (linuxptp 3.1.1, pid 0x75c4) sent for
/// `GET CURRENT_DATA_SET`, captured on a UNIX socket.
const PMC_GET_CURRENT: &str = "0d02004800000000000000000000000000000000000000000000000075c40000047fffffffffffffffffffff00000000000100142001000000000000000000000000000000000000";
/// `SET PRIORITY1 100` from pid 0x75e1; pmc leaves its pad byte (0x67) uninitialised.
const PMC_SET_PRIORITY1: &str =
    "0d02003800000000000000000000000000000000000000000000000075e10000047fffffffffffffffffffff000001000001000420056467";
/// `GET PORT_STATS_NP` from pid 0x75df: pmc sends this one with no data.
const PMC_GET_PORT_STATS: &str =
    "0d02003600000000000000000000000000000000000000000000000075df0000047fffffffffffffffffffff0000000000010002c005";

fn request(port: u16, action: Action, id: ManagementId, data: Vec<u8>) -> Message {
    Message {
        domain: 0,
        source: PortIdentity { clock: ClockIdentity::default(), port },
        sequence_id: 0,
        target: PortIdentity::ALL,
        starting_boundary_hops: 0,
        boundary_hops: 0,
        action,
        flags0: 0,
        payload: Payload::Management { id: id.code(), data },
    }
}

#[test]
fn get_requests_match_pmc_byte_for_byte() {
    let get = request(0x75c4, Action::Get, ManagementId::CurrentDataSet, ManagementId::CurrentDataSet.get_data());
    assert_eq!(get.encode(), hex(PMC_GET_CURRENT));
    let stats = request(0x75df, Action::Get, ManagementId::PortStatsNp, ManagementId::PortStatsNp.get_data());
    assert_eq!(stats.encode(), hex(PMC_GET_PORT_STATS));
    // And pmc's bytes decode back to the same message.
    assert_eq!(Message::decode(&hex(PMC_GET_CURRENT)), Ok(get));
}

#[test]
fn set_priority1_matches_pmc_but_for_the_pad_byte() {
    let set = request(0x75e1, Action::Set, ManagementId::Priority1, vec![100, 0]).encode();
    let mut pmc = hex(PMC_SET_PRIORITY1);
    *pmc.last_mut().expect("non-empty") = 0;
    assert_eq!(set, pmc);
}

fn response(id: ManagementId, data: Vec<u8>) -> Vec<u8> {
    let mut m = request(1, Action::Response, id, data);
    m.source = PortIdentity { clock: ClockIdentity([0, 1, 2, 0xff, 0xfe, 3, 4, 5]), port: 1 };
    m.encode()
}

fn port_ds_bytes() -> Vec<u8> {
    let mut d = vec![0, 1, 2, 0xff, 0xfe, 3, 4, 5, 0, 1]; // portIdentity
    d.push(9); // SLAVE
    d.push(0); // logMinDelayReqInterval
    d.extend_from_slice(&(3 * 65_536i64).to_be_bytes());
    d.extend_from_slice(&[1, 3, 0, 1, 0, 2]);
    d
}

#[test]
fn data_sets_decode_with_their_fields() {
    let (msg, ds) = decode_reply(&response(ManagementId::PortDataSet, port_ds_bytes())).expect("decodes");
    assert_eq!(msg.action, Action::Response);
    let Some(Dataset::PortDataSet(p)) = ds else { panic!("port data set: {ds:?}") };
    assert_eq!(p.state, PortState::Slave);
    assert_eq!(p.port.port, 1);
    assert_eq!(p.peer_mean_path_delay_ns, 3.0);
    assert_eq!((p.log_announce_interval, p.announce_receipt_timeout, p.delay_mechanism, p.version), (1, 3, 1, 2));

    let mut cur = 2u16.to_be_bytes().to_vec();
    cur.extend_from_slice(&(-65_536i64 * 250).to_be_bytes());
    cur.extend_from_slice(&(65_536i64 * 1_500 + 32_768).to_be_bytes());
    let (_, ds) = decode_reply(&response(ManagementId::CurrentDataSet, cur)).expect("decodes");
    let Some(Dataset::CurrentDataSet(c)) = ds else { panic!("current data set: {ds:?}") };
    assert_eq!((c.steps_removed, c.offset_from_master_ns, c.mean_path_delay_ns), (2, -250.0, 1_500.5));

    // PORT_STATS_NP counters are little-endian, unlike the rest.
    let mut stats = vec![0, 1, 2, 0xff, 0xfe, 3, 4, 5, 0, 1];
    for i in 0..32u64 {
        stats.extend_from_slice(&(i * 10).to_le_bytes());
    }
    let (_, ds) = decode_reply(&response(ManagementId::PortStatsNp, stats)).expect("decodes");
    let Some(Dataset::PortStatsNp(s)) = ds else { panic!("port stats: {ds:?}") };
    assert_eq!((s.rx[0], s.rx[11], s.tx[0], s.tx[15]), (0, 110, 160, 310));
}

#[test]
fn error_status_decodes_with_its_text() {
    let mut m = request(1, Action::Response, ManagementId::Priority1, vec![]);
    m.payload = Payload::Error { error_id: 0x0005, id: 0x2005, display: "nope".into() };
    let back = Message::decode(&m.encode()).expect("decodes");
    assert_eq!(back.payload, m.payload);
    assert_eq!(management_error_name(0x0005), "NOT_SETABLE");
}

#[test]
fn malformed_messages_get_field_level_errors() {
    let good = response(ManagementId::PortDataSet, port_ds_bytes());
    assert!(decode_reply(&good).is_ok());

    let mut e = good.clone();
    e[0] = 0x0b; // Announce
    assert_eq!(decode_reply(&e).err(), Some(PtpDecodeError::NotManagement(0xb)));

    let mut e = good.clone();
    e[1] = 1;
    assert_eq!(decode_reply(&e).err(), Some(PtpDecodeError::Version(1)));

    let mut e = good.clone();
    e[3] += 10; // messageLength longer than the datagram
    assert!(matches!(decode_reply(&e), Err(PtpDecodeError::MessageLength { .. })));

    let mut e = good.clone();
    e[48] = 0x80; // tlvType 0x8001: not a management TLV
    assert_eq!(decode_reply(&e).err(), Some(PtpDecodeError::UnknownTlv(0x8001)));

    let mut e = good.clone();
    e[51] += 40; // the TLV's length lies
    assert!(matches!(decode_reply(&e), Err(PtpDecodeError::TlvLength { tlv_type: 1, .. })));

    let mut e = good.clone();
    e[46] = 7; // actionField
    assert_eq!(decode_reply(&e).err(), Some(PtpDecodeError::UnknownAction(7)));

    // A TLV whose length holds but is too short for the data set.
    let short = response(ManagementId::PortDataSet, vec![0; 10]);
    assert_eq!(decode_reply(&short).err(), Some(PtpDecodeError::DatasetLength { id: 0x2004, need: 26, got: 10 }));

    // An unknown managementId is a valid message, kept raw.
    let other = response(ManagementId::NullManagement, vec![]);
    let mut other = other.clone();
    other[52] = 0x30;
    assert!(matches!(decode_reply(&other), Ok((_, Some(Dataset::Other { id: 0x3000, .. })))));

    // Every prefix shorter than the whole is rejected, never a panic.
    for cut in 0..good.len() {
        assert!(decode_reply(&good[..cut]).is_err(), "prefix of {cut} bytes");
    }
}

/// Found by the `ptp_management` fuzz target: a TLV of odd length decoded
/// to a data field that encoding then padded, so the message did not survive
/// a round trip. TLVs are an even number of octets; an odd one is refused.
#[test]
fn odd_tlv_length_is_refused() {
    // pmc's SET PRIORITY1 without its pad byte: lengthField 3, messageLength 0x37.
    let mut odd = hex(PMC_SET_PRIORITY1);
    odd.pop();
    odd[3] -= 1;
    odd[51] -= 1;
    assert_eq!(Message::decode(&odd).err(), Some(PtpDecodeError::TlvOddLength { tlv_type: 1, declared: 3 }));
}

/// A display text longer than a PTPText holds (255 bytes) is cut on a
/// character boundary, so the message on the wire stays UTF-8.
#[test]
fn long_error_text_is_cut_on_a_character_boundary() {
    let mut m = request(1, Action::Response, ManagementId::Priority1, vec![]);
    m.payload = Payload::Error { error_id: 0x0005, id: 0x2005, display: "é".repeat(200) };
    let back = Message::decode(&m.encode()).expect("decodes");
    assert_eq!(back.payload, Payload::Error { error_id: 0x0005, id: 0x2005, display: "é".repeat(127) });
}

/// A received text of 100 invalid bytes reads as U+FFFD each (3 bytes), and
/// is kept to the 85 that a PTPText can send back.
#[test]
fn invalid_error_text_reads_as_replacement_characters_that_encode_again() {
    let mut m = request(1, Action::Response, ManagementId::Priority1, vec![]);
    m.payload = Payload::Error { error_id: 0x0005, id: 0x2005, display: String::new() };
    let mut bytes = m.encode();
    // Swap the empty text (length octet and pad) for 100 bytes of 0xff.
    bytes.truncate(bytes.len() - 2);
    bytes.push(100);
    bytes.extend([0xff; 100]);
    bytes.push(0);
    let tlv_len = u16::from_be_bytes([bytes[50], bytes[51]]) + 100;
    bytes[50..52].copy_from_slice(&tlv_len.to_be_bytes());
    let msg_len = bytes.len() as u16;
    bytes[2..4].copy_from_slice(&msg_len.to_be_bytes());
    let got = Message::decode(&bytes).expect("decodes");
    let want = Payload::Error { error_id: 0x0005, id: 0x2005, display: "\u{fffd}".repeat(85) };
    assert_eq!(got.payload, want);
    assert_eq!(Message::decode(&got.encode()).expect("encodes again").payload, want);
}

#[test]
fn counters_count_each_reason() {
    let c = crate::DecodeCounters::default();
    c.record(PtpDecodeError::UnknownTlv(9).kind());
    c.record(PtpDecodeError::UnknownTlv(10).kind());
    c.record(PtpDecodeError::Version(1).kind());
    assert_eq!(c.total(), 3);
    let snap = c.snapshot();
    assert_eq!(snap, vec![("unknown_tlv", 2), ("version", 1)]);
}

proptest::proptest! {
    #[test]
    fn garbage_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        let _ = decode_reply(&bytes);
    }

    #[test]
    fn mutated_replies_never_panic(i in 0usize..76, v in proptest::prelude::any::<u8>()) {
        let mut b = response(ManagementId::PortDataSet, port_ds_bytes());
        b[i] = v;
        let _ = decode_reply(&b);
    }
}
