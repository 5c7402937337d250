//! The web console in headless Chromium (`make test-web`): the real server
//! on the testkit's PostgreSQL serving the built UI (`ui/dist`, from
//! `npm run build`), driven through chromedriver by
//! `tests/e2e/web_console.py`. Ignored by plain `cargo test` because it
//! needs Chromium, chromedriver and the UI build; `make test` runs it.
//!
//! Seeded here through `meridian-service`: an operator and a viewer (from
//! `common`), two located devices of site A, one of them named
//! `<img src=x onerror=alert(1)>`, and two open alarms. The script logs in,
//! sees the map and the alarms, acknowledges one as admin and sees it
//! acknowledged in the operator's separate browser within a second, finds
//! the ack in the audit trail, checks the hostile name is text, and that
//! the viewer's ack is refused with the server's 403.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{Server, ADMIN_PASSWORD, USER_PASSWORD};
use meridian_service::auth::AuthPolicy;
use meridian_service::DeviceInput;

pub const HOSTILE: &str = "<img src=x onerror=alert(1)>";

fn located(name: &str, address: &str, lat: f64, lon: f64) -> DeviceInput {
    serde_json::from_value(serde_json::json!({
        "name": name, "address": address, "site": "site-a", "lat": lat, "lon": lon, "tags": []
    }))
    .expect("device input")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs chromium, chromedriver and ui/dist: run by `make test-web`"]
async fn the_web_console_in_chromium() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repo root");
    let dist = std::env::var_os("MERIDIAN_UI_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("ui/dist"));
    assert!(dist.join("index.html").is_file(), "{}: build the UI first (cd ui && npm run build)", dist.display());
    let s = Server::start_full(AuthPolicy::default(), Some(dist)).await;

    let web = s.app.add_device(located("web-core-1", &common::next_address(), 48.85, 2.35)).await.expect("device");
    let hostile = s.app.add_device(located(HOSTILE, &common::next_address(), 51.5, -0.12)).await.expect("device");
    let to_ack = s.raise(&web, "web-uplink").await;
    let for_viewer = s.raise(&hostile, "web-psu").await;

    let script = root.join("tests/e2e/web_console.py");
    let out = Command::new("python3")
        .arg(&script)
        .env("WEB_URL", format!("https://localhost:{}", s.addr.port()))
        .env("WEB_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("WEB_USER_PASSWORD", USER_PASSWORD)
        .env("WEB_ALARM", to_ack.id.to_string())
        .env("WEB_VIEWER_ALARM", for_viewer.id.to_string())
        .env("WEB_HOSTILE", HOSTILE)
        .output()
        .expect("run the WebDriver script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(out.status.success(), "the web console scenario failed:\n{stdout}\n{stderr}");

    // What the browsers did is in the store: acked by admin, the viewer's alarm not.
    let alarms = s.app.alarms_for(&s.admin_caller, Default::default()).await.expect("alarms");
    let acked = alarms.iter().find(|a| a.id == to_ack.id).expect("the acked alarm");
    assert_eq!(acked.acked_by.as_deref(), Some("admin"));
    let refused = alarms.iter().find(|a| a.id == for_viewer.id).expect("the viewer's alarm");
    assert!(refused.acked_at.is_none(), "a viewer cannot acknowledge");
    s.shutdown().await;
}
