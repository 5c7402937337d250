//! Remembers the main window's size, position and maximized state in
//! `<app_config_dir>/window-state.json`.
//!
//! Our own rather than `tauri-plugin-window-state`: the plugin restores
//! after the window is shown (a visible jump), saves only at exit (a crash
//! loses the layout) and writes the file in place (a crash mid-write leaves
//! half a file). Here the window is built hidden, placed, then shown; moves
//! and resizes are saved after 500 ms of quiet and at close/exit, through a
//! temp file and a rename.
//!
//! Values are physical pixels, as the OS reports them, so no rounding
//! through a scale factor creeps in between runs.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tauri::utils::config::WindowConfig;
use tauri::{Manager, PhysicalPosition, PhysicalSize, WebviewWindow, WebviewWindowBuilder, WindowEvent};
use tokio::sync::Notify;

const FILE_NAME: &str = "window-state.json";
/// A drag or resize sends dozens of events; write once it settles.
const QUIET: Duration = Duration::from_millis(500);
/// How much of the window (physical px each way) must be on a monitor for
/// its saved position to be kept: enough to grab the title bar.
const MIN_VISIBLE: i64 = 64;
/// Larger than any real desktop; beyond it the file is corrupt, not big.
const COORD_LIMIT: i64 = 1 << 20;

/// The saved geometry: outer position, inner size, maximized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WindowState {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub maximized: bool,
}

/// A monitor's area in physical pixels, and its scale factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub scale: f64,
}

impl WindowState {
    fn plausible(&self) -> bool {
        let size_ok = |v: u32| (1..=COORD_LIMIT).contains(&i64::from(v));
        size_ok(self.width)
            && size_ok(self.height)
            && i64::from(self.x).abs() <= COORD_LIMIT
            && i64::from(self.y).abs() <= COORD_LIMIT
    }
}

fn overlap(a0: i64, a_len: i64, b0: i64, b_len: i64) -> i64 {
    ((a0 + a_len).min(b0 + b_len) - a0.max(b0)).max(0)
}

/// Where a window saved as `saved` goes now. `monitors` come primary
/// first. The window keeps its monitor if enough of it is on one (the one
/// it overlaps most), else it is centred on the primary; it is at least
/// `min_logical` (the config's minWidth/minHeight) and at most the monitor,
/// and lies inside the monitor.
pub fn place(saved: &WindowState, monitors: &[Area], min_logical: (f64, f64)) -> WindowState {
    let (x, y, w, h) = (i64::from(saved.x), i64::from(saved.y), i64::from(saved.width), i64::from(saved.height));
    let visible = |m: &Area| {
        let ow = overlap(x, w, i64::from(m.x), i64::from(m.width));
        let oh = overlap(y, h, i64::from(m.y), i64::from(m.height));
        (ow >= MIN_VISIBLE.min(w) && oh >= MIN_VISIBLE.min(h)).then_some(ow * oh)
    };
    let home = monitors.iter().filter_map(|m| visible(m).map(|area| (area, m))).max_by_key(|(area, _)| *area);
    let Some(monitor) = home.map(|(_, m)| m).or(monitors.first()) else {
        // No monitor information: trust the file, but keep the minimum size.
        let min = min_size(min_logical, 1.0);
        return WindowState { width: saved.width.max(min.0), height: saved.height.max(min.1), ..*saved };
    };
    let (min_w, min_h) = min_size(min_logical, monitor.scale);
    let width = saved.width.min(monitor.width).max(min_w);
    let height = saved.height.min(monitor.height).max(min_h);
    let (mx, my) = (i64::from(monitor.x), i64::from(monitor.y));
    let (x, y) = if home.is_some() {
        (
            x.min(mx + i64::from(monitor.width) - i64::from(width)).max(mx),
            y.min(my + i64::from(monitor.height) - i64::from(height)).max(my),
        )
    } else {
        (
            mx + (i64::from(monitor.width) - i64::from(width)).max(0) / 2,
            my + (i64::from(monitor.height) - i64::from(height)).max(0) / 2,
        )
    };
    let clamp = |v: i64| i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX });
    WindowState { x: clamp(x), y: clamp(y), width, height, maximized: saved.maximized }
}

fn min_size((w, h): (f64, f64), scale: f64) -> (u32, u32) {
    let px = |v: f64| {
        let v = (v * scale).ceil();
        if v.is_finite() && v > 0.0 {
            v.min(f64::from(u32::MAX)) as u32
        } else {
            1
        }
    };
    (px(w), px(h))
}

/// The file's geometry; `None` (and a log line saying why) when it is
/// missing, unreadable or implausible, so the config's defaults apply.
pub fn load(path: &Path) -> Option<WindowState> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::info!(path = %path.display(), "no saved window geometry; using the defaults");
            return None;
        }
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot read the saved window geometry; using the defaults");
            return None;
        }
    };
    match serde_json::from_str::<WindowState>(&text) {
        Ok(s) if s.plausible() => Some(s),
        Ok(s) => {
            tracing::warn!(path = %path.display(), state = ?s, "saved window geometry is implausible; using the defaults");
            None
        }
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "saved window geometry is corrupt; using the defaults");
            None
        }
    }
}

/// Writes `state` so that a reader sees the old file or the new one, never
/// half of one: a temp file in the same directory, flushed, then renamed.
pub fn save(path: &Path, state: &WindowState) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{FILE_NAME}.tmp"));
    let json = serde_json::to_vec_pretty(state).map_err(std::io::Error::other)?;
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// The latest geometry and whether the file has it yet. Managed as Tauri
/// state so the exit path can flush it.
pub struct Tracker {
    path: PathBuf,
    window: WebviewWindow,
    latest: Mutex<Option<WindowState>>,
    written: Mutex<Option<WindowState>>,
    dirty: Notify,
}

impl Tracker {
    fn record(&self, s: WindowState) {
        if let Ok(mut latest) = self.latest.lock() {
            *latest = Some(s);
        }
        self.dirty.notify_one();
    }

    fn previous(&self) -> Option<WindowState> {
        self.latest.lock().ok().and_then(|g| *g)
    }

    /// Reads the window now (it may never have reported a move, e.g. with
    /// no window manager) and writes. On the main thread: close and exit.
    fn flush_now(&self) {
        if let Some(s) = snapshot(&self.window, self.previous()) {
            if let Ok(mut latest) = self.latest.lock() {
                *latest = Some(s);
            }
        }
        self.flush();
    }

    /// Writes the latest geometry if the file does not have it yet.
    fn flush(&self) {
        let Some(latest) = self.previous() else { return };
        let Ok(mut written) = self.written.lock() else { return };
        if *written == Some(latest) {
            return;
        }
        match save(&self.path, &latest) {
            Ok(()) => {
                *written = Some(latest);
                tracing::debug!(path = %self.path.display(), state = ?latest, "window geometry saved");
            }
            Err(e) => tracing::warn!(path = %self.path.display(), error = %e, "cannot save the window geometry"),
        }
    }
}

/// Builds the main window from its config at its saved geometry (hidden
/// until placed), and starts saving its geometry.
pub fn build_main_window(app: &tauri::App, config: &WindowConfig) -> anyhow::Result<WebviewWindow> {
    let path = match app.path().app_config_dir() {
        Ok(dir) => Some(dir.join(FILE_NAME)),
        Err(e) => {
            tracing::warn!(error = %e, "no config directory; the window geometry will not be remembered");
            None
        }
    };
    let saved = path.as_deref().and_then(load);
    let mut builder = WebviewWindowBuilder::from_config(app.handle(), config)?;
    if saved.is_some() {
        builder = builder.visible(false);
    }
    let window = builder.build()?;
    if let Some(saved) = saved {
        restore(&window, &saved, (config.min_width.unwrap_or(0.0), config.min_height.unwrap_or(0.0)));
        if config.visible {
            window.show()?;
        }
    }
    if let Some(path) = path {
        track(app, &window, path);
    }
    Ok(window)
}

fn restore(window: &WebviewWindow, saved: &WindowState, min_logical: (f64, f64)) {
    let mut monitors: Vec<Area> = window.available_monitors().unwrap_or_default().iter().map(area).collect();
    if let Ok(Some(primary)) = window.primary_monitor() {
        let p = area(&primary);
        if let Some(i) = monitors.iter().position(|m| *m == p) {
            monitors.swap(0, i);
        }
    }
    let at = place(saved, &monitors, min_logical);
    let applied = window
        .set_size(PhysicalSize::new(at.width, at.height))
        .and_then(|()| window.set_position(PhysicalPosition::new(at.x, at.y)))
        .and_then(|()| if at.maximized { window.maximize() } else { Ok(()) });
    match applied {
        Ok(()) => tracing::info!(state = ?at, "window geometry restored"),
        Err(e) => tracing::warn!(error = %e, "cannot restore the window geometry"),
    }
}

fn area(m: &tauri::Monitor) -> Area {
    Area {
        x: m.position().x,
        y: m.position().y,
        width: m.size().width,
        height: m.size().height,
        scale: m.scale_factor(),
    }
}

fn track(app: &tauri::App, window: &WebviewWindow, path: PathBuf) {
    let tracker = Arc::new(Tracker {
        path,
        window: window.clone(),
        latest: Mutex::new(None),
        written: Mutex::new(None),
        dirty: Notify::new(),
    });
    app.manage(Arc::clone(&tracker));

    let w = window.clone();
    let on_event = Arc::clone(&tracker);
    window.on_window_event(move |event| match event {
        WindowEvent::Moved(_) | WindowEvent::Resized(_) => {
            if let Some(s) = snapshot(&w, on_event.previous()) {
                on_event.record(s);
            }
        }
        WindowEvent::CloseRequested { .. } => on_event.flush_now(),
        WindowEvent::Destroyed => on_event.flush(),
        _ => {}
    });

    tauri::async_runtime::spawn(async move {
        loop {
            tracker.dirty.notified().await;
            while tokio::time::timeout(QUIET, tracker.dirty.notified()).await.is_ok() {}
            tracker.flush();
        }
    });
}

/// The window's geometry now. Nothing while minimized (the OS reports
/// off-screen positions then); while maximized, the size from before, so
/// un-maximizing after a restart gives the user's own size back.
fn snapshot(w: &WebviewWindow, previous: Option<WindowState>) -> Option<WindowState> {
    if w.is_minimized().unwrap_or(false) {
        return None;
    }
    let pos = w.outer_position().ok()?;
    let size = w.inner_size().ok()?;
    let now = WindowState { x: pos.x, y: pos.y, width: size.width, height: size.height, maximized: false };
    if w.is_maximized().unwrap_or(false) {
        return Some(WindowState { maximized: true, ..previous.unwrap_or(now) });
    }
    Some(now)
}

/// Saves the window's geometry; the exit path calls this, since an exit
/// (SIGTERM, tray Quit) sends no close request. On the main thread, while
/// the window still exists (`RunEvent::ExitRequested`).
pub fn flush(handle: &tauri::AppHandle) {
    if let Some(t) = handle.try_state::<Arc<Tracker>>() {
        t.flush_now();
    }
}

#[cfg(test)]
#[path = "geometry_tests.rs"]
mod tests;
