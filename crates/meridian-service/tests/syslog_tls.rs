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
    let tls = SyslogTls { port: 0, cert: certs.cert(), key: certs.key() };
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
        let tls = SyslogTls { port: 0, cert, key };
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
