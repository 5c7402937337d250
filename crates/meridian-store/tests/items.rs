//! Custom items and default-rule seeding marks on both backends: put,
//! replace by target and name, remove by id or key, the device's items go
//! with the device, and a seeding mark is written once.

use chrono::{DateTime, TimeZone, Utc};
use meridian_core::inventory::{validate_device, DeviceInput};
use meridian_core::items::{CustomItem, ItemKind, ItemTarget};
use meridian_core::DeviceId;
use meridian_store::Store;
use uuid::Uuid;

mod common;
use common::{open, BOTH};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 2, 0, 0).single().expect("valid time")
}

async fn add_device(s: &Store, name: &str, addr: &str) -> DeviceId {
    let v =
        validate_device(&DeviceInput { name: name.into(), address: addr.into(), ..Default::default() }).expect("valid");
    s.insert_device(&v, DeviceId(Uuid::now_v7()), t0(), "test").await.expect("device").id
}

fn item(name: &str, target: ItemTarget, oid: &str) -> CustomItem {
    CustomItem {
        name: name.into(),
        target,
        oid: oid.into(),
        unit: "celsius".into(),
        scale: 1.0,
        kind: ItemKind::Gauge,
        interval_secs: 30,
        description: String::new(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn items_round_trip_and_go_with_their_device() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let r1 = add_device(&s, "r1", "127.0.0.1").await;
        let r2 = add_device(&s, "r2", "127.0.0.2").await;
        let (a, created) =
            s.put_item(&item("temp", ItemTarget::Device(r1), "1.3.6.1.1.0"), t0(), "t").await.expect("put");
        assert!(created);
        // One name on two devices, and on a template, are three items.
        s.put_item(&item("temp", ItemTarget::Device(r2), "1.3.6.1.2.0"), t0(), "t").await.expect("put r2");
        s.put_item(&item("temp", ItemTarget::Template("ups".into()), "1.3.6.1.3.0"), t0(), "t").await.expect("put t");
        let (again, created) =
            s.put_item(&item("temp", ItemTarget::Device(r1), "1.3.6.1.9.0"), t0(), "t").await.expect("replace");
        assert_eq!((again, created), (a, false), "{kind:?}: replacing keeps the id");
        let all = s.list_items().await.expect("list");
        assert_eq!(all.len(), 3, "{kind:?}");
        assert_eq!(all.iter().find(|i| i.id == a).map(|i| i.item.oid.as_str()), Some("1.3.6.1.9.0"));

        assert!(s.delete_item(&a.to_string(), t0(), "t").await.expect("by id").is_some());
        let key = ItemTarget::Template("ups".into()).key("temp");
        assert!(s.delete_item(&key, t0(), "t").await.expect("by key").is_some());
        assert!(s.delete_item(&key, t0(), "t").await.expect("gone").is_none());
        s.delete_device(&r2.to_string().as_str().into(), t0(), "t").await.expect("device removed");
        assert!(s.list_items().await.expect("list").is_empty(), "{kind:?}: r2's item went with it");

        assert!(s.mark_default_rule_seeded("ups", "UPS on battery", t0()).await.expect("mark"));
        assert!(!s.mark_default_rule_seeded("ups", "UPS on battery", t0()).await.expect("again"));
        assert!(s.mark_default_rule_seeded("cisco", "UPS on battery", t0()).await.expect("other template"));
        let seeded = s.seeded_default_rules().await.expect("seeded");
        assert_eq!(seeded, [("cisco".into(), "UPS on battery".into()), ("ups".into(), "UPS on battery".into())]);
    }
}
