// No browser context menu ("Reload", "Back", "Inspect Element") in release
// builds: it offers nothing an operator needs and breaks the app when used.
// Debug builds keep it for inspecting. The shell says which build it is by
// setting `window.__MERIDIAN_BUILD__` before the page loads (src-tauri's
// `build_flag` plugin); without it (vitest, a browser) nothing is blocked.
// Text fields keep the menu for cut, copy and paste, and the app's own menus
// (the devices table's) still open: they handle the event themselves.

declare global {
  interface Window {
    __MERIDIAN_BUILD__?: string;
  }
}

export function isReleaseBuild(win: Window = window): boolean {
  return win.__MERIDIAN_BUILD__ === "release";
}

/** The handler: cancels the browser's menu except over an editable field. */
export function suppressBrowserMenu(e: Event): void {
  const t = e.target;
  if (t instanceof Element && t.closest("input, textarea, [contenteditable=true]") !== null) return;
  e.preventDefault();
}

export function blockBrowserMenuInRelease(doc: Document, win: Window = window): boolean {
  if (!isReleaseBuild(win)) return false;
  doc.addEventListener("contextmenu", suppressBrowserMenu);
  return true;
}
