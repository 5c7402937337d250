//! Regression corpus for the management decoder (the `ptp_management`
//! cargo-fuzz target): ptp4l 3.1.1's real replies to a master/slave pair in
//! two namespaces, captured by `capture.py` in the corpus directory, and the
//! GETs that asked for them, plus what the fuzzer found (`fuzz_*`) and
//! inputs made to break the same property (`crafted_*`). Every file, every
//! prefix and every one-byte mutation must decode or fail with a typed error,
//! never panic, and what decodes must survive encoding; the real replies must
//! decode to what the pair was doing.

use std::collections::BTreeMap;
use std::path::Path;

use meridian_core::ptp::PortState;
use meridian_probe::ptp::{decode_reply, Action, Dataset, Message, Payload};

fn files() -> BTreeMap<String, Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/ptp_management");
    std::fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .map(|p| {
            let name = p.file_stem().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect()
}

fn dataset(files: &BTreeMap<String, Vec<u8>>, name: &str) -> Dataset {
    let (msg, ds) = decode_reply(&files[name]).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(msg.action, Action::Response, "{name}");
    ds.unwrap_or_else(|| panic!("{name} carries a data set"))
}

/// The fuzz target's property: decode or a typed error, and what decodes
/// encodes to bytes that decode to the same payload.
fn check(bytes: &[u8]) {
    if let Ok((msg, _)) = decode_reply(bytes) {
        let again = Message::decode(&msg.encode()).expect("our own encoding decodes");
        assert_eq!(again.payload, msg.payload);
    }
}

#[test]
fn corpus_never_panics() {
    let files = files();
    assert!(files.len() >= 24, "corpus has {} files", files.len());
    for bytes in files.values() {
        for cut in 0..=bytes.len() {
            check(&bytes[..cut]);
        }
        for i in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= flip;
                check(&b);
            }
        }
    }
}

#[test]
fn requests_decode_as_gets() {
    for (name, bytes) in files().iter().filter(|(n, _)| n.starts_with("req_")) {
        let (msg, _) = decode_reply(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(msg.action, Action::Get, "{name}");
    }
}

#[test]
fn real_replies_describe_the_pair() {
    let f = files();
    let Dataset::DefaultDataSet(master) = dataset(&f, "master_default_data_set") else { panic!("master default") };
    let Dataset::DefaultDataSet(slave) = dataset(&f, "slave_default_data_set") else { panic!("slave default") };
    assert!(!master.clock_identity.is_zero() && master.clock_identity != slave.clock_identity);
    assert_eq!((master.priority1, slave.priority1, slave.slave_only), (127, 128, true));

    let Dataset::ParentDataSet(parent) = dataset(&f, "slave_parent_data_set") else { panic!("slave parent") };
    assert_eq!(parent.grandmaster_identity, master.clock_identity);
    assert_eq!(parent.parent_port.clock, master.clock_identity);
    assert_eq!(parent.grandmaster_priority1, 127);

    let Dataset::PortDataSet(mport) = dataset(&f, "master_port_data_set") else { panic!("master port") };
    let Dataset::PortDataSet(sport) = dataset(&f, "slave_port_data_set") else { panic!("slave port") };
    assert_eq!(mport.state, PortState::Master);
    // ptp4l 3.1.1 with free_running never locks its servo, so the slave stays
    // UNCALIBRATED (4.x reports SLAVE); both mean "following a master".
    assert!(matches!(sport.state, PortState::Slave | PortState::Uncalibrated), "{:?}", sport.state);

    let Dataset::CurrentDataSet(cur) = dataset(&f, "slave_current_data_set") else { panic!("slave current") };
    assert_eq!(cur.steps_removed, 1);
    assert!(cur.mean_path_delay_ns > 0.0 && cur.mean_path_delay_ns < 1e9, "{}", cur.mean_path_delay_ns);

    let Dataset::TimeStatusNp(ts) = dataset(&f, "slave_time_status_np") else { panic!("slave time status") };
    assert!(ts.gm_present);
    assert_eq!(ts.gm_identity, master.clock_identity);

    // Little-endian counters: a sane count of Announce (type 0xb) messages.
    let Dataset::PortStatsNp(st) = dataset(&f, "slave_port_stats_np") else { panic!("slave stats") };
    assert!(st.rx[0xb] > 0 && st.rx[0xb] < 100_000, "rx announce {}", st.rx[0xb]);
    let Dataset::PortStatsNp(st) = dataset(&f, "master_port_stats_np") else { panic!("master stats") };
    assert!(st.tx[0xb] > 0 && st.tx[0] > 0 && st.tx[0] < 100_000, "tx sync {}", st.tx[0]);

    let (msg, ds) = decode_reply(&f["slave_unknown_id_error"]).expect("error status decodes");
    assert_eq!(ds, None);
    assert!(matches!(msg.payload, Payload::Error { error_id: 2, id: 0x20ff, .. }), "{:?}", msg.payload);
}
