//! `meridian-server`: `init` creates the first admin; without a subcommand
//! it serves the REST API over TLS.

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use meridian_server::{load_or_generate, router, serve_health, serve_tls, ServerState, UiFiles};
use meridian_service::auth::AuthPolicy;
use meridian_service::{App, AppConfig};

#[derive(Parser)]
#[command(name = "meridian-server", version, about = "Meridian team server: REST over TLS on PostgreSQL")]
struct Cli {
    /// The PostgreSQL to serve from.
    #[arg(long, env = "MERIDIAN_DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// Where the server keeps its certificate and secret vault.
    #[arg(long, env = "MERIDIAN_SERVER_STATE", global = true)]
    state_dir: Option<PathBuf>,
    /// HTTPS address.
    #[arg(long, default_value = "127.0.0.1:8443")]
    listen: SocketAddr,
    /// PEM certificate chain; without it a self-signed one is generated.
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Opt-in plaintext `/health` on a loopback address.
    #[arg(long)]
    health_listen: Option<SocketAddr>,
    /// Failed logins in a row that lock an account.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    lockout_after: u32,
    /// Failed logins from one source address (IPv6: one /64) within the
    /// window that make it wait (429) until the window has passed again.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    throttle_after: u32,
    #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..=86_400))]
    throttle_window_secs: u32,
    /// How often an open WebSocket re-checks its token or session.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=3600))]
    recheck_secs: u32,
    /// The web console's files (`npm run build`'s `ui/dist`). Default: `ui/`
    /// beside the binary, `../share/meridian-server/ui`, then the source
    /// tree's `ui/dist`; with none found, pages say so and the API still serves.
    #[arg(long, env = "MERIDIAN_UI_DIR")]
    ui_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Creates the first admin. The password is read from stdin (one line);
    /// from a terminal or an empty line, one is generated and printed once.
    Init {
        #[arg(long)]
        admin: String,
    },
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(run(cli))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // Flags first, before the database is touched.
    if let Some(a) = cli.health_listen.filter(|a| !a.ip().is_loopback()) {
        anyhow::bail!("--health-listen {a}: the plaintext health listener must be on loopback");
    }
    // A given --ui-dir without index.html stops the server here, before the database.
    let ui = match cli.command {
        None => Some(UiFiles::resolve(cli.ui_dir.as_deref(), &UiFiles::default_dirs())?),
        Some(_) => None,
    };
    let url = cli.database_url.clone().context("--database-url or MERIDIAN_DATABASE_URL is required")?;
    let state_dir = match &cli.state_dir {
        Some(d) => d.clone(),
        None => meridian_store_dir()?,
    };
    let mut cfg = AppConfig::with_data_dir(state_dir.clone());
    cfg.database_url = Some(url);
    cfg.vault = Some("file".into());
    cfg.actor = "meridian-server".into();
    let app = Arc::new(App::open(cfg).await.context("open the database")?);
    let result = match cli.command {
        Some(Command::Init { admin }) => init(&app, &admin).await,
        None => serve(&cli, app.clone(), &state_dir, ui.unwrap_or(UiFiles::Missing(String::new()))).await,
    };
    app.shutdown().await;
    result
}

async fn init(app: &App, admin: &str) -> anyhow::Result<()> {
    let typed = if std::io::stdin().is_terminal() {
        String::new()
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("read the password from stdin")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    let generated = typed.is_empty();
    let password = if generated { generate_password()? } else { typed };
    let user = app.init_admin(admin, &password).await?;
    println!("admin '{}' created", user.name);
    if generated {
        // Shown once; only its argon2id hash is stored.
        println!("password: {password}");
    }
    Ok(())
}

fn generate_password() -> anyhow::Result<String> {
    let mut b = [0u8; 18];
    getrandom_bytes(&mut b)?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

fn getrandom_bytes(b: &mut [u8]) -> anyhow::Result<()> {
    getrandom::getrandom(b).map_err(|e| anyhow::anyhow!("random source: {e}"))
}

async fn serve(cli: &Cli, app: Arc<App>, state_dir: &std::path::Path, ui: UiFiles) -> anyhow::Result<()> {
    let tls = load_or_generate(cli.tls_cert.as_deref(), cli.tls_key.as_deref(), state_dir)?;
    let mut policy = AuthPolicy { lockout_after: cli.lockout_after, ..AuthPolicy::default() };
    policy.throttle.failures = cli.throttle_after;
    policy.throttle.window = chrono::Duration::seconds(i64::from(cli.throttle_window_secs));
    policy.recheck = std::time::Duration::from_secs(cli.recheck_secs.into());
    // Events of every replica (and monitor) on this database reach this one's clients.
    app.listen_cluster_events().await.context("LISTEN for events")?;
    match &ui {
        UiFiles::Dir(d) => println!("web console from {}", d.display()),
        UiFiles::Missing(why) => tracing::warn!("{why}"),
    }
    let (router, _) = router(Arc::new(ServerState { app, policy, ui }));
    let listener =
        tokio::net::TcpListener::bind(cli.listen).await.with_context(|| format!("--listen {}", cli.listen))?;
    let addr = listener.local_addr()?;
    println!("listening on https://{addr}");
    println!(
        "certificate {} ({}), SHA-256 fingerprint {}",
        tls.cert_path.display(),
        if tls.generated { "generated now" } else { "given" },
        tls.fingerprint
    );
    let health = match cli.health_listen {
        Some(a) => {
            let l = tokio::net::TcpListener::bind(a).await.with_context(|| format!("--health-listen {a}"))?;
            let local = l.local_addr()?;
            let task = tokio::spawn(serve_health(l, shutdown()));
            println!("health on http://{local}/health");
            Some(task)
        }
        None => None,
    };
    serve_tls(listener, tls.config, router, shutdown()).await?;
    if let Some(t) = health {
        t.await??;
    }
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// The platform data directory's `meridian-server` (e.g. ~/.local/share/meridian-server).
fn meridian_store_dir() -> anyhow::Result<PathBuf> {
    directories::ProjectDirs::from("net", "meridian", "meridian-server")
        .map(|d| d.data_dir().to_path_buf())
        .context("no home directory; pass --state-dir")
}
