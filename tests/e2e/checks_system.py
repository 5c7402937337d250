"""System tab checks (issue 15, item 6, "a system page with the same
figures"), run by webdriver_scenario.py after the timing view's checks.

- The System tab opens and lists the figures: the store size row shows a
  size in bytes units (the store exists, so not a dash), the monitor row says
  whether the monitor runs, and the history tiers are listed.
- The self-alarm section says there is none or lists them.
- The header still fits with the ninth tab at 640 px (the layout check's
  header test, on this view).
Screenshot system.png.
"""
import re

from checks_console import _set_size
from checks_layout import _check_header

ROW = "const r = document.querySelector('#system-body tr[data-key=\"' + arguments[0] + '\"] td'); return r ? r.textContent : null"


def run(s):
    before = s.cmd("GET", "/window/rect")
    _set_size(s, 1280, 800)
    s.click("#tab-system")
    s.wait_js("return !document.getElementById('view-system').hidden"
              " && document.querySelector('#system-body tr[data-key=store]') && 'shown'", "the System tab's figures")
    store = s.js(ROW, "store")
    print(f"e2e: system: store size {store!r}")
    assert re.match(r"^[\d.,]+ (B|KiB|MiB|GiB)\b", store or ""), f"the store size: {store!r}"
    monitor = s.js(ROW, "monitor")
    assert monitor in ("running", "not running"), f"the monitor row: {monitor!r}"
    tiers = s.js("return document.querySelectorAll('#system-body tr[data-key^=\"tier-\"]').length")
    assert tiers >= 1, "no history tier listed"
    alarms = s.js("return document.getElementById('system-alarms').textContent")
    assert "No alarm about Meridian itself" in alarms or s.js(
        "return document.querySelectorAll('#system-alarms li[data-problem]').length") > 0, f"self-alarms: {alarms!r}"
    s.screenshot("system.png")
    _set_size(s, 640, 800)
    _check_header(s, 640)
    _set_size(s, before["width"], before["height"])
    s.click("#tab-monitor")
