//! Meridian's desktop shell: opens the service, exposes it to the web UI
//! through one-line commands, and shuts it down cleanly on exit.

mod commands;
mod events;
mod geometry;
mod notify;
mod tray;

use std::io::IsTerminal;
use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::anyhow;
use meridian_service::{ApiError, App, AppConfig};
use tauri::{Manager, RunEvent};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

/// The serialised `ApiError` from `App::open`, if it failed. Kept as JSON so the
/// UI receives exactly the shape a failing command would have sent.
pub(crate) struct StartupError(pub(crate) Option<serde_json::Value>);

/// The serialised `ApiError` from `App::start_monitor`, if it failed. The app
/// still runs (inventory and alarms work); the UI shows the reason.
pub(crate) struct MonitorError(pub(crate) Option<serde_json::Value>);

/// What outlives the event loop: the log writer's guard (dropping it flushes
/// the file) and the reason startup failed, which decides the exit code.
#[derive(Default)]
struct Outcome {
    log_guard: Option<WorkerGuard>,
    failure: Option<String>,
}

const WINDOW_LABEL: &str = "main";

pub fn run() -> anyhow::Result<()> {
    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let in_setup = Arc::clone(&outcome);

    let app = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![
            commands::startup_error,
            commands::monitor_error,
            commands::list_devices,
            commands::list_sites,
            commands::device_live,
            commands::list_alarms,
            commands::ack_alarm,
            commands::clear_alarm,
            commands::add_device,
            commands::remove_device,
            commands::ui_rendered,
            // inventory
            commands::inventory::update_device,
            commands::inventory::add_site,
            commands::inventory::update_site,
            commands::inventory::remove_site,
            commands::inventory::list_credentials,
            commands::inventory::add_community_credential,
            commands::inventory::add_usm_credential,
            commands::inventory::remove_credential,
            commands::inventory::credential_backend,
            // discovery
            commands::discovery::start_discovery,
            commands::discovery::cancel_discovery,
            commands::discovery::discovery_runs,
            commands::discovery::discovery_results,
            commands::discovery::add_discovered,
            // map
            commands::map::list_links,
            commands::map::floor_plan,
            commands::map::set_floor_plan,
            commands::map::remove_floor_plan,
            commands::map::place_device,
            commands::map::unplace_device,
            commands::map::plan_positions,
            // shell
            commands::notify::mute_notifications,
            commands::notify::unmute_notifications,
            commands::notify::notification_settings,
            commands::notify::active_alarm_counts,
            // device page
            commands::device::show_device,
            commands::device::device_history,
            commands::device::device_interfaces,
        ])
        .setup(move |app| {
            // Tauri panics if setup returns an error, so every failure is handled here.
            setup(app, &in_setup);
            Ok(())
        })
        .build(tauri::generate_context!())
        .map_err(|e| anyhow!("cannot start the desktop shell: {e}"))?;

    // run_return (not run) so that the log guard below is dropped and flushed.
    let code = app.run_return(|handle, event| {
        if let RunEvent::ExitRequested { .. } = event {
            geometry::flush(handle);
        }
        if let RunEvent::Exit = event {
            if let Some(service) = handle.try_state::<App>() {
                tauri::async_runtime::block_on(service.shutdown());
                tracing::info!("service shut down");
            }
        }
    });

    let mut outcome = outcome.lock().map_err(|_| anyhow!("startup state poisoned"))?;
    drop(outcome.log_guard.take());
    match outcome.failure.take() {
        Some(reason) => Err(anyhow!(reason)),
        None if code != 0 => Err(anyhow!("exited with code {code}")),
        None => Ok(()),
    }
}

fn setup(app: &mut tauri::App, outcome: &Mutex<Outcome>) {
    let guard = match app.path().app_log_dir() {
        Ok(dir) => init_tracing(Some(&dir)),
        Err(e) => {
            let guard = init_tracing(None);
            tracing::warn!(error = %e, "no log directory; logging to stderr only");
            guard
        }
    };
    let mut failure = None;

    let opened = match AppConfig::from_env() {
        Ok(cfg) => tauri::async_runtime::block_on(App::open(cfg)),
        Err(e) => Err(e),
    };
    let mut monitor = MonitorError(None);
    let startup = match opened {
        Ok(service) => {
            // Subscribe before the monitor starts so the UI misses no event.
            events::spawn_forwarder(app.handle().clone(), service.subscribe());
            let (tray_events, notify_events) = (service.subscribe(), service.subscribe());
            notify::spawn(app.handle().clone(), notify_events, chrono::Utc::now());
            monitor = MonitorError(start_monitor(&service).err().map(|e| api_error_json(&e)));
            app.manage(service);
            tray::setup(app, tray_events);
            StartupError(None)
        }
        Err(err) => {
            // The window still opens and shows the reason; the exit code says it too.
            tracing::error!(error = %err, "cannot open the Meridian service");
            failure = Some(format!("cannot open the Meridian service: {err}"));
            StartupError(Some(api_error_json(&err)))
        }
    };
    app.manage(startup);
    app.manage(monitor);

    // The window is declared with `create: false` and built only now, after
    // the state is managed, so the UI's first command can never find it missing.
    if let Err(e) = create_main_window(app) {
        tracing::error!(error = %e, "cannot create the main window");
        failure.get_or_insert_with(|| format!("cannot create the main window: {e}"));
        app.handle().exit(1);
    }

    #[cfg(unix)]
    exit_on_signal(app.handle().clone());

    if let Ok(mut o) = outcome.lock() {
        o.log_guard = guard;
        o.failure = failure;
    }
}

/// Starts polling; a failure is logged and reported to the UI, not fatal.
fn start_monitor(service: &App) -> Result<(), ApiError> {
    let result = tauri::async_runtime::block_on(service.start_monitor(service.monitor_config()));
    match &result {
        Ok(()) => tracing::info!("monitor started"),
        Err(e) => tracing::error!(error = %e, "cannot start the monitor"),
    }
    result
}

fn create_main_window(app: &tauri::App) -> anyhow::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == WINDOW_LABEL)
        .ok_or_else(|| anyhow!("tauri.conf.json declares no window labelled {WINDOW_LABEL:?}"))?
        .clone();
    geometry::build_main_window(app, &config)?;
    Ok(())
}

/// SIGTERM (logout, `kill`, the smoke test) and SIGINT (Ctrl+C) go through the
/// normal exit path, so `RunEvent::Exit` shuts the service down cleanly.
#[cfg(unix)]
fn exit_on_signal(handle: tauri::AppHandle) {
    use tokio::signal::unix::{signal, SignalKind};
    tauri::async_runtime::spawn(async move {
        let (mut term, mut int) = match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
            (Ok(term), Ok(int)) => (term, int),
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(error = %e, "cannot handle SIGTERM/SIGINT; they will kill the app uncleanly");
                return;
            }
        };
        let name = tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        };
        tracing::info!(signal = name, "exiting on signal");
        handle.exit(0);
    });
}

fn api_error_json(err: &ApiError) -> serde_json::Value {
    serde_json::to_value(err)
        .unwrap_or_else(|_| serde_json::json!({ "kind": "internal", "detail": err.to_string(), "fields": [] }))
}

/// Logs to stderr and, when `log_dir` is usable, to a daily-rotated file there.
/// `RUST_LOG` overrides the default `info` filter.
fn init_tracing(log_dir: Option<&Path>) -> Option<WorkerGuard> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let stderr = fmt::layer().with_writer(std::io::stderr).with_ansi(std::io::stderr().is_terminal());

    let mut file_error = None;
    let (file, guard) = match log_dir.map(open_log_file) {
        Some(Ok(appender)) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            (Some(fmt::layer().with_writer(writer).with_ansi(false)), Some(guard))
        }
        Some(Err(e)) => {
            file_error = Some(e);
            (None, None)
        }
        None => (None, None),
    };

    // try_init: a second subscriber (e.g. in tests) is not worth a panic.
    let _ = tracing_subscriber::registry().with(filter).with(stderr).with(file).try_init();
    if let (Some(dir), Some(e)) = (log_dir, file_error) {
        tracing::warn!(dir = %dir.display(), error = %e, "cannot open the log file; logging to stderr only");
    } else if let Some(dir) = log_dir {
        tracing::info!(dir = %dir.display(), "logging to file");
    }
    guard
}

fn open_log_file(dir: &Path) -> anyhow::Result<RollingFileAppender> {
    std::fs::create_dir_all(dir)?;
    Ok(RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("meridian-desktop")
        .filename_suffix("log")
        .max_log_files(14)
        .build(dir)?)
}
