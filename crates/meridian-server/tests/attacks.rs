//! Bad input and attacks against a real server: brute force, CSRF,
//! injection, malformed and over-long bodies, secrets in replies, logs and
//! the audit trail, plaintext on the TLS port, and rewriting the trail.

mod common;

use std::time::Duration;

use common::{Server, ADMIN_PASSWORD, USER_PASSWORD};
use meridian_service::auth::AuthPolicy;
use reqwest::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn login(s: &Server, name: &str, password: &str) -> common::Reply {
    s.call(Method::POST, "/api/v1/login", None, Some(json!({"name": name, "password": password}))).await
}

#[tokio::test(flavor = "multi_thread")]
async fn five_bad_passwords_lock_the_account() {
    common::capture_logs();
    let s = Server::start_with(AuthPolicy { lockout_after: 5, ..AuthPolicy::default() }).await;
    for i in 1..=4 {
        let r = login(&s, "viewer", &format!("wrong-password-{i:04}")).await;
        assert_eq!((r.status, r.kind().as_str()), (401, "unauthorized"), "attempt {i}: {}", r.text);
    }
    let fifth = login(&s, "viewer", "wrong-password-0005").await;
    assert_eq!((fifth.status, fifth.kind().as_str()), (423, "locked"), "{}", fifth.text);
    let right = login(&s, "viewer", USER_PASSWORD).await;
    assert_eq!(right.status, 423, "the right password no longer opens a locked account: {}", right.text);
    // The viewer's token stops working too.
    let r = s.call(Method::GET, "/api/v1/me", Some(&s.user("viewer").token), None).await;
    assert_eq!(r.status, 423, "{}", r.text);
    // An unknown name answers like a wrong password.
    let ghost = login(&s, "nobody-here", "whatever-password").await;
    assert_eq!((ghost.status, ghost.kind().as_str()), (401, "unauthorized"));
    assert_eq!(ghost.json()["detail"], login(&s, "operator", "wrong-password-0001").await.json()["detail"]);

    let admin = s.user("admin");
    let trail = s.call(Method::GET, "/api/v1/audit?action=login.failed&limit=50", Some(&admin.token), None).await;
    assert_eq!(trail.json().as_array().expect("rows").len(), 7, "{}", trail.text);
    let locked = s.call(Method::GET, "/api/v1/audit?action=user.locked", Some(&admin.token), None).await.json();
    assert_eq!(locked[0]["actor"], "viewer");
    assert!(common::logs().contains("account locked after failed logins"), "the lockout is logged");

    // An admin unlocks; the password works again.
    let id = s.user("viewer").caller.actor.user_id.expect("id");
    let r =
        s.call(Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin.token), Some(json!({"unlock": true}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(login(&s, "viewer", USER_PASSWORD).await.status, 200);
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_need_the_csrf_token_to_change_anything() {
    let s = Server::start().await;
    let r = login(&s, "operator", USER_PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let cookie = r.headers.get("set-cookie").expect("cookie").to_str().expect("ascii").to_owned();
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} missing from {cookie}");
    }
    let session = cookie.split(';').next().expect("pair").to_owned();
    let body = r.json();
    let csrf = body["csrfToken"].as_str().expect("csrf").to_owned();
    assert!(!r.text.contains(session.split('=').nth(1).expect("value")), "the session secret is only in the cookie");

    let alarm = s.raise(&s.dev_a, "csrf").await;
    let url = format!("{}/api/v1/alarms/{}/ack", s.url, alarm.id);
    let send = |csrf: Option<&str>| {
        let mut rb = s.client.post(&url).header("cookie", &session).json(&json!({}));
        if let Some(c) = csrf {
            rb = rb.header("x-csrf-token", c);
        }
        rb.send()
    };
    let me = s.client.get(format!("{}/api/v1/me", s.url)).header("cookie", &session).send().await.expect("me");
    assert_eq!(me.status().as_u16(), 200, "reads need no CSRF token");
    for bad in [None, Some("wrong-token")] {
        let r = common::Reply::from(send(bad).await.expect("post")).await;
        assert_eq!((r.status, r.kind().as_str()), (403, "forbidden"), "{bad:?}: {}", r.text);
    }
    let unchanged = s.store.get_alarm(&alarm.id.to_string()).await.expect("alarm");
    assert!(unchanged.acked_at.is_none(), "a refused request wrote nothing");
    let ok = common::Reply::from(send(Some(&csrf)).await.expect("post")).await;
    assert_eq!(ok.status, 200, "{}", ok.text);

    let out = s
        .client
        .post(format!("{}/api/v1/logout", s.url))
        .header("cookie", &session)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .expect("logout");
    assert_eq!(out.status().as_u16(), 200);
    let after = s.client.get(format!("{}/api/v1/me", s.url)).header("cookie", &session).send().await.expect("me");
    assert_eq!(after.status().as_u16(), 401, "the session ended");
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn injection_and_malformed_bodies_get_field_errors_and_write_nothing() {
    let s = Server::start().await;
    let admin = s.user("admin");
    let tech = s.user("technician");
    let count = |table: &'static str| {
        let store = &s.store;
        async move {
            // Token use is audited on first use; that is not a write by the request.
            let sql = match table {
                "audit_trail" => "SELECT count(*) FROM audit_trail WHERE action <> 'token.use'".to_owned(),
                t => format!("SELECT count(*) FROM {t}"),
            };
            let n: i64 =
                sqlx::query_scalar(&sql).fetch_one(&mut *store.conn().await.expect("conn")).await.expect("count");
            n
        }
    };
    let before = (count("devices").await, count("users").await, count("audit_trail").await);
    let evil = "x'); DROP TABLE devices; --";
    let cases: Vec<(Method, &str, &str, Option<serde_json::Value>, &str)> = vec![
        (
            Method::POST,
            "/api/v1/users",
            &admin.token,
            Some(json!({"name": evil, "password": USER_PASSWORD, "role": "viewer"})),
            "name",
        ),
        (
            Method::POST,
            "/api/v1/users",
            &admin.token,
            Some(json!({"name": "ok-name", "password": "short", "role": "viewer"})),
            "password",
        ),
        (
            Method::POST,
            "/api/v1/users",
            &admin.token,
            Some(json!({"name": "ok-name", "password": USER_PASSWORD, "role": "root"})),
            "body",
        ),
        (
            Method::POST,
            "/api/v1/users",
            &admin.token,
            Some(json!({"name": "ok-name", "password": USER_PASSWORD, "role": "viewer", "sites": [evil]})),
            "sites",
        ),
        (
            Method::POST,
            "/api/v1/users",
            &admin.token,
            Some(json!({"name": "ok-name", "password": USER_PASSWORD, "role": "viewer", "isAdmin": true})),
            "body",
        ),
        (
            Method::POST,
            "/api/v1/devices",
            &tech.token,
            Some(json!({"name": evil, "address": "127.0.0.1'--", "site": "site-a", "tags": []})),
            "address",
        ),
        (
            Method::POST,
            "/api/v1/devices",
            &tech.token,
            Some(json!({"name": "d", "address": "127.0.9.9", "site": evil, "tags": []})),
            "site",
        ),
        (
            Method::POST,
            "/api/v1/tokens",
            &admin.token,
            Some(json!({"name": "t", "expiresInDays": 100000})),
            "expiresInDays",
        ),
        (Method::POST, "/api/v1/tokens", &tech.token, Some(json!({"name": "t", "role": "operator"})), "role"),
        (Method::GET, "/api/v1/audit?limit=0", &admin.token, None, "limit"),
        (Method::GET, "/api/v1/audit?since=yesterday", &admin.token, None, "query"),
        (Method::GET, "/api/v1/alarms?limit=1;DROP", &admin.token, None, "query"),
    ];
    for (method, path, token, body, field) in cases {
        let r = s.call(method.clone(), path, Some(token), body.clone()).await;
        assert_eq!(r.status, 400, "{method} {path} {body:?}: {}", r.text);
        let v = r.json();
        assert_eq!(v["kind"], "validation", "{}", r.text);
        let fields: Vec<&str> =
            v["fields"].as_array().expect("fields").iter().filter_map(|f| f["field"].as_str()).collect();
        assert!(fields.contains(&field), "{method} {path}: expected a '{field}' field error, got {}", r.text);
    }
    // Filters with SQL metacharacters are data, not SQL.
    for q in ["actor=x%27%20OR%20%271%27%3D%271", "action=%3B%20DELETE%20FROM%20audit_trail", "entity=%25"] {
        let r = s.call(Method::GET, &format!("/api/v1/audit?{q}"), Some(&admin.token), None).await;
        assert_eq!((r.status, r.text.as_str()), (200, "[]"), "{q}");
    }
    let r = s.call(Method::GET, &format!("/api/v1/devices/{}", urlencode(evil)), Some(&admin.token), None).await;
    assert_eq!(r.status, 404, "{}", r.text);

    // Malformed and over-long JSON.
    let raw = |body: Vec<u8>, ctype: &'static str| {
        s.client
            .post(format!("{}/api/v1/users", s.url))
            .bearer_auth(&admin.token)
            .header("content-type", ctype)
            .body(body)
            .send()
    };
    for (body, ctype, status) in [
        (b"{\"name\": ".to_vec(), "application/json", 400),
        (b"\xff\xfe\x00garbage".to_vec(), "application/json", 400),
        (b"[1,2,3]".to_vec(), "application/json", 400),
        (b"{}".to_vec(), "text/plain", 415),
        (format!("{{\"name\": \"{}\"}}", "a".repeat(100_000)).into_bytes(), "application/json", 413),
    ] {
        let r = common::Reply::from(raw(body, ctype).await.expect("send")).await;
        assert_eq!(r.status, status, "{}", r.text);
        assert_eq!(r.json()["fields"][0]["field"], "body", "{}", r.text);
    }
    let after = (count("devices").await, count("users").await, count("audit_trail").await);
    assert_eq!(before, after, "(devices, users, audit rows) unchanged");
    s.shutdown().await;
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn no_reply_log_or_audit_row_holds_a_secret() {
    common::capture_logs();
    let s = Server::start().await;
    let admin = s.user("admin");
    let mut replies = String::new();
    let new_pw = "brand-new-password-77";
    let r = s
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin.token),
            Some(json!({"name": "carol", "password": new_pw, "role": "viewer", "allSites": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let carol = r.json()["id"].as_str().expect("id").to_owned();
    replies.push_str(&r.text);
    let changed_pw = "changed-password-8888";
    let r = s
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{carol}"),
            Some(&admin.token),
            Some(json!({"password": changed_pw})),
        )
        .await;
    replies.push_str(&r.text);
    let r = login(&s, "carol", changed_pw).await;
    assert_eq!(r.status, 200);
    replies.push_str(&r.text);
    let session = r.session_pair().split_once('=').expect("pair").1.to_owned();
    replies.push_str(&login(&s, "carol", "wrong-password-9999").await.text);
    let t = s.call(Method::POST, "/api/v1/tokens", Some(&admin.token), Some(json!({"name": "ci"}))).await;
    let token_secret = t.json()["secret"].as_str().expect("secret shown once").to_owned();
    for path in ["/api/v1/users", "/api/v1/tokens", "/api/v1/audit?limit=1000", &format!("/api/v1/users/{carol}")] {
        replies.push_str(&s.call(Method::GET, path, Some(&admin.token), None).await.text);
    }
    replies.push_str(&s.call(Method::GET, "/api/v1/me", Some(&token_secret), None).await.text);
    let hashes: Vec<String> = sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_all(&mut *s.store.conn().await.expect("conn"))
        .await
        .expect("hashes");
    let audit: Vec<String> = sqlx::query_scalar("SELECT row_to_json(a)::text FROM audit_trail a")
        .fetch_all(&mut *s.store.conn().await.expect("conn"))
        .await
        .expect("audit");
    let audit = audit.join("\n");
    let logs = common::logs();
    let mut secrets = vec![
        new_pw.to_owned(),
        changed_pw.to_owned(),
        "wrong-password-9999".into(),
        ADMIN_PASSWORD.into(),
        USER_PASSWORD.into(),
        token_secret.clone(),
        session,
    ];
    secrets.extend(s.users.iter().map(|u| u.token.clone()));
    secrets.extend(hashes.iter().cloned());
    for secret in &secrets {
        assert!(!replies.contains(secret.as_str()), "a reply holds a secret");
        assert!(!audit.contains(secret.as_str()), "an audit row holds a secret");
        assert!(!logs.contains(secret.as_str()), "a log line holds a secret");
    }
    assert!(!replies.contains("$argon2") && !audit.contains("$argon2") && !logs.contains("$argon2"));
    assert!(hashes.iter().all(|h| h.starts_with("$argon2id$")), "passwords are stored as argon2id");
    assert!(audit.contains("user.password") && audit.contains("token.create"), "the changes are in the trail");
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_port_speaks_only_tls() {
    let s = Server::start().await;
    let mut tcp = tokio::net::TcpStream::connect(s.addr).await.expect("connect");
    tcp.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").await.expect("write");
    let mut buf = vec![0u8; 1024];
    let n =
        tokio::time::timeout(Duration::from_secs(10), tcp.read(&mut buf)).await.expect("answer or close").unwrap_or(0);
    assert!(!buf[..n].starts_with(b"HTTP/"), "plain HTTP got an HTTP answer: {:?}", String::from_utf8_lossy(&buf[..n]));
    let plain = s.client.get(format!("http://127.0.0.1:{}/health", s.addr.port())).send().await;
    assert!(plain.is_err(), "a plain HTTP client gets no response");
    let ok = s.call(Method::GET, "/health", None, None).await;
    assert_eq!((ok.status, ok.json()["status"].as_str()), (200, Some("ok")));

    // The opt-in plaintext listener serves /health only, and only on loopback.
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = l.local_addr().expect("addr").port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(meridian_server::serve_health(l, async {
        let _ = stopped.await;
    }));
    let c = &s.client;
    let h = c.get(format!("http://127.0.0.1:{port}/health")).send().await.expect("health");
    assert_eq!(h.status().as_u16(), 200);
    let api = c.get(format!("http://127.0.0.1:{port}/api/v1/devices")).send().await.expect("api");
    assert_eq!(api.status().as_u16(), 404, "no API on the plaintext port");
    let _ = stop.send(());
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_rows_cannot_be_changed_through_the_servers_database() {
    let s = Server::start().await;
    let admin = s.user("admin");
    let r = s
        .call(
            Method::POST,
            "/api/v1/devices",
            Some(&admin.token),
            Some(json!({"name": "r9", "address": common::next_address(), "tags": []})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut conn = s.store.conn().await.expect("conn");
    for sql in ["UPDATE audit_trail SET actor = 'mallory'", "DELETE FROM audit_trail", "TRUNCATE audit_trail"] {
        let e = sqlx::query(sql).execute(&mut *conn).await.expect_err(sql);
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_trail WHERE action = 'device.add' AND actor = 'admin'")
        .fetch_one(&mut *conn)
        .await
        .expect("count");
    assert_eq!(n, 1);
    drop(conn);
    s.shutdown().await;
}
