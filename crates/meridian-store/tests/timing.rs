//! Timing roles per device and the raw points of a device series over a
//! window, on both backends.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::clock::role::TimingRole;
use meridian_core::inventory::{validate_device, DeviceInput};
use meridian_core::sample::Sample;
use meridian_core::DeviceId;
use meridian_store::Store;
use uuid::Uuid;

mod common;
use common::{open, BOTH};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).single().expect("valid time")
}

async fn add_device(s: &Store, name: &str, addr: &str) -> DeviceId {
    let v =
        validate_device(&DeviceInput { name: name.into(), address: addr.into(), ..Default::default() }).expect("valid");
    s.insert_device(&v, DeviceId(Uuid::now_v7()), t0(), "test").await.expect("device").id
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_are_set_replaced_removed_and_go_with_their_device() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let gm = add_device(&s, "gm", "127.0.0.1").await;
        let bc = add_device(&s, "bc", "127.0.0.2").await;
        assert!(s.timing_roles().await.expect("roles").is_empty(), "{kind:?}");
        s.set_timing_role(gm, Some(TimingRole::PtpClient), t0()).await.expect("set");
        s.set_timing_role(gm, Some(TimingRole::Grandmaster), t0()).await.expect("replace");
        s.set_timing_role(bc, Some(TimingRole::BoundaryClock), t0()).await.expect("set");
        let roles = s.timing_roles().await.expect("roles");
        assert_eq!(roles.len(), 2, "{kind:?}");
        assert_eq!((roles[&gm], roles[&bc]), (TimingRole::Grandmaster, TimingRole::BoundaryClock));
        s.set_timing_role(bc, None, t0()).await.expect("remove");
        s.set_timing_role(bc, None, t0()).await.expect("removing none is fine");
        assert_eq!(s.timing_roles().await.expect("roles").len(), 1);
        // The schema refuses a spelling the enum does not have.
        let bad = sqlx::query("INSERT INTO device_timing_roles VALUES ($1, 'master', now())")
            .bind(bc.0)
            .execute(&mut *s.conn().await.expect("conn"))
            .await;
        assert!(bad.is_err(), "{kind:?}: unknown role stored");
        s.delete_device(&gm.to_string().as_str().into(), t0(), "test").await.expect("delete");
        assert!(s.timing_roles().await.expect("roles").is_empty(), "{kind:?}: role outlived its device");
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn series_points_are_the_windows_raw_samples_oldest_first() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let d = add_device(&s, "client", "127.0.0.1").await;
        let other = add_device(&s, "other", "127.0.0.2").await;
        let off = s.ensure_series(d, None, "ptp_offset_ns", "ns").await.expect("series");
        let theirs = s.ensure_series(other, None, "ptp_offset_ns", "ns").await.expect("series");
        let delay = s.ensure_series(d, None, "ptp_path_delay_ns", "ns").await.expect("series");
        let at = |sec: i64| t0() + Duration::seconds(sec);
        let mut batch: Vec<Sample> =
            (0..10).rev().map(|i| Sample { at: at(i), series: off, value: i as f64 * 1.5 }).collect();
        batch.push(Sample { at: at(3), series: theirs, value: 99.0 });
        batch.push(Sample { at: at(3), series: delay, value: 77.0 });
        s.insert_samples(&batch).await.expect("insert");
        let p = s.device_series_points(d, "ptp_offset_ns", at(2), at(6), 100).await.expect("points");
        assert_eq!(p, vec![(at(2), 3.0), (at(3), 4.5), (at(4), 6.0), (at(5), 7.5)], "{kind:?}");
        assert_eq!(s.device_series_points(d, "ptp_offset_ns", at(0), at(10), 3).await.expect("limit").len(), 3);
        assert!(s.device_series_points(d, "nothing", at(0), at(10), 10).await.expect("none").is_empty());
        s.close().await;
    }
}
