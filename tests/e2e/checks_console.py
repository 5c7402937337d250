"""Alarm console checks for the WebDriver scenario (issue 12, item 3, "The
alarm console").

Called from webdriver_scenario.main() right after the acknowledge step (4),
with the scenario's Session: the one device (e2e-r1) is unreachable and its
critical alarm is acknowledged with the comment "e2e acknowledged".

- The row reads the problem in plain words ("No reply to ping"); the device
  name and the time fit their columns at 1,280 px (no ellipsis).
- Clicking the row opens the drawer: plain words, the X.733 codes (event
  type, probable cause, specific problem), who acknowledged and the comment,
  "Open device" and "Show on map".
- The filter box matches the plain words; a row's checkbox shows the bulk bar.
- The Event log view lists the device's addition and its state change.
- At 640 x 800 the filter box keeps a usable width and the rows show.
Screenshots console-1280.png (drawer open), console-log.png, console-640.png.
The window is restored to its size before, and the console to Active.
"""
import time

DRAWER_OPEN = "const d = document.getElementById('alarm-drawer'); return d && !d.hidden && d.textContent.replace(/\\s+/g, ' ')"

# Whether each cell's text fits: an ellipsis shows when scrollWidth > clientWidth.
CUT_OFF = """
const row = document.querySelector('#alarm-list .alarm-row');
if (!row) return null;
const out = {};
for (const c of ['who', 'when', 'what', 'sev']) {
  const el = row.querySelector('.' + c);
  const b = el.getBoundingClientRect();
  out[c] = {text: el.textContent.trim(), cut: el.scrollWidth > el.clientWidth + 1, w: Math.round(b.width)};
}
return out;
"""


def _set_size(s, width, height):
    s.cmd("POST", "/window/rect", {"width": width, "height": height})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and s.js("return window.innerWidth") != width:
        time.sleep(0.2)
    time.sleep(0.5)  # the virtual list and the map re-measure on the next frames


def _set_filter(s, text):
    s.js("const i = document.getElementById('console-search'); i.value = arguments[0];"
         "i.dispatchEvent(new Event('input', {bubbles: true}));", text)


def run(s):
    before = s.cmd("GET", "/window/rect")
    s.click("#tab-monitor")
    _set_size(s, 1280, 800)

    # Plain words in the row, and nothing cut off at 1,280 px.
    what = s.wait_js("const w = document.querySelector('#alarm-list .alarm-row .what'); return w && w.textContent.trim()",
                     "the alarm row's problem")
    assert what == "No reply to ping", f"the row's problem is not in plain words: {what!r}"
    cells = s.js(CUT_OFF)
    print(f"e2e: console cells at 1280: {cells}")
    for c in ("who", "when", "sev"):
        assert not cells[c]["cut"], f"the {c} column is cut off at 1280 px: {cells}"
    assert cells["who"]["text"] == "e2e-r1", cells

    # The filter matches the plain words; a checkbox brings the bulk bar.
    _set_filter(s, "reply to ping")
    s.wait_rendered(r"alarms=1 .* rows=1", "the plain-words filter to keep the alarm")
    _set_filter(s, "")
    s.click("#alarm-list .alarm-row input[data-action=select]")
    s.wait_js("const b = document.getElementById('console-bulk'); return !b.hidden && b.textContent.includes('1 selected') && b.textContent.trim()",
              "the bulk bar for one selected alarm")
    s.click("#bulk-none")

    # The drawer: plain words, X.733 codes, who acknowledged and why, the device actions.
    s.click("#alarm-list .alarm-row button[data-action=open]")
    text = s.wait_js(DRAWER_OPEN, "the alarm drawer")
    for want in ("No reply to ping", "communicationsSubsystemFailure", "icmpNoReply", "communications",
                 "Communication failure", "e2e acknowledged", "e2e-r1", "Open device", "Show on map"):
        assert want in text, f"the drawer lacks {want!r}: {text[:600]!r}"
    by = s.js("return document.querySelector('#alarm-drawer [data-field=ackedBy]').textContent.trim()")
    assert by not in ("", "—"), f"the drawer does not say who acknowledged: {by!r}"
    s.screenshot("console-1280.png")
    # "Show on map" stays on the Map & alarms view with the map shown.
    s.click("#alarm-drawer [data-drawer=map]")
    s.wait_js("return document.getElementById('tab-monitor').getAttribute('aria-selected') === 'true' && !document.getElementById('map').hidden",
              "the map after Show on map")
    s.click("#alarm-drawer [data-drawer=close]")
    s.wait_js("return document.getElementById('alarm-drawer').hidden", "the drawer to close")

    # The event log lists the device's addition and its outage.
    s.click('#console-views button[data-view="log"]')
    log = s.wait_js("const t = document.querySelector('#console-history tbody');"
                    "return t && t.rows.length >= 2 && t.textContent.replace(/\\s+/g, ' ')", "the event log")
    assert "Device added" in log and "e2e-r1" in log, f"the event log lacks the added device: {log[:400]!r}"
    assert "State changed" in log, f"the event log lacks the state change: {log[:400]!r}"
    s.screenshot("console-log.png")
    s.click('#console-views button[data-view="cleared"]')
    s.wait_js("const h = document.getElementById('console-history');"
              "return !h.hidden && (h.querySelector('table[aria-label=\"Cleared alarms\"]') || /No cleared alarms/.test(h.textContent))"
              " && h.textContent.trim()", "the cleared view (its own table or its empty note)")
    s.click('#console-views button[data-view="active"]')
    s.wait_js("return !document.getElementById('alarm-list').hidden", "the active alarms again")

    # 640 x 800: the filter box keeps a usable width, the row and its problem show.
    _set_size(s, 640, 800)
    narrow = s.wait_js(
        "const i = document.getElementById('console-search').getBoundingClientRect();"
        "const w = document.querySelector('#alarm-list .alarm-row .what').getBoundingClientRect();"
        "return i.width >= 120 && i.right <= window.innerWidth && w.width > 40 && w.right <= window.innerWidth"
        " && JSON.stringify({search: Math.round(i.width), what: Math.round(w.width), win: window.innerWidth})",
        "a usable filter box and alarm row at 640 px",
    )
    print(f"e2e: console at 640: {narrow}")
    s.screenshot("console-640.png")
    _set_size(s, before["width"], before["height"])
