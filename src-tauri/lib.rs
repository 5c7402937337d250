//! Meridian's desktop shell: opens the service, exposes it to the web UI
//! through one-line commands, and shuts it down cleanly on exit.

#[cfg(test)]
mod bad_input_tests;
mod commands;
mod events;
mod geometry;
mod instance;
mod notify;
mod service;
mod tray;
mod webview;

use std::io::IsTerminal;
use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::anyhow;
use meridian_service::{ApiError, App, AppConfig};
use service::{Phase, Service};
use tauri::{Manager, RunEvent};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

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

    let context = tauri::generate_context!();
    let mut builder = tauri::Builder::default();
    // First, so a second launch hands over before anything else starts.
    if let Some(single) = instance::plugin(&context.config().identifier) {
        builder = builder.plugin(single);
    }
    let app = builder
        .plugin(webview::build_flag())
        .invoke_handler(invoke_handler())
        .setup(move |app| {
            // Tauri panics if setup returns an error, so every failure is handled here.
            setup(app, &in_setup);
            Ok(())
        })
        .build(context)
        .map_err(|e| anyhow!("cannot start the desktop shell: {e}"))?;

    // run_return (not run) so that the log guard below is dropped and flushed.
    let code = app.run_return(|handle, event| {
        if let RunEvent::ExitRequested { .. } = event {
            geometry::flush(handle);
        }
        if let RunEvent::Exit = event {
            // A store still opening is waited for, so it is closed cleanly too.
            if let Some(service) = handle.try_state::<Service>() {
                if let Phase::Ready { app, .. } = tauri::async_runtime::block_on(service.settled()) {
                    tauri::async_runtime::block_on(app.shutdown());
                    tracing::info!("service shut down");
                }
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

/// Every command the UI may call: one list for the app and for the
/// bad-input table (`bad_input_tests.rs`), which needs an entry for each.
fn invoke_handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        commands::startup_error,
        commands::monitor_error,
        commands::list_devices,
        commands::list_sites,
        commands::device_live,
        commands::list_alarms,
        commands::ack_alarm,
        commands::clear_alarm,
        commands::rules::list_rules,
        commands::rules::put_rule,
        commands::rules::remove_rule,
        commands::rules::import_rules,
        commands::rules::export_rules,
        commands::items::list_items,
        commands::items::add_item,
        commands::items::remove_item,
        commands::items::device_items,
        commands::maintenance::list_maintenance,
        commands::maintenance::put_maintenance,
        commands::maintenance::remove_maintenance,
        commands::event_log,
        commands::add_device,
        commands::remove_device,
        commands::ui_rendered,
        // inventory
        commands::inventory::update_device,
        commands::inventory::add_site,
        commands::inventory::update_site,
        commands::inventory::remove_site,
        commands::inventory::import_devices,
        commands::inventory::export_data,
        commands::metrics::start_metrics,
        commands::metrics::stop_metrics,
        commands::inventory::list_credentials,
        commands::inventory::add_community_credential,
        commands::inventory::add_usm_credential,
        commands::inventory::remove_credential,
        commands::inventory::update_credential,
        commands::inventory::rotate_credential,
        commands::inventory::test_credential,
        commands::inventory::credential_backend,
        commands::inventory::vault_status,
        commands::inventory::unlock_vault,
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
        commands::map::map_tiles,
        commands::map::set_map_tiles,
        // shell
        commands::notify::mute_notifications,
        commands::notify::desktop_delivery,
        commands::notify::unmute_notifications,
        commands::notify::set_notification_delay,
        commands::notify::notification_settings,
        commands::notify::active_alarm_counts,
        commands::notify::list_channels,
        commands::notify::put_channel,
        commands::notify::remove_channel,
        commands::notify::list_routes,
        commands::notify::put_route,
        commands::notify::remove_route,
        commands::notify::send_test,
        commands::notify::delivery_log,
        // device page
        commands::device::show_device,
        commands::device::device_history,
        commands::device::device_interfaces,
        commands::device::device_counts,
        commands::device::set_device_counts,
        commands::device::ntp_watch,
        commands::device::set_ntp_watch,
        commands::device::ptp_watch,
        commands::device::set_ptp_watch,
        commands::device::ptp_tree,
        // history tiers
        commands::history::store_status,
        commands::history::retention,
        commands::history::set_retention,
        // the System tab
        commands::system::system_status,
        commands::system::self_watch_settings,
        commands::system::set_self_watch_settings,
        // alarm detail, device page actions
        commands::alarms::show_alarm,
        commands::alarms::alarm_timeline,
        commands::alarms::comment_alarm,
        commands::device::poll_device_now,
        commands::rules::preview_rule,
        commands::device::device_identity,
        commands::device::ping_device,
        commands::device::walk_device,
        // the MIB browser
        commands::mib::mib_translate,
        commands::mib::mib_search,
        commands::mib::mib_show,
        commands::mib::mib_children,
        commands::mib::mib_list,
        // received events and event rules
        commands::events::list_trap_events,
        commands::events::search_syslog,
        commands::events::trap_settings,
        commands::events::set_trap_settings,
        commands::events::list_event_rules,
        commands::events::put_event_rule,
        commands::events::remove_event_rule,
        commands::events::list_forward_targets,
        commands::events::put_forward_target,
        commands::events::remove_forward_target,
        // reports
        commands::reports::report,
        commands::reports::report_file,
        commands::reports::list_report_schedules,
        commands::reports::add_report_schedule,
        commands::reports::update_report_schedule,
        commands::reports::remove_report_schedule,
        commands::reports::run_report_schedule,
        commands::reports::report_schedule_runs,
        // timing
        commands::timing::timing_roles,
        commands::timing::set_timing_role,
        commands::timing::ntp_servers,
        commands::timing::synce_sources,
        commands::timing::wander_settings,
        commands::timing::set_wander_settings,
        commands::timing::wander_masks,
        commands::timing::wander,
    ]
}

fn setup(app: &mut tauri::App, outcome: &Arc<Mutex<Outcome>>) {
    let guard = match app.path().app_log_dir() {
        Ok(dir) => init_tracing(Some(&dir)),
        Err(e) => {
            let guard = init_tracing(None);
            tracing::warn!(error = %e, "no log directory; logging to stderr only");
            guard
        }
    };
    if let Ok(mut o) = outcome.lock() {
        o.log_guard = guard;
    }

    // The state is managed before the window exists, so the UI's first
    // command finds it; the service itself opens beside the web view's load.
    let (service, phase) = Service::new();
    app.manage(service);
    spawn_open(app.handle().clone(), phase, Arc::clone(outcome));

    if let Err(e) = create_main_window(app) {
        tracing::error!(error = %e, "cannot create the main window");
        fail(outcome, format!("cannot create the main window: {e}"));
        app.handle().exit(1);
    }
    tray::setup(app);

    #[cfg(unix)]
    exit_on_signal(app.handle().clone());
}

/// Opens the service, wires its events to the UI, the notifier and the tray,
/// starts the monitor, and only then publishes it: a command never sees a
/// service whose events nobody forwards yet.
///
/// A thread of its own rather than a task: sqlx's open future is not `Send`
/// for every lifetime, which `spawn` demands.
fn spawn_open(handle: tauri::AppHandle, phase: tokio::sync::watch::Sender<Phase>, outcome: Arc<Mutex<Outcome>>) {
    let outcome_for_spawn_error = Arc::clone(&outcome);
    let spawned = std::thread::Builder::new().name("meridian-open".into()).spawn(move || {
        let opened = match AppConfig::from_env() {
            Ok(cfg) => tauri::async_runtime::block_on(App::open(cfg)),
            Err(e) => Err(e),
        };
        let next = match opened {
            Ok(service) => {
                let service = Arc::new(service);
                // Subscribe before the monitor starts so the UI misses no event.
                events::spawn_forwarder(handle.clone(), service.subscribe());
                notify::spawn(Arc::clone(&service), service.subscribe(), chrono::Utc::now());
                tray::spawn_updater(handle.clone(), Arc::clone(&service), service.subscribe());
                let monitor = start_monitor(&service).err().map(|e| api_error_json(&e));
                Phase::Ready { app: service, monitor }
            }
            Err(err) => {
                // The window still opens and shows the reason; the exit code says it too.
                tracing::error!(error = %err, "cannot open the Meridian service");
                fail(&outcome, format!("cannot open the Meridian service: {err}"));
                Phase::Failed(err)
            }
        };
        // No receiver left means the app is already exiting.
        let _ = phase.send(next);
    });
    if let Err(e) = spawned {
        // The dropped sender makes every command answer with an error.
        tracing::error!(error = %e, "cannot start the thread that opens the service");
        fail(&outcome_for_spawn_error, format!("cannot open the Meridian service: {e}"));
    }
}

fn fail(outcome: &Mutex<Outcome>, reason: String) {
    if let Ok(mut o) = outcome.lock() {
        o.failure.get_or_insert(reason);
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

pub(crate) fn api_error_json(err: &ApiError) -> serde_json::Value {
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
