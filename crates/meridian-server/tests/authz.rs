//! The authorisation matrix, built from the router's own route list: a
//! route without an entry here fails the test. Every route is tried with
//! every role, with no credentials, with an expired and a revoked token,
//! and (for site-bound routes) on the other site's records.

mod common;

use chrono::{Duration, Utc};
use common::{device, Server, User, USER_PASSWORD};
use meridian_service::auth::{Role, TokenInput};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The roles that may call a route; `None` for the two public ones.
fn allowed(method: &Method, route: &str) -> Option<Option<&'static [Role]>> {
    use Role::*;
    const ALL: &[Role] = &[Admin, Operator, Technician, Viewer];
    let r: Option<&'static [Role]> = match (method.as_str(), route) {
        ("GET", "/health") | ("POST", "/api/v1/login") => None,
        ("POST", "/api/v1/logout") | ("GET", "/api/v1/me") => Some(ALL),
        ("GET", "/api/v1/devices" | "/api/v1/devices/{key}" | "/api/v1/sites" | "/api/v1/alarms") => Some(ALL),
        ("POST", "/api/v1/devices") | ("PATCH" | "DELETE", "/api/v1/devices/{key}") => Some(&[Admin, Technician]),
        ("POST", "/api/v1/alarms/{id}/ack" | "/api/v1/alarms/{id}/clear") => Some(&[Admin, Operator]),
        ("POST", "/api/v1/alarms/{id}/comments") => Some(&[Admin, Operator, Technician]),
        ("POST", "/api/v1/reports" | "/api/v1/reports/{format}") => Some(ALL),
        ("GET" | "POST", "/api/v1/users") | ("GET" | "PATCH" | "DELETE", "/api/v1/users/{id}") => Some(&[Admin]),
        ("GET" | "POST", "/api/v1/tokens") | ("DELETE", "/api/v1/tokens/{id}") => Some(ALL),
        ("GET", "/api/v1/audit") => Some(&[Admin]),
        ("GET", "/api/v1/events" | "/api/openapi.json") => Some(ALL),
        _ => return None,
    };
    Some(r)
}

/// A concrete request for one call of a route by `user`: fresh records for
/// destructive calls. `outside` asks for the site-B variant; `None` when the
/// route is not site-bound.
async fn request(
    s: &Server,
    method: &Method,
    route: &str,
    user: &User,
    outside: bool,
) -> Option<(String, Option<Value>)> {
    let n = uuid::Uuid::now_v7().simple().to_string();
    let (dev, site) = if outside { (&s.dev_b, "site-b") } else { (&s.dev_a, "site-a") };
    let site_bound = |r: (String, Option<Value>)| Some(r);
    let plain = |r: (String, Option<Value>)| if outside { None } else { Some(r) };
    match (method.as_str(), route) {
        ("GET", "/health") => plain(("/health".into(), None)),
        ("POST", "/api/v1/login") => plain((route.into(), Some(json!({"name": "viewer", "password": USER_PASSWORD})))),
        ("GET", "/api/v1/devices/{key}") => site_bound((format!("/api/v1/devices/{}", dev.id), None)),
        ("PATCH", "/api/v1/devices/{key}") => {
            site_bound((format!("/api/v1/devices/{}", dev.id), Some(json!({"vendor": format!("v{}", &n[..8])}))))
        }
        ("DELETE", "/api/v1/devices/{key}") => {
            let d = s.app.add_device(device(&format!("tmp-{n}"), &common::next_address(), Some(site))).await.ok()?;
            site_bound((format!("/api/v1/devices/{}", d.id), None))
        }
        ("POST", "/api/v1/devices") => site_bound((
            route.into(),
            Some(json!({"name": format!("new-{n}"), "address": common::next_address(), "site": site, "tags": []})),
        )),
        ("POST", "/api/v1/alarms/{id}/ack" | "/api/v1/alarms/{id}/clear" | "/api/v1/alarms/{id}/comments") => {
            let a = s.raise(dev, &n).await;
            let path = route.replace("{id}", &a.id.to_string());
            let body = if route.ends_with("comments") { json!({"text": "looking"}) } else { json!({}) };
            site_bound((path, if route.ends_with("clear") { None } else { Some(body) }))
        }
        ("POST", "/api/v1/reports" | "/api/v1/reports/{format}") => {
            let to = Utc::now();
            let body = json!({"kind": "availability", "from": to - Duration::days(1), "to": to, "site": site});
            site_bound((route.replace("{format}", "csv"), Some(body)))
        }
        ("POST", "/api/v1/users") => plain((
            route.into(),
            Some(
                json!({"name": format!("u{}", &n[..20]), "password": USER_PASSWORD, "role": "viewer", "allSites": true}),
            ),
        )),
        ("GET" | "PATCH" | "DELETE", "/api/v1/users/{id}") => {
            let input = meridian_service::auth::UserInput {
                name: format!("t{}", &n[..20]),
                password: USER_PASSWORD.into(),
                role: Role::Viewer,
                all_sites: true,
                sites: vec![],
            };
            let u = s.app.create_user(&s.admin_caller, input).await.ok()?;
            let body = (method == Method::PATCH).then(|| json!({"role": "operator"}));
            plain((format!("/api/v1/users/{}", u.id), body))
        }
        ("POST", "/api/v1/tokens") => plain((route.into(), Some(json!({"name": "t", "expiresInDays": 1})))),
        ("DELETE", "/api/v1/tokens/{id}") => {
            let input = TokenInput { name: "tmp".into(), role: Some(Role::Viewer), expires_in_days: Some(1) };
            let t = s.app.create_token(&user.caller, input, &Default::default()).await.ok()?;
            plain((format!("/api/v1/tokens/{}", t.token.id), None))
        }
        ("POST", "/api/v1/logout")
        | ("GET", "/api/v1/me" | "/api/v1/devices" | "/api/v1/sites" | "/api/v1/alarms")
        | ("GET", "/api/v1/users" | "/api/v1/tokens" | "/api/v1/audit" | "/api/v1/events" | "/api/openapi.json") => {
            plain((route.into(), None))
        }
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_route_against_every_role_and_bad_credential() {
    let s = Server::start().await;
    assert!(s.routes.len() >= 20, "the router lists its routes: {:?}", s.routes);
    let missing: Vec<_> =
        s.routes.iter().filter(|(m, r)| allowed(m, r).is_none()).map(|(m, r)| format!("{m} {r}")).collect();
    assert!(missing.is_empty(), "routes without an authorisation entry: {missing:?}");

    // An expired token (written straight to the store) and a revoked one.
    let viewer = s.user("viewer");
    let expired = "mrd_expired-token-secret-for-the-matrix-test-000";
    let hash = Sha256::digest(expired.as_bytes()).to_vec();
    let new = meridian_store::NewToken {
        id: uuid::Uuid::now_v7(),
        user_id: viewer.caller.actor.user_id.expect("id"),
        name: "old",
        secret_hash: &hash,
        role: "viewer",
        expires_at: Utc::now() - Duration::minutes(1),
    };
    s.store.insert_token(&new, Utc::now() - Duration::days(2)).await.expect("expired token");
    let input = TokenInput { name: "gone".into(), role: None, expires_in_days: Some(1) };
    let revoked = s.app.create_token(&viewer.caller, input, &Default::default()).await.expect("token");
    s.app.revoke_token(&viewer.caller, &revoked.token.id.to_string()).await.expect("revoke");

    let mut checked = 0;
    for (method, route) in s.routes.clone() {
        let roles = allowed(&method, route).expect("entry");
        let Some(roles) = roles else {
            let (path, body) = request(&s, &method, route, viewer, false).await.expect("public request");
            let r = s.call(method.clone(), &path, None, body).await;
            assert_eq!(r.status, 200, "{method} {route} is public: {}", r.text);
            continue;
        };
        for (label, token) in [
            ("no credentials", None),
            ("expired token", Some(expired)),
            ("revoked token", Some(revoked.secret.as_str())),
        ] {
            let (path, body) = request(&s, &method, route, viewer, false).await.expect("request");
            let r = s.call(method.clone(), &path, token, body).await;
            assert_eq!(r.status, 401, "{method} {route} with {label}: {}", r.text);
            assert_eq!(r.kind(), "unauthorized");
        }
        for name in ["admin", "operator", "technician", "viewer"] {
            let u = s.user(name);
            let (path, body) = request(&s, &method, route, u, false).await.expect("request");
            let r = s.call(method.clone(), &path, Some(&u.token), body).await;
            if roles.contains(&u.role) {
                let ok = (200..300).contains(&r.status) || (r.status == 101 && route == "/api/v1/events");
                assert!(ok, "{name} may {method} {path}: {} {}", r.status, r.text);
            } else {
                assert_eq!(r.status, 403, "{name} may not {method} {path}: {}", r.text);
                assert_eq!(r.kind(), "forbidden");
            }
            checked += 1;
        }
        // Outside their sites: the site-A technician and operator on site B.
        for name in ["technician", "operator_a"] {
            let u = s.user(name);
            let Some((path, body)) = request(&s, &method, route, u, true).await else { continue };
            let r = s.call(method.clone(), &path, Some(&u.token), body).await;
            if roles.contains(&u.role) {
                assert_eq!(r.status, 403, "{name} on site B: {method} {path}: {}", r.text);
            } else {
                assert_eq!(r.status, 403, "{name} lacks the role anyway: {method} {path}: {}", r.text);
            }
            checked += 1;
        }
    }
    assert!(checked > 80, "{checked} role checks");
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn viewer_cannot_ack_and_technician_sees_only_their_sites() {
    let s = Server::start().await;
    let alarm_a = s.raise(&s.dev_a, "a").await;
    let alarm_b = s.raise(&s.dev_b, "b").await;
    let viewer = s.user("viewer");
    let r =
        s.call(Method::POST, &format!("/api/v1/alarms/{}/ack", alarm_a.id), Some(&viewer.token), Some(json!({}))).await;
    assert_eq!((r.status, r.kind().as_str()), (403, "forbidden"), "{}", r.text);
    let still = s.store.get_alarm(&alarm_a.id.to_string()).await.expect("alarm");
    assert!(still.acked_at.is_none(), "the refused ack changed nothing");

    let tech = s.user("technician");
    let names = |v: Value| -> Vec<String> {
        v.as_array().expect("array").iter().map(|d| d["name"].as_str().unwrap_or("").to_owned()).collect()
    };
    let devices = s.call(Method::GET, "/api/v1/devices", Some(&tech.token), None).await;
    assert_eq!(names(devices.json()), vec!["dev-a"]);
    let sites = s.call(Method::GET, "/api/v1/sites", Some(&tech.token), None).await;
    assert_eq!(names(sites.json()), vec!["site-a"]);
    let alarms = s.call(Method::GET, "/api/v1/alarms", Some(&tech.token), None).await.json();
    let ids: Vec<&str> = alarms.as_array().expect("array").iter().filter_map(|a| a["id"].as_str()).collect();
    assert!(
        ids.contains(&alarm_a.id.to_string().as_str()) && !ids.contains(&alarm_b.id.to_string().as_str()),
        "{ids:?}"
    );
    let admin = s.user("admin");
    let all = s.call(Method::GET, "/api/v1/devices", Some(&admin.token), None).await;
    assert_eq!(names(all.json()).len(), 2);

    // An operator acks on their site; the trail has it with before/after.
    let op = s.user("operator");
    let r = s
        .call(
            Method::POST,
            &format!("/api/v1/alarms/{}/ack", alarm_a.id),
            Some(&op.token),
            Some(json!({"comment": "on it"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let trail = s.call(Method::GET, "/api/v1/audit?action=alarm.ack", Some(&admin.token), None).await.json();
    let row = &trail.as_array().expect("rows")[0];
    assert_eq!(
        (row["actor"].as_str(), row["entityId"].as_str()),
        (Some("operator"), Some(alarm_a.id.to_string().as_str()))
    );
    assert!(row["before"]["ackedAt"].is_null() && row["after"]["ackedBy"] == "operator", "{row}");
    assert_eq!(row["source"], "127.0.0.1");
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_stay_within_their_owner_and_role_changes_end_sessions() {
    let s = Server::start().await;
    let admin = s.user("admin");
    let op = s.user("operator");
    // A viewer-scoped token of the operator cannot ack.
    let r =
        s.call(Method::POST, "/api/v1/tokens", Some(&op.token), Some(json!({"name": "ro", "role": "viewer"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let ro = r.json()["secret"].as_str().expect("secret").to_owned();
    let alarm = s.raise(&s.dev_a, "scoped").await;
    let ack = format!("/api/v1/alarms/{}/ack", alarm.id);
    assert_eq!(s.call(Method::POST, &ack, Some(&ro), Some(json!({}))).await.status, 403);
    // A session of the operator, then a demotion to viewer by the admin.
    let login =
        s.call(Method::POST, "/api/v1/login", None, Some(json!({"name": "operator", "password": USER_PASSWORD}))).await;
    let cookie = login.session_pair();
    let id = op.caller.actor.user_id.expect("id");
    let r = s
        .call(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin.token), Some(json!({"role": "viewer"})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // The operator-role token is now above its owner: refused outright.
    let r = s.call(Method::GET, "/api/v1/me", Some(&op.token), None).await;
    assert_eq!((r.status, r.kind().as_str()), (401, "unauthorized"), "{}", r.text);
    // The viewer-role token still reads, and still cannot ack.
    assert_eq!(s.call(Method::GET, "/api/v1/me", Some(&ro), None).await.json()["role"], "viewer");
    assert_eq!(s.call(Method::POST, &ack, Some(&ro), Some(json!({}))).await.status, 403);
    let me = s.client.get(format!("{}/api/v1/me", s.url)).header("cookie", &cookie).send().await.expect("me");
    assert_eq!(me.status().as_u16(), 401, "the role change ended the session");
    let trail = s.call(Method::GET, "/api/v1/audit?action=user.edit", Some(&admin.token), None).await.json();
    let row = &trail.as_array().expect("rows")[0];
    assert_eq!((row["before"]["role"].as_str(), row["after"]["role"].as_str()), (Some("operator"), Some("viewer")));
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_an_admin_locks_an_account_and_the_lock_holds_until_unlocked() {
    let s = Server::start().await;
    let admin = s.user("admin");
    let target = s.add_user("to-lock", Role::Operator, &[]).await;
    let id = target.caller.actor.user_id.expect("id");
    let url = format!("/api/v1/users/{id}");
    let lock = Some(json!({"lock": true}));
    for who in ["operator", "technician", "viewer", "operator_a"] {
        let r = s.call(Method::PATCH, &url, Some(&s.user(who).token), lock.clone()).await;
        assert_eq!((r.status, r.kind().as_str()), (403, "forbidden"), "{who}: {}", r.text);
    }
    let both = s.call(Method::PATCH, &url, Some(&admin.token), Some(json!({"lock": true, "unlock": true}))).await;
    assert_eq!(both.status, 400, "{}", both.text);
    assert_eq!(both.json()["fields"][0]["field"], "lock");
    let own = format!("/api/v1/users/{}", admin.caller.actor.user_id.expect("admin id"));
    let me = s.call(Method::PATCH, &own, Some(&admin.token), lock.clone()).await;
    assert_eq!((me.status, me.json()["fields"][0]["field"].as_str()), (400, Some("lock")), "{}", me.text);
    let login =
        || s.call(Method::POST, "/api/v1/login", None, Some(json!({"name": "to-lock", "password": USER_PASSWORD})));
    let cookie = login().await.session_pair();
    assert_eq!(s.call(Method::GET, "/api/v1/me", Some(&target.token), None).await.status, 200);

    let r = s.call(Method::PATCH, &url, Some(&admin.token), lock.clone()).await;
    assert_eq!((r.status, r.json()["locked"].as_bool()), (200, Some(true)), "{}", r.text);
    assert_eq!(s.call(Method::GET, "/api/v1/me", Some(&target.token), None).await.status, 423, "its token stops");
    assert_eq!(login().await.status, 423, "the right password does not open it");
    let me = s.client.get(format!("{}/api/v1/me", s.url)).header("cookie", &cookie).send().await.expect("me");
    assert_eq!(me.status().as_u16(), 401, "the lock ended the session");
    let trail = s.call(Method::GET, "/api/v1/audit?action=user.lock", Some(&admin.token), None).await.json();
    let row = &trail.as_array().expect("rows")[0];
    assert_eq!((row["actor"].as_str(), row["entityId"].as_str()), (Some("admin"), Some(&*id.to_string())), "{row}");
    assert_eq!((row["before"]["locked"].as_bool(), row["after"]["locked"].as_bool()), (Some(false), Some(true)));
    // Locking again changes nothing; an unlock opens it again.
    assert_eq!(s.call(Method::PATCH, &url, Some(&admin.token), lock).await.status, 200);
    let r = s.call(Method::PATCH, &url, Some(&admin.token), Some(json!({"unlock": true}))).await;
    assert_eq!((r.status, r.json()["locked"].as_bool()), (200, Some(false)), "{}", r.text);
    assert_eq!(login().await.status, 200);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_role_lists_creates_and_revokes_only_its_own_tokens() {
    let s = Server::start().await;
    let admin_token = s.user("admin").token.clone();
    let others = s.call(Method::GET, "/api/v1/tokens", Some(&admin_token), None).await.json();
    for who in ["operator", "technician", "viewer"] {
        let u = s.user(who);
        let mine = |list: &Value| list.as_array().expect("tokens").iter().all(|t| t["owner"] == who);
        let list = s.call(Method::GET, "/api/v1/tokens", Some(&u.token), None).await.json();
        assert!(mine(&list) && list.as_array().is_some_and(|l| l.len() == 1), "{who} sees {list}");
        let made = s.call(Method::POST, "/api/v1/tokens", Some(&u.token), Some(json!({"name": "own"}))).await;
        assert_eq!(made.status, 200, "{}", made.text);
        let (secret, tid) =
            (made.json()["secret"].as_str().expect("secret").to_owned(), made.json()["token"]["id"].clone());
        assert_eq!(s.call(Method::GET, "/api/v1/me", Some(&secret), None).await.json()["name"], who);
        let list = s.call(Method::GET, "/api/v1/tokens", Some(&u.token), None).await;
        assert!(mine(&list.json()) && !list.text.contains(&secret), "the list never holds a secret");
        // Someone else's token is not theirs to revoke (nor to know of).
        let foreign = others.as_array().expect("tokens").iter().find(|t| t["owner"] != who).expect("a foreign token");
        let r = s
            .call(
                Method::DELETE,
                &format!("/api/v1/tokens/{}", foreign["id"].as_str().expect("id")),
                Some(&u.token),
                None,
            )
            .await;
        assert_eq!(r.status, 404, "{who}: {}", r.text);
        let r = s
            .call(Method::DELETE, &format!("/api/v1/tokens/{}", tid.as_str().expect("id")), Some(&u.token), None)
            .await;
        assert_eq!((r.status, r.json()["revoked"].as_bool()), (200, Some(true)), "{}", r.text);
        assert_eq!(s.call(Method::GET, "/api/v1/me", Some(&secret), None).await.status, 401, "revoked");
    }
    s.shutdown().await;
}
