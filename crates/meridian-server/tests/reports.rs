//! Reports over the team server: the same use case as the desktop's, over
//! the caller's sites only. A site-A operator's "most alarms" never names a
//! site-B device, a site or device outside their sites is refused, the PDF
//! route serves a PDF, and bad input is a field error.

mod common;

use chrono::{Duration, Utc};
use common::Server;
use reqwest::Method;
use serde_json::{json, Value};

fn top(extra: Value) -> Value {
    let to = Utc::now() + Duration::seconds(1);
    let mut body = json!({"kind": "top", "from": to - Duration::hours(1), "to": to});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    body
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_covers_the_callers_sites_only() {
    let s = Server::start().await;
    s.raise(&s.dev_a, "rep-a").await;
    s.raise(&s.dev_b, "rep-b").await;
    let (admin, op_a) = (s.user("admin").token.clone(), s.user("operator_a").token.clone());

    let all = s.call(Method::POST, "/api/v1/reports", Some(&admin), Some(top(json!({})))).await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert!(all.text.contains("dev-a") && all.text.contains("dev-b"), "admin sees both sites: {}", all.text);
    let mine = s.call(Method::POST, "/api/v1/reports", Some(&op_a), Some(top(json!({})))).await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert!(mine.text.contains("dev-a"), "{}", mine.text);
    assert!(!mine.text.contains("dev-b"), "a site-A operator sees nothing of site B: {}", mine.text);
    assert_eq!(mine.json()["kind"], "top");

    for scope in [json!({"site": "site-b"}), json!({"device": "dev-b"})] {
        let r = s.call(Method::POST, "/api/v1/reports", Some(&op_a), Some(top(scope.clone()))).await;
        assert_eq!((r.status, r.kind()), (403, "forbidden".to_owned()), "{scope}: {}", r.text);
    }
    // A tag only site B's devices carry reads as a tag nobody uses.
    let tags = meridian_service::DevicePatch { tags: Some(vec!["core".into()]), ..Default::default() };
    s.app.update_device(&meridian_service::DeviceKey::Id(s.dev_b.id), tags).await.expect("tag dev-b");
    let r = s.call(Method::POST, "/api/v1/reports", Some(&op_a), Some(top(json!({"tag": "core"})))).await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "tag", "{}", r.text);
    let r = s.call(Method::POST, "/api/v1/reports", Some(&admin), Some(top(json!({"tag": "core"})))).await;
    assert_eq!(r.status, 200, "admin sees the tagged device: {}", r.text);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn files_have_their_type_and_bad_input_changes_nothing() {
    let s = Server::start().await;
    let viewer = s.user("viewer").token.clone();
    let pdf = s.call(Method::POST, "/api/v1/reports/pdf", Some(&viewer), Some(top(json!({})))).await;
    assert_eq!(pdf.status, 200, "{}", pdf.text);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.text.starts_with("%PDF-"), "{:?}", &pdf.text.get(..20));
    let csv = s.call(Method::POST, "/api/v1/reports/csv", Some(&viewer), Some(top(json!({})))).await;
    assert_eq!((csv.status, csv.headers["content-type"].to_str().ok()), (200, Some("text/csv; charset=utf-8")));

    let r = s.call(Method::POST, "/api/v1/reports/docx", Some(&viewer), Some(top(json!({})))).await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "format", "{}", r.text);
    let now = Utc::now();
    let reversed = json!({"kind": "availability", "from": now - Duration::hours(1), "to": now - Duration::hours(2)});
    let r = s.call(Method::POST, "/api/v1/reports", Some(&viewer), Some(reversed)).await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "to", "{}", r.text);
    let r = s.call(Method::POST, "/api/v1/reports", None, Some(top(json!({})))).await;
    assert_eq!(r.status, 401, "{}", r.text);
    s.shutdown().await;
}
