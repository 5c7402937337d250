"""Last known state after a restart (issue 12: "after a restart, devices show
their last known state (marked stale) instead of grey until the first
poll"), run last by webdriver_scenario.py: it ends the app and starts it again.

Not a race: the app's config file (MERIDIAN_CONFIG) gets
`poll_start_delay_secs = HOLD`, the setting that holds the monitor's first
polls (for a desktop started before its network is up). So after the restart
there is a window of HOLD seconds in which no poll has run.

1. E2E_ADDRESS (e2e-r1) is dropped and the devices table shows it down, polled.
2. The app is ended with SIGTERM (its pid from <data dir>/meridian.lock; the
   normal exit path, as at logout), the address answers again, and a new
   WebDriver session starts the app on the same data directory.
3. Inside the hold: the map draws the same colours as before the restart (the
   last known states, no grey), the header counts stale devices, the table's
   pill for e2e-r1 says down and is marked stale, and its device page says
   "down (last known)".
4. After the hold the first poll finds e2e-r1 up: the mark goes from the page,
   the table and the header (bounded: HOLD + E2E_TIMEOUT).
Screenshots stale-1-last-known.png, stale-2-polled.png. Loopback only.
"""
import os
import re
import signal
import subprocess
import time

import outage

TIMEOUT = float(os.environ.get("E2E_TIMEOUT", "60"))
HOLD = 30
CONFIG = os.environ["MERIDIAN_CONFIG"]
DATA = os.environ["MERIDIAN_DATA_DIR"]
ADDRESS = os.environ["E2E_ADDRESS"]
NAME = "e2e-r1"

ROW_PILL = """
const row = [...document.querySelectorAll('#dt-list .dt-row[data-id]')]
  .find((r) => r.querySelector('.name') && r.querySelector('.name').textContent.trim() === arguments[0]);
const pill = row && row.querySelector('.state-pill');
return pill ? {id: row.dataset.id, text: pill.textContent.trim(), stale: pill.classList.contains('stale')} : null;
"""


def _wait(s, script, args, ok, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = s.js(script, *args)
        if ok(last):
            print(f"e2e: stale: {what}: {last}")
            return last
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; last: {last!r}")


def _search(s, text):
    s.js("if (!document.getElementById('view-device').hidden) document.getElementById('dp-back').click();")
    s.click("#tab-devices")
    s.js("const q = document.getElementById('dt-search'); q.value = arguments[0];"
         " q.dispatchEvent(new Event('input', {bubbles: true}))", text)


def _colours(summary):
    m = re.search(r"markers=\d+ green=\d+ amber=\d+ red=\d+ grey=\d+", summary)
    assert m, f"no marker counts in {summary!r}"
    return m.group(0)


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False


def _end_app(s):
    with open(os.path.join(DATA, "meridian.lock")) as f:
        pid = int(f.read().strip())
    assert _alive(pid), f"the lock names pid {pid}, which is not running"
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + TIMEOUT
    while _alive(pid):
        assert time.monotonic() < deadline, f"the app (pid {pid}) did not exit within {TIMEOUT:.0f}s of SIGTERM"
        time.sleep(0.2)
    print(f"e2e: stale: the app (pid {pid}) exited on SIGTERM")
    s.close()  # the driver may answer that the session's browser is gone; close() prints it


def run(s):
    with open(CONFIG) as f:
        config = f.read()
    try:
        # 1. e2e-r1 down, polled.
        outage.drop()
        _search(s, NAME)
        _wait(s, ROW_PILL, [NAME], lambda p: p and p["text"] == "down" and not p["stale"], f"{NAME} down in the table")
        s.click("#tab-monitor")
        s.wait_rendered(r"markers=\d+ green=\d+ amber=\d+ red=[1-9]", "the map before the restart")

        # 2. End the app; it answers again; restart with the first polls held.
        before = _colours(s.rendered())
        _end_app(s)
        outage.undrop()
        with open(CONFIG, "w") as f:
            # First: a key after the file's [syslog] table would belong to it.
            f.write(f"poll_start_delay_secs = {HOLD}\n" + config)
        started = time.monotonic()
        s.start()

        # 3. Inside the hold: last known states, marked stale. The colours
        #    before the restart include red (e2e-r1), so matching them is not
        #    what an all-grey "unknown" map would do.
        within = HOLD - 2
        summary = _wait(s, "return document.body.dataset.rendered || ''", [],
                        lambda r: re.search(r"devices=[1-9]", r) and _colours(r) == before,
                        "the map drawing the last known colours", timeout=within)
        header = _wait(s, "return document.getElementById('status-summary').textContent", [],
                       lambda t: re.search(r"\d+ stale", t or ""), "the header counting stale devices",
                       timeout=max(1.0, within - (time.monotonic() - started)))
        _search(s, NAME)
        pill = _wait(s, ROW_PILL, [NAME], lambda p: p and p["stale"], f"{NAME}'s pill marked stale",
                     timeout=max(1.0, within - (time.monotonic() - started)))
        assert pill["text"].startswith("down"), f"the last known state in the table: {pill!r}"
        s.js("location.hash = '#/device/' + encodeURIComponent(arguments[0])", pill["id"])
        page = _wait(s, "const p = document.getElementById('dp-state');"
                        " return !document.getElementById('view-device').hidden && {text: p.textContent, cls: p.className}",
                     [], lambda p: p and "stale" in p["cls"], "the device page's stale pill",
                     timeout=max(1.0, within - (time.monotonic() - started)))
        assert page["text"] == "down (last known)", f"the device page's pill: {page!r}"
        seen = time.monotonic() - started
        assert seen < HOLD, f"the stale marks were seen {seen:.1f}s after the start, past the {HOLD}s hold"
        print(f"e2e: stale: last known states shown {seen:.1f}s after the start ({header.strip()})")
        s.screenshot("stale-1-last-known.png")

        # 4. After the hold, the first poll: e2e-r1 is up and nothing is stale.
        page = _wait(s, "const p = document.getElementById('dp-state'); return {text: p.textContent, cls: p.className}",
                     [], lambda p: p["text"] == "up" and "stale" not in p["cls"], "the first poll's state on the page",
                     timeout=HOLD + TIMEOUT)
        s.screenshot("stale-2-polled.png")
        _search(s, NAME)
        _wait(s, ROW_PILL, [NAME], lambda p: p and p["text"] == "up" and not p["stale"], f"{NAME}'s pill polled")
        _wait(s, "return document.getElementById('status-summary').textContent", [],
              lambda t: t and "stale" not in t, "the header without stale devices")
        _search(s, "")
        print("e2e: stale checks passed")
    finally:
        subprocess.run(os.environ["E2E_UNDROP_CMD"], shell=True, check=False)  # no assert while unwinding
        with open(CONFIG, "w") as f:
            f.write(config)
