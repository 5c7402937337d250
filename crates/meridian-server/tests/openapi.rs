//! The served OpenAPI document: it needs credentials like every route but
//! `/health`, names every route of the router (the list is the router's
//! own), passes `openapi-spec-validator` (PyPI), and the responses recorded
//! here from every kind of endpoint, errors included, and the WebSocket
//! messages heard meanwhile, match its schemas (jsonschema); so do a real
//! discovery's messages, whose payloads have typed schemas.

mod common;

use common::{next, ws_connect, Server};
use meridian_core::discovery::{DiscoveryMode, DiscoveryRequest, RunState};
use meridian_service::diag::SnmpCredentialInput;
use meridian_testkit::{openapi_check, Recorded, Snmpsim};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread")]
async fn the_document_covers_every_route_validates_and_matches_the_responses() {
    let s = Server::start().await;
    assert_eq!(s.call(Method::GET, "/api/openapi.json", None, None).await.status, 401);
    let viewer = s.user("viewer").token.clone();
    let r = s.call(Method::GET, "/api/openapi.json", Some(&viewer), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let doc = r.json();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "{}", doc["openapi"]);
    let missing: Vec<String> = s
        .routes
        .iter()
        .filter(|(m, p)| doc["paths"][*p][m.as_str().to_lowercase()].is_null())
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(missing.is_empty(), "routes missing from the document: {missing:?}");
    let documented: usize =
        doc["paths"].as_object().expect("paths").values().map(|p| p.as_object().map_or(0, |o| o.len())).sum();
    assert_eq!(documented, s.routes.len(), "the document names no route the router lacks");

    // Record one response of each kind, and the events they cause.
    let mut ws = ws_connect(s.addr, &s.cert_path, Some(&viewer)).await.expect("viewer's WebSocket");
    let admin = s.user("admin").token.clone();
    let op = s.user("operator").token.clone();
    let mut rec = Vec::new();
    let login = s
        .client
        .post(format!("{}/api/v1/login", s.url))
        .json(&json!({"name": "admin", "password": common::ADMIN_PASSWORD}))
        .send()
        .await
        .expect("login");
    let status = login.status().as_u16();
    rec.push(Recorded {
        method: "POST".into(),
        path: "/api/v1/login".into(),
        status,
        body: login.json().await.expect("json"),
    });
    let mut call = async |method: Method, template: &str, path: String, token: Option<&str>, body: Option<Value>| {
        let r = s.call(method.clone(), &path, token, body).await;
        let body: Value = serde_json::from_str(&r.text).unwrap_or_else(|e| panic!("{path}: {e}: {}", r.text));
        rec.push(Recorded { method: method.to_string(), path: template.into(), status: r.status, body: body.clone() });
        body
    };
    call(Method::GET, "/health", "/health".into(), None, None).await;
    call(Method::GET, "/api/v1/me", "/api/v1/me".into(), Some(&admin), None).await;
    call(Method::GET, "/api/v1/devices", "/api/v1/devices".into(), Some(&admin), None).await;
    call(Method::GET, "/api/v1/devices/{key}", format!("/api/v1/devices/{}", s.dev_a.id), Some(&admin), None).await;
    let body = json!({"name": "documented", "address": common::next_address(), "site": "site-a", "tags": ["x"]});
    let d = call(Method::POST, "/api/v1/devices", "/api/v1/devices".into(), Some(&admin), Some(body)).await;
    let id = d["id"].as_str().expect("id").to_owned();
    call(
        Method::PATCH,
        "/api/v1/devices/{key}",
        format!("/api/v1/devices/{id}"),
        Some(&admin),
        Some(json!({"vendor": "v"})),
    )
    .await;
    call(Method::DELETE, "/api/v1/devices/{key}", format!("/api/v1/devices/{id}"), Some(&admin), None).await;
    call(Method::GET, "/api/v1/devices/{key}", "/api/v1/devices/no-such-device".into(), Some(&admin), None).await;
    call(
        Method::POST,
        "/api/v1/devices",
        "/api/v1/devices".into(),
        Some(&admin),
        Some(json!({"name": "", "address": "x", "tags": []})),
    )
    .await;
    call(Method::GET, "/api/v1/sites", "/api/v1/sites".into(), Some(&admin), None).await;
    let a = s.raise(&s.dev_a, "documented").await;
    call(
        Method::POST,
        "/api/v1/alarms/{id}/ack",
        format!("/api/v1/alarms/{}/ack", a.id),
        Some(&op),
        Some(json!({"comment": "on it"})),
    )
    .await;
    call(
        Method::POST,
        "/api/v1/alarms/{id}/comments",
        format!("/api/v1/alarms/{}/comments", a.id),
        Some(&op),
        Some(json!({"text": "t"})),
    )
    .await;
    call(
        Method::POST,
        "/api/v1/alarms/{id}/ack",
        format!("/api/v1/alarms/{}/ack", a.id),
        Some(&viewer),
        Some(json!({})),
    )
    .await;
    call(Method::POST, "/api/v1/alarms/{id}/clear", format!("/api/v1/alarms/{}/clear", a.id), Some(&op), None).await;
    call(Method::GET, "/api/v1/alarms", "/api/v1/alarms?active=false".into(), Some(&admin), None).await;
    call(Method::GET, "/api/v1/users", "/api/v1/users".into(), Some(&admin), None).await;
    let body =
        json!({"name": "documented-user", "password": common::USER_PASSWORD, "role": "viewer", "sites": ["site-b"]});
    let u = call(Method::POST, "/api/v1/users", "/api/v1/users".into(), Some(&admin), Some(body)).await;
    let uid = u["id"].as_str().expect("id").to_owned();
    call(Method::GET, "/api/v1/users/{id}", format!("/api/v1/users/{uid}"), Some(&admin), None).await;
    call(
        Method::PATCH,
        "/api/v1/users/{id}",
        format!("/api/v1/users/{uid}"),
        Some(&admin),
        Some(json!({"role": "operator"})),
    )
    .await;
    call(Method::DELETE, "/api/v1/users/{id}", format!("/api/v1/users/{uid}"), Some(&admin), None).await;
    call(Method::GET, "/api/v1/users", "/api/v1/users".into(), Some(&viewer), None).await;
    let t = call(
        Method::POST,
        "/api/v1/tokens",
        "/api/v1/tokens".into(),
        Some(&admin),
        Some(json!({"name": "doc", "expiresInDays": 1})),
    )
    .await;
    let tid = t["token"]["id"].as_str().expect("id").to_owned();
    call(Method::GET, "/api/v1/tokens", "/api/v1/tokens".into(), Some(&admin), None).await;
    call(Method::DELETE, "/api/v1/tokens/{id}", format!("/api/v1/tokens/{tid}"), Some(&admin), None).await;
    call(Method::GET, "/api/v1/audit", "/api/v1/audit?limit=50".into(), Some(&admin), None).await;
    call(Method::GET, "/api/v1/audit", "/api/v1/audit?limit=0".into(), Some(&admin), None).await;
    call(Method::GET, "/api/v1/me", "/api/v1/me".into(), Some("mrd_not-a-token"), None).await;
    // The changes above announced: the device added, changed and removed,
    // the ack and the clear, and the user's and token's changes (if any are
    // events); each message is checked as the upgrade's (101) schema.
    let mut kinds = std::collections::BTreeSet::new();
    for _ in 0..5 {
        let e = next(&mut ws).await;
        kinds.insert(e["type"].as_str().unwrap_or_default().to_owned());
        rec.push(Recorded { method: "GET".into(), path: "/api/v1/events".into(), status: 101, body: e });
    }
    assert!(
        kinds.contains("inventoryChanged") && kinds.contains("alarmAcknowledged") && kinds.contains("alarmCleared"),
        "{kinds:?}"
    );
    let statuses: std::collections::BTreeSet<u16> = rec.iter().map(|r| r.status).filter(|s| *s != 101).collect();
    assert_eq!(statuses.into_iter().collect::<Vec<_>>(), [200, 400, 401, 403, 404], "each kind of answer is recorded");

    openapi_check(&r.text, &rec).unwrap_or_else(|e| panic!("{e}"));
    // The message schema has teeth: an ack without its alarm, or an event
    // of no known type, does not match it.
    let msg = doc["paths"]["/api/v1/events"]["get"]["responses"]["101"]["content"]["application/json"]["schema"]
        ["$ref"]
        .clone();
    assert_eq!(msg, "#/components/schemas/CoreEvent");
    for body in [json!({"type": "alarmAcknowledged"}), json!({"type": "noSuchEvent"})] {
        let bad = Recorded { method: "GET".into(), path: "/api/v1/events".into(), status: 101, body: body.clone() };
        assert!(openapi_check(&r.text, &[bad]).is_err(), "{body} passed as a WebSocket message");
    }
    s.shutdown().await;
}

/// Issue 18: a discovery's events are typed in the document (no longer
/// plain objects), and the messages of a real run (one snmpsim agent on
/// loopback, found and classified) match those schemas as the server sends
/// them; a found device whose classification lost its kind does not.
#[tokio::test(flavor = "multi_thread")]
async fn a_real_discoverys_messages_match_their_typed_schemas() {
    let sim = Snmpsim::builder().recording_as("network/switch/cisco-c3560", "public").start().expect("snmpsim");
    let s = Server::start().await;
    let admin = s.user("admin").token.clone();
    let r = s.call(Method::GET, "/api/openapi.json", Some(&admin), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let doc = r.json();
    let schemas = &doc["components"]["schemas"];
    let props = |name: &str| -> Vec<String> {
        let p = schemas[name]["properties"].as_object().unwrap_or_else(|| panic!("no {name} schema: {schemas:#}"));
        p.keys().cloned().collect()
    };
    for (name, expected) in [
        ("DiscoveryProgress", &["found", "phase", "probed", "runId", "total"][..]),
        ("DiscoveryRun", &["error", "finishedAt", "found", "id", "probed", "request", "startedAt", "state", "total"]),
        (
            "FoundDevice",
            &[
                "added",
                "address",
                "alive",
                "classification",
                "credentialId",
                "credentialLabel",
                "existing",
                "matchedBy",
                "otherAddresses",
                "rttMs",
                "runId",
                "snmp",
                "suggestedName",
            ],
        ),
        ("Classification", &["kind", "model", "os", "osVersion", "vendor"]),
        (
            "SnmpIdentity",
            &["chassisId", "engineId", "port", "sysDescr", "sysLocation", "sysName", "sysObjectId", "sysServices"],
        ),
    ] {
        let mut got = props(name);
        got.sort();
        assert_eq!(got, expected, "{name}: {:#}", schemas[name]);
    }
    // The event's variants point at them rather than at an empty object.
    let text = serde_json::to_string(&schemas["CoreEvent"]).expect("json");
    for name in ["DiscoveryProgress", "FoundDevice", "DiscoveryRun"] {
        assert!(text.contains(&format!("#/components/schemas/{name}\"")), "CoreEvent does not refer to {name}: {text}");
    }

    let mut ws = ws_connect(s.addr, &s.cert_path, Some(&admin)).await.expect("admin's WebSocket");
    let req = DiscoveryRequest {
        targets: vec!["127.0.0.1".into()],
        mode: DiscoveryMode::SnmpOnly,
        port: sim.port(),
        timeout_ms: 2000,
        retries: 1,
        ..DiscoveryRequest::default()
    };
    let adhoc = [SnmpCredentialInput { community: Some("public".into()), ..SnmpCredentialInput::default() }];
    let run = s.app.start_discovery(req, &adhoc).await.expect("start").finished().await.expect("run");
    assert_eq!(run.state, RunState::Completed, "{run:?}");
    let mut rec = Vec::new();
    let mut found = None;
    loop {
        let e = next(&mut ws).await;
        let kind = e["type"].as_str().unwrap_or_default().to_owned();
        if kind == "discoveryFound" {
            found = Some(e.clone());
        }
        if kind.starts_with("discovery") {
            rec.push(Recorded { method: "GET".into(), path: "/api/v1/events".into(), status: 101, body: e });
        }
        if kind == "discoveryFinished" {
            break;
        }
    }
    let kinds: std::collections::BTreeSet<&str> = rec.iter().filter_map(|r| r.body["type"].as_str()).collect();
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["discoveryFinished", "discoveryFound", "discoveryProgress"]);
    let found = found.expect("found");
    assert_eq!(found["device"]["classification"]["vendor"]["value"], "Cisco", "{found:#}");
    assert!(found["device"]["classification"]["kind"]["evidence"].as_array().is_some_and(|a| !a.is_empty()));
    openapi_check(&r.text, &rec).unwrap_or_else(|e| panic!("{e}"));

    // The schemas have teeth: each of these no longer matches.
    let mut no_kind = found.clone();
    no_kind["device"]["classification"].as_object_mut().expect("classification").remove("kind");
    let mut bad_phase = rec[0].body.clone();
    bad_phase["progress"] = json!({"runId": run.id, "phase": "sweeping", "probed": 0, "total": 1, "found": 0});
    let mut bad_run = rec.last().expect("finished").body.clone();
    bad_run["run"]["state"] = json!("paused");
    for body in [no_kind, bad_phase, bad_run] {
        let bad = Recorded { method: "GET".into(), path: "/api/v1/events".into(), status: 101, body: body.clone() };
        assert!(openapi_check(&r.text, &[bad]).is_err(), "{body} passed as a WebSocket message");
    }
    s.shutdown().await;
}
