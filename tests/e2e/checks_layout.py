"""Layout checks for the WebDriver scenario (issue 12, item 6, "Layout, tray
and the rest").

Called from webdriver_scenario.main() after the console checks, with the
scenario's Session: one device (e2e-r1), down, with its critical alarm.

At 1,280 x 800 and at the minimum 640 x 800:
- every header item (title, tabs, status summary, severity badges, live
  time, mute button) lies inside the window, none overlaps another, and none
  is cut off (an element whose text overflows has scrollWidth > clientWidth);
  the badges and tabs stay one line high; the header is one row at 1,280 px
  and two at 640 px;
- the status summary counts the device states ("0 up · 1 down");
- the mute button says what it mutes, and still fits once muted ("Notifications
  muted until ..."); it is unmuted again before returning;
- the shell told the page which build it is (debug here, so the browser's
  context menu stays for inspecting).
Screenshots layout-<view>-<width>.png of the Map & alarms and Devices views.
The window is restored to its size before.
"""
from checks_console import _set_size

# Boxes of the header's items, and whether each one's content is cut off.
HEADER = """
const win = window.innerWidth;
const header = document.querySelector('.app-header');
const items = [...header.querySelectorAll('h1, .tabs button, #status-summary, #severity-counts button, #live-status, #mute-button')]
  .filter(e => e.getClientRects().length > 0);
const out = items.map(e => {
  const b = e.getBoundingClientRect();
  return {id: e.id || e.dataset.severity || e.textContent.trim().slice(0, 20), l: b.left, r: b.right, t: b.top, b: b.bottom,
          h: Math.round(b.height), cut: e.scrollWidth > e.clientWidth + 1, text: e.textContent.trim()};
});
return {win, height: Math.round(header.getBoundingClientRect().height), items: out};
"""


def _check_header(s, width):
    h = s.js(HEADER)
    items = h["items"]
    print(f"e2e: header at {width}: height {h['height']}, {[(i['id'], round(i['l']), round(i['r'])) for i in items]}")
    assert len(items) >= 10, f"header items missing at {width}: {items}"
    for i in items:
        assert i["l"] >= 0 and i["r"] <= h["win"] + 0.5, f"{i['id']!r} is outside the window at {width} px: {i}"
        assert not i["cut"], f"{i['id']!r} is cut off at {width} px: {i}"
    for i in items:
        if i["id"] in ("critical", "major", "minor", "warning", "indeterminate") or i["id"].startswith("tab-"):
            assert i["h"] <= 30, f"{i['id']!r} wraps inside at {width} px: {i}"
    for n, a in enumerate(items):
        for b in items[n + 1:]:
            overlap = a["l"] < b["r"] - 0.5 and b["l"] < a["r"] - 0.5 and a["t"] < b["b"] - 0.5 and b["t"] < a["b"] - 0.5
            assert not overlap, f"{a['id']!r} and {b['id']!r} overlap at {width} px"
    rows = 1 if width >= 1400 else 2
    assert h["height"] <= 26 + 30 * rows, f"the header is {h['height']} px high at {width} px (expected {rows} row(s))"
    return {i["id"]: i["text"] for i in items}


def run(s):
    before = s.cmd("GET", "/window/rect")
    assert s.js("return window.__MERIDIAN_BUILD__") == "debug", "the shell did not tell the page its build"
    s.click("#tab-monitor")
    for width in (1280, 640):
        _set_size(s, width, 800)
        texts = _check_header(s, width)
        summary = texts.get("status-summary", "")
        assert summary == "0 up · 1 down", f"the status summary at {width} px: {summary!r}"
        assert texts.get("mute-button") == "Mute desktop notifications", f"the mute button: {texts.get('mute-button')!r}"
        s.screenshot(f"layout-monitor-{width}.png")
        s.click("#tab-devices")
        s.wait_js("return !document.getElementById('view-devices').hidden", "the Devices view")
        _check_header(s, width)
        s.screenshot(f"layout-devices-{width}.png")
        s.click("#tab-monitor")

    # Muted, the button names the end of the mute and still fits at 640 px.
    s.click("#mute-button")
    s.click('#mute-menu button[data-hours="1"]')
    s.wait_js("return /^Notifications muted until /.test(document.getElementById('mute-button').textContent)"
              " && document.getElementById('mute-button').textContent", "the mute button to say until when")
    texts = _check_header(s, 640)
    print(f"e2e: muted: {texts.get('mute-button')!r}")
    s.screenshot("layout-muted-640.png")
    s.click("#mute-button")
    s.click("#mute-menu button[data-unmute]")
    s.wait_js("return document.getElementById('mute-button').textContent === 'Mute desktop notifications'",
              "the mute button after unmuting")
    _set_size(s, before["width"], before["height"])
