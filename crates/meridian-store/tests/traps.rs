//! Trap events (migration 0011) on both real backends: a decoded event with
//! its varbinds and matched device, and a malformed datagram kept as hex.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::inventory::{validate_device, DeviceInput};
use meridian_core::trap::{TrapEvent, TrapPdu, TrapVarbind, TrapVersion};
use meridian_core::DeviceId;
use uuid::Uuid;

mod common;
use common::{open, BOTH};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 9, 0, 0).single().expect("valid time")
}

fn event(at: DateTime<Utc>, device: Option<DeviceId>) -> TrapEvent {
    TrapEvent {
        id: Uuid::now_v7(),
        received_at: at,
        source_addr: "127.0.0.1".into(),
        source_port: 40_001,
        version: Some(TrapVersion::V2c),
        pdu: TrapPdu::Inform,
        user: None,
        community_matched: Some(true),
        engine_id: None,
        trap_oid: Some(".1.3.6.1.6.3.1.1.5.3".into()),
        trap_name: Some("linkDown".into()),
        uptime: Some(u32::MAX),
        varbinds: vec![TrapVarbind {
            oid: ".1.3.6.1.2.1.2.2.1.8.2".into(),
            kind: "INTEGER".into(),
            value: "2".into(),
            name: Some("ifOperStatus.2".into()),
            display: Some("down(2)".into()),
        }],
        device_id: device,
        device_name: None,
        raw_hex: None,
        error: None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn trap_events_round_trip_newest_first_with_the_device() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let input = DeviceInput { name: "r1".into(), address: "127.0.0.1".into(), ..Default::default() };
        let dev = s
            .insert_device(&validate_device(&input).expect("valid"), DeviceId(Uuid::now_v7()), now(), "t")
            .await
            .expect("insert");
        let addresses = s.device_addresses().await.expect("addresses");
        assert_eq!(addresses, vec![("127.0.0.1".to_owned(), dev.id, "r1".to_owned())], "{kind:?}");

        let known = event(now(), Some(dev.id));
        s.insert_trap_event(&known).await.expect("insert");
        let malformed = TrapEvent {
            id: Uuid::now_v7(),
            version: None,
            pdu: TrapPdu::Malformed,
            community_matched: None,
            trap_oid: None,
            trap_name: None,
            uptime: None,
            varbinds: vec![],
            device_id: None,
            raw_hex: Some("300302".into()),
            error: Some("truncated at byte 5".into()),
            ..event(now() + Duration::seconds(1), None)
        };
        s.insert_trap_event(&malformed).await.expect("insert malformed");

        let got = s.list_trap_events(10).await.expect("list");
        assert_eq!(got.len(), 2, "{kind:?}");
        assert_eq!(got[0], malformed, "{kind:?}: newest first");
        assert_eq!(got[1], TrapEvent { device_name: Some("r1".into()), ..known }, "{kind:?}");
        assert_eq!(s.list_trap_events(1).await.expect("list").len(), 1);

        // The schema keeps raw bytes for malformed rows only.
        let mut bad = event(now(), None);
        bad.raw_hex = Some("00".into());
        assert!(s.insert_trap_event(&bad).await.is_err(), "{kind:?}: raw bytes on a decoded event");
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn purge_by_age_then_by_count_in_batches() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        // 10 events a day old, then 30 recent ones, oldest first, in one batch.
        let batch: Vec<TrapEvent> = (0..40)
            .map(|i| event(if i < 10 { now() - Duration::days(1) } else { now() + Duration::seconds(i) }, None))
            .collect();
        s.insert_trap_events(&batch).await.expect("insert batch");
        let stored = s.list_trap_events(100).await.expect("list");
        assert_eq!(stored.len(), 40, "{kind:?}");
        assert_eq!(stored[0], batch[39], "{kind:?}: every field kept");
        let got = s.purge_trap_events(now(), 25, 7).await.expect("purge");
        assert_eq!(got, meridian_store::Purged { expired: 10, over_cap: 5 }, "{kind:?}");
        assert_eq!(s.count_trap_events().await.expect("count"), 25, "{kind:?}");
        // The newest are kept.
        let newest = s.list_trap_events(1).await.expect("list");
        assert_eq!(newest[0].received_at, now() + Duration::seconds(39), "{kind:?}");
        assert_eq!(s.purge_trap_events(now(), 25, 7).await.expect("again"), meridian_store::Purged::default());
        s.close().await;
    }
}
