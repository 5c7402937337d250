"""Device page as the hub (issue 12, item 5) and the alarm comment thread
(issue 13, item 7), run last by webdriver_scenario.py: e2e-r1 (added minutes
ago, DROP'd) has its critical alarm, acknowledged from the console with the
comment "e2e acknowledged".

- The page opens from the console's drawer ("Open device") on the last hour,
  the range that fits a device this young, with Poll now, Edit and Disable.
- Its active alarms list the acknowledged alarm; opening it shows the
  console's drawer in place, whose comment thread holds the acknowledgement's
  comment; a comment added there shows in the thread, and the alarm's
  history (raised, acknowledged, both comments) in time order.
- Once the address answers again the alarm clears; dropped again, the new
  alarm is acknowledged from the device page ("Acknowledge…" opens the drawer
  at its comment box) with a comment, which the thread then shows.
- Poll now is accepted; Edit opens the devices table's dialog; Disable
  monitoring turns into Enable (and Poll now is off), and back.
Screenshot devicepage-1280.png (drawer open on the page).
"""
import time

from checks_console import _set_size
import outage

PAGE_TEXT = "return document.getElementById('view-device').textContent.replace(/\\s+/g, ' ')"
HISTORY = ("return [...document.querySelectorAll('#dp-alarm-detail .timeline-step')]"
           ".map(li => [li.dataset.kind, li.textContent.replace(/\\s+/g, ' ').trim()])")
THREAD = "return [...document.querySelectorAll('#dp-alarm-detail .drawer-comment .comment-text')].map(c => c.textContent)"


def _comments(s, want, what):
    """Waits until the thread shown on the device page holds `want`; returns the thread."""
    script = THREAD.replace("return ", "const t = ", 1) + "; return t.includes(arguments[0]) && t"
    deadline = time.monotonic() + 20
    last = None
    while time.monotonic() < deadline:
        last = s.js(script, want)
        if last:
            print(f"e2e: {what}: {last}")
            return last
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}; the thread: {s.js(THREAD)!r}")


def run(s):
    before = s.cmd("GET", "/window/rect")
    _set_size(s, 1280, 800)
    s.click("#tab-monitor")
    s.click("#alarm-list .alarm-row button[data-action=open]")
    s.wait_js("return !document.getElementById('alarm-drawer').hidden", "the console's drawer")
    s.click("#alarm-drawer [data-drawer=device]")
    s.wait_js("return !document.getElementById('view-device').hidden && document.getElementById('dp-name').textContent === 'e2e-r1'",
              "the device page of e2e-r1")
    rng = s.js("const b = document.querySelector('#dp-range button[aria-pressed=true]'); return b && b.dataset.range")
    assert rng == "1h", f"a device added minutes ago opens on {rng!r}, not the last hour"
    for b, text in (("#dp-poll", "Poll now"), ("#dp-edit", "Edit…"), ("#dp-toggle", "Disable monitoring")):
        got = s.js(f"return document.querySelector('{b}').textContent.trim()")
        assert got == text, f"{b} reads {got!r}"

    # The acknowledged alarm, opened in place: the console's drawer with its thread.
    row = s.wait_js("const r = document.querySelector('#dp-alarms .dp-alarm'); return r && r.textContent.replace(/\\s+/g, ' ')",
                    "the device's active alarm")
    assert "No reply to ping" in row and "acked by" in row, f"the device page's alarm row: {row!r}"
    s.click("#dp-alarms button[data-alarm=open]")
    s.wait_js("const d = document.querySelector('#dp-alarm-detail #alarm-drawer'); return d && !d.hidden", "the drawer on the device page")
    _comments(s, "e2e acknowledged", "the acknowledgement's comment in the thread")
    s.type("#drawer-comment-text", "e2e comment from the device page")
    s.click("#dp-alarm-detail form[data-drawer=comment] button[type=submit]")
    thread = _comments(s, "e2e comment from the device page", "the new comment in the thread")
    assert thread == ["e2e acknowledged", "e2e comment from the device page"], f"the thread: {thread!r}"
    # The alarm's history (issue 13 item 4): raised, acknowledged, both
    # comments, in time order, the new comment's text included.
    steps = s.wait_js(HISTORY.replace("return ", "const h = ", 1)
                      + "; return h.some(([k, t]) => k === 'comment' && t.includes('e2e comment from the device page')) && h",
                      "the new comment in the alarm's history")
    kinds = [k for k, _ in steps if k in ("raised", "acknowledged", "comment")]
    assert kinds == ["raised", "acknowledged", "comment", "comment"], f"the alarm's history: {steps!r}"
    assert "Raised" in steps[0][1] and "critical" in steps[0][1], f"the raise step: {steps[0]!r}"
    s.screenshot("devicepage-1280.png")

    # The address answers again (the alarm clears), then is dropped again: a
    # new alarm, acknowledged from the page.
    outage.undrop()
    s.wait_js("return /No active alarms/.test(document.getElementById('dp-alarms').textContent) && 'cleared'",
              "the alarm to clear once the device answers")
    outage.drop()
    s.wait_js("const b = document.querySelector('#dp-alarms button[data-alarm=ack]'); return b && b.textContent.trim()",
              "the alarm raised again, not acknowledged")
    s.click("#dp-alarms button[data-alarm=ack]")
    focused = s.wait_js("return document.activeElement && document.activeElement.id === 'drawer-ack-comment' && 'focused'",
                        "the drawer's comment box")
    assert focused == "focused"
    s.type("#drawer-ack-comment", "acked from the device page")
    s.click("#dp-alarm-detail form[data-drawer=ack] button[type=submit]")
    row = s.wait_js("const r = document.querySelector('#dp-alarms .dp-alarm'); return r && /acked by/.test(r.textContent) && r.textContent.replace(/\\s+/g, ' ')",
                    "the alarm acknowledged from the device page")
    s.wait_rendered(r"alarms=1 .* acked=1 ", "the console to count it acknowledged")
    _comments(s, "acked from the device page", "the acknowledgement's comment in the new alarm's thread")

    # Poll now, Edit (the table's dialog), Disable and Enable.
    s.click("#dp-poll")
    note = s.wait_js("const n = document.getElementById('dp-action-note').textContent; return /Poll requested/.test(n) && n",
                     "Poll now to be accepted")
    print(f"e2e: poll now: {note}")
    s.click("#dp-edit")
    s.wait_js("return document.getElementById('device-edit-dialog').open && document.querySelector('#device-edit-dialog input[name=name]').value",
              "the edit dialog for the device")
    s.click("#device-edit-dialog button[data-action=cancel]")
    s.click("#dp-toggle")
    s.wait_js("return document.getElementById('dp-toggle').textContent === 'Enable monitoring' && document.getElementById('dp-poll').disabled",
              "the device disabled")
    s.click("#dp-toggle")
    s.wait_js("return document.getElementById('dp-toggle').textContent === 'Disable monitoring' && !document.getElementById('dp-poll').disabled",
              "the device enabled again")
    s.click("#dp-back")
    _set_size(s, before["width"], before["height"])
