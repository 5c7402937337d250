//! The web console's files: served at `/` over TLS without a login, with a
//! strict Content-Security-Policy, their content types and cache headers;
//! the console's own routes fall back to `index.html`, while `/api/...`
//! keeps its JSON 404 and its authentication. A `--ui-dir` without
//! `index.html` stops the binary before it opens anything.

mod common;

use common::{Server, FIXTURE_INDEX};
use reqwest::Method;

#[tokio::test(flavor = "multi_thread")]
async fn the_console_is_served_without_login_and_the_api_keeps_its_auth() {
    let s = Server::start().await;

    let index = s.call(Method::GET, "/", None, None).await;
    assert_eq!(index.status, 200, "{}", index.text);
    assert_eq!(index.text, FIXTURE_INDEX);
    assert_eq!(index.headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(index.headers["cache-control"], "no-cache");
    let csp = index.headers["content-security-policy"].to_str().expect("ascii");
    assert_eq!(csp, meridian_server::CSP);
    assert!(csp.contains("script-src 'self';") && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"));
    assert_eq!(index.headers["x-content-type-options"], "nosniff");

    let js = s.call(Method::GET, "/assets/index-Ab12.js", None, None).await;
    assert_eq!((js.status, js.text.as_str()), (200, "console.log(1);\n"));
    assert_eq!(js.headers["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(js.headers["cache-control"], "public, max-age=31536000, immutable");
    assert!(js.headers.contains_key("content-security-policy"));

    // The console's own routes are the page; a missing file is not.
    let route = s.call(Method::GET, "/device/0190a0b0-0000-7000-8000-000000000000", None, None).await;
    assert_eq!((route.status, route.text.as_str()), (200, FIXTURE_INDEX));
    let missing = s.call(Method::GET, "/assets/gone-123.js", None, None).await;
    assert_eq!(missing.status, 404);
    assert!(!missing.text.contains("<script"), "a missing asset is not the page");

    // Nothing outside the directory, however the path is spelt.
    for bad in ["/assets/..%5c..%5cCargo.toml", "/..%2f..%2fetc%2fpasswd", "/.hidden", "/assets/%00.js"] {
        let r = s.call(Method::GET, bad, None, None).await;
        assert_eq!(r.status, 404, "{bad}: {}", r.text);
        assert!(!r.text.contains("root:"), "{bad}");
    }

    // `/api` keeps JSON 404s and its authentication.
    let nope = s.call(Method::GET, "/api/v1/no-such-thing", None, None).await;
    assert_eq!((nope.status, nope.kind().as_str()), (404, "not_found"), "{}", nope.text);
    let api_root = s.call(Method::GET, "/api", None, None).await;
    assert_eq!((api_root.status, api_root.kind().as_str()), (404, "not_found"));
    let devices = s.call(Method::GET, "/api/v1/devices", None, None).await;
    assert_eq!((devices.status, devices.kind().as_str()), (401, "unauthorized"));
    let admin = s.user("admin").token.clone();
    assert_eq!(s.call(Method::GET, "/api/v1/devices", Some(&admin), None).await.status, 200);

    // Files are read-only.
    let post = s.call(Method::POST, "/index.html", None, Some(serde_json::json!({}))).await;
    assert_eq!(post.status, 405, "{}", post.text);
    s.shutdown().await;
}

#[test]
fn a_ui_dir_without_index_html_stops_the_server_before_it_starts() {
    let empty = tempfile::tempdir().expect("dir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_meridian-server"))
        .arg("--ui-dir")
        .arg(empty.path())
        .env("MERIDIAN_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .env("MERIDIAN_SERVER_STATE", empty.path().join("state"))
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--ui-dir") && err.contains("no index.html"), "{err}");
    assert!(!empty.path().join("state").exists(), "nothing was created");
}
