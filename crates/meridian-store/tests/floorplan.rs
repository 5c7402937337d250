//! Floor plans and plan positions on both real backends (embedded PGlite and
//! a native PostgreSQL started by meridian-testkit), so the migration and
//! every query must work on each.

use chrono::{TimeZone, Utc};
use meridian_core::floorplan::{ImageInfo, ImageMime, PlanPoint};
use meridian_core::inventory::{validate_device, validate_site, DeviceInput, SiteInput};
use meridian_core::{DeviceId, SiteId};
use meridian_store::{Store, StoreError};
use uuid::Uuid;

mod common;
use common::{open, BOTH};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).single().expect("valid time")
}

async fn site(s: &Store, name: &str) -> SiteId {
    let v = validate_site(&SiteInput { name: name.into(), lat: Some(1.0), lon: Some(2.0) }).expect("valid site");
    s.insert_site(&v, SiteId(Uuid::now_v7()), now(), "test").await.expect("site").id
}

async fn device(s: &Store, name: &str, addr: &str, site: &str) -> DeviceId {
    let input = DeviceInput { name: name.into(), address: addr.into(), site: Some(site.into()), ..Default::default() };
    let v = validate_device(&input).expect("valid device");
    s.insert_device(&v, DeviceId(Uuid::now_v7()), now(), "test").await.expect("device").id
}

fn png(width: u32, height: u32) -> ImageInfo {
    ImageInfo { mime: ImageMime::Png, width, height }
}

async fn audit_actions(s: &Store) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM event_log WHERE action LIKE '%plan%' ORDER BY id")
        .fetch_all(&mut *s.conn().await.expect("conn"))
        .await
        .expect("audit")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plan_is_stored_replaced_and_removed_with_audit() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let hq = site(&s, "HQ").await;
        assert_eq!(s.floor_plan(hq, true).await.expect("read"), None);
        assert!(!s.get_site("HQ").await.expect("site").has_floor_plan);

        s.put_floor_plan(hq, &png(400, 300), b"first image", now(), "test").await.expect("put");
        let plan = s.floor_plan(hq, true).await.expect("read").expect("a plan");
        assert_eq!((plan.mime, plan.width, plan.height), (ImageMime::Png, 400, 300), "{kind:?}");
        assert_eq!(plan.image, b"first image");
        assert!(s.get_site("HQ").await.expect("site").has_floor_plan, "{kind:?}");
        let meta = s.floor_plan(hq, false).await.expect("read").expect("a plan");
        assert!(meta.image.is_empty(), "a size check does not read the image");

        let webp = ImageInfo { mime: ImageMime::Webp, width: 800, height: 600 };
        s.put_floor_plan(hq, &webp, b"second", now(), "test").await.expect("replace");
        let plan = s.floor_plan(hq, true).await.expect("read").expect("a plan");
        assert_eq!((plan.mime, plan.width, plan.image.as_slice()), (ImageMime::Webp, 800, b"second".as_slice()));

        assert!(s.delete_floor_plan(hq, now(), "test").await.expect("delete"));
        assert!(!s.delete_floor_plan(hq, now(), "test").await.expect("delete again"));
        assert_eq!(s.floor_plan(hq, true).await.expect("read"), None);
        assert_eq!(
            audit_actions(&s).await,
            ["site.floor_plan.set", "site.floor_plan.set", "site.floor_plan.remove"],
            "{kind:?}"
        );

        let nowhere = SiteId(Uuid::now_v7());
        let r = s.put_floor_plan(nowhere, &png(1, 1), b"x", now(), "test").await;
        assert!(matches!(r, Err(StoreError::NotFound { what: "site", .. })), "{kind:?}: {r:?}");
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn positions_follow_the_plan_its_size_and_the_device() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let hq = site(&s, "HQ").await;
        let lab = site(&s, "Lab").await;
        let r1 = device(&s, "r1", "127.0.0.1", "HQ").await;
        let r2 = device(&s, "r2", "127.0.0.2", "HQ").await;

        // No plan yet: nothing to place on.
        let r = s.place_device(r1, hq, PlanPoint { x: 1.0, y: 1.0 }, now(), "test").await;
        assert!(matches!(r, Err(StoreError::Referenced(_))), "{kind:?}: {r:?}");

        s.put_floor_plan(hq, &png(400, 200), b"img", now(), "test").await.expect("put");
        s.place_device(r1, hq, PlanPoint { x: 100.0, y: 50.0 }, now(), "test").await.expect("place r1");
        s.place_device(r2, hq, PlanPoint { x: 400.0, y: 200.0 }, now(), "test").await.expect("edge");
        s.place_device(r1, hq, PlanPoint { x: 120.0, y: 60.0 }, now(), "test").await.expect("move r1");
        let at: Vec<_> =
            s.plan_positions(hq).await.expect("positions").iter().map(|p| (p.device_id, p.x, p.y)).collect();
        assert_eq!(at, [(r1, 120.0, 60.0), (r2, 400.0, 200.0)], "{kind:?}");

        // Off the image, NaN, or an unknown device: nothing is written.
        for (x, y) in [(400.5, 1.0), (1.0, 201.0), (f64::NAN, 1.0)] {
            let r = s.place_device(r1, hq, PlanPoint { x, y }, now(), "test").await;
            assert!(matches!(r, Err(StoreError::Referenced(_))), "{kind:?} ({x}, {y}): {r:?}");
        }
        let ghost = DeviceId(Uuid::now_v7());
        let r = s.place_device(ghost, hq, PlanPoint { x: 1.0, y: 1.0 }, now(), "test").await;
        assert!(matches!(r, Err(StoreError::NotFound { what: "device", .. })), "{kind:?}: {r:?}");
        assert_eq!(s.plan_positions(hq).await.expect("positions").len(), 2);

        // A re-export at half the resolution keeps devices on the same spot.
        s.put_floor_plan(hq, &png(200, 100), b"smaller", now(), "test").await.expect("replace");
        let at: Vec<_> = s.plan_positions(hq).await.expect("positions").iter().map(|p| (p.x, p.y)).collect();
        assert_eq!(at, [(60.0, 30.0), (200.0, 100.0)], "{kind:?}");

        assert!(s.unplace_device(r2, now(), "test").await.expect("unplace"));
        assert!(!s.unplace_device(r2, now(), "test").await.expect("unplace again"));
        assert_eq!(s.plan_positions(hq).await.expect("positions").len(), 1);

        // A device moved to another site is not drawn on the old plan.
        let moved = validate_device(&DeviceInput {
            name: "r1".into(),
            address: "127.0.0.1".into(),
            site: Some("Lab".into()),
            ..Default::default()
        })
        .expect("valid");
        let v = s.get_device(&"r1".into()).await.expect("r1").version;
        s.update_device(r1, v, &moved, now(), "test").await.expect("move site");
        assert!(s.plan_positions(hq).await.expect("positions").is_empty(), "{kind:?}");
        assert!(s.plan_positions(lab).await.expect("positions").is_empty());

        // Removing the plan, a device or the site removes their positions.
        s.place_device(r2, hq, PlanPoint { x: 5.0, y: 5.0 }, now(), "test").await.expect("place r2");
        s.delete_device(&"r2".into(), now(), "test").await.expect("delete r2");
        assert!(s.plan_positions(hq).await.expect("positions").is_empty());
        let r3 = device(&s, "r3", "127.0.0.3", "HQ").await;
        s.place_device(r3, hq, PlanPoint { x: 5.0, y: 5.0 }, now(), "test").await.expect("place r3");
        s.delete_floor_plan(hq, now(), "test").await.expect("delete plan");
        s.put_floor_plan(hq, &png(200, 100), b"again", now(), "test").await.expect("put again");
        assert!(s.plan_positions(hq).await.expect("positions").is_empty(), "{kind:?}: the old spots are gone");
        s.delete_site("HQ", now(), "test").await.expect("delete site");
        assert_eq!(s.floor_plan(hq, false).await.expect("read"), None, "{kind:?}");
        let left: i64 = sqlx::query_scalar("SELECT count(*) FROM device_plan_positions")
            .fetch_one(&mut *s.conn().await.expect("conn"))
            .await
            .expect("count");
        assert_eq!(left, 0, "{kind:?}");
        s.close().await;
    }
}
