//! Notification channels, routes, the outbox and the delivery log, on both
//! real backends: embedded PGlite and a native PostgreSQL.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::alarm::{Alarm, AlarmId, AlarmSpec, Severity};
use meridian_core::notification::{
    AlarmContext, Channel, ChannelKind, DeliveryKind, RateLimit, Route, WebhookChannel, WebhookFlavour,
};
use meridian_core::DeviceId;
use meridian_store::notify::{Attempt, LogFilter, NewDelivery, OutboxState};
use meridian_store::Store;
use uuid::Uuid;

mod common;
use common::{open_with_config as open, BOTH};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).single().expect("valid time")
}

fn hook(name: &str) -> Channel {
    Channel {
        name: name.into(),
        enabled: true,
        kind: ChannelKind::Webhook(WebhookChannel {
            url: "http://127.0.0.1:9/hook".into(),
            flavour: WebhookFlavour::Generic,
            secret_ref: Some("notify:x:secret".into()),
            url_ref: None,
        }),
        rate_limit: RateLimit::default(),
    }
}

fn context(at: DateTime<Utc>) -> AlarmContext {
    let mut spec = AlarmSpec::device_unreachable(DeviceId::from_uuid(Uuid::from_u128(0xd1)), 3);
    spec.perceived_severity = Severity::Critical;
    // No device row: the alarm stands on its own (device_id is nullable).
    AlarmContext {
        alarm: Alarm::raise(AlarmId::from_uuid(Uuid::now_v7()), None, spec, at),
        device_name: Some("core-sw1".into()),
        site: None,
        tags: vec![],
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn definitions_outbox_and_log_survive_a_reopen() {
    for kind in BOTH {
        let (s, cfg, _dir) = open(kind).await;
        let (cid, created) = s.put_channel(&hook("ops hook"), now(), "test").await.expect("put");
        assert!(created);
        let mut changed = hook("ops hook");
        changed.enabled = false;
        let (again, created) = s.put_channel(&changed, now(), "test").await.expect("replace");
        assert_eq!((again, created), (cid, false), "{kind:?}: same name keeps its id");
        let route = Route {
            name: "critical".into(),
            enabled: true,
            channel: "ops hook".into(),
            min_severity: Severity::Critical,
            sites: vec![],
            tags: vec![],
            problems: vec![],
            digest_minutes: None,
            escalate: None,
        };
        s.put_route(&route, now(), "test").await.expect("route");

        let ctx = context(now());
        let (stored, _) = s.raise_alarm(&ctx.alarm).await.expect("alarm");
        let d = |kind, due| NewDelivery {
            channel_id: cid,
            route: Some("critical".into()),
            kind,
            due,
            item: Some(ctx.clone()),
        };
        let ids = s
            .enqueue_deliveries(
                &[d(DeliveryKind::Immediate, now()), d(DeliveryKind::Escalation, now() + Duration::minutes(5))],
                now(),
            )
            .await
            .expect("enqueue");
        assert_eq!(ids.len(), 2, "{kind:?}");
        // The same alarm, channel and kind again: nothing new.
        let dup = s.enqueue_deliveries(&[d(DeliveryKind::Immediate, now())], now()).await.expect("enqueue again");
        assert!(dup.is_empty(), "{kind:?}: duplicate enqueued");
        s.close().await;

        // A restart finds the pending delivery; the escalation is not due yet.
        let s = Store::open(cfg).await.expect("reopen");
        assert_eq!(s.list_channels().await.expect("channels")[0].def, changed, "{kind:?}");
        assert_eq!(s.list_routes().await.expect("routes")[0].def, route, "{kind:?}");
        let due = s.due_deliveries(now() + Duration::seconds(1), 10).await.expect("due");
        assert_eq!(due.len(), 1, "{kind:?}");
        let row = &due[0];
        assert_eq!((row.kind, row.state, row.attempts), (DeliveryKind::Immediate, OutboxState::Pending, 0));
        assert_eq!(row.item.as_ref().map(|i| i.alarm.id), Some(stored.id), "{kind:?}: payload round trip");
        assert_eq!(s.next_delivery_due().await.expect("next"), Some(now()));

        let attempt = |n: u32, state, next: Option<DateTime<Utc>>, err: Option<&str>| Attempt {
            outbox_id: row.id,
            channel_id: cid,
            channel: "ops hook".into(),
            alarm_id: Some(stored.id.0),
            kind: DeliveryKind::Immediate,
            attempt: n,
            state,
            next_attempt_at: next,
            status: Some(if err.is_some() { "500" } else { "200" }.into()),
            error: err.map(str::to_owned),
        };
        let retry_at = now() + Duration::seconds(30);
        s.record_attempts(&[attempt(1, OutboxState::Failed, Some(retry_at), Some("HTTP 500"))], now())
            .await
            .expect("a1");
        assert!(s.due_deliveries(now() + Duration::seconds(29), 10).await.expect("due").is_empty(), "{kind:?}");
        s.record_attempts(&[attempt(2, OutboxState::Sent, None, None)], retry_at).await.expect("a2");
        assert!(s
            .due_deliveries(now() + Duration::hours(1), 10)
            .await
            .expect("due")
            .iter()
            .all(|r| r.kind == DeliveryKind::Escalation));

        // Acknowledging cancels the escalation.
        assert_eq!(s.cancel_escalations(stored.id.0, now()).await.expect("cancel"), 1, "{kind:?}");
        assert!(s.due_deliveries(now() + Duration::hours(1), 10).await.expect("due").is_empty());
        let rows = s.outbox_for_alarm(stored.id.0).await.expect("outbox");
        let states: Vec<_> = rows.iter().map(|r| (r.kind, r.state, r.attempts)).collect();
        assert_eq!(
            states,
            [(DeliveryKind::Immediate, OutboxState::Sent, 2), (DeliveryKind::Escalation, OutboxState::Cancelled, 0)]
        );

        let log =
            s.delivery_log(&LogFilter { alarm_id: Some(stored.id.0), ..LogFilter::default() }).await.expect("log");
        let lines: Vec<_> =
            log.iter().map(|l| (l.attempt, l.outcome.as_str(), l.status.as_deref(), l.error.as_deref())).collect();
        assert_eq!(lines, [(2, "sent", Some("200"), None), (1, "failed", Some("500"), Some("HTTP 500"))], "{kind:?}");
        let other =
            s.delivery_log(&LogFilter { channel: Some("nope".into()), ..LogFilter::default() }).await.expect("log");
        assert!(other.is_empty());

        // Removing the channel takes its outbox rows; the log stays.
        let gone = s.delete_channel("ops hook", now(), "test").await.expect("delete").expect("existed");
        assert_eq!(gone.id, cid);
        assert!(s.delete_channel(&cid.to_string(), now(), "test").await.expect("delete again").is_none());
        assert!(s.outbox_for_alarm(stored.id.0).await.expect("outbox").is_empty());
        assert_eq!(s.delivery_log(&LogFilter::default()).await.expect("log").len(), 2, "{kind:?}");
        assert!(s.delete_route("critical", now(), "test").await.expect("route").is_some());
        s.close().await;
    }
}
