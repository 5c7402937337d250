//! What the web UI learns about the shell before its page loads: whether this
//! is a debug or a release build (`window.__MERIDIAN_BUILD__`), so the UI can
//! drop the browser's context menu in release builds and keep it for
//! inspecting in debug ones (`ui/src/contextmenu.ts`).

use tauri::plugin::{Builder, TauriPlugin};
use tauri::Runtime;

pub fn build_flag<R: Runtime>() -> TauriPlugin<R> {
    let build = if cfg!(debug_assertions) { "debug" } else { "release" };
    Builder::new("build-flag").js_init_script(format!("window.__MERIDIAN_BUILD__ = {build:?};")).build()
}
