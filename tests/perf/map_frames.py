#!/usr/bin/env python3
"""Map frame times in the real app (WebKitGTK), driven through WebDriver
(tauri-driver in front of WebKitWebDriver). Standard library only. Used by
tests/perf/map-frames.sh; not part of make test.

Nothing in the app is perf-only: the script waits for the UI to report that it
drew all the devices (<body data-rendered>), then pans and zooms the map the
way a user does, with synthetic mouse drags and wheel turns on #map, while a
requestAnimationFrame loop records the time between frames. The result (p50,
p95, p99, max, frames over 50 ms) is printed and also logged to the app log
through the existing `ui_rendered` test hook as "ui rendered perf-map-frames ...".

With PERF_MODE=fill it instead adds devices perf-0 .. perf-(N-1) on
127.3.0.0/16 through the app's own `add_device` command (what the Devices
form calls): one CLI call per device costs ~0.5 s of store start-up, the app's
command a few milliseconds, and the store admits one process at a time.

    env: PERF_APP (app binary), PERF_N (devices expected), PERF_MODE (measure or fill),
         WEBDRIVER_URL, PERF_TIMEOUT (seconds to wait for the first render, default 300)
"""
import os
import re
import sys
import time

# The WebDriver client is shared with the end-to-end scenario (keep-alive; see
# why in wdclient.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from wdclient import Client, TransportError, WebDriverError  # noqa: E402

URL = os.environ.get("WEBDRIVER_URL", "http://127.0.0.1:4454")
APP = os.environ["PERF_APP"]
N = int(os.environ.get("PERF_N", "10000"))
TIMEOUT = float(os.environ.get("PERF_TIMEOUT", "300"))
MODE = os.environ.get("PERF_MODE", "measure")


CLIENT = Client(URL, timeout=120)
request = CLIENT.request


# Runs in the page. Drags and wheel turns are dispatched as DOM events on the
# map container, which is what Leaflet listens to; every step waits a frame.
SCENARIO = r"""
const done = arguments[arguments.length - 1];
const el = document.getElementById("map");
const pane = el.querySelector(".leaflet-map-pane");
const r = el.getBoundingClientRect();
const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
const deltas = [];
let running = true, last = 0;
const tick = (t) => { if (last) deltas.push(t - last); last = t; if (running) requestAnimationFrame(tick); };
requestAnimationFrame(tick);
const frame = () => new Promise((res) => requestAnimationFrame(() => res()));
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
const mouse = (type, x, y, target) => target.dispatchEvent(new MouseEvent(type, {
  bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, button: 0, buttons: type === "mouseup" ? 0 : 1 }));
async function drag(dx, dy, steps) {
  mouse("mousedown", cx, cy, el);
  for (let i = 1; i <= steps; i++) { await frame(); mouse("mousemove", cx + (dx * i) / steps, cy + (dy * i) / steps, document); }
  mouse("mouseup", cx + dx, cy + dy, document);
  await sleep(400);
}
async function wheel(dy) {
  el.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, view: window, clientX: cx, clientY: cy, deltaY: dy, deltaMode: 0 }));
  await sleep(700);
}
const before = pane.style.transform;
(async () => {
  await sleep(500);
  const start = performance.now();
  for (let round = 0; round < 2; round++) {
    for (const [dx, dy] of [[250, 0], [0, 180], [-250, 0], [0, -180]]) await drag(dx, dy, 20);
    for (let z = 0; z < 3; z++) { await wheel(-100); await drag(120, 60, 15); await drag(-120, -60, 15); }
    for (const [dx, dy] of [[300, 200], [-300, -200]]) await drag(dx, dy, 8); // quick flings: inertia
    for (let z = 0; z < 3; z++) await wheel(100);
  }
  running = false;
  const elapsed = performance.now() - start;
  const moved = pane.style.transform !== before;
  const s = deltas.slice().sort((a, b) => a - b);
  const q = (p) => s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0;
  const result = { frames: s.length, seconds: elapsed / 1000, p50: q(0.5), p95: q(0.95), p99: q(0.99),
    max: s.length ? s[s.length - 1] : 0, over50: s.filter((d) => d > 50).length, over100: s.filter((d) => d > 100).length,
    clusters: document.querySelectorAll(".cluster").length, moved };
  const us = (v) => Math.round(v * 1000);
  const summary = `perf-map-frames frames=${result.frames} p50us=${us(result.p50)} p95us=${us(result.p95)} ` +
    `p99us=${us(result.p99)} maxus=${us(result.max)} over50ms=${result.over50} over100ms=${result.over100} moved=${moved ? 1 : 0}`;
  try { await window.__TAURI_INTERNALS__.invoke("ui_rendered", { summary }); } catch (e) { result.logError = String(e); }
  done(result);
})().catch((e) => done({ error: String(e) }));
"""


FILL = r"""
const done = arguments[arguments.length - 1];
const todo = arguments[0].slice();
const invoke = window.__TAURI_INTERNALS__.invoke;
let failed = 0, firstError = null;
async function worker() {
  while (todo.length > 0) {
    const i = todo.shift();
    const input = {
      name: `perf-${i}`, address: `127.3.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      kind: null, vendor: null, model: null, os: null, site: null,
      lat: ((i * 37) % 120) - 55 + ((i * 7) % 100) / 100, lon: ((i * 91) % 340) - 170 + ((i * 13) % 100) / 100,
      tags: [], credential: null, snmpPort: null, enabled: null };
    try { await invoke("add_device", { input }); } catch (e) { failed++; if (firstError === null) firstError = JSON.stringify(e); }
  }
}
Promise.all([worker(), worker(), worker(), worker()]).then(() => done({ failed, firstError }));
"""


def fill(sid):
    request("POST", f"/session/{sid}/timeouts", {"script": 600000})
    # Ask the store, not the UI (which may not have loaded yet), what is there.
    names = request("POST", f"/session/{sid}/execute/async", {"script": """
        const done = arguments[arguments.length - 1];
        const poll = () => window.__TAURI_INTERNALS__.invoke("list_devices")
          .then((ds) => done(ds.map((d) => d.name)), () => setTimeout(poll, 250));
        poll();""", "args": []})
    have = set(names)
    missing = [i for i in range(N) if f"perf-{i}" not in have]
    print(f"map-frames: the store has {len(have)} devices; adding {len(missing)}", flush=True)
    t0 = time.monotonic()
    for start in range(0, len(missing), 1000):
        chunk = missing[start:start + 1000]
        r = request("POST", f"/session/{sid}/execute/async", {"script": FILL, "args": [chunk]}, timeout=660)
        if r.get("failed"):
            raise RuntimeError(f"{r['failed']} adds failed, the first with {r['firstError']}")
        print(f"map-frames: {len(have) + start + len(chunk)} devices, {time.monotonic() - t0:.0f} s", flush=True)


def main():
    caps = {"capabilities": {"alwaysMatch": {"tauri:options": {"application": APP}}}}
    t0 = time.monotonic()
    sid = request("POST", "/session", caps)["sessionId"]
    if MODE == "fill":
        try:
            fill(sid)
        finally:
            request("DELETE", f"/session/{sid}")
        return
    try:
        deadline = time.monotonic() + TIMEOUT
        rendered = ""
        while time.monotonic() < deadline:
            rendered = request("POST", f"/session/{sid}/execute/sync",
                               {"script": "return document.body.dataset.rendered || ''", "args": []}) or ""
            if re.search(rf"\bdevices={N} markers={N} ", rendered):
                break
            time.sleep(0.25)
        else:
            raise RuntimeError(f"the UI never drew {N} devices; it reports {rendered!r}")
        print(f"map-frames: UI drew all devices after {time.monotonic() - t0:.1f} s (WebDriver session start included)")
        time.sleep(5)  # let the first paint and any startup work settle
        request("POST", f"/session/{sid}/timeouts", {"script": 180000})
        r = request("POST", f"/session/{sid}/execute/async", {"script": SCENARIO, "args": []}, timeout=240)
        if not isinstance(r, dict) or "error" in r:
            raise RuntimeError(f"the scenario failed: {r!r}")
        print(f"map-frames: {r['frames']} frames over {r['seconds']:.1f} s of panning and zooming, {N} devices")
        print(f"map-frames: frame time p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, p99 {r['p99']:.1f} ms, "
              f"max {r['max']:.1f} ms; {r['over50']} frames over 50 ms, {r['over100']} over 100 ms")
        print(f"map-frames: cluster bubbles in the DOM at the end: {r['clusters']}; the map moved: {r['moved']}")
        if not r["moved"]:
            raise RuntimeError("the synthetic drags did not move the map; the figures mean nothing")
    finally:
        try:
            request("DELETE", f"/session/{sid}")
        except Exception as e:  # the app may already be gone
            print(f"map-frames: closing the session: {e}", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, TransportError, WebDriverError) as e:
        print(f"map-frames: FAIL: {e}", file=sys.stderr)
        sys.exit(1)
