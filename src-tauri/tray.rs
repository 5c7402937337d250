//! The tray icon: coloured by the worst active severity (icons/tray-*.png,
//! made by scripts/tray-icons.sh), the active alarm count in its tooltip
//! (and title where the platform shows one), and a menu that says whether
//! notifications are muted and until when, and shows the window, mutes or
//! unmutes notifications, and quits.
//!
//! A desktop without a tray (no StatusNotifier host, e.g. Xvfb in CI) gets
//! a warning and no icon; the app runs on without it.

use std::sync::Arc;
use std::time::Duration;

use meridian_service::{mute_state_text, App, CoreEvent, Severity};
use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager};

use crate::service::Service;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::broadcast::Receiver;

const TRAY_ID: &str = "meridian";
/// The first poll round can raise an alarm per device; the tooltip is
/// recounted at most this often.
const COALESCE: Duration = Duration::from_millis(500);
/// The menu's mute choices, in hours.
const MUTE_HOURS: [i64; 4] = [1, 4, 8, 24];
/// A mute set from the window (no event says so) shows in the menu within this.
const MUTE_RECHECK: Duration = Duration::from_secs(30);

/// The menu's first line, "Notifications on" / "... muted until 14:05",
/// kept to rewrite as the mute changes.
struct MuteStateItem(MenuItem<tauri::Wry>);

/// The icon for the worst active severity: the app icon, or it with a dot
/// in the severity's colour.
fn icon_for(worst: Option<Severity>) -> Image<'static> {
    match worst {
        None | Some(Severity::Cleared) => tauri::include_image!("icons/32x32.png"),
        Some(Severity::Critical) => tauri::include_image!("icons/tray-critical.png"),
        Some(Severity::Major) => tauri::include_image!("icons/tray-major.png"),
        Some(Severity::Minor) => tauri::include_image!("icons/tray-minor.png"),
        Some(Severity::Warning) => tauri::include_image!("icons/tray-warning.png"),
        Some(Severity::Indeterminate) => tauri::include_image!("icons/tray-indeterminate.png"),
    }
}

/// Creates the tray icon; [`spawn_updater`] keeps its count once the
/// service is open.
pub fn setup(app: &tauri::App) {
    // libappindicator is loaded at run time and panics when it is missing;
    // a missing tray library must cost the tray, not the app.
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(app)));
    match built {
        Ok(Ok(_)) => tracing::info!("tray icon created"),
        Ok(Err(e)) => tracing::warn!(error = %e, "cannot create the tray icon; going on without it"),
        Err(_) => tracing::warn!("the tray library failed to load; going on without a tray icon"),
    }
}

fn build(app: &tauri::App) -> tauri::Result<TrayIcon> {
    let h = app.handle();
    let item = |id: &str, text: &str| MenuItem::with_id(h, id, text, true, None::<&str>);
    let show = item("show", "Show Meridian")?;
    // Not clickable: it says what the entries below it changed.
    let state = MenuItem::with_id(h, "mute-state", mute_state_text(None), false, None::<&str>)?;
    let mutes =
        MUTE_HOURS.iter().map(|n| item(&format!("mute-{n}"), &format!("Mute {n} h"))).collect::<Result<Vec<_>, _>>()?;
    let unmute = item("unmute", "Unmute")?;
    let quit = item("quit", "Quit")?;
    let (sep1, sep2) = (PredefinedMenuItem::separator(h)?, PredefinedMenuItem::separator(h)?);

    let mut items: Vec<&dyn IsMenuItem<tauri::Wry>> = vec![&show, &sep1, &state];
    items.extend(mutes.iter().map(|m| m as &dyn IsMenuItem<tauri::Wry>));
    items.extend([&unmute as &dyn IsMenuItem<tauri::Wry>, &sep2, &quit]);
    let menu = Menu::with_items(h, &items)?;
    app.manage(MuteStateItem(state.clone()));

    TrayIconBuilder::with_id(TRAY_ID)
        .icon(tauri::include_image!("icons/32x32.png"))
        .tooltip("Meridian")
        .menu(&menu)
        // Left click shows the window, right click the menu (Windows, macOS;
        // Linux trays always show the menu).
        .show_menu_on_left_click(false)
        .on_menu_event(on_menu)
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click { button: MouseButton::Left, button_state: MouseButtonState::Up, .. } = event {
                show_main_window(tray.app_handle());
            }
        })
        .build(app)
}

fn on_menu(handle: &AppHandle, event: MenuEvent) {
    match event.id().as_ref() {
        "show" => show_main_window(handle),
        "quit" => handle.exit(0),
        "unmute" => {
            let handle = handle.clone();
            tauri::async_runtime::spawn(async move {
                if let Some(app) = handle.state::<Service>().ready() {
                    if let Err(e) = app.unmute_notifications().await {
                        tracing::warn!(error = %e, "cannot unmute notifications");
                    }
                    refresh_mute(&app, &handle).await;
                }
            });
        }
        other => {
            let Some(hours) = other.strip_prefix("mute-").and_then(|h| h.parse::<i64>().ok()) else { return };
            let handle = handle.clone();
            tauri::async_runtime::spawn(async move {
                if let Some(app) = handle.state::<Service>().ready() {
                    if let Err(e) = app.mute_notifications(hours, chrono::Utc::now()).await {
                        tracing::warn!(error = %e, "cannot mute notifications");
                    }
                    refresh_mute(&app, &handle).await;
                }
            });
        }
    }
}

fn show_main_window(handle: &AppHandle) {
    let Some(w) = handle.get_webview_window(crate::WINDOW_LABEL) else { return };
    if let Err(e) = w.unminimize().and_then(|()| w.show()).and_then(|()| w.set_focus()) {
        tracing::warn!(error = %e, "cannot show the main window");
    }
}

/// Alarm raises and clears change the count; removing a device removes
/// its alarms.
fn changes_counts(e: &CoreEvent) -> bool {
    matches!(e, CoreEvent::AlarmRaised { .. } | CoreEvent::AlarmCleared { .. } | CoreEvent::InventoryChanged { .. })
}

/// Keeps the tooltip's count current from `events`; nothing without a tray.
pub fn spawn_updater(handle: AppHandle, app: Arc<App>, mut events: Receiver<CoreEvent>) {
    let Some(tray) = handle.tray_by_id(TRAY_ID) else { return };
    tauri::async_runtime::spawn(async move {
        let mut worst = None;
        refresh(&app, &tray, &mut worst).await;
        refresh_mute(&app, &handle).await;
        let mut recheck = tokio::time::interval(MUTE_RECHECK);
        loop {
            let event = tokio::select! {
                e = events.recv() => e,
                _ = recheck.tick() => {
                    refresh_mute(&app, &handle).await;
                    continue;
                }
            };
            match event {
                Ok(e) if !changes_counts(&e) => continue,
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            }
            tokio::time::sleep(COALESCE).await;
            // Whatever came meanwhile is covered by the one recount below.
            while let Ok(_) | Err(TryRecvError::Lagged(_)) = events.try_recv() {}
            refresh(&app, &tray, &mut worst).await;
        }
    });
}

/// Rewrites the menu's mute line from the stored mute (local time, 24 h).
async fn refresh_mute(app: &App, handle: &AppHandle) {
    let Some(item) = handle.try_state::<MuteStateItem>() else { return };
    let until = match app.notification_settings().await {
        Ok(s) => s.muted_until.map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string()),
        Err(e) => {
            tracing::debug!(error = %e, "cannot read the mute for the tray");
            return;
        }
    };
    if let Err(e) = item.0.set_text(mute_state_text(until.as_deref())) {
        tracing::warn!(error = %e, "cannot update the tray menu");
    }
}

/// The count in the tooltip and title, and the icon for the worst severity
/// (set only when it changes; `shown` is the one showing).
async fn refresh(app: &App, tray: &TrayIcon, shown: &mut Option<Severity>) {
    let counts = match app.active_alarm_counts().await {
        Ok(c) => c,
        // Also what happens while the store closes at exit.
        Err(e) => {
            tracing::debug!(error = %e, "cannot count active alarms for the tray");
            return;
        }
    };
    let tooltip = counts.tray_tooltip();
    if let Err(e) = tray.set_tooltip(Some(&tooltip)).and_then(|()| tray.set_title(counts.tray_title())) {
        tracing::warn!(error = %e, "cannot update the tray icon");
        return;
    }
    let worst = counts.worst();
    if worst != *shown {
        match tray.set_icon(Some(icon_for(worst))) {
            Ok(()) => *shown = worst,
            Err(e) => tracing::warn!(error = %e, "cannot change the tray icon"),
        }
    }
    tracing::debug!(active = counts.total(), worst = ?worst, "tray updated: {tooltip}");
}
