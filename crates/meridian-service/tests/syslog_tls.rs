//! Syslog over TLS (RFC 5425) end to end: util-linux `logger` sends RFC 3164
//! and 5424 lines over UDP to a real `rsyslogd`, which relays them over TLS
//! (GnuTLS, checking our certificate against the test CA and the name
//! `localhost`) to the receiver; each is stored and found by search. A plain
//! TCP sender on the TLS port is refused without storing anything, and bad
//! certificate settings are field errors before anything listens.
//!
//! Needs `openssl`, `logger`, `rsyslog` and `rsyslog-gnutls` (`make deps`).

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use meridian_service::{App, AppConfig, SyslogConfig, SyslogEntry, SyslogFormat, SyslogQuery, SyslogTls};
use meridian_testkit::{RsyslogRelay, TestCerts};

fn config(dir: &tempfile::TempDir) -> AppConfig {
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("file".into());
    cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
    cfg
}

fn with_tls(certs: &TestCerts) -> SyslogConfig {
    let tls = SyslogTls { port: 0, cert: certs.cert(), key: certs.key(), client_ca: None };
    SyslogConfig { bind: "127.0.0.1".parse().expect("ip"), port: 0, tls: Some(tls), ..SyslogConfig::default() }
}

/// Searches every 50 ms until `text` is found; `limit` only bounds a hang.
async fn find(app: &App, text: &str, limit: Duration) -> Option<SyslogEntry> {
    let deadline = tokio::time::Instant::now() + limit;
    while tokio::time::Instant::now() < deadline {
        let q = SyslogQuery { text: Some(text.into()), ..Default::default() };
        if let Some(e) = app.search_syslog(q, None).await.expect("search").pop() {
            return Some(e);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

fn logger(to: SocketAddr, format: &str, text: &str) {
    let port = to.port().to_string();
    let status = Command::new("logger")
        .args(["--server", "127.0.0.1", "--port", &port, "--udp", format, "--tag", "tlstest", text])
        .status()
        .expect("run logger");
    assert!(status.success(), "logger {format}");
}

#[tokio::test(flavor = "multi_thread")]
async fn logger_lines_relayed_by_rsyslog_over_tls_are_stored() {
    let certs = TestCerts::new().expect("certificates");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::open(config(&dir)).await.expect("open");
    let status = app.start_syslog(with_tls(&certs)).await.expect("start with TLS");
    let tls: SocketAddr = status.tls.as_deref().expect("TLS listener").parse().expect("addr");
    assert_ne!(Some(tls.to_string()), status.tcp, "TLS has a port of its own");
    let relay = RsyslogRelay::start(tls, &certs.ca()).expect("rsyslogd");

    // The first line also waits for rsyslogd to start and connect.
    let nonce = std::process::id();
    for (i, format) in ["--rfc3164", "--rfc5424"].iter().enumerate() {
        let text = format!("over-tls-{i}-{nonce}");
        let sent = Instant::now();
        logger(relay.udp_addr(), format, &text);
        let limit = Duration::from_secs(if i == 0 { 20 } else { 5 });
        let e = find(&app, &text, limit)
            .await
            .unwrap_or_else(|| panic!("{text} not stored through the TLS relay; rsyslogd said:\n{}", relay.log()));
        eprintln!("{format}: stored {:?} after logger", sent.elapsed());
        // rsyslog forwards in RFC 5424 whatever it received.
        assert_eq!(e.format, SyslogFormat::Rfc5424, "{e:?}");
        assert_eq!(e.msg.app.as_deref(), Some("tlstest"), "{e:?}");
        assert_eq!(e.source, "127.0.0.1");
    }
    // rsyslogd may forward notes of its own as well; none may be malformed.
    let counters = app.syslog_status().await.expect("running").counters;
    assert!(counters.received >= 2 && counters.malformed == 0, "{counters:?}");
    app.stop_syslog().await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_tcp_on_the_tls_port_is_refused_and_bad_files_name_their_setting() {
    let certs = TestCerts::new().expect("certificates");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::open(config(&dir)).await.expect("open");

    let bad = |cert, key| {
        let tls = SyslogTls { port: 0, cert, key, client_ca: None };
        SyslogConfig { bind: "127.0.0.1".parse().expect("ip"), port: 0, tls: Some(tls), ..SyslogConfig::default() }
    };
    for (cfg, field) in [
        (bad(dir.path().join("missing.pem"), certs.key()), "tls_cert"),
        (bad(certs.cert(), certs.other_key()), "tls_key"),
        (bad(certs.cert(), Default::default()), "tls_key"),
        (bad(certs.key(), certs.key()), "tls_cert"),
    ] {
        let e = app.start_syslog(cfg).await.expect_err("bad TLS settings");
        assert_eq!(e.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), [field], "{e:?}");
        assert!(app.syslog_status().await.is_none(), "nothing listens after a refused start");
    }

    let status = app.start_syslog(with_tls(&certs)).await.expect("start with TLS");
    let tls: SocketAddr = status.tls.as_deref().expect("TLS listener").parse().expect("addr");
    let mut plain = TcpStream::connect(tls).expect("connect");
    plain.write_all(b"23 <13>1 - h app - - - in-clear").expect("write");
    drop(plain);
    assert!(
        find(&app, "in-clear", Duration::from_millis(500)).await.is_none(),
        "plain text on the TLS port is not stored"
    );
    assert_eq!(app.syslog_status().await.expect("running").counters.received, 0);
    app.stop_syslog().await;
    app.close().await;
}

/// `openssl s_client` sends one octet-counted line over TLS, presenting
/// `identity` (certificate, key) if given; bounded by `timeout`.
fn s_client(tls: SocketAddr, ca: &std::path::Path, identity: Option<(PathBuf, PathBuf)>, text: &str) {
    let mut cmd = Command::new("timeout");
    cmd.args(["5", "openssl", "s_client", "-quiet", "-connect", &tls.to_string(), "-servername", "localhost"]);
    cmd.arg("-CAfile").arg(ca);
    if let Some((cert, key)) = identity {
        cmd.arg("-cert").arg(cert).arg("-key").arg(key);
    }
    let line = format!("<13>1 - h app - - - {text}");
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("openssl s_client");
    let mut stdin = child.stdin.take().expect("stdin");
    let _ = write!(stdin, "{} {line}", line.len());
    drop(stdin);
    let _ = child.wait();
}

/// RFC 5425 mutual authentication: with `client_ca`, a relay presenting a
/// certificate the CA signed is heard; a client with no certificate, or a
/// self-signed one, is refused at the handshake and nothing it sent is
/// stored. A client CA file without a certificate names its setting.
#[tokio::test(flavor = "multi_thread")]
async fn with_a_client_ca_only_clients_it_signed_are_heard() {
    let certs = TestCerts::new().expect("certificates");
    let dir = tempfile::tempdir().expect("tempdir");
    let app = App::open(config(&dir)).await.expect("open");
    let with_ca = |ca: PathBuf| {
        let mut cfg = with_tls(&certs);
        cfg.tls.as_mut().expect("tls").client_ca = Some(ca);
        cfg
    };
    let e = app.start_syslog(with_ca(certs.key())).await.expect_err("a key is no CA");
    assert_eq!(e.fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["tls_client_ca"], "{e:?}");

    let status = app.start_syslog(with_ca(certs.ca())).await.expect("start with a client CA");
    let tls: SocketAddr = status.tls.as_deref().expect("TLS listener").parse().expect("addr");
    let nonce = std::process::id();
    for (who, identity) in [("anonymous", None), ("stranger", Some(certs.stranger()))] {
        let text = format!("from-{who}-{nonce}");
        s_client(tls, &certs.ca(), identity, &text);
        assert!(find(&app, &text, Duration::from_millis(500)).await.is_none(), "{who} was heard");
    }
    assert_eq!(app.syslog_status().await.expect("running").counters.received, 0);

    let (cert, key) = certs.client();
    // openssl with the signed certificate is heard too (so the refusals
    // above are about the certificate, not the tool).
    s_client(tls, &certs.ca(), Some(certs.client()), &format!("from-signed-{nonce}"));
    assert!(find(&app, &format!("from-signed-{nonce}"), Duration::from_secs(5)).await.is_some(), "signed openssl");
    let relay = RsyslogRelay::start_with(tls, &certs.ca(), Some((&cert, &key))).expect("rsyslogd with a client cert");
    let text = format!("from-relay-{nonce}");
    logger(relay.udp_addr(), "--rfc5424", &text);
    let e = find(&app, &text, Duration::from_secs(20))
        .await
        .unwrap_or_else(|| panic!("the signed relay was not heard; rsyslogd said:\n{}", relay.log()));
    assert_eq!(e.msg.app.as_deref(), Some("tlstest"), "{e:?}");
    app.stop_syslog().await;
    app.close().await;
}
