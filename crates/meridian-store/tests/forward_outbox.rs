//! The forwarding outbox on both real backends: rows survive a reopen, a
//! later change of one alarm waits for the earlier one to one target (and
//! only to that target), a failed row waits for its retry time, and a
//! finished row is gone.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::alarm::{Alarm, AlarmId, AlarmSpec, Severity};
use meridian_core::forward::{AlarmChange, ForwardKind, ForwardTarget, SyslogTransport};
use meridian_core::DeviceId;
use meridian_store::Store;
use uuid::Uuid;

mod common;
use common::{open_with_config as open, BOTH};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).single().expect("valid time")
}

fn target(name: &str) -> ForwardTarget {
    let kind = ForwardKind::Syslog {
        address: "127.0.0.1".into(),
        port: 6514,
        transport: SyslogTransport::Tcp,
        ca_file: None,
        server_name: None,
        cert_file: None,
        key_file: None,
    };
    ForwardTarget { name: name.into(), enabled: true, kind, min_severity: Severity::Warning }
}

fn alarm(n: u128) -> Alarm {
    let spec = AlarmSpec::device_unreachable(DeviceId::from_uuid(Uuid::from_u128(n)), 3);
    Alarm::raise(AlarmId::from_uuid(Uuid::now_v7()), None, spec, now())
}

/// (alarm, change, target name) of each due row, oldest first.
async fn due(s: &Store, at: DateTime<Utc>) -> Vec<(AlarmId, AlarmChange, String)> {
    let rows = s.due_forwards(at, 100).await.expect("due");
    rows.into_iter().map(|d| (d.alarm.id, d.change, d.target.name)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn changes_of_one_alarm_go_to_one_target_in_order_and_survive_a_reopen() {
    for kind in BOTH {
        let (s, cfg, _dir) = open(kind).await;
        let (siem, _) = s.put_forward_target(&target("siem"), now(), "test").await.expect("siem");
        let (noc, _) = s.put_forward_target(&target("noc"), now(), "test").await.expect("noc");
        let (a, b) = (alarm(1), alarm(2));
        s.enqueue_forwards(&[siem, noc], &a, AlarmChange::Raised, Some("edge"), now()).await.expect("a raised");
        s.enqueue_forwards(&[siem], &a, AlarmChange::Cleared, Some("edge"), now()).await.expect("a cleared");
        s.enqueue_forwards(&[siem], &b, AlarmChange::Raised, None, now()).await.expect("b raised");
        assert_eq!(s.next_forward_due().await.expect("next"), Some(now()), "{kind:?}");
        s.close().await;

        let s = Store::open(cfg).await.expect("reopen");
        let first = s.due_forwards(now(), 100).await.expect("due");
        let seen: Vec<_> = first.iter().map(|d| (d.alarm.id, d.change, d.target.name.clone())).collect();
        // a's "cleared" to siem waits behind a's "raised" to siem; noc and b are independent.
        assert_eq!(
            seen,
            [
                (a.id, AlarmChange::Raised, "siem".to_owned()),
                (a.id, AlarmChange::Raised, "noc".to_owned()),
                (b.id, AlarmChange::Raised, "siem".to_owned()),
            ],
            "{kind:?}"
        );
        assert_eq!((first[0].device.as_deref(), first[0].attempts), (Some("edge"), 0), "{kind:?}");
        assert_eq!(first[0].alarm, a, "{kind:?}: the alarm as it was");

        // siem's "raised" of a fails: retried in a minute; its "cleared" still waits.
        let retry_at = now() + Duration::minutes(1);
        s.forward_failed(first[0].id, 1, retry_at).await.expect("failed");
        let later = due(&s, now() + Duration::seconds(1)).await;
        assert!(!later.iter().any(|(id, _, t)| *id == a.id && t == "siem"), "{kind:?}: {later:?}");
        let retried = s.due_forwards(retry_at, 100).await.expect("due");
        let again = retried.iter().find(|d| d.alarm.id == a.id && d.target.name == "siem").expect("retried");
        assert_eq!((again.change, again.attempts), (AlarmChange::Raised, 1), "{kind:?}");

        // Sent: the row is gone and the "cleared" comes next.
        s.forward_finished(again.id).await.expect("sent");
        for d in retried.iter().filter(|d| d.id != again.id) {
            s.forward_finished(d.id).await.expect("sent");
        }
        assert_eq!(due(&s, retry_at).await, [(a.id, AlarmChange::Cleared, "siem".to_owned())], "{kind:?}");
        // A removed target takes its rows with it.
        s.delete_forward_target("siem", now(), "test").await.expect("remove");
        assert!(due(&s, retry_at).await.is_empty(), "{kind:?}");
        assert_eq!(s.next_forward_due().await.expect("next"), None, "{kind:?}");
        s.close().await;
    }
}
