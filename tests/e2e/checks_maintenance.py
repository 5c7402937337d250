"""Maintenance screen checks (issue 13, item 7, "maintenance windows"), run by
webdriver_scenario.py after the rule editor's checks.

- A weekly window with a bad start time, a zero length, no day and no scope
  shows all four field errors at once, next to their inputs, and is not saved;
  fixed, it is saved and listed as "Sat, Sun 02:00 UTC for 120 min".
- A one-off window from an hour ago to an hour ahead (on a tag no device has,
  so it holds nothing the other checks watch) is listed in UTC and as open now
  (the service's openNow).
- A window is disabled and enabled from the list, and both are removed after
  the in-page confirmation.
Screenshots maint-errors.png, maint-list.png.
"""
from datetime import datetime, timedelta, timezone

from checks_console import _set_size

ERR = "document.querySelector('#maint-form [data-error-for=\"{}\"]').textContent"
ROW = ("const r = [...document.querySelectorAll('#maint-body tr[data-id]')]"
       ".find(r => r.querySelector('.name').textContent === arguments[0]);"
       "return r ? {id: r.dataset.id, text: r.textContent.replace(/\\s+/g, ' '), disabled: r.classList.contains('is-disabled'),"
       " open: r.querySelector('[data-open]').dataset.open} : null")


def _row(s, name):
    return s.js(ROW, name)


def _choose(s, css, value):
    """Sets a <select> and tells the page, as a user's choice would."""
    s.js("const e = document.querySelector(arguments[0]); e.value = arguments[1];"
         "e.dispatchEvent(new Event('change', {bubbles: true}))", css, value)


def _remove(s, rid):
    s.click(f'#maint-body button[data-action=remove-window][data-id="{rid}"]')
    s.wait_js("return document.getElementById('confirm-dialog').open", "the removal to be asked")
    s.click("#confirm-dialog button[data-confirm=yes]")
    s.wait_js(f"return !document.querySelector('#maint-body tr[data-id=\"{rid}\"]') && 'gone'", "the window removed")


def run(s):
    before = s.cmd("GET", "/window/rect")
    _set_size(s, 1280, 800)
    s.click("#tab-maint")
    s.wait_js("const b = document.getElementById('maint-body'); return !document.getElementById('view-maint').hidden"
              " && (b.querySelector('table') || /No maintenance windows yet/.test(b.textContent)) && 'listed'",
              "the maintenance list")

    # Four mistakes at once.
    _choose(s, "#m-kind", "weekly")
    s.type("#m-name", "e2e weekly")
    s.type("#m-weekly-start", "2:00")
    s.type("#m-minutes", "0")
    s.click("#maint-save")
    fields = ("weeklyStart", "minutes", "days", "scope")
    s.wait_js("return " + " && ".join(f"{ERR.format(f)} !== ''" for f in fields) + " && 'all'", "the four errors together")
    errors = {f: s.js("return " + ERR.format(f)) for f in fields}
    print(f"e2e: maintenance errors: {errors}")
    assert "HH:MM" in errors["weeklyStart"], errors
    assert "day" in errors["days"] and "device, tag or site" in errors["scope"], errors
    assert _row(s, "e2e weekly") is None, "a refused window was saved"
    s.screenshot("maint-errors.png")

    # Fixed, it saves and reads in words.
    s.click('#maint-days input[value="sun"]')
    s.click('#maint-days input[value="sat"]')
    s.type("#m-weekly-start", "02:00")
    s.type("#m-minutes", "120")
    s.type("#m-tags", "e2e-core")
    s.click("#maint-save")
    row = s.wait_js("const r = [...document.querySelectorAll('#maint-body tr[data-id] .name')]"
                    ".find(n => n.textContent === 'e2e weekly');"
                    "return r && r.closest('tr').textContent.replace(/\\s+/g, ' ')", "the saved weekly window")
    assert "Sat, Sun 02:00 UTC for 120 min" in row and "tag e2e-core" in row, row

    # A one-off window around now: listed in UTC, open now.
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    start, end = now - timedelta(hours=1), now + timedelta(hours=1)
    _choose(s, "#m-kind", "once")
    s.type("#m-name", "e2e now")
    s.type("#m-once-start", start.strftime("%Y-%m-%d %H:%M"))
    s.type("#m-once-end", end.strftime("%Y-%m-%d %H:%M"))
    s.type("#m-tags", "e2e-no-such-tag")
    s.click("#maint-save")
    s.wait_js("return [...document.querySelectorAll('#maint-body tr[data-id] .name')]"
              ".some(n => n.textContent === 'e2e now') && 'saved'", "the one-off window")
    once = _row(s, "e2e now")
    print(f"e2e: one-off window row: {once['text']!r}")
    assert f"once {start.strftime('%Y-%m-%d %H:%M')}" in once["text"] and "UTC" in once["text"], once
    assert once["open"] == "yes", f"a window from an hour ago to an hour ahead is not open now: {once}"
    s.screenshot("maint-list.png")

    # Disable, enable, remove both (asked in the page).
    rid = _row(s, "e2e weekly")["id"]
    s.click(f'#maint-body input[data-action=toggle-window][data-id="{rid}"]')
    s.wait_js(f"const r = document.querySelector('#maint-body tr[data-id=\"{rid}\"]'); return r && r.classList.contains('is-disabled')",
              "the window disabled")
    s.click(f'#maint-body input[data-action=toggle-window][data-id="{rid}"]')
    s.wait_js(f"const r = document.querySelector('#maint-body tr[data-id=\"{rid}\"]'); return r && !r.classList.contains('is-disabled')",
              "the window enabled")
    _remove(s, rid)
    _remove(s, _row(s, "e2e now")["id"])
    s.click("#tab-monitor")
    _set_size(s, before["width"], before["height"])
