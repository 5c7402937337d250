"""Devices table checks (issue 12, item 4), run by webdriver_scenario.py after
its own steps: search narrows the table, sorting by address orders
127.9.8.2 < 127.9.8.3 < 127.9.8.10 (as addresses, not text),
a bulk edit of two selected devices' tags reaches the store, read back
through the UI (the table reloads its devices from the store after the edit),
Home/ArrowDown/Space move and select, the context menu offers Open, Edit,
Disable and Remove, and the add form shows all its field errors at once and
clears each as its field is fixed.
Loopback addresses only, in 127.9.8.0/24, which no other check uses (the
scenario and the map checks add devices in 127.9.7.0/24), so the counts here
do not depend on what they added.
"""
import json
import re
import os
import time

TIMEOUT = float(os.environ.get("E2E_TIMEOUT", "60"))

NEW = [("e2e-dt-10", "127.9.8.10"), ("e2e-dt-2", "127.9.8.2"), ("e2e-dt-3", "127.9.8.3")]

# The names and addresses of the rows the table shows, top to bottom.
ROWS_JS = (
    "return JSON.stringify([...document.querySelectorAll('#dt-list .dt-row[data-id]')]"
    ".map(r => [r.querySelector('.name').textContent.trim(), r.querySelector('.address').textContent.trim(),"
    " [...r.querySelectorAll('.tag')].map(t => t.textContent)]))"
)


def rows(s):
    return json.loads(s.js(ROWS_JS))


def wait_rows(s, predicate, what):
    """Waits until predicate(rows) holds; returns the rows."""
    deadline = time.monotonic() + TIMEOUT
    last = None
    while time.monotonic() < deadline:
        last = rows(s)
        if predicate(last):
            print(f"e2e: {what}: {last}")
            return last
        time.sleep(0.25)
    raise AssertionError(f"timed out after {TIMEOUT:.0f}s waiting for {what}; rows: {last!r}")


def search(s, text):
    if text:
        s.type("#dt-search", text)
    else:
        s.cmd("POST", f"/element/{s.find('#dt-search')}/clear", {})
    # WebDriver's typing fires input events; make sure the last one is seen.
    s.js("document.getElementById('dt-search').dispatchEvent(new Event('input', {bubbles: true}))")


def run(s):
    s.click("#tab-devices")
    s.wait_js("return !document.getElementById('view-devices').hidden && document.querySelectorAll('#dt-list .dt-row').length", "the devices table")
    # Three more loopback devices through the add form.
    for name, address in NEW:
        s.type("#f-name", name)
        s.type("#f-address", address)
        s.click("#add-device-form button[type=submit]")
        wait_rows(s, lambda r, n=name: any(row[0] == n for row in r), f"{name} in the table")

    # Search narrows the table.
    search(s, "e2e-dt")
    found = wait_rows(s, lambda r: sorted(x[0] for x in r) == ["e2e-dt-10", "e2e-dt-2", "e2e-dt-3"], "search to narrow the table to the three new devices")
    count = s.js("return document.getElementById('dt-count').textContent")
    assert re.match(r"3 of \d+ devices", count), f"count line: {count!r}"
    assert len(found) == 3

    # Sort by address: as addresses, so .2 < .3 < .10 (text order would put .10 first).
    search(s, "127.9.8.")
    s.click("#dt-head button[data-sort=address]")
    sorted_rows = wait_rows(s, lambda r: len(r) == 3 and s.js("return document.querySelector('#dt-head [aria-sort=ascending] button')?.dataset.sort || ''") == "address", "the table sorted by address")
    addresses = [r[1] for r in sorted_rows]
    assert addresses == ["127.9.8.2", "127.9.8.3", "127.9.8.10"], f"address order: {addresses}"
    s.click("#dt-head button[data-sort=address]")
    desc = wait_rows(s, lambda r: len(r) == 3 and r[0][1] == "127.9.8.10", "the address sort reversed")
    assert [r[1] for r in desc] == ["127.9.8.10", "127.9.8.3", "127.9.8.2"], desc

    # Bulk edit: select e2e-dt-2 and e2e-dt-10, add a tag to both.
    search(s, "e2e-dt")
    wait_rows(s, lambda r: len(r) == 3, "the three new devices again")
    for name in ("e2e-dt-2", "e2e-dt-10"):
        s.click(f'#dt-list .dt-row input.dt-check[aria-label="Select {name}"]')
    s.wait_js("return !document.getElementById('dt-bulk').hidden && document.getElementById('dt-bulk-count').textContent", "two rows selected")
    assert s.js("return document.getElementById('dt-bulk-count').textContent") == "2 selected"
    s.click("#dt-bulk-edit")
    s.wait_js("return document.getElementById('bulk-edit-dialog').open", "the bulk edit dialog")
    s.click('#b-tags-mode option[value="add"]')
    s.type("#b-tags", "bulk-e2e")
    s.click("#dtb-form button[type=submit]")
    s.wait_js("const t = document.getElementById('dtb-status').textContent; return /2 updated/.test(t) && t", "the bulk edit to finish")
    errors = s.js("return document.getElementById('dtb-errors').textContent")
    assert errors.strip() == "", f"bulk edit errors: {errors!r}"
    s.click('#dtb-form button[data-action="cancel"]')
    # Read back: the table reloads the devices from the store after the edit.
    after = wait_rows(
        s,
        lambda r: sorted(x[0] for x in r if "bulk-e2e" in x[2]) == ["e2e-dt-10", "e2e-dt-2"],
        "the new tag on exactly the two edited devices, reloaded from the store",
    )
    assert [x for x in after if x[0] == "e2e-dt-3"][0][2] == [], after
    # The tag filter offers the new tag and narrows to the two devices.
    search(s, "")
    s.click('#dt-tag option[value="bulk-e2e"]')
    wait_rows(s, lambda r: sorted(x[0] for x in r) == ["e2e-dt-10", "e2e-dt-2"], "the tag filter to show the two edited devices")
    s.click('#dt-tag option[value=""]')
    s.wait_js("const t = document.getElementById('dt-count').textContent; return !/ of /.test(t) && t", "every device shown again")

    # Keyboard: the list takes focus; arrows move the cursor, Space selects.
    search(s, "e2e-dt")
    wait_rows(s, lambda r: len(r) == 3, "the three new devices for the keyboard")
    s.click("#dt-bulk-clear")
    s.js(
        "const l = document.getElementById('dt-list'); l.focus();"
        "for (const k of ['Home', 'ArrowDown', ' ']) l.dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true}));"
    )
    cursor = s.wait_js("const r = document.querySelector('#dt-list .dt-row.cursor.selected .name'); return r && r.textContent", "Home, ArrowDown and Space to select the second row")
    assert cursor == "e2e-dt-3", f"cursor row after Home, ArrowDown: {cursor!r}"
    # The context menu on that row: Open, Edit, Ping, Disable, Remove (no SNMP walk: it has no credential).
    s.js(
        "const r = document.querySelector('#dt-list .dt-row.cursor');"
        "const b = r.getBoundingClientRect();"
        "r.dispatchEvent(new MouseEvent('contextmenu', {bubbles: true, cancelable: true, clientX: b.left + 60, clientY: b.bottom}))"
    )
    items = s.wait_js("const m = document.getElementById('dt-menu'); return !m.hidden && [...m.querySelectorAll('button')].map(b => b.textContent).join('|')", "the context menu")
    assert items == "Open|Edit…|Ping|Disable|Remove…", f"menu entries: {items!r}"
    s.screenshot("devices-menu.png")
    # Ping from the menu: four echo requests to the device's own loopback address, answered.
    s.click("#dt-menu button[data-menu=ping]")
    ping = s.wait_js("const p = document.querySelector('#diag-dialog .diag-summary');"
                     " return p && /answered/.test(p.textContent) && p.textContent.replace(/\\s+/g, ' ').trim()", "the ping result")
    print(f"e2e: ping from the menu: {ping!r}")
    assert "e2e-dt-3 (127.9.8.3): 4 of 4 answered" in ping, ping
    s.screenshot("devices-ping.png")
    s.click("#diag-dialog button[data-action=close]")
    s.wait_js("return !document.getElementById('diag-dialog').open", "the ping dialog to close")
    s.wait_js("return document.getElementById('dt-menu').hidden", "the menu closed by its action")
    s.click("#dt-bulk-clear")
    search(s, "")

    # The add form shows every field error at once and clears each as it is fixed.
    s.type("#f-name", "x")
    s.cmd("POST", f"/element/{s.find('#f-name')}/clear", {})
    s.cmd("POST", f"/element/{s.find('#f-address')}/clear", {})
    s.type("#f-lat", "north")
    s.click("#add-device-form button[type=submit]")
    errs = s.wait_js(
        "const e = n => document.querySelector(`#add-device-form [data-error-for=${n}]`).textContent;"
        "return e('name') && e('address') && e('lat') && [e('name'), e('address'), e('lat')].join(' | ')",
        "the name, address and lat errors together",
    )
    s.type("#f-lat", "52.5")
    s.wait_js(
        "const e = n => document.querySelector(`#add-device-form [data-error-for=${n}]`).textContent;"
        "return e('lat') === '' && e('name') !== '' && e('address') !== ''",
        "the lat error to clear while the others stay",
    )
    s.cmd("POST", f"/element/{s.find('#f-lat')}/clear", {})
    print(f"e2e: add-form errors were: {errs}")

    # Last seen follows the live polls (no state change needed) for a device that is up.
    s.wait_js(
        "const r = [...document.querySelectorAll('#dt-list .dt-row')].find(x => x.querySelector('.name').textContent === 'e2e-dt-2');"
        "const t = r && r.querySelector('.seen').textContent.trim(); return t && t !== 'never' && t",
        "e2e-dt-2's last seen from the live polls",
    )

    try:
        s.cmd("POST", "/window/rect", {"width": 1280, "height": 800})
    except Exception as e:  # a window manager-less Xvfb may refuse; the screenshot is still taken
        print(f"e2e: resizing the window to 1280x800: {e}")
    size = s.js("return window.innerWidth + 'x' + window.innerHeight")
    print(f"e2e: devices screenshot at {size}")
    s.screenshot("devices-1280.png")
