//! Notification routing, digests, escalation and payloads: pure, with the
//! clock passed in.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::alarm::{Alarm, AlarmId, AlarmSpec, Severity};
use meridian_core::notification::payload;
use meridian_core::notification::route::{
    digest_due, escalation_fires, plan, AlarmContext, DeliveryKind, Escalation, Route, DIGEST_MINUTE,
};
use meridian_core::DeviceId;
use uuid::Uuid;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).single().expect("valid time")
}

fn ctx(severity: Severity, at: DateTime<Utc>) -> AlarmContext {
    let device = DeviceId::from_uuid(Uuid::from_u128(0xd1));
    let mut spec = AlarmSpec::device_unreachable(device, 3);
    spec.perceived_severity = severity;
    AlarmContext {
        alarm: Alarm::raise(AlarmId::from_uuid(Uuid::from_u128(0xa1)), Some(device), spec, at),
        device_name: Some("core-sw1".into()),
        site: Some("London".into()),
        tags: vec!["core".into(), "dc1".into()],
    }
}

fn route(name: &str, channel: &str, min: Severity) -> Route {
    Route {
        name: name.into(),
        enabled: true,
        channel: channel.into(),
        min_severity: min,
        sites: vec![],
        tags: vec![],
        problems: vec![],
        digest_minutes: None,
        escalate: None,
    }
}

#[test]
fn routes_match_by_severity_site_tag_and_problem() {
    let c = ctx(Severity::Major, t0());
    let mut r = route("r", "mail", Severity::Major);
    assert!(r.matches(&c));
    assert!(!route("r", "mail", Severity::Critical).matches(&c), "major is below a critical floor");
    assert!(route("r", "mail", Severity::Warning).matches(&c));
    r.sites = vec!["Paris".into()];
    assert!(!r.matches(&c));
    r.sites = vec!["Paris".into(), "London".into()];
    assert!(r.matches(&c));
    r.tags = vec!["edge".into()];
    assert!(!r.matches(&c));
    r.tags = vec!["edge".into(), "dc1".into()];
    assert!(r.matches(&c));
    r.problems = vec!["rule:0190".into()];
    assert!(!r.matches(&c));
    r.problems.push("icmpNoReply".into());
    assert!(r.matches(&c));
    r.enabled = false;
    assert!(!r.matches(&c));
    // A device without a site does not match a site filter.
    let mut no_site = ctx(Severity::Major, t0());
    no_site.site = None;
    let mut s = route("s", "mail", Severity::Major);
    s.sites = vec!["London".into()];
    assert!(!s.matches(&no_site));
}

#[test]
fn plan_sends_once_per_channel_digests_below_critical_and_schedules_escalation() {
    let now = t0() + Duration::seconds(125);
    let mut digest = route("digest", "mail", Severity::Warning);
    digest.digest_minutes = Some(15);
    digest.escalate = Some(Escalation { after_secs: 600, channel: "pager".into() });
    let routes = vec![digest, route("also-mail", "mail", Severity::Warning), route("hook", "hook", Severity::Major)];

    let major = ctx(Severity::Major, now);
    let p = plan(&major, &routes, t0(), None, 0, DIGEST_MINUTE, now);
    let got: Vec<_> = p.iter().map(|d| (d.channel.as_str(), d.kind, d.due)).collect();
    assert_eq!(
        got,
        [
            ("mail", DeliveryKind::Digest, t0() + Duration::minutes(15)),
            ("pager", DeliveryKind::Escalation, now + Duration::seconds(600)),
            ("hook", DeliveryKind::Immediate, now),
        ]
    );
    // Critical skips the digest.
    let crit = ctx(Severity::Critical, now);
    assert_eq!(plan(&crit, &routes, t0(), None, 0, DIGEST_MINUTE, now)[0].kind, DeliveryKind::Immediate);
    // Minor reaches only the warning-floor routes.
    let minor = ctx(Severity::Minor, now);
    assert!(plan(&minor, &routes, t0(), None, 0, DIGEST_MINUTE, now).iter().all(|d| d.channel != "hook"));
}

#[test]
fn nothing_is_due_before_the_alarm_outlasts_the_delay_except_critical() {
    let raised = t0();
    let now = raised + Duration::seconds(5);
    let mut digest = route("digest", "mail", Severity::Warning);
    digest.digest_minutes = Some(1);
    let routes = vec![route("hook", "hook", Severity::Warning), digest];
    // A major alarm raised 5 s ago with a 60 s delay: due at raise + 60 s,
    // and its digest is the one running at that time.
    let major = ctx(Severity::Major, raised);
    let p = plan(&major, &routes, t0(), None, 60, DIGEST_MINUTE, now);
    let got: Vec<_> = p.iter().map(|d| (d.channel.as_str(), d.kind, d.due)).collect();
    assert_eq!(
        got,
        [
            ("hook", DeliveryKind::Immediate, raised + Duration::seconds(60)),
            ("mail", DeliveryKind::Digest, raised + Duration::minutes(2)),
        ]
    );
    // Critical goes at once whatever the delay.
    let crit = ctx(Severity::Critical, raised);
    assert_eq!(plan(&crit, &routes, t0(), None, 60, DIGEST_MINUTE, now)[0].due, now);
    // An alarm already older than the delay is due now, not in the past.
    let old = ctx(Severity::Minor, raised - Duration::minutes(5));
    assert_eq!(plan(&old, &routes, t0() - Duration::hours(1), None, 60, DIGEST_MINUTE, now)[0].due, now);
}

#[test]
fn the_delay_is_checked_and_pending_alarms_come_due_in_order() {
    use meridian_core::notification::{notify_due, validate_delay, Pending, DELAY_SECS_MAX};
    assert_eq!(validate_delay(0).expect("zero"), 0);
    assert_eq!(validate_delay(i64::from(DELAY_SECS_MAX)).expect("max"), DELAY_SECS_MAX);
    for bad in [-1, i64::from(DELAY_SECS_MAX) + 1, i64::MAX] {
        let e = validate_delay(bad).expect_err("out of range");
        assert!(e.to_string().contains("delaySecs"), "{e}");
    }
    let a = ctx(Severity::Major, t0()).alarm;
    assert_eq!(notify_due(&a, 30), t0() + Duration::seconds(30));
    let id = |n: u128| AlarmId::from_uuid(Uuid::from_u128(n));
    let mut p = Pending::default();
    assert_eq!(p.next_due(), None);
    p.add(id(1), t0() + Duration::seconds(30));
    p.add(id(2), t0() + Duration::seconds(10));
    p.add(id(3), t0() + Duration::seconds(20));
    // A second raise (a release after a hold) keeps the first due time.
    p.add(id(2), t0() + Duration::seconds(90));
    p.forget(&id(3));
    assert_eq!(p.next_due(), Some(t0() + Duration::seconds(10)));
    assert!(p.take_due(t0() + Duration::seconds(9)).is_empty());
    assert_eq!(p.take_due(t0() + Duration::seconds(60)), vec![id(2), id(1)]);
    assert!(p.is_empty());
}

#[test]
fn the_shared_gate_stops_every_channel() {
    let now = t0() + Duration::minutes(1);
    let routes = vec![route("all", "mail", Severity::Indeterminate)];
    let c = ctx(Severity::Critical, now);
    assert_eq!(plan(&c, &routes, t0(), None, 0, DIGEST_MINUTE, now).len(), 1);
    // Muted: nothing, on any channel.
    assert!(plan(&c, &routes, t0(), Some(now + Duration::hours(1)), 0, DIGEST_MINUTE, now).is_empty());
    // Raised before this run started: a restart replays nothing.
    assert!(plan(&c, &routes, now + Duration::seconds(1), None, 0, DIGEST_MINUTE, now).is_empty());
    // Cleared already.
    let mut cleared = c.clone();
    cleared.alarm.clear(now).expect("clear");
    assert!(plan(&cleared, &routes, t0(), None, 0, DIGEST_MINUTE, now).is_empty());
}

#[test]
fn escalation_fires_only_for_an_active_unacknowledged_unmuted_alarm() {
    let raised = t0();
    let due = raised + Duration::minutes(10);
    let c = ctx(Severity::Major, raised);
    assert!(escalation_fires(&c.alarm, None, due));
    assert!(!escalation_fires(&c.alarm, Some(due + Duration::hours(1)), due), "muted");
    let mut acked = c.alarm.clone();
    acked.acknowledge("ann", None, raised + Duration::minutes(1)).expect("ack");
    assert!(!escalation_fires(&acked, None, due));
    let mut cleared = c.alarm.clone();
    cleared.clear(raised + Duration::minutes(2)).expect("clear");
    assert!(!escalation_fires(&cleared, None, due));
}

#[test]
fn digest_periods_are_aligned_so_a_period_shares_one_due_time() {
    let a = digest_due(t0() + Duration::seconds(1), 15, DIGEST_MINUTE);
    let b = digest_due(t0() + Duration::seconds(899), 15, DIGEST_MINUTE);
    assert_eq!(a, b);
    assert_eq!(a, t0() + Duration::minutes(15));
    assert_eq!(digest_due(t0() + Duration::minutes(15), 15, DIGEST_MINUTE), t0() + Duration::minutes(30));
    // A shortened minute (tests) keeps the alignment: 3 "minutes" of 2 s.
    let short = Duration::seconds(2);
    assert_eq!(digest_due(t0() + Duration::seconds(1), 3, short), t0() + Duration::seconds(6));
    assert_eq!(digest_due(t0() + Duration::seconds(6), 3, short), t0() + Duration::seconds(12));
}

#[test]
fn route_checks_name_each_bad_field() {
    let mut r = route("", "mail", Severity::Cleared);
    r.digest_minutes = Some(0);
    r.escalate = Some(Escalation { after_secs: 0, channel: "mail".into() });
    r.tags = vec![String::new()];
    let e = r.validate().expect_err("bad");
    let fields: Vec<_> = e.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "minSeverity", "tags[0]", "digestMinutes", "escalate.afterSecs", "escalate.channel"]);
    let mut ok = route("ok", "mail", Severity::Major);
    ok.digest_minutes = Some(1440);
    assert_eq!(ok.validate(), Ok(()));
    ok.digest_minutes = Some(1441);
    assert!(ok.validate().is_err());
}

#[test]
fn payloads_say_the_problem_in_words_with_device_severity_and_times() {
    let now = t0() + Duration::minutes(1);
    let mut c = ctx(Severity::Critical, t0());
    c.alarm.additional_text = "no ICMP echo reply to 3 consecutive polls".into();
    let items = [c];

    let g = payload::generic(DeliveryKind::Immediate, &items, now);
    assert_eq!(g["source"], "meridian");
    assert_eq!(g["kind"], "immediate");
    let a = &g["alarms"][0];
    assert_eq!(a["device"], "core-sw1");
    assert_eq!(a["severity"], "critical");
    assert_eq!(a["raisedAt"], "2026-03-01T08:00:00Z");
    assert_eq!(a["site"], "London");
    assert!(a["problem"].as_str().is_some_and(|p| p.starts_with("No reply to ping")), "{a}");
    assert_eq!(a["additionalText"], "no ICMP echo reply to 3 consecutive polls");

    let s = payload::slack(DeliveryKind::Escalation, &items);
    assert!(s["text"].as_str().is_some_and(|t| t.starts_with("Unacknowledged: Critical alarm: core-sw1")), "{s}");
    let section = s["blocks"][1]["text"]["text"].as_str().unwrap_or_default();
    assert!(section.contains("No reply to ping") && section.contains("core-sw1"), "{section}");

    let t = payload::teams(DeliveryKind::Immediate, &items);
    assert_eq!(t["@type"], "MessageCard");
    assert_eq!(t["themeColor"], "C50F1F");
    assert_eq!(t["sections"][0]["facts"][0]["value"], "core-sw1");

    let m = payload::email(DeliveryKind::Immediate, &items, now);
    assert_eq!(m.subject, "[Meridian] Critical alarm: core-sw1");
    assert!(m.body.contains("Device:   core-sw1") && m.body.contains("Raised:   2026-03-01T08:00:00Z"), "{}", m.body);

    // A test message has no alarm and says so.
    let test = payload::generic(DeliveryKind::Test, &[], now);
    assert_eq!(test["title"], "Meridian test message");
    assert_eq!(test["alarms"].as_array().map(Vec::len), Some(0));
    // Slack markup in alarm text is escaped.
    let mut odd = items[0].clone();
    odd.device_name = Some("<!channel> & co".into());
    let s = payload::slack(DeliveryKind::Immediate, &[odd]);
    assert!(s["blocks"][1]["text"]["text"].as_str().is_some_and(|t| t.contains("&lt;!channel&gt; &amp; co")));
}
