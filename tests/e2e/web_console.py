#!/usr/bin/env python3
"""The team server's web console in headless Chromium, through chromedriver
(W3C WebDriver, the same client as the desktop's end-to-end test). Started
by crates/meridian-server/tests/webconsole.rs, which runs the server on a
fresh PostgreSQL database and seeds it. Standard library only; loopback only.

1. Admin logs in (after a wrong password, whose server error is shown); the
   map and the alarm console show both seeded alarms.
2. The operator logs in in a second browser. Admin acknowledges an alarm;
   the operator's console shows it acknowledged within a second (timed in
   the pages, both on this machine's clock).
3. The Admin tab's audit trail lists the ack with its actor, also filtered.
4. A device named `<img src=x onerror=alert(1)>` shows as that text; no
   such <img> exists and no alert opened.
5. A viewer's ack is refused with the server's 403, shown in the console;
   its Tokens tab lists only its own tokens and shows a new one's secret.
6. Logout returns to the login page.

    env: WEB_URL, WEB_ADMIN_PASSWORD, WEB_USER_PASSWORD, WEB_ALARM,
         WEB_VIEWER_ALARM, WEB_HOSTILE, CHROMEDRIVER (default chromedriver),
         CHROMIUM (default /usr/lib/chromium/chromium or /usr/bin/chromium),
         WEB_TIMEOUT (seconds, default 60)
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from wdclient import Client, WebDriverError

URL = os.environ["WEB_URL"]
ADMIN_PASSWORD = os.environ["WEB_ADMIN_PASSWORD"]
USER_PASSWORD = os.environ["WEB_USER_PASSWORD"]
ALARM = os.environ["WEB_ALARM"]
VIEWER_ALARM = os.environ["WEB_VIEWER_ALARM"]
HOSTILE = os.environ["WEB_HOSTILE"]
TIMEOUT = float(os.environ.get("WEB_TIMEOUT", "60"))
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
# The figure: an ack seen in another browser session within a second.
ACK_SEEN_WITHIN_MS = 1000


def chromium_binary():
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium"):
        if os.path.exists(p):
            return p
    raise SystemExit("web-console: chromium is missing (apt: chromium chromium-driver)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One headless Chromium with its own profile: its own cookies and session."""

    def __init__(self, client, name, tmp):
        self.name = name
        self.request = client.request
        profile = os.path.join(tmp, f"profile-{name}")
        args = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1400,900",
        ]
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "acceptInsecureCerts": True,
            "goog:chromeOptions": {"binary": chromium_binary(), "args": args},
        }}}
        self.id = self.request("POST", "/session", caps)["sessionId"]

    def cmd(self, method, path, body=None):
        return self.request(method, f"/session/{self.id}{path}", body)

    def get(self, url):
        self.cmd("POST", "/url", {"url": url})

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

    def wait_js(self, script, what, *args, timeout=None):
        deadline = time.monotonic() + (timeout or TIMEOUT)
        last = None
        while time.monotonic() < deadline:
            last = self.js(script, *args)
            if last:
                print(f"web-console [{self.name}]: {what}: {last}")
                return last
            time.sleep(0.1)
        raise AssertionError(f"[{self.name}] timed out waiting for {what}; last: {last!r}")

    def no_alert(self):
        try:
            text = self.cmd("GET", "/alert/text")
        except WebDriverError as e:
            if "no such alert" in str(e):
                return
            raise
        raise AssertionError(f"[{self.name}] an alert opened: {text!r}")

    def log_in(self, name, password):
        self.get(URL)
        self.wait_js("return document.getElementById('login-name') !== null", "the login page")
        self.type("#login-name", name)
        self.type("#login-password", password)
        self.click("#login-submit")

    def close(self):
        try:
            self.cmd("DELETE", "")
        except Exception as e:  # the browser may already be gone
            print(f"web-console: closing {self.name}: {e}", file=sys.stderr)


RENDERED = "return document.body.dataset.rendered || ''"
ALARMS_SHOWN = r"""
const r = document.body.dataset.rendered || '';
const m = /markers=(\d+).*alarms=(\d+)/.exec(r);
return m && Number(m[1]) >= 1 && Number(m[2]) >= 2 && document.querySelector('.leaflet-container') !== null
  && document.querySelectorAll('#alarm-list .alarm-row').length >= 2 ? r : '';
"""
ROW_ACKED = "const row = document.querySelector(`.alarm-row[data-id=\"${arguments[0]}\"]`); return row !== null && row.querySelector('.acked') !== null;"
# Installed in the second browser before the ack: notes the page's clock when the row turns acknowledged.
WATCH_ACK = r"""
const id = arguments[0];
window.__ackSeenAt = null;
const seen = () => {
  const row = document.querySelector(`.alarm-row[data-id="${id}"]`);
  if (row !== null && row.querySelector('.acked') !== null) { window.__ackSeenAt = Date.now(); return true; }
  return false;
};
if (!seen()) {
  const obs = new MutationObserver(() => { if (seen()) obs.disconnect(); });
  obs.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
}
return document.querySelector(`.alarm-row[data-id="${id}"]`) !== null;
"""
SUBMIT_ACK = "const t = Date.now(); document.getElementById('ack-form').requestSubmit(); return t;"


def scenario(client, tmp):
    admin = Browser(client, "admin", tmp)
    browsers = [admin]
    try:
        # 1. The server's error on a wrong password, then in.
        admin.log_in("admin", "not-the-password-1")
        admin.wait_js("return document.getElementById('login-error').textContent", "the server's login error")
        admin.type("#login-password", ADMIN_PASSWORD)
        admin.click("#login-submit")
        admin.wait_js(ALARMS_SHOWN, "map and alarm console")
        who = admin.js("return document.getElementById('web-user').textContent")
        assert who == "admin (admin)", who
        hidden = admin.js("return ['tab-rules','tab-timing','tab-system'].every(id => document.getElementById(id).hidden)")
        assert hidden, "desktop-only tabs are hidden in the browser"

        # 2. A second browser, logged in separately, sees admin's ack within a second.
        op = Browser(client, "operator", tmp)
        browsers.append(op)
        op.log_in("operator", USER_PASSWORD)
        op.wait_js(ALARMS_SHOWN, "map and alarm console")
        assert op.js(WATCH_ACK, ALARM), "the operator sees the alarm"
        admin.click(f'.alarm-row[data-id="{ALARM}"] button[data-action="ack"]')
        admin.type("#ack-comment", "on it (web)")
        clicked_at = admin.js(SUBMIT_ACK)
        admin.wait_js(ROW_ACKED, "acknowledged here", ALARM)
        seen_at = op.wait_js("return window.__ackSeenAt", "acknowledged in the other session", timeout=10)
        took = seen_at - clicked_at
        print(f"web-console: ack seen in the second session {took} ms after the click")
        assert took <= ACK_SEEN_WITHIN_MS, f"the second session saw the ack after {took} ms"
        assert "acked=1" in op.js(RENDERED), op.js(RENDERED)

        # 3. The audit trail names the ack and its actor; the filter narrows to it.
        admin.click("#tab-admin")
        admin.wait_js(
            "return [...document.querySelectorAll('#audit-table tr[data-audit-action=\"alarm.ack\"] .actor')].map(e => e.textContent).join(',')",
            "the ack in the audit trail",
        )
        actors = admin.js("return [...document.querySelectorAll('#audit-table tr[data-audit-action=\"alarm.ack\"] .actor')].map(e => e.textContent)")
        assert actors == ["admin"], actors
        admin.type("#au-action", "alarm.ack")
        admin.click("#audit-apply")
        admin.wait_js(
            "const rows = [...document.querySelectorAll('#audit-table tbody tr')]; return rows.length >= 1 && rows.every(r => r.dataset.auditAction === 'alarm.ack') ? rows.length : 0",
            "the filtered audit trail",
        )
        users = admin.js("return [...document.querySelectorAll('#admin-users tr[data-user]')].map(r => r.dataset.user)")
        assert {"admin", "operator", "viewer"} <= set(users), users
        assert admin.js("return document.querySelector('#admin-users tr[data-user=\"viewer\"] [data-action=lock]') !== null"), "a Lock button"

        # 4. The hostile name is text, in the console and the devices table.
        admin.click("#tab-monitor")
        row_text = admin.wait_js(f'const r = document.querySelector(\'.alarm-row[data-id="{VIEWER_ALARM}"]\'); return r ? r.textContent : ""', "the hostile device's alarm row")
        assert HOSTILE in row_text, row_text
        admin.click("#tab-devices")
        admin.wait_js("return document.body.innerText.includes(arguments[0])", "the hostile name as text", HOSTILE)
        imgs = admin.js("return document.querySelectorAll('img[src=\"x\"]').length")
        assert imgs == 0, f"{imgs} <img src=x> in the page"
        admin.no_alert()

        # 5. A viewer may look but not acknowledge: the server's 403 is shown.
        viewer = Browser(client, "viewer", tmp)
        browsers.append(viewer)
        viewer.log_in("viewer", USER_PASSWORD)
        viewer.wait_js(ALARMS_SHOWN, "map and alarm console")
        viewer.click(f'.alarm-row[data-id="{VIEWER_ALARM}"] button[data-action="ack"]')
        viewer.js(SUBMIT_ACK)
        err = viewer.wait_js("return document.getElementById('console-error').textContent", "the server's refusal")
        assert err.startswith("forbidden"), err
        assert not viewer.js(ROW_ACKED, VIEWER_ALARM), "the viewer's alarm stays unacknowledged"
        viewer.no_alert()
        # Its Tokens tab: its own tokens only, a new one's secret shown once.
        viewer.click("#tab-admin")
        viewer.wait_js("const h = document.querySelector('#admin-tokens h2'); return h ? h.textContent : ''", "the viewer's token screen")
        assert viewer.js("return document.getElementById('admin-users') === null && document.getElementById('admin-audit') === null")
        viewer.type("#t-name", "laptop")
        viewer.click("#token-form button[type=submit]")
        secret = viewer.wait_js("const p = document.getElementById('token-secret'); return p ? p.textContent : ''", "the new token's secret")
        assert "mrd_" in secret, secret
        owners = viewer.js("return [...document.querySelectorAll('#admin-tokens tr[data-token]')].map(r => r.children[1].textContent)")
        assert owners and set(owners) == {"viewer"}, owners

        # 6. Logout: back to the login page, and the old session is gone.
        op.click("#logout")
        op.wait_js("return document.getElementById('login-name') !== null", "the login page after logout")
    finally:
        for b in browsers:
            b.close()


def main():
    tmp = tempfile.mkdtemp(prefix="meridian-web-console-")
    port = free_port()
    log = os.path.join(tmp, "chromedriver.log")
    driver_bin = os.environ.get("CHROMEDRIVER", "chromedriver")
    if shutil.which(driver_bin) is None:
        raise SystemExit("web-console: chromedriver is missing (apt: chromium-driver)")
    driver = subprocess.Popen([driver_bin, f"--port={port}", f"--log-path={log}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ok = False
    try:
        client = Client(f"http://127.0.0.1:{port}", timeout=TIMEOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                if client.request("GET", "/status").get("ready"):
                    break
            except Exception:
                client.close()
            if time.monotonic() > deadline:
                raise SystemExit("web-console: chromedriver did not start")
            time.sleep(0.2)
        scenario(client, tmp)
        ok = True
        print("web-console: 1 passed")
    finally:
        driver.terminate()
        try:
            driver.wait(10)
        except subprocess.TimeoutExpired:
            driver.kill()
        if not ok and os.path.exists(log):
            with open(log, errors="replace") as f:
                tail = f.readlines()[-30:]
            print("--- chromedriver log (last lines)", file=sys.stderr)
            print("".join(tail), file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
