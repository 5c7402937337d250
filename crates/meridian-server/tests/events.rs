//! The WebSocket event stream over TLS: a caller sees the core events of
//! their own sites only; without credentials the upgrade is refused.

mod common;

use common::{next, Server, Ws};
use reqwest::Method;
use serde_json::json;

async fn connect(s: &Server, token: Option<&str>) -> Result<Ws, String> {
    common::ws_connect(s.addr, &s.cert_path, token).await
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
