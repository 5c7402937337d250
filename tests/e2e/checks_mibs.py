"""MIB browser checks (issue 17: "a tree with search, the object's description,
and 'walk this on a device'"), run by webdriver_scenario.py after the
credentials checks. The browser is the last section of the Events tab.

checks_credentials.py added e2e-snmp (127.0.0.1, its snmpd's port, community
`public` after the rotation) and stopped that snmpd when it ended; the same
agent is started again here on the same port, for these checks only.

- Search `ifOperStatus`: the result names it `IF-MIB::ifOperStatus`; chosen,
  its description is the shipped IF-MIB's ("The current operational state of
  the interface"), lined up (not the module file's indentation), with its
  values up(1), down(2).
- Walk it on e2e-snmp (added after the tab first showed, so the device list
  must be fresh): real rows named `IF-MIB::ifOperStatus.N`, shown as `up(1)`...
- Open the tree level by level down to `sysDescr` and walk it: one row
  `SNMPv2-MIB::sysDescr.0` with the agent's text.
- A search nothing matches says so, with no error.
Screenshots mib-object.png, mib-walk.png, mib-empty.png.
"""
import json
import re
import tempfile
import time

import checks_credentials
from checks_console import _set_size
from checks_events import _choose

DEVICE = "e2e-snmp"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"
SYS_DESCR = "1.3.6.1.2.1.1.1"
TEXT = "return (document.querySelector(arguments[0]) || {textContent: ''}).textContent.replace(/\\s+/g, ' ').trim()"
WALK = ("const b = document.getElementById('mib-walk-body'); const t = b.querySelector('table');"
        " return t && {head: b.querySelector('p').textContent, rows: [...t.querySelectorAll('tbody tr')]"
        ".map(r => [...r.cells].map(c => c.textContent))}")


def _no_error(s, what):
    err = s.js(TEXT, "#mib-error")
    assert err == "", f"{what}: the MIB browser shows an error: {err!r}"


def _open_tab(s):
    s.click("#tab-events")
    s.wait_js("return !document.getElementById('view-events').hidden"
              " && document.querySelector('#mib-tree button.mib-node[data-oid=\"1\"]')"
              f" && [...document.querySelectorAll('#mib-device option')].some(o => o.textContent === '{DEVICE}') && 'ready'",
              f"the MIB tree and {DEVICE} in the walk's device list")
    device_id = s.js(f"return [...document.querySelectorAll('#mib-device option')].find(o => o.textContent === '{DEVICE}').value")
    _choose(s, "#mib-device", device_id)


def _walk(s, name, what):
    """Submits the walk form; the rows once the pane shows a walk of `name` (MODULE::name)."""
    s.click("#mib-walk button[type=submit]")
    # The pane says "Walking" in between, so a walk of `name` is this walk's answer.
    w = s.wait_js(WALK.replace("return t &&", "return t && t.querySelector('tbody td') &&"
                               f" t.querySelector('tbody td').textContent.startsWith({json.dumps(name)}) &&"), what)
    _no_error(s, what)
    assert re.match(rf"{len(w['rows'])} rows? from {DEVICE} \(127\.0\.0\.1:{checks_credentials.PORT}\)", w["head"]), w["head"]
    print(f"e2e: walk of {name}: {w['rows'][:3]}")
    return w["rows"]


def _search(s):
    s.type("#mib-text", "ifOperStatus")
    s.click("#mib-search button[type=submit]")
    s.wait_js(f"const b = document.querySelector('#mib-detail .mib-found button[data-oid=\"{IF_OPER_STATUS}\"]');"
              " return b && b.textContent", "ifOperStatus among the search results")
    found = s.js(TEXT, f'#mib-detail .mib-found button[data-oid="{IF_OPER_STATUS}"]')
    assert found == "IF-MIB::ifOperStatus", f"the result is named {found!r}"
    s.click(f'#mib-detail .mib-found button[data-oid="{IF_OPER_STATUS}"]')
    s.wait_js("const h = document.querySelector('#mib-detail h3');"
              " return h && h.textContent === 'IF-MIB::ifOperStatus' && h.textContent", "ifOperStatus's details")
    desc = s.js(TEXT, "#mib-detail .mib-description")
    facts = s.js(TEXT, "#mib-detail .mib-facts")
    print(f"e2e: ifOperStatus: {desc[:70]!r}... facts {facts[:120]!r}")
    assert desc.startswith("The current operational state of the interface"), f"description: {desc!r}"
    assert f".{IF_OPER_STATUS}" in facts and "up(1), down(2)" in facts, f"facts: {facts!r}"
    raw = s.js("return document.querySelector('#mib-detail .mib-description').textContent")
    assert "\n        " not in raw, f"the description keeps the module file's indentation: {raw!r}"
    _no_error(s, "ifOperStatus's details")
    s.js("document.getElementById('mib-detail').scrollIntoView()")
    s.screenshot("mib-object.png")

    rows = _walk(s, "IF-MIB::ifOperStatus.", f"the ifOperStatus walk on {DEVICE}")
    assert rows, "the walk returned no rows"
    for name, value, kind in rows:
        assert re.fullmatch(r"IF-MIB::ifOperStatus\.\d+", name), f"a row not named by the MIB: {(name, value, kind)!r}"
        assert re.fullmatch(r"[a-zA-Z]+\(\d\)", value), f"a value not shown as its enum: {(name, value, kind)!r}"
    s.js("document.getElementById('mib-walk-body').scrollIntoView({block: 'end'})")
    s.screenshot("mib-walk.png")


def _tree(s):
    """iso > org > dod > internet > mgmt > mib-2 > system > sysDescr, one click a level."""
    parts = SYS_DESCR.split(".")
    for depth in range(1, len(parts) + 1):
        oid = ".".join(parts[:depth])
        s.wait_js(f"return document.querySelector('#mib-tree button[data-oid=\"{oid}\"]') && 'shown'", f"tree node .{oid}")
        s.click(f'#mib-tree button[data-oid="{oid}"]')
    s.wait_js("const h = document.querySelector('#mib-detail h3');"
              " return h && h.textContent === 'SNMPv2-MIB::sysDescr' && h.textContent", "sysDescr chosen in the tree")
    names = s.js("return [...document.querySelectorAll('#mib-tree li.chosen > button')].map(b => b.textContent)")
    assert names == ["sysDescr"], f"the tree marks {names!r} as chosen"
    rows = _walk(s, "SNMPv2-MIB::sysDescr.", f"the sysDescr walk on {DEVICE}")
    assert len(rows) == 1 and rows[0][0] == "SNMPv2-MIB::sysDescr.0" and rows[0][1].strip(), f"sysDescr rows: {rows!r}"


def _nothing(s):
    s.type("#mib-text", "e2eNoSuchMibObject")
    s.click("#mib-search button[type=submit]")
    msg = s.wait_js("const e = document.querySelector('#mib-detail .mib-empty'); return e && e.textContent",
                    "the empty search's message")
    assert "No loaded MIB object matches “e2eNoSuchMibObject”" in msg, f"empty state: {msg!r}"
    _no_error(s, "the empty search")
    s.js("document.getElementById('mib-search').scrollIntoView()")
    s.screenshot("mib-empty.png")


def run(s):
    assert checks_credentials.PORT, "checks_credentials.py did not run first: no SNMP device to walk"
    started = time.monotonic()
    before = s.cmd("GET", "/window/rect")
    _set_size(s, 1280, 800)
    with tempfile.TemporaryDirectory(prefix="meridian-e2e-snmpd-") as tmp:
        proc, _ = checks_credentials._snmpd(tmp, checks_credentials.PORT)
        try:
            _open_tab(s)
            _search(s)
            _tree(s)
            _nothing(s)
        finally:
            checks_credentials.stop(proc)
    s.click("#tab-monitor")
    _set_size(s, before["width"], before["height"])
    print(f"e2e: MIB browser checks took {time.monotonic() - started:.1f} s")
