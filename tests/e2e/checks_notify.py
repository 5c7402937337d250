"""Notifications screen checks (issue 13, item 7, "notification channels and
routes with send test and the delivery log"), run by webdriver_scenario.py
after the maintenance checks. The webhook peer is an HTTP receiver this file
starts on 127.0.0.1 (port 0), answering 200 and counting what it gets.

- A channel with no name and a rate limit of 0 shows both errors at once; a
  webhook URL the service refuses (ftp://) shows its error on the URL box.
- Saved with a signing secret, the channel lists as "generic JSON at
  127.0.0.1:PORT, signed": neither the URL's path nor the secret is anywhere
  in the page, and the secret box is empty on Edit ("stored; leave empty to
  keep").
- Send test reaches the receiver once; the row says "sent"; the delivery log
  lists the attempt (kind test, outcome sent).
- A route to the channel is listed; removing the channel while the route uses
  it is refused with the service's message above the lists; the route and
  then the channel are removed.
- The notification delay refuses 3601 with a field error, takes 30 ("now:
  30 s"), and is put back as it was.
Screenshots notify-channel.png, notify-log.png.
"""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from checks_console import _set_size

ERR = "document.querySelector('#{} [data-error-for=\"{}\"]').textContent"
ROW = ("const r = [...document.querySelectorAll(arguments[0] + ' tr[data-id]')]"
       ".find(r => r.querySelector('.name').textContent === arguments[1]);"
       "return r ? {id: r.dataset.id, text: r.textContent.replace(/\\s+/g, ' ')} : null")
HOOK_PATH = "/e2e-hook/T0KEN"
SECRET = "e2e-signing-s3cret"


class _Receiver(BaseHTTPRequestHandler):
    posts = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        n = int(self.headers.get("Content-Length") or 0)
        _Receiver.posts.append((self.path, self.headers.get("X-Meridian-Signature"), self.rfile.read(min(n, 1 << 20))))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def _row(s, body, name):
    return s.js(ROW, body, name)


def _error(s, form, field):
    return s.js("return " + ERR.format(form, field))


def _choose(s, css, value):
    s.js("const e = document.querySelector(arguments[0]); e.value = arguments[1];"
         "e.dispatchEvent(new Event('change', {bubbles: true}))", css, value)


def _confirm_remove(s, body, what, rid):
    s.click(f'{body} button[data-action=remove-{what}][data-id="{rid}"]')
    s.wait_js("return document.getElementById('confirm-dialog').open", "the removal to be asked")
    s.click("#confirm-dialog button[data-confirm=yes]")


def run(s):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    before = s.cmd("GET", "/window/rect")
    try:
        _set_size(s, 1280, 800)
        s.click("#tab-notify")
        s.wait_js("const b = document.getElementById('channels-body'); return !document.getElementById('view-notify').hidden"
                  " && (b.querySelector('table') || /No channels yet/.test(b.textContent)) && 'listed'", "the channels list")
        delay_before = s.wait_js("const v = document.getElementById('n-delay').value; return v !== '' && v", "the delay")

        # Two of the form's own errors at once, then the service's on the URL.
        _choose(s, "#c-kind", "webhook")
        s.type("#c-url", "ftp://127.0.0.1/x")
        s.type("#c-per-minute", "0")
        s.click("#channel-save")
        s.wait_js(f"return {ERR.format('channel-form', 'name')} !== '' && {ERR.format('channel-form', 'perMinute')} !== '' && 'both'",
                  "the name and rate errors together")
        s.type("#c-name", "e2e hook")
        s.type("#c-per-minute", "10")
        s.click("#channel-save")
        url_error = s.wait_js(f"const t = {ERR.format('channel-form', 'url')}; return t !== '' && t", "the service's URL error")
        print(f"e2e: webhook URL error: {url_error!r}")
        assert "http" in url_error, url_error
        assert _row(s, "#channels-body", "e2e hook") is None, "a refused channel was saved"

        # Saved: host only, signed, no secret or path anywhere.
        s.type("#c-url", f"http://127.0.0.1:{port}{HOOK_PATH}")
        s.type("#c-secret", SECRET)
        s.click("#channel-save")
        row = s.wait_js("const n = [...document.querySelectorAll('#channels-body tr[data-id] .name')].find(n => n.textContent === 'e2e hook');"
                        "return n && n.closest('tr').textContent.replace(/\\s+/g, ' ')", "the saved channel")
        assert f"generic JSON at 127.0.0.1:{port}, signed" in row, row
        page = s.js("return document.documentElement.outerHTML + [...document.querySelectorAll('input')].map(i => i.value).join(' ')")
        assert SECRET not in page and "T0KEN" not in page, "the secret or the URL's token reached the page"
        cid = _row(s, "#channels-body", "e2e hook")["id"]
        s.click(f'#channels-body button[data-action=edit-channel][data-id="{cid}"]')
        assert s.js("return document.getElementById('c-secret').value") == "", "the secret box is not empty on Edit"
        assert s.js("return [...document.querySelectorAll('#channel-form [data-stored-secret]')].some(e => !e.hidden)"), \
            "Edit does not say a secret is stored"
        s.screenshot("notify-channel.png")
        s.click("#channel-cancel")

        # Send test: one POST, signed, the row and the log say sent.
        s.click(f'#channels-body button[data-action=test-channel][data-id="{cid}"]')
        outcome = s.wait_js(f"const t = document.querySelector('#channels-body tr[data-id=\"{cid}\"] [data-test]');"
                            "return t && t.textContent !== 'sending…' && t.textContent", "the test's outcome")
        print(f"e2e: send test: {outcome!r}, receiver got {[(p, sig) for p, sig, _ in _Receiver.posts]}")
        assert outcome.startswith("sent"), outcome
        assert len(_Receiver.posts) == 1 and _Receiver.posts[0][0] == HOOK_PATH, _Receiver.posts
        assert (_Receiver.posts[0][1] or "").startswith("sha256="), "the test was not signed"
        _choose(s, "#delivery-log-channel", "e2e hook")
        log = s.wait_js("const r = [...document.querySelectorAll('#delivery-log-body tbody tr')];"
                        "return r.length > 0 && r.map(t => t.textContent.replace(/\\s+/g, ' '))", "the delivery log")
        assert "test" in log[0] and "sent" in log[0], log
        s.screenshot("notify-log.png")

        # A route to it; the channel cannot go while the route uses it.
        s.type("#rt-name", "e2e route")
        _choose(s, "#rt-channel", "e2e hook")
        _choose(s, "#rt-severity", "major")
        s.type("#rt-tags", "e2e-core")
        s.click("#route-save")
        route = s.wait_js("const n = [...document.querySelectorAll('#routes-body tr[data-id] .name')].find(n => n.textContent === 'e2e route');"
                          "return n && n.closest('tr').textContent.replace(/\\s+/g, ' ')", "the saved route")
        assert "e2e hook" in route and "major and worse" in route and "tags e2e-core" in route, route
        _confirm_remove(s, "#channels-body", "channel", cid)
        refusal = s.wait_js("const t = document.getElementById('notify-error').textContent; return t !== '' && t", "the refusal")
        assert "used by route" in refusal, refusal
        assert _row(s, "#channels-body", "e2e hook") is not None, "the channel went although a route uses it"
        _confirm_remove(s, "#routes-body", "route", _row(s, "#routes-body", "e2e route")["id"])
        s.wait_js("return !document.querySelector('#routes-body tr[data-id]') || "
                  "![...document.querySelectorAll('#routes-body .name')].some(n => n.textContent === 'e2e route')", "the route removed")
        _confirm_remove(s, "#channels-body", "channel", cid)
        s.wait_js(f"return !document.querySelector('#channels-body tr[data-id=\"{cid}\"]') && 'gone'", "the channel removed")

        # The delay: out of range refused, in range taken, then put back.
        s.type("#n-delay", "3601")
        s.click("#delay-save")
        s.wait_js(f"return {ERR.format('delay-form', 'delaySecs')} !== '' && 'refused'", "the delay's error")
        s.type("#n-delay", "30")
        s.click("#delay-save")
        s.wait_js("return document.getElementById('delay-now').textContent === 'now: 30 s' && 'saved'", "the delay saved")
        s.type("#n-delay", str(delay_before))
        s.click("#delay-save")
        s.wait_js(f"return document.getElementById('n-delay').value === '{delay_before}' && "
                  f"{ERR.format('delay-form', 'delaySecs')} === '' && 'restored'", "the delay restored")
    finally:
        server.shutdown()
        s.click("#tab-monitor")
        _set_size(s, before["width"], before["height"])
