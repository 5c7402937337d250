//! Settings (key -> JSON) and the active-alarm counts, on both real
//! backends: embedded PGlite and a native PostgreSQL from meridian-testkit.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::alarm::{Alarm, AlarmId, AlarmSpec, Severity};
use meridian_core::DeviceId;
use meridian_store::Store;
use serde_json::json;
use uuid::Uuid;

mod common;
use common::{open_with_config as open, BOTH};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).single().expect("valid time")
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_round_trip_replace_and_survive_a_reopen() {
    for kind in BOTH {
        let (s, cfg, _dir) = open(kind).await;
        assert_eq!(s.get_setting("notifications").await.expect("get"), None, "{kind:?}");

        let v1 = json!({"mutedUntil": "2026-03-01T12:00:00Z", "nested": [1, 2.5, null, "x"]});
        s.set_setting("notifications", &v1, now()).await.expect("set");
        assert_eq!(s.get_setting("notifications").await.expect("get"), Some(v1), "{kind:?}");

        // A second write replaces the value (upsert), it does not add a row.
        let v2 = json!({"mutedUntil": null});
        s.set_setting("notifications", &v2, now() + Duration::minutes(1)).await.expect("replace");
        s.set_setting("other", &json!(42), now()).await.expect("other key");
        assert_eq!(s.get_setting("notifications").await.expect("get"), Some(v2.clone()), "{kind:?}");
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM settings")
            .fetch_one(&mut *s.conn().await.expect("conn"))
            .await
            .expect("count");
        assert_eq!(rows, 2, "{kind:?}");
        s.close().await;

        let s = Store::open(cfg).await.expect("reopen");
        assert_eq!(s.get_setting("notifications").await.expect("get"), Some(v2), "{kind:?}: lost on reopen");
        assert!(s.delete_setting("other").await.expect("delete"));
        assert!(!s.delete_setting("other").await.expect("delete again"), "{kind:?}");
        assert_eq!(s.get_setting("other").await.expect("get"), None);
        // The schema refuses an empty key even if a caller tried one.
        assert!(s.set_setting("", &json!(1), now()).await.is_err(), "{kind:?}: empty key accepted");
        s.close().await;
    }
}

fn alarm(n: u128, severity: Severity, at: DateTime<Utc>) -> Alarm {
    let device = DeviceId::from_uuid(Uuid::from_u128(0xd0 + n));
    let mut spec = AlarmSpec::device_unreachable(device, 3);
    spec.perceived_severity = severity;
    Alarm::raise(AlarmId::from_uuid(Uuid::now_v7()), None, spec, at)
}

#[tokio::test(flavor = "multi_thread")]
async fn active_alarm_counts_group_by_severity_and_skip_cleared() {
    for kind in BOTH {
        let (s, _cfg, _dir) = open(kind).await;
        assert_eq!(s.active_alarm_counts().await.expect("counts").total(), 0, "{kind:?}");
        let raised = [
            (1, Severity::Critical),
            (2, Severity::Critical),
            (3, Severity::Major),
            (4, Severity::Minor),
            (5, Severity::Warning),
            (6, Severity::Indeterminate),
            (7, Severity::Major),
        ];
        for (n, sev) in raised {
            let (_, created) = s.raise_alarm(&alarm(n, sev, now())).await.expect("raise");
            assert!(created);
        }
        // A cleared alarm no longer counts.
        let gone = alarm(7, Severity::Major, now());
        s.clear_alarm_key(&gone.key(), now() + Duration::minutes(1)).await.expect("clear").expect("was active");

        let c = s.active_alarm_counts().await.expect("counts");
        assert_eq!((c.critical, c.major, c.minor, c.warning, c.indeterminate), (2, 1, 1, 1, 1), "{kind:?}: {c:?}");
        assert_eq!(c.total(), 6);
        s.close().await;
    }
}
