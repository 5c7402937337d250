//! Two replicas of the real binary on one PostgreSQL, sharing one state
//! directory: an operator acknowledges an alarm through replica A, and a
//! WebSocket client of replica B hears it (LISTEN/NOTIFY) within a bounded
//! wait, while a client of another site does not. A raise written straight
//! to the database by another process's store is not an event (only a
//! `meridian-service` process publishes), so the site-B client's first event
//! is the later site-B acknowledgement.

mod common;

use std::time::{Duration, Instant};

use common::replica::start_replica;
use common::{next, next_message, ws_connect, Server};
use meridian_service::auth::Role;
use reqwest::Method;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn an_ack_through_one_replica_reaches_the_websockets_of_another() {
    let s = Server::start().await;
    let viewer_b = s.add_user("viewer_b", Role::Viewer, &["site-b"]).await;
    let state = tempfile::tempdir().expect("state");
    // A first, so B finds the certificate A generated in the shared directory.
    let a = start_replica(&s.db_url, state.path());
    let b = start_replica(&s.db_url, state.path());
    let cert = state.path().join("tls/cert.pem");
    let client = common::https_client(&cert);

    let mut tech_on_b = ws_connect(b.addr, &cert, Some(&s.user("technician").token)).await.expect("technician on B");
    let mut site_b_on_b = ws_connect(b.addr, &cert, Some(&viewer_b.token)).await.expect("viewer_b on B");
    let (alarm_a, alarm_b) = (s.raise(&s.dev_a, "replica-a").await, s.raise(&s.dev_b, "replica-b").await);

    let ack = |alarm: String| {
        let (client, op) = (client.clone(), s.user("operator").token.clone());
        async move {
            let r = client
                .post(format!("https://localhost:{}/api/v1/alarms/{alarm}/ack", a.addr.port()))
                .bearer_auth(op)
                .json(&json!({}))
                .send()
                .await
                .expect("ack through A");
            assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap_or_default());
        }
    };
    let t0 = Instant::now();
    ack(alarm_a.id.to_string()).await;
    let e = next(&mut tech_on_b).await;
    let waited = t0.elapsed();
    assert_eq!(e["type"], "alarmAcknowledged", "{e}");
    assert_eq!(e["alarm"]["id"], alarm_a.id.to_string());
    assert_eq!(e["alarm"]["ackedBy"], "operator", "{e}");
    assert!(waited < Duration::from_secs(10), "heard on B after {waited:?}");

    // The site-B client's first event is the site-B ack: site A's was not sent to it.
    ack(alarm_b.id.to_string()).await;
    let e = next(&mut site_b_on_b).await;
    assert_eq!(
        (e["type"].as_str(), e["alarm"]["id"].as_str()),
        (Some("alarmAcknowledged"), Some(&*alarm_b.id.to_string()))
    );
    // ... and the site-A technician never hears the site-B ack: its next message is
    // the close it gets when B stops.
    drop(b);
    match next_message(&mut tech_on_b).await {
        None | Some(tokio_tungstenite::tungstenite::Message::Close(_)) => {}
        Some(other) => panic!("the site-A technician heard {other:?}"),
    }
    // A's own clients hear A's changes the same way (through the database).
    let mut viewer_on_a = ws_connect(a.addr, &cert, Some(&s.user("viewer").token)).await.expect("viewer on A");
    let r = s
        .call(Method::POST, &format!("/api/v1/alarms/{}/clear", alarm_a.id), Some(&s.user("operator").token), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let e = next(&mut viewer_on_a).await;
    assert_eq!((e["type"].as_str(), e["alarm"]["id"].as_str()), (Some("alarmCleared"), Some(&*alarm_a.id.to_string())));
    drop(a);
    s.shutdown().await;
}
