//! One app per data directory: a second launch on the same data directory
//! hands over to the running app, which brings its window forward, and exits
//! 0, instead of failing on the store's data-directory lock.
//!
//! The instance is keyed by the data directory, not just by the app's
//! identifier, because running several apps at once on different data
//! directories is legitimate (tests do it, and so may a user with two labs).
//! On Linux the single-instance plugin's key is a D-Bus name on the session
//! bus, which we derive from the resolved data directory. On Windows and
//! macOS the plugin keys by the identifier alone, so there it is only used for
//! the default data directory; an explicit `MERIDIAN_DATA_DIR` falls back to
//! the store's lock, which still refuses a second app on the same directory.

use std::path::Path;

use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};

/// The plugin, keyed by the resolved data directory.
#[cfg(target_os = "linux")]
pub fn plugin<R: Runtime>(identifier: &str) -> Option<TauriPlugin<R>> {
    let builder = tauri_plugin_single_instance::Builder::new().callback(|app, _argv, _cwd| focus_main(app));
    // A broken config file is reported in the window once the app is up;
    // meanwhile one instance per identifier is the safe choice.
    let builder = match meridian_service::AppConfig::from_env() {
        Ok(cfg) => {
            let dir = std::path::absolute(&cfg.data_dir).unwrap_or(cfg.data_dir);
            let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
            builder.dbus_id(dbus_id(identifier, &dir))
        }
        Err(_) => builder,
    };
    Some(builder.build())
}

/// The plugin for the default data directory only: here it keys by the
/// identifier alone and would merge apps on different directories.
#[cfg(not(target_os = "linux"))]
pub fn plugin<R: Runtime>(_identifier: &str) -> Option<TauriPlugin<R>> {
    if std::env::var_os("MERIDIAN_DATA_DIR").is_some_and(|d| !d.is_empty()) {
        return None;
    }
    Some(tauri_plugin_single_instance::Builder::new().callback(|app, _argv, _cwd| focus_main(app)).build())
}

/// `IDENTIFIER.d<16 hex digits>`: a valid D-Bus name element (letters,
/// digits, `_`, not starting with a digit) that is the same for every
/// launch on the same directory. FNV-1a rather than `DefaultHasher`, whose
/// output may change between Rust releases: an upgraded app must still find
/// the one a previous build started.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub fn dbus_id(identifier: &str, data_dir: &Path) -> String {
    let hash = data_dir
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
    format!("{identifier}.d{hash:016x}")
}

/// Runs in the first app when a second one starts.
fn focus_main<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window(crate::WINDOW_LABEL) else {
        tracing::warn!("a second launch found no main window to focus");
        return;
    };
    let shown = window.unminimize().and_then(|()| window.show()).and_then(|()| window.set_focus());
    match shown {
        Ok(()) => tracing::info!("second launch: focused the main window"),
        Err(e) => tracing::warn!(error = %e, "second launch: cannot focus the main window"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_directory_same_name_other_directory_other_name() {
        let a = dbus_id("net.meridian.desktop", Path::new("/home/u/.local/share/meridian"));
        assert_eq!(a, dbus_id("net.meridian.desktop", Path::new("/home/u/.local/share/meridian")));
        assert_ne!(a, dbus_id("net.meridian.desktop", Path::new("/tmp/lab2")));
        // FNV-1a of the empty path is the offset basis: the hash is the documented one.
        assert_eq!(dbus_id("x", Path::new("")), "x.dcbf29ce484222325");
    }

    #[test]
    fn name_is_a_valid_dbus_element() {
        let id = dbus_id("net.meridian.desktop", Path::new("/tmp/é ü/…"));
        let last = id.rsplit('.').next().unwrap_or_default();
        assert!(last.starts_with('d') && last.len() == 17, "{id}");
        assert!(last.chars().all(|c| c.is_ascii_alphanumeric()), "{id}");
    }
}
