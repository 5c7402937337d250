//! An alarm's timeline from the store: a rule with two levels on a real
//! snmpd whose CPU load the test drives raises minor, is acknowledged with a
//! comment and commented again, turns major (the rule clears and raises at
//! one instant) and clears. Each alarm's timeline tells its part in order.
//! The same agent's load bouncing makes its condition flap: the alarm the
//! store has active is held under the flapping alarm, released when the
//! bouncing stops with the load still high, and cleared later; its
//! timeline shows the hold, naming the flapping alarm.

use std::time::Duration;

use meridian_core::alarm::{Alarm, Severity};
use meridian_core::fault::{FlapConfig, FLAPPING_PREFIX};
use meridian_core::rules::{Comparison, Hold, Level, Rule, RuleScope};
use meridian_service::{Builtin, CoreEvent, TimelineKind};

mod common;
use common::{cpu_agent, fast, Events};

fn rule() -> Rule {
    Rule {
        name: "CPU levels".into(),
        enabled: true,
        metric: Builtin::CpuPct.into(),
        instance: None,
        comparison: Comparison::Above,
        levels: vec![
            Level { severity: Severity::Minor, raise: 60.0, clear: Some(50.0) },
            Level { severity: Severity::Major, raise: 90.0, clear: Some(80.0) },
        ],
        raise_after: Hold::default(),
        clear_after: Hold::default(),
        no_data_intervals: None,
        scope: RuleScope { all: true, ..RuleScope::default() },
        overrides: Vec::new(),
    }
}

fn raised(e: &CoreEvent, s: Severity) -> bool {
    matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.probable_cause == "thresholdCrossed" && alarm.perceived_severity == s)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_alarms_timeline_tells_raise_ack_comments_severity_change_and_clear() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_snmpd, app, value) = cpu_agent(dir.path(), "srv-1").await;
    app.put_rule(rule()).await.expect("rule");
    let mut rx = Events::new(app.subscribe());
    app.start_monitor(fast(Duration::from_millis(500), 1)).await.expect("monitor");

    std::fs::write(&value, "70").expect("70");
    let CoreEvent::AlarmRaised { alarm: minor } =
        rx.wait_for(30, "the minor alarm", |e| raised(e, Severity::Minor)).await
    else {
        unreachable!()
    };
    let id = minor.id.to_string();
    app.ack_alarm(&id, Some("looking")).await.expect("ack");
    app.comment_alarm(&id, "ticket 42").await.expect("comment");
    std::fs::write(&value, "95").expect("95");
    let CoreEvent::AlarmRaised { alarm: major } =
        rx.wait_for(30, "the major alarm", |e| raised(e, Severity::Major)).await
    else {
        unreachable!()
    };
    std::fs::write(&value, "20").expect("20");
    rx.wait_for(30, "the clear", |e| matches!(e, CoreEvent::AlarmCleared { alarm } if alarm.id == major.id)).await;
    app.stop_monitor().await;

    use TimelineKind::*;
    let tl = app.alarm_timeline(&id).await.expect("minor's timeline");
    let kinds: Vec<TimelineKind> = tl.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [Raised, Acknowledged, Comment, Comment, SeverityChanged], "{tl:#?}");
    assert!(tl.windows(2).all(|w| w[0].at <= w[1].at), "time-ordered: {tl:#?}");
    assert_eq!(tl[2].text.as_deref(), Some("looking"));
    assert_eq!(tl[3].text.as_deref(), Some("ticket 42"));
    assert_eq!(
        (tl[4].previous, tl[4].severity, tl[4].related),
        (Some(Severity::Minor), Some(Severity::Major), Some(major.id))
    );

    let tl = app.alarm_timeline(&major.id.to_string()).await.expect("major's timeline");
    let kinds: Vec<TimelineKind> = tl.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [SeverityChanged, Cleared], "{tl:#?}");
    assert_eq!(tl[0].related, Some(minor.id));

    let e = app.alarm_timeline("no-such-alarm").await.expect_err("unknown id");
    assert_eq!(e.kind, meridian_service::ApiErrorKind::NotFound, "{e:?}");
    app.close().await;
}

fn cpu_alarm(a: &Alarm) -> bool {
    a.probable_cause == "thresholdCrossed"
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hold_under_flapping_shows_in_the_held_alarms_timeline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_snmpd, app, value) = cpu_agent(dir.path(), "srv-2").await;
    let mut one_level = rule();
    one_level.levels.truncate(1);
    app.put_rule(one_level).await.expect("rule");
    let mut rx = Events::new(app.subscribe());
    let mut cfg = fast(Duration::from_millis(500), 1);
    // The fourth raise or clear within a minute is flapping; quiet for 3 s ends it.
    cfg.flap = FlapConfig { changes: 4, window: chrono::Duration::minutes(1), quiet: chrono::Duration::seconds(3) };
    app.start_monitor(cfg).await.expect("monitor");

    // Raise, clear, raise: three changes, each waited for.
    std::fs::write(&value, "70").expect("70");
    let CoreEvent::AlarmRaised { alarm: first } =
        rx.wait_for(30, "the first raise", |e| matches!(e, CoreEvent::AlarmRaised { alarm } if cpu_alarm(alarm))).await
    else {
        unreachable!()
    };
    std::fs::write(&value, "20").expect("20");
    rx.wait_for(30, "the first clear", |e| matches!(e, CoreEvent::AlarmCleared { alarm } if alarm.id == first.id))
        .await;
    std::fs::write(&value, "70").expect("70");
    let CoreEvent::AlarmRaised { alarm: held } = rx
        .wait_for(
            30,
            "the second raise",
            |e| matches!(e, CoreEvent::AlarmRaised { alarm } if cpu_alarm(alarm) && alarm.id != first.id),
        )
        .await
    else {
        unreachable!()
    };
    // The fourth change (a clear) is flapping: the clear is held, the
    // condition's alarm stays active under the flapping alarm.
    std::fs::write(&value, "20").expect("20");
    let CoreEvent::AlarmRaised { alarm: flapping } = rx
        .wait_for(
            30,
            "the flapping alarm",
            |e| matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.specific_problem.starts_with(FLAPPING_PREFIX)),
        )
        .await
    else {
        unreachable!()
    };
    rx.wait_for(10, "the hold", |e| {
        matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.id == held.id && alarm.suppressed_by == Some(flapping.id))
    })
    .await;
    // High again and left there: once quiet, the flapping alarm clears and
    // the held alarm, its condition still present, is released; then it clears.
    std::fs::write(&value, "70").expect("70");
    rx.wait_for(
        30,
        "the release",
        |e| matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.id == held.id && alarm.suppressed_by.is_none()),
    )
    .await;
    std::fs::write(&value, "20").expect("20");
    rx.wait_for(30, "the clear", |e| matches!(e, CoreEvent::AlarmCleared { alarm } if alarm.id == held.id)).await;
    app.stop_monitor().await;

    use TimelineKind::*;
    let tl = app.alarm_timeline(&held.id.to_string()).await.expect("held alarm's timeline");
    let kinds: Vec<TimelineKind> = tl.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [Raised, Flapping, Released, Cleared], "{tl:#?}");
    assert_eq!(tl[1].related, Some(flapping.id), "the hold names the flapping alarm: {tl:#?}");
    assert_eq!(tl[1].actor, tl[0].actor, "the monitor held it: {tl:#?}");
    assert!(tl[1].at >= held.raised_at && tl[1].at <= tl[2].at, "{tl:#?}");
    // The alarm before the flapping was never held: its timeline is unchanged.
    let tl = app.alarm_timeline(&first.id.to_string()).await.expect("first alarm's timeline");
    assert_eq!(tl.iter().map(|e| e.kind).collect::<Vec<_>>(), [Raised, Cleared], "{tl:#?}");
    app.close().await;
}
