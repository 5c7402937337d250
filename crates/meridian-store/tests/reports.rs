//! The report reads on both backends: state timelines from the monitor's
//! log, availability summed from the rollups (equal to the raw count), and
//! the series a top-N report ranks.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::inventory::{validate_device, DeviceInput};
use meridian_core::metric::Builtin;
use meridian_core::report::availability::{raw_time, Timeline};
use meridian_core::rollup::state::StateTime;
use meridian_core::rollup::Tier;
use meridian_core::state::DeviceState;
use meridian_core::DeviceId;
use meridian_store::{InterfaceRow, Store};
use serde_json::json;
use uuid::Uuid;

mod common;
use common::{open, BOTH};

fn day0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).single().expect("valid")
}

fn h(hours: i64) -> DateTime<Utc> {
    day0() + Duration::hours(hours)
}

async fn device(s: &Store, name: &str, addr: &str) -> DeviceId {
    let v =
        validate_device(&DeviceInput { name: name.into(), address: addr.into(), ..Default::default() }).expect("valid");
    s.insert_device(&v, DeviceId(Uuid::now_v7()), h(-48), "test").await.expect("device").id
}

async fn change(s: &Store, d: DeviceId, at: DateTime<Utc>, from: &str, to: &str) {
    let detail = json!({ "from": from, "to": to });
    s.log_event(at, "monitor", "device.state", "device", d.to_string(), detail).await.expect("log");
}

#[tokio::test(flavor = "multi_thread")]
async fn availability_reads_match_raw_and_rollups() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        // r1: up from the day before, down 10:00-11:00. r2: never judged. r3: not asked for.
        let r1 = device(&s, "r1", "127.0.0.1").await;
        let r2 = device(&s, "r2", "127.0.0.2").await;
        let r3 = device(&s, "r3", "127.0.0.3").await;
        change(&s, r1, h(-20), "unknown", "up").await;
        change(&s, r1, h(10), "up", "down").await;
        change(&s, r1, h(11), "down", "up").await;
        change(&s, r3, h(5), "up", "down").await;

        let t = s.state_timelines(&[r1, r2], h(0), h(24)).await.expect("timelines");
        assert_eq!(t.len(), 1, "{kind:?}: r2 has no log entry, r3 was not asked for");
        let expected = Timeline {
            before: Some(DeviceState::Up),
            changes: vec![(h(10), DeviceState::Down), (h(11), DeviceState::Up)],
        };
        assert_eq!(t[&r1], expected, "{kind:?}");
        let raw = raw_time(&t[&r1], (h(0), h(24)));
        assert_eq!(raw, StateTime { up_secs: 23 * 3600, known_secs: 24 * 3600 }, "{kind:?}");

        for tier in Tier::ROLLUPS {
            s.rollup_batch(tier, h(-24), h(48), h(72)).await.expect("rollup");
        }
        for tier in Tier::ROLLUPS {
            let sums = s.state_times(&[r1, r2], tier, h(0), h(24)).await.expect("sums");
            assert_eq!(sums.get(&r1), Some(&raw), "{kind:?} {tier:?}");
            assert!(!sums.contains_key(&r2), "{kind:?} {tier:?}");
        }
        s.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn top_n_series_carry_interface_and_speed() {
    for kind in BOTH {
        let (s, _dir) = open(kind).await;
        let r1 = device(&s, "r1", "127.0.0.1").await;
        let other = device(&s, "r2", "127.0.0.2").await;
        let row = |if_index, name: Option<&str>| InterfaceRow {
            if_index,
            name: name.map(str::to_owned),
            descr: None,
            alias: None,
            speed_bps: Some(1_000_000_000),
            admin_status: None,
            oper_status: None,
        };
        let ifs = s.upsert_interfaces(r1, &[row(1, Some("ge-0/0/1")), row(2, None)], h(0)).await.expect("ifs");
        let rtt = s.ensure_series(r1, None, "rtt_ms", "ms").await.expect("series");
        let in1 = s.ensure_series(r1, Some(ifs[0]), "if_in_bps", "bit/s").await.expect("series");
        let in2 = s.ensure_series(r1, Some(ifs[1]), "if_in_bps", "bit/s").await.expect("series");
        s.ensure_series(r1, None, "cpu_pct", "%").await.expect("series");
        s.ensure_series(other, None, "rtt_ms", "ms").await.expect("series");

        let got = s.report_series(&[r1], &[Builtin::RttMs, Builtin::IfInBps]).await.expect("series");
        let brief: Vec<(i64, Builtin, Option<&str>, Option<u64>)> =
            got.iter().map(|r| (r.id, r.metric, r.interface.as_deref(), r.speed_bps)).collect();
        assert_eq!(
            brief,
            [
                (rtt, Builtin::RttMs, None, None),
                (in1, Builtin::IfInBps, Some("ge-0/0/1"), Some(1_000_000_000)),
                (in2, Builtin::IfInBps, Some("ifIndex 2"), Some(1_000_000_000)),
            ],
            "{kind:?}"
        );
        assert!(got.iter().all(|r| r.device_id == r1), "{kind:?}");
        s.close().await;
    }
}
