//! A real team server for tests: a fresh database on the testkit's native
//! PostgreSQL 15, the server on 127.0.0.1 with an ephemeral port and its
//! own self-signed certificate, and an HTTPS client trusting only that
//! certificate. Also the users, sites, devices and alarms the tests share.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod replica;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::Utc;
use meridian_core::alarm::{Alarm, AlarmId, AlarmSpec, EventType, Severity};
use meridian_server::{load_or_generate, router, serve_tls, ServerState, UiFiles};
use meridian_service::auth::{AuthPolicy, Caller, Role, TokenInput, UserInput};
use meridian_service::{App, AppConfig, Device, DeviceInput, Site, SiteInput};
use meridian_store::{Store, StoreConfig};
use meridian_testkit::NativePostgres;
use reqwest::Method;
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::oneshot;

pub const ADMIN_PASSWORD: &str = "admin-password-0001";
pub const USER_PASSWORD: &str = "user-password-00002";

/// Every log line of this test process (see [`capture_logs`]).
pub static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

struct LogWriter(Arc<Mutex<Vec<u8>>>);
impl std::io::Write for LogWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut g) = self.0.lock() {
            g.extend_from_slice(b);
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Routes every tracing event of the process, at debug, into [`LOGS`].
pub fn capture_logs() {
    let buf = LOGS.get_or_init(|| Arc::new(Mutex::new(Vec::new()))).clone();
    let _ = tracing_subscriber::fmt()
        .with_env_filter("debug,sqlx=warn,hyper=info,rustls=info")
        .with_writer(move || LogWriter(buf.clone()))
        .try_init();
}

pub fn logs() -> String {
    LOGS.get().map(|b| String::from_utf8_lossy(&b.lock().expect("logs")).into_owned()).unwrap_or_default()
}

pub struct User {
    pub name: String,
    pub role: Role,
    pub token: String,
    pub caller: Caller,
}

pub struct Server {
    pub app: Arc<App>,
    pub store: Store,
    pub url: String,
    pub addr: SocketAddr,
    pub routes: Vec<(Method, &'static str)>,
    pub client: reqwest::Client,
    pub site_a: Site,
    pub site_b: Site,
    pub dev_a: Device,
    pub dev_b: Device,
    /// admin (all sites), operator and viewer (all sites), technician and
    /// operator_a (site A only).
    pub users: Vec<User>,
    pub admin_caller: Caller,
    pub db_url: String,
    pub cert_path: std::path::PathBuf,
    stop: Option<oneshot::Sender<()>>,
    _dirs: (TempDir, TempDir),
}

impl Server {
    pub async fn start() -> Self {
        Self::start_with(AuthPolicy::default()).await
    }

    pub async fn start_with(policy: AuthPolicy) -> Self {
        Self::start_full(policy, None).await
    }

    /// `ui`: the web console's directory; `None` writes a two-file fixture.
    pub async fn start_full(policy: AuthPolicy, ui: Option<std::path::PathBuf>) -> Self {
        let pg = NativePostgres::shared().expect("native PostgreSQL");
        let db_url = pg.fresh_database().expect("database");
        let state = tempfile::tempdir().expect("state dir");
        let mut cfg = AppConfig::with_data_dir(state.path().join("data"));
        cfg.database_url = Some(db_url.clone());
        cfg.vault = Some("file".into());
        cfg.vault_key_file = Some(meridian_testkit::vault_key_file());
        cfg.actor = "meridian-server".into();
        let app = Arc::new(App::open(cfg).await.expect("open app"));
        app.listen_cluster_events().await.expect("LISTEN");
        app.init_admin("admin", ADMIN_PASSWORD).await.expect("init admin");
        let local = Caller::local("setup");
        let site_a = app.add_site(site("site-a")).await.expect("site a");
        let site_b = app.add_site(site("site-b")).await.expect("site b");
        let dev_a = app.add_device(device("dev-a", "127.0.10.1", Some("site-a"))).await.expect("dev a");
        let dev_b = app.add_device(device("dev-b", "127.0.10.2", Some("site-b"))).await.expect("dev b");
        let admin = app.list_users(&local).await.expect("users").remove(0);
        let admin_caller = caller_of(&app, "admin", admin.id).await;
        let mut users = Vec::new();
        for (name, role, sites) in [
            ("admin", Role::Admin, None),
            ("operator", Role::Operator, None),
            ("technician", Role::Technician, Some("site-a")),
            ("viewer", Role::Viewer, None),
            ("operator_a", Role::Operator, Some("site-a")),
        ] {
            let id = if name == "admin" {
                admin.id
            } else {
                let input = UserInput {
                    name: name.into(),
                    password: USER_PASSWORD.into(),
                    role,
                    all_sites: sites.is_none(),
                    sites: sites.into_iter().map(str::to_owned).collect(),
                };
                app.create_user(&local, input).await.expect("user").id
            };
            let caller = caller_of(&app, name, id).await;
            let input = TokenInput { name: format!("{name}-token"), role: None, expires_in_days: None };
            let token = app.create_token(&caller, input, &policy).await.expect("token").secret;
            users.push(User { name: name.into(), role, token, caller });
        }
        // A second store on the same database, for raising alarms and raw SQL.
        let store_dir = tempfile::tempdir().expect("store dir");
        let store = Store::open(StoreConfig::external(store_dir.path(), db_url.clone())).await.expect("store");

        let tls = load_or_generate(None, None, state.path()).expect("tls");
        assert!(tls.generated, "a fresh state directory gets a generated certificate");
        let ui_dir = match ui {
            Some(d) => d,
            None => fixture_ui(state.path()),
        };
        let ui = UiFiles::resolve(Some(ui_dir.as_path()), &[]).expect("ui dir");
        let (router, routes) = router(Arc::new(ServerState { app: app.clone(), policy, ui }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(serve_tls(listener, tls.config, router, async {
            let _ = stopped.await;
        }));
        let client = https_client(&tls.cert_path);
        let cert_path = tls.cert_path.clone();
        Self {
            app,
            store,
            url: format!("https://localhost:{}", addr.port()),
            addr,
            routes,
            client,
            site_a,
            site_b,
            dev_a,
            dev_b,
            users,
            admin_caller,
            db_url,
            cert_path,
            stop: Some(stop),
            _dirs: (state, store_dir),
        }
    }

    /// One more user (password [`USER_PASSWORD`]) with an API token.
    pub async fn add_user(&self, name: &str, role: Role, sites: &[&str]) -> User {
        let input = UserInput {
            name: name.into(),
            password: USER_PASSWORD.into(),
            role,
            all_sites: sites.is_empty(),
            sites: sites.iter().map(|s| (*s).to_owned()).collect(),
        };
        let id = self.app.create_user(&Caller::local("setup"), input).await.expect("user").id;
        let caller = caller_of(&self.app, name, id).await;
        let input = TokenInput { name: format!("{name}-token"), role: None, expires_in_days: None };
        let token = self.app.create_token(&caller, input, &AuthPolicy::default()).await.expect("token").secret;
        User { name: name.into(), role, token, caller }
    }

    pub fn user(&self, name: &str) -> &User {
        self.users.iter().find(|u| u.name == name).unwrap_or_else(|| panic!("no user {name}"))
    }

    /// An unacknowledged alarm on `device`.
    pub async fn raise(&self, device: &Device, what: &str) -> Alarm {
        self.raise_with_text(device, what, "").await
    }

    /// An unacknowledged alarm on `device` with `text` as its additional text.
    pub async fn raise_with_text(&self, device: &Device, what: &str, text: &str) -> Alarm {
        let spec = AlarmSpec {
            managed_object: format!("{}/{what}", device.name),
            event_type: EventType::Communications,
            probable_cause: "linkDown".into(),
            specific_problem: what.into(),
            perceived_severity: Severity::Major,
            additional_text: text.into(),
        };
        let a = Alarm::raise(AlarmId(uuid::Uuid::now_v7()), Some(device.id), spec, Utc::now());
        self.store.raise_alarm(&a).await.expect("raise").0
    }

    /// A request with a bearer token (or none), JSON body optional.
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut rb = self.client.request(method, format!("{}{path}", self.url));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        if path == "/api/v1/events" {
            // A WebSocket handshake: allowed callers get 101.
            rb = rb
                .header("connection", "upgrade")
                .header("upgrade", "websocket")
                .header("sec-websocket-version", "13")
                .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==");
        }
        Reply::from(rb.send().await.expect("request")).await
    }

    pub async fn shutdown(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        self.store.close().await;
        self.app.shutdown().await;
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    pub async fn from(r: reqwest::Response) -> Self {
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        // A 101 hands the connection over; there is no body to read.
        let text = if status == 101 { String::new() } else { r.text().await.expect("body") };
        Self { status, headers, text }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// `meridian_session=SECRET` from the login's `Set-Cookie`.
    pub fn session_pair(&self) -> String {
        let c = self.headers.get("set-cookie").expect("a Set-Cookie header");
        c.to_str().expect("ascii").split(';').next().expect("name=value").to_owned()
    }

    /// The `kind` of an `ApiError` body.
    pub fn kind(&self) -> String {
        self.json()["kind"].as_str().unwrap_or("").to_owned()
    }
}

/// A console build of two files, as Vite lays them out.
pub fn fixture_ui(dir: &std::path::Path) -> std::path::PathBuf {
    let ui = dir.join("ui");
    std::fs::create_dir_all(ui.join("assets")).expect("ui dir");
    std::fs::write(ui.join("index.html"), FIXTURE_INDEX).expect("index.html");
    std::fs::write(ui.join("assets/index-Ab12.js"), "console.log(1);\n").expect("asset");
    ui
}

pub const FIXTURE_INDEX: &str =
    "<!doctype html><html><head><script type=\"module\" src=\"/assets/index-Ab12.js\"></script></head></html>\n";

pub async fn caller_of(app: &App, name: &str, id: uuid::Uuid) -> Caller {
    let u = app.get_user(&Caller::local("setup"), &id.to_string()).await.expect("user");
    let sites = if u.all_sites {
        meridian_service::auth::SiteScope::All
    } else {
        meridian_service::auth::SiteScope::Only(u.sites.clone())
    };
    let _ = name;
    Caller {
        actor: meridian_service::auth::Actor { user_id: Some(u.id), name: u.name, role: u.role, sites },
        source: "127.0.0.1".into(),
        token_id: None,
        session_id: None,
    }
}

/// A loopback address no other device of this process has (never polled:
/// no monitor runs in these tests).
pub fn next_address() -> String {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let k = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    format!("127.0.{}.{}", 30 + k / 250, 1 + k % 250)
}

pub fn site(name: &str) -> SiteInput {
    serde_json::from_value(serde_json::json!({ "name": name })).expect("site input")
}

pub fn device(name: &str, address: &str, site: Option<&str>) -> DeviceInput {
    serde_json::from_value(serde_json::json!({ "name": name, "address": address, "site": site, "tags": [] }))
        .expect("device input")
}

/// reqwest over rustls (ring) trusting only the server's certificate.
pub fn https_client(cert: &std::path::Path) -> reqwest::Client {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for c in rustls::pki_types::CertificateDer::pem_file_iter(cert).expect("cert file") {
        roots.add(c.expect("cert")).expect("trust the server cert");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client")
}

pub type Ws = tokio_tungstenite::WebSocketStream<tokio_rustls::client::TlsStream<tokio::net::TcpStream>>;

/// A WebSocket to `/api/v1/events` at `addr` over TLS trusting only `cert`.
pub async fn ws_connect(addr: SocketAddr, cert: &std::path::Path, token: Option<&str>) -> Result<Ws, String> {
    use rustls::pki_types::pem::PemObject;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut roots = rustls::RootCertStore::empty();
    for c in rustls::pki_types::CertificateDer::pem_file_iter(cert).expect("cert") {
        roots.add(c.expect("cert")).expect("root");
    }
    let cfg = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect(addr).await.expect("tcp");
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("name");
    let tls = tokio_rustls::TlsConnector::from(Arc::new(cfg)).connect(name, tcp).await.expect("tls");
    let mut req = format!("wss://localhost:{}/api/v1/events", addr.port()).into_client_request().expect("request");
    if let Some(t) = token {
        req.headers_mut().insert("authorization", format!("Bearer {t}").parse().expect("header"));
    }
    tokio_tungstenite::client_async(req, tls).await.map(|(ws, _)| ws).map_err(|e| e.to_string())
}

/// The next message that is not a ping or pong, within 10 s.
pub async fn next_message(ws: &mut Ws) -> Option<tokio_tungstenite::tungstenite::Message> {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    loop {
        let m =
            tokio::time::timeout(std::time::Duration::from_secs(10), ws.next()).await.expect("a message within 10 s");
        match m {
            None | Some(Err(_)) => return None,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            Some(Ok(m)) => return Some(m),
        }
    }
}

/// The next event (text message) within 10 s.
pub async fn next(ws: &mut Ws) -> Value {
    match next_message(ws).await {
        Some(tokio_tungstenite::tungstenite::Message::Text(t)) => serde_json::from_str(&t).expect("JSON event"),
        other => panic!("expected an event, got {other:?}"),
    }
}
