"""Discovery dialog checks (issue 12, item 6: the site and tags of the devices a
run adds, names by sysName, confidence in words or percent, the past runs not
cut off), run by checks_credentials.py while its snmpd answers on
127.9.9.1:PORT (sysName `e2e-agent`, community `public`).

- A site is added; in the dialog a tag with a space is refused by the service
  under the tags field, and nothing runs.
- With the site picked and tags `e2e-found,rack-2`, a run over 127.9.9.1 finds
  the agent: named `e2e-agent` (its sysName), its confidence a percentage.
- Added: the devices table shows e2e-agent at that site with both tags.
- The past runs list scrolls rather than cutting runs off, and names the site.
Screenshot discovery-review.png.
"""
import re
import time

from checks_events import _choose

TARGET = "127.9.9.1"
SITE = "e2e-disc-site"


def _text(s, css):
    return s.js("const e = document.querySelector(arguments[0]); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : ''", css)


def _clear(s, css):
    s.js("const e = document.querySelector(arguments[0]); e.value = '';"
         "e.dispatchEvent(new Event('input', {bubbles: true}))", css)


def run(s, port):
    s.click("#tab-devices")
    s.type("#s-name", SITE)
    s.click("#site-submit")
    s.wait_js(f"return [...document.querySelectorAll('#sites-body td')].some(t => t.textContent.trim() === '{SITE}') && 'listed'",
              "the new site")

    s.click("#discover-button")
    s.wait_js("return document.getElementById('discovery-dialog').open && "
              f"[...document.querySelectorAll('#dd-site option')].some(o => o.value === '{SITE}') && 'open'",
              "the discovery dialog with the site in its picker")
    s.type("#dd-targets", TARGET)
    s.type("#dd-community-1", "public")
    s.type("#dd-port", str(port))
    _choose(s, "#dd-site", SITE)
    s.type("#dd-tags", "two words")
    s.click("#dd-start")
    err = s.wait_js("return document.querySelector('#discovery-form [data-error-for=tags]').textContent", "the tags field error")
    assert "space" in err, f"the tags error: {err!r}"
    assert _text(s, "#dd-results") in ("", "Nothing found yet."), "a refused request ran"

    s.type("#dd-community-1", "public")  # the form wipes communities after each try
    s.type("#dd-tags", "e2e-found,rack-2")
    s.click("#dd-start")
    row = s.wait_js(f"const r = document.querySelector('#dd-results tr[data-address=\"{TARGET}\"]');"
                    " return r && !r.querySelector('input').disabled && [...r.cells].map(c => c.textContent.replace(/\\s+/g, ' ').trim())",
                    "the agent in the review table")
    print(f"e2e: discovery row: {row}")
    assert row[2].startswith("e2e-agent"), f"not named by sysName: {row!r}"
    assert re.fullmatch(r"\d{1,3} % (high|medium|low)", row[7]), f"confidence: {row!r}"
    s.screenshot("discovery-review.png")
    s.js(f"const b = document.querySelector('#dd-results input[data-address=\"{TARGET}\"]');"
         " if (!b.checked) b.click();")
    s.click("#dd-add")
    status = s.wait_js("const t = document.getElementById('dd-add-status').textContent; return /added/.test(t) && t",
                       "the add to finish")
    assert status.startswith("1 added"), f"add status: {status!r}"

    runs = s.js("const l = document.querySelector('.dd-runs-list'); return l && {overflow: getComputedStyle(l).overflowY,"
                " n: l.querySelectorAll('button').length, first: l.querySelector('button').textContent}")
    assert runs and runs["overflow"] == "auto" and runs["n"] >= 1, f"past runs: {runs!r}"
    assert f"site {SITE}" in runs["first"] and "#e2e-found #rack-2" in runs["first"], f"past run label: {runs!r}"
    s.click("#dd-close")

    # The table shows the matching rows only (it is virtualised, and earlier checks may leave a search in).
    s.js("const q = document.getElementById('dt-search'); q.value = arguments[0];"
         " q.dispatchEvent(new Event('input', {bubbles: true}))", TARGET)
    deadline = time.monotonic() + 30
    dev = None
    while time.monotonic() < deadline:
        dev = s.js("const r = [...document.querySelectorAll('#dt-list .dt-row')].find(r => r.textContent.includes(arguments[0]));"
                   " return r ? r.textContent.replace(/\\s+/g, ' ') : null", TARGET)
        if dev:
            break
        time.sleep(0.3)
    assert dev and "e2e-agent" in dev and SITE in dev, f"the added device's row: {dev!r}"
    print(f"e2e: added by discovery: {dev!r}")
    _clear(s, "#dt-search")
