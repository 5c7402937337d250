"""The map's opt-in tile server (issue 12: "the basemap gains detail (... an
opt-in tile URL)"), run by webdriver_scenario.py after the map checks.

The check starts a tiny HTTP tile server on 127.0.0.1 (an ephemeral port) that
answers every GET with one 1x1 PNG and records the paths asked for. In the
System tab's "Map tiles" form:

- a plain-http URL to another host is refused with the service's field error
  under the URL input, and the map asks for nothing;
- the loopback URL with an attribution is saved: the map asks the server for
  /{z}/{x}/{y}.png tiles, Leaflet's <img> tiles from it are loaded in the
  tiles pane (so the desktop's CSP admits them), the attribution shows, and the
  map may zoom to 19 instead of the offline basemap's 8;
- emptied again, the tiles go and the deepest zoom is 8 again, so the later
  checks see the default offline map. Screenshot map-tiles.png.

Loopback only: the server binds 127.0.0.1.
"""
import http.server
import os
import re
import struct
import threading
import time
import zlib

TIMEOUT = float(os.environ.get("E2E_TIMEOUT", "60"))


def _png():
    """A 1x1 opaque blue PNG, built here so the check needs no file."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\x30\x60\xc0")) + chunk(b"IEND", b"")


class _TileServer:
    def __init__(self):
        self.paths = []
        self.lock = threading.Lock()
        png, paths, lock = _png(), self.paths, self.lock

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with lock:
                    paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(png)))
                self.end_headers()
                self.wfile.write(png)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def asked(self):
        with self.lock:
            return list(self.paths)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


TILES = """
const imgs = [...document.querySelectorAll('#map .leaflet-tiles-pane img.leaflet-tile')];
return {all: imgs.length, loaded: imgs.filter((i) => i.classList.contains('leaflet-tile-loaded') && i.naturalWidth > 0
          && i.src.startsWith(arguments[0])).length,
        maxZoom: document.getElementById('map').dataset.maxZoom,
        attribution: (document.querySelector('#map .leaflet-control-attribution') || {}).textContent || ''};
"""


def _set(s, css, value):
    """Sets an input's value, "" included (WebDriver refuses to type an empty string)."""
    s.js("const el = document.querySelector(arguments[0]); el.value = arguments[1];"
         " el.dispatchEvent(new Event('input', {bubbles: true}))", css, value)


def _save(s, url, attribution, now):
    _set(s, "#t-url", url)
    _set(s, "#t-attribution", attribution)
    s.click("#tiles-save")
    if now is not None:
        deadline = time.monotonic() + TIMEOUT
        last = ""
        while time.monotonic() < deadline:
            last = s.js("return document.getElementById('tiles-now').textContent")
            if now in last:
                return last
            time.sleep(0.25)
        raise AssertionError(f"the tile setting was not saved ({now!r}); the form says {last!r}")


def _show_map(s):
    s.js("if (!document.getElementById('view-device').hidden) document.getElementById('dp-back').click();")
    s.click("#tab-monitor")


def _wait_tiles(s, base, predicate, what):
    deadline = time.monotonic() + TIMEOUT
    last = None
    while time.monotonic() < deadline:
        last = s.js(TILES, base)
        if predicate(last):
            print(f"e2e: tiles: {what}: {last}")
            return last
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}; map: {last!r}")


def run(s):
    server = _TileServer()
    base = f"http://127.0.0.1:{server.port}/"
    try:
        s.click("#tab-system")
        s.wait_js("return /offline basemap only/.test(document.getElementById('tiles-now').textContent) && 'offline'",
                  "the tile form showing the offline default")

        # Refused: plain http to a host that is not this machine.
        _save(s, "http://tiles.example.net/{z}/{x}/{y}.png", "", None)
        message = s.wait_js("return document.querySelector('#tiles-form [data-error-for=url]').textContent",
                            "the URL's field error")
        assert "127.0.0.1" in message, f"the URL's field error: {message!r}"
        assert s.js("return document.getElementById('t-url').getAttribute('aria-invalid')") == "true"
        _show_map(s)
        time.sleep(1)
        state = s.js(TILES, base)
        assert state["all"] == 0 and state["maxZoom"] == "8", f"a refused URL changed the map: {state!r}"
        assert server.asked() == [], f"the tile server was asked before it was set: {server.asked()!r}"

        # The loopback server: the map asks it for tiles and draws them.
        s.click("#tab-system")
        _save(s, base + "{z}/{x}/{y}.png", "e2e tiles", f"127.0.0.1:{server.port}")
        assert s.js("return document.querySelector('#tiles-form [data-error-for=url]').textContent") == ""
        _show_map(s)
        state = _wait_tiles(s, base, lambda t: t["loaded"] > 0, "the server's tiles loaded on the map")
        asked = server.asked()
        assert asked and all(re.fullmatch(r"/\d+/\d+/\d+\.png", p) for p in asked), f"the server was asked for {asked!r}"
        assert state["maxZoom"] == "19", f"the deepest zoom with tiles: {state!r}"
        assert "e2e tiles" in state["attribution"], f"the attribution: {state!r}"
        print(f"e2e: tiles: the server was asked for {len(asked)} tiles, e.g. {asked[0]}")
        s.screenshot("map-tiles.png")

        # Off again: the later checks see the offline map.
        s.click("#tab-system")
        _save(s, "", "", "offline basemap only")
        _show_map(s)
        _wait_tiles(s, base, lambda t: t["all"] == 0 and t["maxZoom"] == "8", "the tiles gone and zoom 8 again")
        print("e2e: tile checks passed")
    finally:
        server.stop()
