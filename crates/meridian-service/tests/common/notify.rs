//! Shared by the notification tests (`notify_delivery`, `notify_tls`,
//! `notify_digest`): an app on the embedded store with the file vault, quick
//! retries, e-mail channels and routes, a rule that holds on every device
//! answering ping (so the real monitor raises an alarm at its first poll),
//! and the delivery log read back in order.

use std::path::Path;
use std::time::Duration;

use meridian_core::alarm::Severity;
use meridian_core::notification::{
    Channel, ChannelKind, EmailChannel, Escalation, RateLimit, RetryPolicy, Route, SmtpSecurity,
};
use meridian_core::rules::{Comparison, Hold, Level, Rule, RuleScope};
use meridian_service::{
    Alarm, App, AppConfig, Builtin, ChannelInput, CoreEvent, DeliveryLogEntry, DeliveryLogFilter, DeviceInput,
    NotifyConfig,
};

use super::{fast, Events};

/// The app on the embedded store, with the file vault the channels'
/// secrets go to.
pub async fn open(dir: &Path) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    App::open(cfg).await.expect("open")
}

/// Short backoff so retries happen within seconds.
pub fn quick(attempts: u32) -> NotifyConfig {
    NotifyConfig {
        retry: RetryPolicy { delays: vec![Duration::from_millis(300)], max_attempts: attempts },
        http_timeout: Duration::from_millis(800),
        smtp_timeout: Duration::from_secs(3),
        idle_wait: Duration::from_millis(500),
        ..NotifyConfig::default()
    }
}

pub fn channel(name: &str, kind: ChannelKind) -> Channel {
    Channel { name: name.into(), enabled: true, kind, rate_limit: RateLimit::default() }
}

/// Adds an enabled channel without secrets.
pub async fn put_channel(app: &App, name: &str, kind: ChannelKind) {
    app.put_channel(ChannelInput { channel: channel(name, kind), password: None, secret: None })
        .await
        .expect("channel");
}

/// Mail from meridian@example.com through 127.0.0.1:`port`.
pub fn email(port: u16, security: SmtpSecurity, to: &[&str], ca_file: Option<&Path>) -> ChannelKind {
    ChannelKind::Email(EmailChannel {
        host: "127.0.0.1".into(),
        port,
        security,
        from: "meridian@example.com".into(),
        to: to.iter().map(|t| (*t).to_owned()).collect(),
        username: None,
        password_ref: None,
        ca_file: ca_file.map(|p| p.display().to_string()),
    })
}

/// A route of every site and tag from `min_severity` up; `escalate` is
/// (seconds, channel).
pub fn route(
    name: &str,
    channel: &str,
    min_severity: Severity,
    digest_minutes: Option<u32>,
    escalate: Option<(u32, &str)>,
) -> Route {
    Route {
        name: name.into(),
        enabled: true,
        channel: channel.into(),
        min_severity,
        sites: vec![],
        tags: vec![],
        problems: vec![],
        digest_minutes,
        escalate: escalate.map(|(after_secs, c)| Escalation { after_secs, channel: c.into() }),
    }
}

/// A rule that holds on the devices of `scope` whenever they answer ping
/// (RTT below 10 s).
pub fn ping_rule(name: &str, severity: Severity, scope: RuleScope) -> Rule {
    Rule {
        name: name.into(),
        enabled: true,
        metric: Builtin::RttMs.into(),
        instance: None,
        comparison: Comparison::Below,
        levels: vec![Level { severity, raise: 10_000.0, clear: None }],
        raise_after: Hold::default(),
        clear_after: Hold::default(),
        no_data_intervals: None,
        scope,
        overrides: Vec::new(),
    }
}

/// Adds the devices and a critical ping rule on all of them, starts the
/// monitor with `notify` and waits for the rule's alarm on each.
pub async fn raise_on(app: &App, devices: &[(&str, &str)], notify: NotifyConfig) -> Vec<Alarm> {
    let mut events = Events::new(app.subscribe());
    let all = RuleScope { all: true, ..RuleScope::default() };
    app.put_rule(ping_rule("ping answered", Severity::Critical, all)).await.expect("rule");
    for (name, address) in devices {
        let input = DeviceInput { name: (*name).into(), address: (*address).into(), ..Default::default() };
        app.add_device(input).await.expect("device");
    }
    let mut cfg = fast(Duration::from_millis(500), 0);
    cfg.notify = notify;
    app.start_monitor(cfg).await.expect("monitor");
    let is_rule =
        |e: &CoreEvent| matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.specific_problem.starts_with("rule:"));
    let mut out = Vec::new();
    for _ in devices {
        if let CoreEvent::AlarmRaised { alarm } = events.wait_for(30, "the rule's alarm", is_rule).await {
            out.push(alarm);
        }
    }
    out
}

/// Polls (bounded) until `done` holds.
pub async fn until(secs: u64, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while !done() {
        assert!(tokio::time::Instant::now() < deadline, "{what} within {secs}s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `alarm`'s attempts on `channel`, oldest first.
pub async fn log(app: &App, channel: &str, alarm: &Alarm) -> Vec<DeliveryLogEntry> {
    let f = DeliveryLogFilter { channel: Some(channel.into()), alarm_id: Some(alarm.id.to_string()), limit: None };
    let mut l = app.delivery_log(f).await.expect("log");
    l.reverse();
    l
}

/// Waits (bounded) until `alarm` has `n` attempts on `channel`.
pub async fn log_until(app: &App, channel: &str, alarm: &Alarm, n: usize, secs: u64) -> Vec<DeliveryLogEntry> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let l = log(app, channel, alarm).await;
        if l.len() >= n {
            return l;
        }
        assert!(tokio::time::Instant::now() < deadline, "{n} attempts on {channel} within {secs}s; have {l:#?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// (attempt, outcome, status) of each entry.
pub fn outcomes(l: &[DeliveryLogEntry]) -> Vec<(u32, &str, Option<&str>)> {
    l.iter().map(|e| (e.attempt, e.outcome.as_str(), e.status.as_deref())).collect()
}
