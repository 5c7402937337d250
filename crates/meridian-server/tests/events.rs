//! The WebSocket event stream over TLS: a caller sees the core events of
//! their own sites only; without credentials the upgrade is refused.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::Server;
use futures_util::StreamExt;
use reqwest::Method;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

type Ws = tokio_tungstenite::WebSocketStream<tokio_rustls::client::TlsStream<tokio::net::TcpStream>>;

async fn connect(s: &Server, token: Option<&str>) -> Result<Ws, String> {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for c in rustls::pki_types::CertificateDer::pem_file_iter(&s.cert_path).expect("cert") {
        roots.add(c.expect("cert")).expect("root");
    }
    let cfg = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(s.addr).await.expect("tcp");
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("name");
    let tls = tokio_rustls::TlsConnector::from(Arc::new(cfg)).connect(name, tcp).await.expect("tls");
    let mut req = format!("wss://localhost:{}/api/v1/events", s.addr.port()).into_client_request().expect("request");
    if let Some(t) = token {
        req.headers_mut().insert("authorization", format!("Bearer {t}").parse().expect("header"));
    }
    tokio_tungstenite::client_async(req, tls).await.map(|(ws, _)| ws).map_err(|e| e.to_string())
}

/// The next event (text message) within 10 s.
async fn next(ws: &mut Ws) -> Value {
    loop {
        let m = tokio::time::timeout(Duration::from_secs(10), ws.next()).await.expect("an event within 10 s");
        match m.expect("open").expect("message") {
            Message::Text(t) => return serde_json::from_str(&t).expect("JSON event"),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn events_are_filtered_by_the_callers_sites() {
    let s = Server::start().await;
    let refused = connect(&s, None).await.expect_err("no credentials");
    assert!(refused.contains("401"), "{refused}");

    let mut tech = connect(&s, Some(&s.user("technician").token)).await.expect("technician");
    let mut viewer = connect(&s, Some(&s.user("viewer").token)).await.expect("viewer");
    // The handler subscribes before it answers 101, so nothing published from here on is missed.
    let (a, b) = (s.raise(&s.dev_a, "ws-a").await, s.raise(&s.dev_b, "ws-b").await);
    let op = s.user("operator").token.clone();
    for alarm in [&b, &a] {
        let r = s.call(Method::POST, &format!("/api/v1/alarms/{}/ack", alarm.id), Some(&op), Some(json!({}))).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    // The site-A technician's first event is the site-A ack: site B's was filtered out.
    let e = next(&mut tech).await;
    assert_eq!(
        (e["type"].as_str(), e["alarm"]["id"].as_str()),
        (Some("alarmAcknowledged"), Some(a.id.to_string().as_str()))
    );
    // The every-site viewer sees both, in order.
    let ids: Vec<String> = [next(&mut viewer).await, next(&mut viewer).await]
        .iter()
        .map(|e| e["alarm"]["id"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(ids, vec![b.id.to_string(), a.id.to_string()]);
    s.shutdown().await;
}
