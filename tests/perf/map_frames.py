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
Then the devices table (TABLE below): search and sort times, and scroll
frame times with a check that the rows always cover the viewport
("ui rendered perf-table ...").

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


# The devices table with all N devices: search keystrokes and header clicks
# (both filter or sort and redraw inside their handler) timed from the event
# to the next frame, then the
# list scrolled like a wheel (120 px a frame) and like a dragged scrollbar
# (jumps anywhere) while a requestAnimationFrame loop records the time between
# frames; after every step the rows in the DOM must cover the viewport (a
# virtual list that falls behind shows blank space).
TABLE = r"""
const done = arguments[arguments.length - 1];
const frame = () => new Promise((res) => requestAnimationFrame(() => res()));
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
document.getElementById("tab-devices").click();
const list = document.getElementById("dt-list");
const rows = () => list.querySelectorAll(".dt-row");
async function until(pred, ms) {
  const t0 = performance.now();
  while (!pred()) { if (performance.now() - t0 > ms) return false; await frame(); }
  return true;
}
async function timed(act) {  // event -> the next frame (the handler filters or sorts and redraws)
  const t0 = performance.now();
  act();
  await frame();
  return performance.now() - t0;
}
const q = (a, p) => { const s = a.slice().sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : -1; };
(async () => {
  if (!(await until(() => rows().length > 0, 30000))) return done({ error: "the devices table drew no rows" });
  await sleep(500);
  const search = document.getElementById("dt-search");
  const typeInto = (v) => { search.value = v; search.dispatchEvent(new Event("input", { bubbles: true })); };
  const searches = [], counts = [];
  for (const v of ["perf-9", "perf-99", "perf-999", "127.3.7", "", "perf-42", ""]) {
    searches.push(await timed(() => typeInto(v)));
    counts.push(document.getElementById("dt-count").textContent.trim());
    await sleep(200);
  }
  const sorts = [];
  const heads = [...document.querySelectorAll("#dt-head button[data-sort]")];
  for (const b of heads.concat(heads)) { sorts.push(await timed(() => b.click())); await sleep(200); }
  // Scroll: wheel-like steps down then up, then scrollbar-like jumps.
  const deltas = [];
  let blank = 0, checked = 0, last = 0, running = true;
  const vr = () => list.getBoundingClientRect();
  const covered = () => {
    const v = vr(); let top = Infinity, bottom = -Infinity;
    for (const r of rows()) { const b = r.getBoundingClientRect(); top = Math.min(top, b.top); bottom = Math.max(bottom, b.bottom); }
    return top <= v.top + 1 && bottom >= Math.min(v.bottom, v.top + list.scrollHeight - list.scrollTop) - 1;
  };
  const tick = (t) => { if (last) deltas.push(t - last); last = t; if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  // A scroll's rows are drawn by the list's own frame callback, queued by the
  // scroll event after ours: look once that frame's callbacks have all run.
  const step = async (set) => { set(); await frame(); await sleep(0); checked++; if (!covered()) blank++; };
  const start = performance.now();
  const max = list.scrollHeight - list.clientHeight;
  for (let i = 0; i < 150; i++) await step(() => { list.scrollTop += 120; });
  for (let i = 0; i < 150; i++) await step(() => { list.scrollTop -= 120; });
  let seed = 7;
  for (let i = 0; i < 60; i++) { seed = (seed * 48271) % 2147483647; await step(() => { list.scrollTop = (seed / 2147483647) * max; }); }
  running = false;
  const s = deltas;
  const result = { rows: rows().length, scrollHeight: list.scrollHeight, searches, counts, sorts, heads: heads.length,
    frames: s.length, seconds: (performance.now() - start) / 1000, p50: q(s, 0.5), p95: q(s, 0.95), p99: q(s, 0.99),
    max: s.length ? Math.max(...s) : -1, over50: s.filter((d) => d > 50).length, blank, checked };
  const us = (v) => Math.round(v * 1000);
  const summary = `perf-table frames=${result.frames} p50us=${us(result.p50)} p95us=${us(result.p95)} p99us=${us(result.p99)} ` +
    `maxus=${us(result.max)} blank=${blank} searchmaxus=${us(Math.max(...searches))} sortmaxus=${us(Math.max(...sorts))}`;
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
        r = request("POST", f"/session/{sid}/execute/async", {"script": TABLE, "args": []}, timeout=240)
        if not isinstance(r, dict) or "error" in r:
            raise RuntimeError(f"the table scenario failed: {r!r}")
        ms = lambda v: ", ".join(f"{x:.0f}" for x in v)  # noqa: E731
        print(f"table: search, event to the next frame (ms): {ms(r['searches'])}; the count each time: {r['counts']}")
        print(f"table: sort by each of {r['heads']} columns, twice (ms): {ms(r['sorts'])}")
        print(f"table: scroll, {r['frames']} frames over {r['seconds']:.1f} s: frame time p50 {r['p50']:.1f} ms, "
              f"p95 {r['p95']:.1f} ms, p99 {r['p99']:.1f} ms, max {r['max']:.1f} ms; {r['over50']} over 50 ms; "
              f"viewport not covered by rows in {r['blank']} of {r['checked']} frames; {r['rows']} rows in the DOM")
        if r["heads"] == 0 or len(set(r["counts"])) < 3:
            raise RuntimeError("no sortable columns, or the searches did not filter; the figures mean nothing")
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
