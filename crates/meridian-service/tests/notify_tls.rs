//! E-mail over TLS against a real aiosmtpd (issue 13): a message reaches a
//! STARTTLS server and an implicit-TLS server whose certificate is signed
//! by a test CA the channel names in `caFile`; a server the channel does
//! not trust gets logged, retried failures that say "certificate"; a
//! STARTTLS channel never falls back to plain text on a server that offers
//! no STARTTLS.

use std::path::Path;

use meridian_core::alarm::Severity;
use meridian_core::notification::{Channel, ChannelKind, RateLimit, SmtpSecurity};
use meridian_service::{Alarm, ApiErrorKind, App, ChannelInput, NotifyConfig};
use meridian_testkit::{SinkTls, SmtpSink, TestCerts};

mod common;
use common::notify::{email, log_until, open, outcomes, put_channel, quick, raise_on, route};

fn mail(port: u16, security: SmtpSecurity, ca_file: Option<&Path>) -> ChannelKind {
    email(port, security, &["ops@example.com"], ca_file)
}

/// Raises one critical alarm through the real monitor.
async fn raise(app: &App, address: &str, notify: NotifyConfig) -> Alarm {
    raise_on(app, &[("edge-tls", address)], notify).await.remove(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn mail_goes_over_starttls_and_implicit_tls_to_a_server_the_ca_file_vouches_for() {
    let certs = TestCerts::new().expect("test certificates (openssl)");
    let starttls = SmtpSink::start_tls(SinkTls::Starttls, &certs.cert(), &certs.key()).expect("aiosmtpd STARTTLS");
    let implicit = SmtpSink::start_tls(SinkTls::Implicit, &certs.cert(), &certs.key()).expect("aiosmtpd TLS");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    app.start_notifier(quick(1)).await.expect("notifier");
    put_channel(&app, "starttls mail", mail(starttls.port(), SmtpSecurity::Starttls, Some(&certs.ca()))).await;
    put_channel(&app, "tls mail", mail(implicit.port(), SmtpSecurity::Tls, Some(&certs.ca()))).await;

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
    put_channel(&app, "lost ca", mail(implicit.port(), SmtpSecurity::Tls, Some(&gone))).await;
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
    put_channel(&app, "untrusted tls", mail(implicit.port(), SmtpSecurity::Tls, None)).await;
    put_channel(&app, "untrusted starttls", mail(starttls.port(), SmtpSecurity::Starttls, None)).await;
    // Trusts the CA, but the server offers no STARTTLS.
    put_channel(&app, "no starttls", mail(plain.port(), SmtpSecurity::Starttls, Some(&certs.ca()))).await;
    for ch in ["untrusted tls", "untrusted starttls", "no starttls"] {
        app.put_route(route(ch, ch, Severity::Critical, None, None)).await.expect("route");
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
