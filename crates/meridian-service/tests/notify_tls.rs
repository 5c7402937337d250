//! E-mail over TLS against a real aiosmtpd (issue 13): a message reaches a
//! STARTTLS server and an implicit-TLS server whose certificate is signed
//! by a test CA the channel names in `caFile`; a server the channel does
//! not trust gets logged, retried failures that say "certificate"; a
//! STARTTLS channel never falls back to plain text on a server that offers
//! no STARTTLS.

use std::path::Path;
use std::time::Duration;

use meridian_core::alarm::Severity;
use meridian_core::notification::{Channel, ChannelKind, EmailChannel, RateLimit, RetryPolicy, Route, SmtpSecurity};
use meridian_core::rules::{Comparison, Hold, Level, Rule, RuleScope};
use meridian_service::{
    Alarm, ApiErrorKind, App, AppConfig, Builtin, ChannelInput, CoreEvent, DeliveryLogEntry, DeliveryLogFilter,
    DeviceInput, NotifyConfig,
};
use meridian_testkit::{SinkTls, SmtpSink, TestCerts};

mod common;
use common::{fast, Events};

async fn open(dir: &Path) -> App {
    let mut cfg = AppConfig::with_data_dir(dir.to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    App::open(cfg).await.expect("open")
}

fn quick(attempts: u32) -> NotifyConfig {
    NotifyConfig {
        retry: RetryPolicy { delays: vec![Duration::from_millis(300)], max_attempts: attempts },
        http_timeout: Duration::from_millis(800),
        smtp_timeout: Duration::from_secs(3),
        idle_wait: Duration::from_millis(500),
        ..NotifyConfig::default()
    }
}

fn mail(port: u16, security: SmtpSecurity, ca_file: Option<&Path>) -> ChannelKind {
    ChannelKind::Email(EmailChannel {
        host: "127.0.0.1".into(),
        port,
        security,
        from: "meridian@example.com".into(),
        to: vec!["ops@example.com".into()],
        username: None,
        password_ref: None,
        ca_file: ca_file.map(|p| p.display().to_string()),
    })
}

async fn add(app: &App, name: &str, kind: ChannelKind) {
    let channel = Channel { name: name.into(), enabled: true, kind, rate_limit: RateLimit::default() };
    app.put_channel(ChannelInput { channel, password: None, secret: None }).await.expect("channel");
}

fn route(name: &str, channel: &str) -> Route {
    Route {
        name: name.into(),
        enabled: true,
        channel: channel.into(),
        min_severity: Severity::Critical,
        sites: vec![],
        tags: vec![],
        problems: vec![],
        digest_minutes: None,
        escalate: None,
    }
}

async fn log(app: &App, channel: &str, alarm: &Alarm) -> Vec<DeliveryLogEntry> {
    let f = DeliveryLogFilter { channel: Some(channel.into()), alarm_id: Some(alarm.id.to_string()), limit: None };
    let mut l = app.delivery_log(f).await.expect("log");
    l.reverse();
    l
}

async fn log_until(app: &App, channel: &str, alarm: &Alarm, n: usize, secs: u64) -> Vec<DeliveryLogEntry> {
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

fn outcomes(l: &[DeliveryLogEntry]) -> Vec<(u32, &str, Option<&str>)> {
    l.iter().map(|e| (e.attempt, e.outcome.as_str(), e.status.as_deref())).collect()
}

/// Raises one critical alarm through the real monitor: a rule that holds
/// on any device answering ping.
async fn raise(app: &App, address: &str, notify: NotifyConfig) -> Alarm {
    let mut events = Events::new(app.subscribe());
    let rule = Rule {
        name: "ping answered".into(),
        enabled: true,
        metric: Builtin::RttMs.into(),
        instance: None,
        comparison: Comparison::Below,
        levels: vec![Level { severity: Severity::Critical, raise: 10_000.0, clear: None }],
        raise_after: Hold::default(),
        clear_after: Hold::default(),
        no_data_intervals: None,
        scope: RuleScope { all: true, ..RuleScope::default() },
        overrides: Vec::new(),
    };
    app.put_rule(rule).await.expect("rule");
    let input = DeviceInput { name: "edge-tls".into(), address: address.into(), ..Default::default() };
    app.add_device(input).await.expect("device");
    let mut cfg = fast(Duration::from_millis(500), 0);
    cfg.notify = notify;
    app.start_monitor(cfg).await.expect("monitor");
    let is_rule =
        |e: &CoreEvent| matches!(e, CoreEvent::AlarmRaised { alarm } if alarm.specific_problem.starts_with("rule:"));
    match events.wait_for(30, "the rule's alarm", is_rule).await {
        CoreEvent::AlarmRaised { alarm } => alarm,
        other => panic!("not an alarm: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn mail_goes_over_starttls_and_implicit_tls_to_a_server_the_ca_file_vouches_for() {
    let certs = TestCerts::new().expect("test certificates (openssl)");
    let starttls = SmtpSink::start_tls(SinkTls::Starttls, &certs.cert(), &certs.key()).expect("aiosmtpd STARTTLS");
    let implicit = SmtpSink::start_tls(SinkTls::Implicit, &certs.cert(), &certs.key()).expect("aiosmtpd TLS");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    app.start_notifier(quick(1)).await.expect("notifier");
    add(&app, "starttls mail", mail(starttls.port(), SmtpSecurity::Starttls, Some(&certs.ca()))).await;
    add(&app, "tls mail", mail(implicit.port(), SmtpSecurity::Tls, Some(&certs.ca()))).await;

    for (name, sink) in [("starttls mail", &starttls), ("tls mail", &implicit)] {
        let entry = app.send_test(name).await.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!((entry.outcome.as_str(), entry.status.as_deref()), ("sent", Some("250")), "{name}");
        let got = sink.messages();
        assert_eq!(got.len(), 1, "{name}: {got:#?}");
        assert!(got[0].contains("Subject: [Meridian] Meridian test message"), "{name}: {}", got[0]);
        assert!(got[0].contains("ops@example.com"), "{name}: {}", got[0]);
    }

    // Only the path is stored; a CA file that has gone is a clear failure
    // at the next send, not at start-up.
    let stored = app.list_channels().await.expect("channels");
    let shown = serde_json::to_string(&stored).expect("json");
    assert!(shown.contains(&format!("\"caFile\":\"{}\"", certs.ca().display())), "{shown}");
    let gone = dir.path().join("no-such-ca.pem");
    add(&app, "lost ca", mail(implicit.port(), SmtpSecurity::Tls, Some(&gone))).await;
    let e = app.send_test("lost ca").await.expect_err("no CA file");
    assert_eq!(e.kind, ApiErrorKind::Network);
    assert!(format!("{e:?}").contains("no-such-ca.pem"), "{e:?}");
    assert_eq!(implicit.messages().len(), 1, "sent without its CA file");

    // A CA file on a plain channel is refused, field by field.
    let plain = Channel {
        name: "plain with ca".into(),
        enabled: true,
        kind: mail(starttls.port(), SmtpSecurity::Plain, Some(&certs.ca())),
        rate_limit: RateLimit::default(),
    };
    let e = app.put_channel(ChannelInput { channel: plain, password: None, secret: None }).await.expect_err("plain");
    assert_eq!(e.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["kind.caFile"]);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_untrusted_certificate_and_a_server_without_starttls_fail_clearly_and_are_retried() {
    let certs = TestCerts::new().expect("test certificates (openssl)");
    let implicit = SmtpSink::start_tls(SinkTls::Implicit, &certs.cert(), &certs.key()).expect("aiosmtpd TLS");
    let starttls = SmtpSink::start_tls(SinkTls::Starttls, &certs.cert(), &certs.key()).expect("aiosmtpd STARTTLS");
    let plain = SmtpSink::start().expect("aiosmtpd");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    // No caFile: only the system's CAs, which never signed the test CA.
    add(&app, "untrusted tls", mail(implicit.port(), SmtpSecurity::Tls, None)).await;
    add(&app, "untrusted starttls", mail(starttls.port(), SmtpSecurity::Starttls, None)).await;
    // Trusts the CA, but the server offers no STARTTLS.
    add(&app, "no starttls", mail(plain.port(), SmtpSecurity::Starttls, Some(&certs.ca()))).await;
    for ch in ["untrusted tls", "untrusted starttls", "no starttls"] {
        app.put_route(route(ch, ch)).await.expect("route");
    }

    let alarm = raise(&app, "127.63.1.1", quick(2)).await;

    for ch in ["untrusted tls", "untrusted starttls"] {
        let l = log_until(&app, ch, &alarm, 2, 20).await;
        assert_eq!(outcomes(&l), [(1, "failed", None), (2, "dead", None)], "{ch}");
        for e in &l {
            let err = e.error.as_deref().unwrap_or_default();
            assert!(err.starts_with("SMTP") && err.to_lowercase().contains("certificate"), "{ch}: {l:#?}");
        }
    }
    let l = log_until(&app, "no starttls", &alarm, 2, 20).await;
    assert_eq!(outcomes(&l), [(1, "failed", None), (2, "dead", None)]);
    assert!(l.iter().all(|e| e.error.as_deref().is_some_and(|x| x.contains("STARTTLS"))), "{l:#?}");

    // Nothing reached any server: no mail in plain text, none unverified.
    assert!(plain.messages().is_empty(), "sent in plain text: {:#?}", plain.messages());
    assert!(implicit.messages().is_empty() && starttls.messages().is_empty(), "sent to an untrusted server");
    app.close().await;
}
