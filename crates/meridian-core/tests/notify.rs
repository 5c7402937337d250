//! The desktop notification policy: who is interrupted, for how long a mute
//! holds, and what the bubble and the tray say.

use chrono::{DateTime, Duration, TimeZone, Utc};
use meridian_core::alarm::{device_object, Alarm, AlarmId, AlarmSpec, Severity};
use meridian_core::notify::{is_muted, mute_until, notification_text, notifies, AlarmCounts, BODY_MAX, TITLE_MAX};
use meridian_core::{CoreError, DeviceId};
use uuid::Uuid;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).single().expect("valid time")
}

fn device() -> DeviceId {
    DeviceId::from_uuid(Uuid::from_u128(0xd1))
}

fn raised(spec: AlarmSpec, at: DateTime<Utc>) -> Alarm {
    Alarm::raise(AlarmId::from_uuid(Uuid::from_u128(0xa1)), Some(device()), spec, at)
}

fn with_severity(s: Severity, at: DateTime<Utc>) -> Alarm {
    let mut spec = AlarmSpec::device_unreachable(device(), 3);
    spec.perceived_severity = s;
    raised(spec, at)
}

#[test]
fn only_new_critical_and_major_alarms_notify() {
    let started = t0();
    let now = t0() + Duration::minutes(5);
    for (s, expected) in [
        (Severity::Critical, true),
        (Severity::Major, true),
        (Severity::Minor, false),
        (Severity::Warning, false),
        (Severity::Indeterminate, false),
    ] {
        assert_eq!(notifies(&with_severity(s, now), started, None, now), expected, "{s:?}");
    }
    // Raised before the app started (a restart finds it active): not replayed.
    let old = with_severity(Severity::Critical, started - Duration::seconds(1));
    assert!(!notifies(&old, started, None, now));
    // Raised exactly at start counts as new.
    assert!(notifies(&with_severity(Severity::Critical, started), started, None, now));
    // An alarm that is already cleared is over.
    let mut gone = with_severity(Severity::Critical, now);
    gone.cleared_at = Some(now);
    assert!(!notifies(&gone, started, None, now));
}

#[test]
fn a_mute_silences_until_it_runs_out() {
    let started = t0();
    let until = mute_until(4, t0()).expect("valid");
    assert_eq!(until, t0() + Duration::hours(4));
    let during = t0() + Duration::hours(3);
    assert!(is_muted(Some(until), during));
    assert!(!notifies(&with_severity(Severity::Critical, during), started, Some(until), during));
    // At the end instant the mute is over.
    assert!(!is_muted(Some(until), until));
    let after = until + Duration::seconds(1);
    assert!(notifies(&with_severity(Severity::Critical, after), started, Some(until), after));
    assert!(!is_muted(None, during));
}

#[test]
fn mute_hours_outside_one_to_a_week_are_field_errors() {
    for bad in [i64::MIN, -1, 0, 169, 10_000] {
        match mute_until(bad, t0()) {
            Err(CoreError::Validation(f)) => {
                assert_eq!(f.len(), 1);
                assert_eq!(f[0].field, "hours");
                assert!(f[0].message.contains("1 and 168"), "{}", f[0].message);
            }
            other => panic!("{bad}: expected a field error, got {other:?}"),
        }
    }
    for ok in [1, 8, 24, 168] {
        assert_eq!(mute_until(ok, t0()).expect("valid"), t0() + Duration::hours(ok));
    }
}

#[test]
fn notification_names_the_device_cause_and_problem() {
    let a = raised(AlarmSpec::device_unreachable(device(), 3), t0());
    let n = notification_text(&a, Some("core-r2"));
    assert_eq!(n.title, "Critical alarm: core-r2");
    assert_eq!(n.body, "No reply to ping \u{2014} no ICMP echo reply to 3 consecutive polls");
    assert!(n.is_critical());

    let port = raised(AlarmSpec::interface_down(device(), 7, "ge-0/0/7"), t0());
    let n = notification_text(&port, Some("sw1"));
    assert_eq!(n.title, "Major alarm: sw1 ifIndex 7");
    assert!(!n.is_critical());

    // The device is gone (or the alarm has none): the managed object stands in.
    let orphan = notification_text(&a, None);
    assert_eq!(orphan.title, format!("Critical alarm: {}", device_object(device())));
    assert_eq!(notification_text(&a, Some("  ")).title, orphan.title);
}

#[test]
fn notification_text_is_one_clipped_line() {
    let mut spec = AlarmSpec::device_unreachable(device(), 3);
    spec.additional_text = format!("line one\nline\ttwo {}", "x".repeat(1000));
    let a = raised(spec, t0());
    let n = notification_text(&a, Some(&"n".repeat(500)));
    assert!(n.title.chars().count() <= TITLE_MAX && n.title.ends_with('\u{2026}'), "{}", n.title);
    assert!(n.body.chars().count() <= BODY_MAX && n.body.ends_with('\u{2026}'));
    assert!(!n.body.chars().any(char::is_control), "{:?}", n.body);
    assert!(n.body.contains("line one line two"));
}

#[test]
fn tray_text_counts_active_alarms() {
    let mut c = AlarmCounts::default();
    assert_eq!(c.summary(), "No active alarms");
    assert_eq!(c.tray_title(), None);
    c.add(Severity::Minor, 1);
    assert_eq!(c.summary(), "1 active alarm");
    c.add(Severity::Critical, 1);
    c.add(Severity::Warning, 1);
    assert_eq!(c.summary(), "3 active alarms (1 critical)");
    c.add(Severity::Major, 2);
    c.add(Severity::Cleared, 5);
    assert_eq!(c.total(), 5);
    assert_eq!(c.tray_tooltip(), "Meridian: 5 active alarms (1 critical, 2 major)");
    assert_eq!(c.tray_title().as_deref(), Some("5"));
    c.add(Severity::Indeterminate, u32::MAX);
    assert_eq!(c.total(), u32::MAX, "saturates instead of wrapping");
}

#[test]
fn counts_serialise_for_the_ui() {
    let mut c = AlarmCounts::default();
    c.add(Severity::Critical, 2);
    let json = serde_json::to_value(c).expect("json");
    assert_eq!(json, serde_json::json!({"critical": 2, "major": 0, "minor": 0, "warning": 0, "indeterminate": 0}));
}

#[test]
fn the_tray_shows_the_worst_active_severity_and_the_mute_state() {
    use meridian_core::notify::mute_state_text;
    let mut c = AlarmCounts::default();
    assert_eq!(c.worst(), None);
    c.add(Severity::Indeterminate, 1);
    assert_eq!(c.worst(), Some(Severity::Indeterminate));
    c.add(Severity::Warning, 3);
    c.add(Severity::Minor, 1);
    assert_eq!(c.worst(), Some(Severity::Minor));
    c.add(Severity::Critical, 1);
    c.add(Severity::Major, 2);
    assert_eq!(c.worst(), Some(Severity::Critical));
    c.add(Severity::Cleared, 9);
    assert_eq!(c.worst(), Some(Severity::Critical));
    assert_eq!(mute_state_text(None), "Notifications on");
    assert_eq!(mute_state_text(Some("14:05")), "Notifications muted until 14:05");
}
