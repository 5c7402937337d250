//! Digest delivery end to end against a real aiosmtpd (issue 13): major
//! alarms raised by the real monitor on a digest route arrive as one mail
//! ("Meridian digest: 3 alarms") holding each of them, once the period has
//! passed and not before, and nothing follows it; a critical alarm goes at
//! once, both on its own immediate route and past the digest. The digest
//! minute is shortened to 2 s through `NotifyConfig::digest_minute`, so an
//! "8 minute" digest takes 16 s: long enough that a loaded machine still
//! raises the three majors inside one period and mails the critical before
//! the period ends.

use std::time::Duration;

use chrono::Utc;
use meridian_core::alarm::Severity;
use meridian_core::notification::{digest_due, RetryPolicy, SmtpSecurity};
use meridian_core::rules::RuleScope;
use meridian_service::{Alarm, App, CoreEvent, DeliveryLogEntry, DeliveryLogFilter, DeviceInput, NotifyConfig};
use meridian_testkit::SmtpSink;

mod common;
use common::notify::{email, open, ping_rule, put_channel, route, until};
use common::{fast, Events};

fn scope(devices: &[&str]) -> RuleScope {
    RuleScope { devices: devices.iter().map(|d| (*d).to_owned()).collect(), ..RuleScope::default() }
}

const MINUTE: Duration = Duration::from_secs(2);
const DIGEST_MINUTES: u32 = 8;

/// Every attempt on `channel`.
async fn channel_log(app: &App, channel: &str) -> Vec<DeliveryLogEntry> {
    let f = DeliveryLogFilter { channel: Some(channel.into()), ..Default::default() };
    app.delivery_log(f).await.expect("log")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_digest_route_sends_one_mail_per_period_and_critical_goes_at_once() {
    let smtp = SmtpSink::start().expect("aiosmtpd (scripts/install-snmpsim.sh installs it)");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    // No notification delay: the digest period is what holds majors back.
    app.set_notification_delay(0).await.expect("delay");
    for (name, to) in [("ops mail", "ops@example.com"), ("pager mail", "pager@example.com")] {
        put_channel(&app, name, email(smtp.port(), SmtpSecurity::Plain, &[to], None)).await;
    }
    app.put_route(route("ops digest", "ops mail", Severity::Warning, Some(DIGEST_MINUTES), None)).await.expect("route");
    app.put_route(route("critical now", "pager mail", Severity::Critical, None, None)).await.expect("route");
    let edges = [("edge-g1", "127.63.2.1"), ("edge-g2", "127.63.2.2"), ("edge-g3", "127.63.2.3")];
    app.put_rule(ping_rule("edges answer", Severity::Major, scope(&edges.map(|e| e.0)))).await.expect("rule");
    app.put_rule(ping_rule("core answers", Severity::Critical, scope(&["core-g1"]))).await.expect("rule");
    for (name, address) in edges.into_iter().chain([("core-g1", "127.63.2.4")]) {
        let input = DeviceInput { name: name.into(), address: address.into(), ..Default::default() };
        app.add_device(input).await.expect("device");
    }

    // Start just after a period boundary, so the three majors (raised in
    // the same poll, within a second or two) fall into one period.
    let period = MINUTE.as_secs() * u64::from(DIGEST_MINUTES);
    let into = Utc::now().timestamp().rem_euclid(period as i64) as u64;
    tokio::time::sleep(Duration::from_secs(period - into) + Duration::from_millis(100)).await;

    let mut events = Events::new(app.subscribe());
    let mut cfg = fast(Duration::from_millis(500), 0);
    cfg.notify = NotifyConfig {
        retry: RetryPolicy { delays: vec![Duration::from_millis(300)], max_attempts: 3 },
        idle_wait: Duration::from_millis(500),
        digest_minute: MINUTE,
        ..NotifyConfig::default()
    };
    app.start_monitor(cfg).await.expect("monitor");
    let is_rule =
        |e: &CoreEvent| matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.specific_problem.starts_with("rule:"));
    let mut alarms: Vec<Alarm> = Vec::new();
    for _ in 0..4 {
        if let CoreEvent::AlarmRaised { alarm } = events.wait_for(30, "the rules' alarms", is_rule).await {
            alarms.push(alarm);
        }
    }
    let (critical, majors): (Vec<Alarm>, Vec<Alarm>) =
        alarms.into_iter().partition(|a| a.perceived_severity == Severity::Critical);
    assert_eq!((critical.len(), majors.len()), (1, 3), "one critical and three majors");
    let minute = chrono::Duration::from_std(MINUTE).expect("minute");
    // The earliest the digest may go: the end of the period the first
    // major was raised in (it was queued no earlier).
    let first = majors.iter().map(|a| a.raised_at).min().expect("majors");
    let due = digest_due(first, DIGEST_MINUTES, minute);

    // The critical goes at once: to the pager, and past the digest to ops.
    until(10, "the critical's two mails", || smtp.messages().len() >= 2).await;
    let now = smtp.messages();
    assert!(Utc::now() < due, "the critical mails came only at the digest's time");
    assert_eq!(now.len(), 2, "{now:#?}");
    for m in &now {
        assert!(m.contains("Subject: [Meridian] Critical alarm: core-g1"), "{m}");
    }
    assert!(
        now.iter().any(|m| m.contains("To: pager@example.com"))
            && now.iter().any(|m| m.contains("To: ops@example.com"))
    );

    // Then, once the period is over, one digest holding each major once.
    until(40, "the digest", || smtp.messages().len() >= 3).await;
    let got = smtp.messages();
    let digest = got.iter().find(|m| m.contains("digest")).expect("a digest among the mails");
    assert!(digest.contains("Subject: [Meridian] Meridian digest: 3 alarms"), "{digest}");
    assert!(digest.contains("To: ops@example.com"), "{digest}");
    assert!(digest.contains("3 alarm(s) since the last digest."), "{digest}");
    for a in &majors {
        assert_eq!(digest.matches(&a.id.to_string()).count(), 1, "{} once: {digest}", a.id);
    }
    for (name, _) in edges {
        assert_eq!(digest.matches(&format!("Device:   {name}")).count(), 1, "{name} once: {digest}");
    }
    assert!(!digest.contains("core-g1"), "the critical went in the digest too: {digest}");
    let digest_log: Vec<_> = channel_log(&app, "ops mail").await.into_iter().filter(|e| e.kind == "digest").collect();
    assert_eq!(digest_log.len(), 3, "one log line per alarm: {digest_log:#?}");
    for e in &digest_log {
        assert_eq!((e.attempt, e.outcome.as_str(), e.status.as_deref()), (1, "sent", Some("250")), "{e:#?}");
        assert!(e.at >= due, "the digest went before its period ended ({due}): {e:#?}");
    }

    // Nothing more afterwards: the outbox holds each major's digest as sent.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(smtp.messages().len(), 3, "more mail after the digest: {:#?}", smtp.messages());
    for a in &majors {
        let rows: Vec<_> = app
            .alarm_deliveries(&a.id.to_string())
            .await
            .expect("outbox")
            .into_iter()
            .map(|d| (d.channel, d.kind, d.state, d.attempts))
            .collect();
        assert_eq!(rows, [("ops mail".to_owned(), "digest".to_owned(), "sent".to_owned(), 1)]);
    }
    app.close().await;
}
