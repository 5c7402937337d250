#!/usr/bin/env python3
"""The issue's end-to-end scenario, driven through WebDriver (tauri-driver in
front of WebKitWebDriver) against the built app. Standard library only.

1. The app starts on an empty temporary data directory (set up by the caller).
2. A loopback device is added through the Devices tab's form; its marker turns green.
3. The caller's address is DROP'd with iptables; the alarm appears in the console
   and the marker turns red.
4. The alarm is acknowledged with a comment through the inline form.
5. The device page opens from the Devices table: uPlot charts are drawn and the
   state history shows the outage.

The checks_*.py modules follow (map, tiles, devices, ...); the last one,
checks_stale.py, ends the app and starts it again on the same data directory
(the `start` method below) to see the last known states after a restart.

Markers are painted on a canvas, so the test reads the counts the UI publishes
in <body data-rendered="...">. Screenshots go to E2E_OUT.

    env: E2E_APP (app binary), E2E_ADDRESS (loopback address to add and drop),
         E2E_DROP_CMD / E2E_UNDROP_CMD / E2E_IS_DROPPED_CMD (tests/e2e/outage.py), E2E_OUT (directory),
         WEBDRIVER_URL (default http://127.0.0.1:4444), E2E_TIMEOUT (seconds),
         E2E_TRAP_PORT / E2E_SYSLOG_PORT (the app's receivers, on loopback),
         MERIDIAN_CONFIG / MERIDIAN_DATA_DIR (the app's, as the caller exported them)
"""
import base64
import os
import re
import subprocess
import sys
import time

from wdclient import Client, TransportError, WebDriverError
import outage

URL = os.environ.get("WEBDRIVER_URL", "http://127.0.0.1:4444")
APP = os.environ["E2E_APP"]
ADDRESS = os.environ["E2E_ADDRESS"]
OUT = os.environ.get("E2E_OUT", ".")
TIMEOUT = float(os.environ.get("E2E_TIMEOUT", "60"))
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
CLIENT = Client(URL)
request = CLIENT.request


class Session:
    def __init__(self):
        self.start()

    def start(self):
        """Starts the app in a new session; checks_stale calls it again after ending the app."""
        caps = {"capabilities": {"alwaysMatch": {"tauri:options": {"application": APP}}}}
        self.id = request("POST", "/session", caps)["sessionId"]

    def cmd(self, method, path, body=None):
        return request(method, f"/session/{self.id}{path}", body)

    def find(self, css):
        return self.cmd("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def click(self, css):
        self.cmd("POST", f"/element/{self.find(css)}/click", {})

    def type(self, css, text):
        el = self.find(css)
        self.cmd("POST", f"/element/{el}/clear", {})
        self.cmd("POST", f"/element/{el}/value", {"text": text})

    def js(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def rendered(self):
        return self.js("return document.body.dataset.rendered || ''")

    def wait_rendered(self, pattern, what):
        deadline = time.monotonic() + TIMEOUT
        last = ""
        while time.monotonic() < deadline:
            last = self.rendered()
            if re.search(pattern, last):
                print(f"e2e: {what}: {last}")
                return last
            time.sleep(0.25)
        raise AssertionError(f"timed out after {TIMEOUT:.0f}s waiting for {what}; UI reports: {last!r}")

    def wait_js(self, script, what):
        deadline = time.monotonic() + TIMEOUT
        last = None
        while time.monotonic() < deadline:
            last = self.js(script)
            if last:
                print(f"e2e: {what}: {last}")
                return last
            time.sleep(0.25)
        raise AssertionError(f"timed out after {TIMEOUT:.0f}s waiting for {what}; last: {last!r}")

    def screenshot(self, name):
        png = base64.b64decode(self.cmd("GET", "/screenshot"))
        path = os.path.join(OUT, name)
        with open(path, "wb") as f:
            f.write(png)
        print(f"e2e: screenshot {path}")

    def close(self):
        try:
            self.cmd("DELETE", "")
        except Exception as e:  # the app may already be gone
            print(f"e2e: closing the session: {e}", file=sys.stderr)


def main():
    s = Session()
    try:
        s.wait_rendered(r"devices=0 ", "the empty store to render")
        # 2. Add a loopback device through the form; it turns green.
        s.click("#tab-devices")
        s.type("#f-name", "e2e-r1")
        s.type("#f-address", ADDRESS)
        s.type("#f-lat", "52.5")
        s.type("#f-lon", "13.4")
        s.click("#add-device-form button[type=submit]")
        s.click("#tab-monitor")
        s.wait_rendered(r"devices=1 markers=1 green=1 ", "the new device's marker to turn green")
        s.screenshot("e2e-1-green.png")
        # 3. Make it unreachable; the alarm appears and the marker turns red.
        outage.drop()
        s.wait_rendered(r"markers=1 green=0 amber=0 red=1 .* alarms=1 .* rows=1", "the marker to turn red and the alarm to show")
        s.screenshot("e2e-2-red-alarm.png")
        # 4. Acknowledge with a comment.
        s.click("#alarm-list button[data-action=ack]")
        s.type("#ack-comment", "e2e acknowledged")
        s.click("#ack-form button[type=submit]")
        s.wait_rendered(r"alarms=1 .* acked=1 ", "the alarm to show as acknowledged")
        title = s.js("return document.querySelector('#alarm-list .acked').title")
        assert "e2e acknowledged" in title, f"the acked row does not carry the comment: {title!r}"
        s.screenshot("e2e-3-acked.png")
        import checks_console; checks_console.run(s)  # issue 12, the alarm console
        import checks_layout; checks_layout.run(s)  # issue 12, the header from 640 px up
        # 5. The device page (reached from the popup/table link) draws its charts
        #    with uPlot in this WebKit, and its state history shows the outage.
        s.click("#tab-devices")
        s.click('#devices-body a[href^="#/device/"]')
        s.wait_js(
            "const v = document.getElementById('view-device');"
            "return v && !v.hidden && document.querySelectorAll('#view-device .uplot canvas').length",
            "the device page's charts",
        )
        s.wait_js(
            "const t = document.getElementById('view-device').textContent; return /down/i.test(t) && t.length",
            "the device page's state history",
        )
        # A ping-only device: its latency chart, no empty traffic or CPU
        # charts, and a prompt saying what would add them.
        shown = s.js(
            "return [...document.querySelectorAll('#view-device .dp-chart figcaption')].map(f => f.textContent)"
        )
        assert shown == ["Latency and loss"], f"a ping-only device's charts: {shown!r}"
        prompt = s.js("const p = document.querySelector('#view-device .dp-prompt'); return p ? p.textContent : ''")
        assert "ping only" in prompt and "SNMP credential" in prompt, f"no SNMP prompt: {prompt!r}"
        s.screenshot("e2e-4-device-page.png")
        import checks_map; checks_map.run(s)  # issue 12, the map
        import checks_tiles; checks_tiles.run(s)  # issue 12, the opt-in tile server
        import checks_devices; checks_devices.run(s)  # issue 12, the devices table
        import checks_devicepage; checks_devicepage.run(s)  # issue 12 item 5, issue 13 item 7 (comments)
        import checks_rules; checks_rules.run(s)  # issue 13 item 7, the rule editor
        import checks_maintenance; checks_maintenance.run(s)  # issue 13 item 7, maintenance windows
        import checks_notify; checks_notify.run(s)  # issue 13 item 7, channels, routes, send test, delivery log
        import checks_events; checks_events.run(s)  # issue 17 item 6, the events view and event rules
        import checks_timing; checks_timing.run(s)  # issue 16 item 4, the timing view
        import checks_system; checks_system.run(s)  # issue 15 item 6, the System tab
        import checks_reports; checks_reports.run(s)  # issue 15, scheduled reports: add, edit, run now, runs view
        import checks_credentials; checks_credentials.run(s)  # issue 12 item 6, credentials: users, edit, rotate, test
        import checks_notifyhealth; checks_notifyhealth.run(s)  # issue 12 item 6, desktop notifications that fail
        import checks_mibs; checks_mibs.run(s)  # issue 17, the MIB browser: search, description, walk on e2e-snmp
        import checks_rootcause; checks_rootcause.run(s)  # issue 13, the console grouped under a dead root
        import checks_stale; checks_stale.run(s)  # issue 12, last known state after a restart (restarts the app: last)
    finally:
        subprocess.run(os.environ.get("E2E_UNDROP_CMD", "true"), shell=True, check=False)
        s.close()


# Exit status for "the WebDriver connection dropped", which the caller may
# retry on a fresh app; a failed assertion is never retried.
EX_TRANSPORT = 75

if __name__ == "__main__":
    try:
        main()
    except WebDriverError as e:
        # tauri-driver answers 500 "connection error" when WebKitWebDriver went away.
        transport = "connection" in str(e).lower()
        print(f"e2e: {'the WebDriver connection dropped' if transport else 'FAIL'}: {e}", file=sys.stderr)
        sys.exit(EX_TRANSPORT if transport else 1)
    except AssertionError as e:
        print(f"e2e: FAIL: {e}", file=sys.stderr)
        sys.exit(1)
    except TransportError as e:
        print(f"e2e: the WebDriver connection dropped: {e}", file=sys.stderr)
        sys.exit(EX_TRANSPORT)
