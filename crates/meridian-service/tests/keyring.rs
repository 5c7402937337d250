//! The OS keyring path against a real Secret Service: `gnome-keyring-daemon`
//! on a private D-Bus session bus started by the test. Credentials are
//! stored, read back, listed and deleted through the app with the keyring
//! forced, and `secret-tool` checks independently what the keyring holds.
//! If the daemon cannot start the test fails: the keyring path must not go
//! untested silently.

use meridian_service::{App, AppConfig, SnmpCredential, SnmpVersion, UsmInput};
use meridian_testkit::SecretService;

const SERVICE: &str = "net.meridian.desktop";
const COMMUNITY: &str = "Gk7-community-in-keyring";
const AUTH: &str = "Gk7-authpass-in-keyring";

#[tokio::test(flavor = "multi_thread")]
async fn credentials_round_trip_through_gnome_keyring() {
    let ss = SecretService::start().unwrap_or_else(|e| {
        panic!("the Secret Service could not start ({e}); run scripts/install-deps.sh (gnome-keyring, dbus)")
    });
    // The only test in this binary, so no other thread reads the variable.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", ss.address());
    let dir = tempfile::tempdir().expect("tmp");
    let mut cfg = AppConfig::with_data_dir(dir.path().to_path_buf());
    cfg.database_url = None;
    cfg.vault = Some("keyring".into());
    let app = App::open(cfg).await.expect("open with the keyring forced");
    assert_eq!(app.credential_backend().backend, "keyring");

    let v2c = app.add_community_credential("kr-v2c", SnmpVersion::V2c, COMMUNITY).await.expect("store v2c");
    let v3 = app
        .add_usm_credential(UsmInput {
            name: "kr-v3".into(),
            user: "admin".into(),
            auth_proto: Some("SHA-256".into()),
            auth_pass: Some(AUTH.into()),
            priv_proto: None,
            priv_pass: None,
        })
        .await
        .expect("store v3");
    assert_eq!((v2c.backend.as_str(), v3.backend.as_str()), ("keyring", "keyring"));

    // Read back through the app.
    match app.credential_secret("kr-v2c").await.expect("read v2c") {
        SnmpCredential::Community { community, .. } => assert_eq!(community.expose(), COMMUNITY),
        other => panic!("wrong kind {other:?}"),
    }
    match app.credential_secret("kr-v3").await.expect("read v3") {
        SnmpCredential::Usm(u) => assert_eq!(u.auth.as_ref().map(|(_, s)| s.expose()), Some(AUTH)),
        other => panic!("wrong kind {other:?}"),
    }
    // Listed by the app, and really in gnome-keyring: secret-tool finds one
    // item per credential, under its id, holding the secret.
    let names: Vec<String> = app.list_credentials().await.expect("list").into_iter().map(|c| c.name).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let found = ss.secret_tool(&["lookup", "service", SERVICE, "username", &v2c.id.to_string()]).expect("lookup");
    assert!(found.contains(COMMUNITY), "the keyring item of kr-v2c holds {found:?}");
    let all = ss.secret_tool(&["search", "--all", "service", SERVICE]).unwrap_or_default();
    assert_eq!(all.lines().filter(|l| l.starts_with("secret = ")).count(), 2, "{all}");

    // Deleted from the keyring with the credential.
    app.remove_credential("kr-v2c").await.expect("remove v2c");
    app.remove_credential("kr-v3").await.expect("remove v3");
    assert!(app.list_credentials().await.expect("list").is_empty());
    let left = ss.secret_tool(&["search", "--all", "service", SERVICE]).unwrap_or_default();
    assert!(!left.lines().any(|l| l.starts_with("secret = ")), "items left in the keyring: {left}");
    app.close().await;
}
