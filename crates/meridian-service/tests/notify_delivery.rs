//! Notification delivery against real peers: an alarm raised by the real
//! monitor (a rule on a loopback device's ping RTT) reaches a real SMTP
//! server (aiosmtpd) and a webhook receiver the test owns; a receiver that
//! fails twice gets the message on the third attempt with all three in the
//! delivery log; an unacknowledged alarm escalates after T and an
//! acknowledged one does not; an SMTP server that is down and a webhook
//! that never answers are retried, logged and given up, and nothing panics;
//! what the outbox holds survives a restart.

use std::time::Duration;

use hmac::{Hmac, Mac};
use meridian_core::alarm::Severity;
use meridian_core::notification::{ChannelKind, RateLimit, Route, SmtpSecurity, WebhookChannel, WebhookFlavour};
use meridian_service::{Alarm, ApiErrorKind, App, ChannelInput, DeliveryLogFilter, NotifyConfig};
use meridian_testkit::{free_port, SmtpSink};
use sha2::Sha256;

mod common;
use common::notify::{channel, email, log, log_until, open, outcomes, quick, raise_on, route, until};
use common::webhook::Webhook;

fn mail(port: u16) -> ChannelKind {
    email(port, SmtpSecurity::Plain, &["ops@example.com", "noc@example.com"], None)
}

fn hook(url: String, flavour: WebhookFlavour) -> ChannelKind {
    ChannelKind::Webhook(WebhookChannel { url, flavour, secret_ref: None, url_ref: None })
}

/// Critical alarms straight to `channel`, escalating if asked.
fn critical(name: &str, channel: &str, escalate: Option<(u32, &str)>) -> Route {
    route(name, channel, Severity::Critical, None, escalate)
}

/// Adds the device and the rule, starts the monitor and waits for the
/// rule's alarm.
async fn raise(app: &App, name: &str, address: &str, notify: NotifyConfig) -> Alarm {
    raise_on(app, &[(name, address)], notify).await.remove(0)
}

fn verify_hmac(key: &[u8], body: &[u8], header: Option<&str>) {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("key");
    mac.update(body);
    let want = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(header, Some(want.as_str()), "signature header");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_alarm_reaches_smtp_and_a_webhook_after_two_failures_and_escalates_unacknowledged() {
    let smtp = SmtpSink::start().expect("aiosmtpd (scripts/install-snmpsim.sh installs it)");
    let flaky = Webhook::start(2).await;
    let pager = Webhook::start(0).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;

    app.put_channel(ChannelInput { channel: channel("ops mail", mail(smtp.port())), password: None, secret: None })
        .await
        .expect("mail channel");
    let signed = app
        .put_channel(ChannelInput {
            channel: channel("ops hook", hook(flaky.url("/hook"), WebhookFlavour::Generic)),
            password: None,
            secret: Some("hook-signing-key".into()),
        })
        .await
        .expect("hook channel");
    // The secret went to the vault; the channel holds only its key.
    let shown = serde_json::to_string(&signed).expect("json");
    assert!(!shown.contains("hook-signing-key") && shown.contains("notify-secret:"), "{shown}");
    // So did the URL (a Slack or Teams URL carries its token in the path):
    // the channel shows and stores only scheme, host and port.
    let ChannelKind::Webhook(w) = &signed.channel.kind else { panic!("a webhook: {signed:?}") };
    assert_eq!(w.url, format!("http://{}/\u{2026}", flaky.addr));
    assert!(!shown.contains("/hook"), "{shown}");
    // Saved again as shown (what an edit form sends back): the vault's URL
    // and signing key stay, and the message below still reaches /hook.
    let again = app
        .put_channel(ChannelInput { channel: signed.channel.clone(), password: None, secret: None })
        .await
        .expect("same channel");
    assert_eq!(again.channel, signed.channel);
    app.put_channel(ChannelInput {
        channel: channel("pager", hook(pager.url("/pager"), WebhookFlavour::Slack)),
        password: None,
        secret: None,
    })
    .await
    .expect("pager channel");
    app.put_route(critical("critical mail", "ops mail", None)).await.expect("route");
    app.put_route(critical("critical hook", "ops hook", Some((3, "pager")))).await.expect("route");

    let alarm = raise(&app, "edge-n1", "127.63.0.1", quick(5)).await;

    // E-mail: one message at the real SMTP server, in words, to both.
    until(20, "the e-mail at the SMTP server", || !smtp.messages().is_empty()).await;
    let m = &smtp.messages()[0];
    assert!(m.contains("Subject: [Meridian] Critical alarm: edge-n1"), "{m}");
    assert!(m.contains("ops@example.com") && m.contains("noc@example.com"), "{m}");
    assert!(m.contains("Device:   edge-n1") && m.contains(&alarm.id.to_string()), "{m}");
    let mail_log = log_until(&app, "ops mail", &alarm, 1, 10).await;
    assert_eq!(outcomes(&mail_log), [(1, "sent", Some("250"))]);

    // Webhook: 500, 500, then 200, every body signed; the log shows all three.
    until(20, "three webhook requests", || flaky.received().len() >= 3).await;
    let got = flaky.received();
    assert_eq!(got.iter().map(|r| r.answered).collect::<Vec<_>>(), [500, 500, 200]);
    for r in &got {
        verify_hmac(b"hook-signing-key", &r.body, r.header("x-meridian-signature"));
        assert_eq!(r.path, "/hook");
        let j = r.json();
        assert_eq!(j["alarms"][0]["id"], alarm.id.to_string());
        assert_eq!(j["alarms"][0]["device"], "edge-n1");
        assert_eq!(j["alarms"][0]["severity"], "critical");
    }
    assert!(!String::from_utf8_lossy(&got[0].body).contains("hook-signing-key"));
    let hook_log = log_until(&app, "ops hook", &alarm, 3, 10).await;
    assert_eq!(outcomes(&hook_log), [(1, "failed", Some("500")), (2, "failed", Some("500")), (3, "sent", Some("200"))]);
    assert!(hook_log[0].error.as_deref().is_some_and(|e| e.contains("500")), "{hook_log:#?}");

    // Nobody acknowledges: after T = 3 s the pager hears of it, once.
    until(15, "the escalation", || !pager.received().is_empty()).await;
    let esc = log_until(&app, "pager", &alarm, 1, 5).await;
    assert_eq!(outcomes(&esc), [(1, "sent", Some("200"))]);
    assert_eq!(esc[0].kind, "escalation");
    assert!(esc[0].at >= alarm.raised_at + chrono::Duration::seconds(3), "escalated early: {esc:#?}");
    let slack = pager.received()[0].json();
    assert!(
        slack["text"].as_str().is_some_and(|t| t.starts_with("Unacknowledged: Critical alarm: edge-n1")),
        "{slack}"
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(pager.received().len(), 1, "escalated twice");
    assert_eq!(flaky.received().len(), 3, "sent again after success");

    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dead_peers_are_retried_then_given_up_and_an_acknowledged_alarm_does_not_escalate() {
    let down = free_port().expect("port");
    let hanging = Webhook::hanging().await;
    let pager = Webhook::start(0).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    let add = |name: &str, kind| ChannelInput { channel: channel(name, kind), password: None, secret: None };
    app.put_channel(add("down mail", mail(down))).await.expect("mail");
    app.put_channel(add("slow hook", hook(hanging.url("/"), WebhookFlavour::Teams))).await.expect("hook");
    app.put_channel(add("pager", hook(pager.url("/"), WebhookFlavour::Generic))).await.expect("pager");
    app.put_route(critical("mail", "down mail", None)).await.expect("route");
    app.put_route(critical("hook", "slow hook", Some((3, "pager")))).await.expect("route");

    let alarm = raise(&app, "edge-n2", "127.63.0.2", quick(3)).await;
    app.ack_alarm(&alarm.id.to_string(), Some("on it")).await.expect("ack");

    // SMTP refused three times, then dead; no reply code, an error that says why.
    let mail_log = log_until(&app, "down mail", &alarm, 3, 20).await;
    assert_eq!(outcomes(&mail_log), [(1, "failed", None), (2, "failed", None), (3, "dead", None)]);
    assert!(mail_log.iter().all(|e| e.error.as_deref().is_some_and(|x| x.starts_with("SMTP"))), "{mail_log:#?}");
    // The webhook never answers: timed out three times, then dead.
    let hook_log = log_until(&app, "slow hook", &alarm, 3, 20).await;
    assert_eq!(outcomes(&hook_log), [(1, "failed", None), (2, "failed", None), (3, "dead", None)]);
    assert!(hook_log.iter().all(|e| e.error.as_deref().is_some_and(|x| x.contains("timed out"))), "{hook_log:#?}");
    assert_eq!(hanging.received().len(), 3);
    assert_eq!(hanging.received()[0].json()["@type"], "MessageCard");

    // Acknowledged in time: no escalation, and the outbox says cancelled.
    let due = alarm.raised_at + chrono::Duration::seconds(3);
    let wait = (due - chrono::Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(1500);
    tokio::time::sleep(wait).await;
    assert!(pager.received().is_empty(), "an acknowledged alarm escalated");
    let states: Vec<_> = app
        .alarm_deliveries(&alarm.id.to_string())
        .await
        .expect("outbox")
        .into_iter()
        .map(|d| (d.channel, d.kind, d.state, d.attempts))
        .collect();
    for (ch, kind, state, attempts) in [
        ("down mail", "immediate", "dead", 3),
        ("slow hook", "immediate", "dead", 3),
        ("pager", "escalation", "cancelled", 0),
    ] {
        assert!(
            states.contains(&(ch.to_owned(), kind.to_owned(), state.to_owned(), attempts)),
            "{ch} {kind} {state}: {states:?}"
        );
    }
    // Nothing more happens after dead.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(log(&app, "down mail", &alarm).await.len(), 3);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_outbox_survives_a_restart() {
    let port = free_port().expect("port");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    let ch = channel("later hook", hook(format!("http://127.0.0.1:{port}/later"), WebhookFlavour::Generic));
    app.put_channel(ChannelInput { channel: ch, password: None, secret: None }).await.expect("channel");
    app.put_route(critical("later", "later hook", None)).await.expect("route");
    let mut cfg = quick(10);
    cfg.retry.delays = vec![Duration::from_secs(2)];
    let alarm = raise(&app, "edge-n3", "127.63.0.3", cfg).await;
    // Nothing listens yet: the first attempt fails, then Meridian stops.
    log_until(&app, "later hook", &alarm, 1, 10).await;
    app.close().await;

    let receiver = Webhook::start_on(port, 0, false).await;
    let app = open(dir.path()).await;
    // The worker alone (no monitor): the row still due is picked up again.
    app.start_notifier(quick(10)).await.expect("notifier");
    until(15, "the delivery after the restart", || !receiver.received().is_empty()).await;
    assert_eq!(receiver.received()[0].json()["alarms"][0]["id"], alarm.id.to_string());
    let l = log_until(&app, "later hook", &alarm, 2, 5).await;
    assert_eq!(outcomes(&l)[1], (2, "sent", Some("200")), "{l:#?}");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_channels_and_routes_get_field_errors_and_send_test_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    let e = app
        .put_channel(ChannelInput { channel: channel("m", mail(0)), password: None, secret: None })
        .await
        .expect_err("port 0");
    assert_eq!(e.kind, ApiErrorKind::Validation);
    assert_eq!(e.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["kind.port"]);
    let e = app
        .put_channel(ChannelInput {
            channel: channel("h", hook("not a url".into(), WebhookFlavour::Slack)),
            password: None,
            secret: Some("k".into()),
        })
        .await
        .expect_err("bad url");
    assert_eq!(e.fields[0].field, "kind.url");
    assert!(app.list_channels().await.expect("list").is_empty(), "a refused channel was written");
    let e = app.put_route(critical("r", "nowhere", Some((60, "nor here")))).await.expect_err("unknown channels");
    assert_eq!(e.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["channel", "escalate.channel"]);

    // Send test: a receiver that answers, and an SMTP server that is down.
    let ok = Webhook::start(0).await;
    app.put_channel(ChannelInput {
        channel: channel("t hook", hook(ok.url("/t"), WebhookFlavour::Generic)),
        password: None,
        secret: None,
    })
    .await
    .expect("hook");
    let entry = app.send_test("t hook").await.expect("test sent");
    assert_eq!((entry.kind.as_str(), entry.outcome.as_str(), entry.status.as_deref()), ("test", "sent", Some("200")));
    assert_eq!(ok.received()[0].json()["kind"], "test");
    let down = free_port().expect("port");
    app.put_channel(ChannelInput { channel: channel("t mail", mail(down)), password: None, secret: None })
        .await
        .expect("mail");
    let e = app.send_test("t mail").await.expect_err("down");
    assert_eq!(e.kind, ApiErrorKind::Network);
    assert_eq!(e.fields[0].field, "channel");
    let l = app
        .delivery_log(DeliveryLogFilter { channel: Some("t mail".into()), ..Default::default() })
        .await
        .expect("log");
    assert_eq!(outcomes(&l), [(1, "dead", None)], "a test message is tried once");

    // A channel a route uses cannot go; the route first, then the channel.
    app.put_route(critical("r", "t hook", None)).await.expect("route");
    assert_eq!(app.remove_channel("t hook").await.expect_err("in use").kind, ApiErrorKind::Conflict);
    app.remove_route("r").await.expect("route gone");
    app.remove_channel("t hook").await.expect("channel gone");
    assert_eq!(app.remove_channel("t hook").await.expect_err("gone").kind, ApiErrorKind::NotFound);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_channel_rate_limit_holds_the_second_message_back() {
    let receiver = Webhook::start(0).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let app = open(dir.path()).await;
    // One message at once, then one every 2 s.
    let mut ch = channel("slow hook", hook(receiver.url("/"), WebhookFlavour::Generic));
    ch.rate_limit = RateLimit { per_minute: 30, burst: 1 };
    app.put_channel(ChannelInput { channel: ch, password: None, secret: None }).await.expect("channel");
    app.put_route(critical("all", "slow hook", None)).await.expect("route");
    let alarms = raise_on(&app, &[("edge-r1", "127.63.0.4"), ("edge-r2", "127.63.0.5")], quick(3)).await;
    until(15, "both messages", || receiver.received().len() >= 2).await;
    let got = receiver.received();
    let gap = got[1].at - got[0].at;
    assert!(gap >= Duration::from_millis(1500), "the second message was not held back: {gap:?}");
    // Held back is not an attempt: each alarm's one delivery went first time.
    for a in &alarms {
        assert_eq!(outcomes(&log(&app, "slow hook", a).await), [(1, "sent", Some("200"))]);
    }
    app.close().await;
}
