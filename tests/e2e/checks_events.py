"""Events screen checks (issue 17, item 6), run by webdriver_scenario.py after
the notification checks. desktop-e2e.sh starts the app with a trap port
stored (`meridian traps config --port`) and a syslog receiver from its config
file (`[syslog]` on 127.0.0.1), both on fixed loopback ports it passes here.

- A real syslog line (util-linux `logger`, RFC 5424 over UDP) and a real v2c
  linkDown trap (net-snmp `snmptrap`) from 127.0.0.1, each carrying
  `<img src=x onerror=alert(1)>`, show up in the one table by themselves
  (the live refresh), from an unknown source, with the markup shown as text.
- The kind, text and severity filters narrow the table.
- An event rule with a bad regular expression and no scope shows both field
  errors at once and is not saved; fixed, it is listed with its raise and
  clear in words, then removed after the in-page confirmation.
- A forwarding target with a host name where an IP is needed and a bad
  certificate name shows both errors; a TLS syslog target is then saved and listed
  with its CA file, and removed after the confirmation.
Screenshots events.png, event-rule-errors.png, forward-errors.png.
"""
import os
import subprocess
import tempfile
import time

from checks_console import _set_size

XSS = "<img src=x onerror=alert(1)>"
TRAP_PORT = int(os.environ["E2E_TRAP_PORT"])
SYSLOG_PORT = int(os.environ["E2E_SYSLOG_PORT"])
ERR = "document.querySelector('#event-rule-form [data-error-for=\"{}\"]').textContent"
ROWS = ("return [...document.querySelectorAll('#events-body tbody tr')].map(r => ({kind: r.dataset.kind,"
        " text: r.textContent.replace(/\\s+/g, ' ')}))")


def _run(argv, env=None):
    """A sender, bounded in time; its failure fails the check with its output."""
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=20, check=False)
    assert done.returncode == 0, f"{argv[0]} failed ({done.returncode}): {done.stderr.strip()}"


def _send(tmp):
    _run(["logger", "--rfc5424", "--udp", "--server", "127.0.0.1", "--port", str(SYSLOG_PORT),
          "-t", "e2eapp", "-p", "user.err", f"e2e-syslog neighbor peer1 Down {XSS}"])
    # MIB loading off and a private persistent dir, as the testkit's net_snmp_tool does.
    env = dict(os.environ, SNMP_PERSISTENT_DIR=tmp, SNMPCONFPATH=tmp, LC_ALL="C")
    _run(["snmptrap", "-M", "/nonexistent", "-m", "", "-v", "2c", "-c", "public", "-r", "0", "-t", "2",
          f"127.0.0.1:{TRAP_PORT}", "", "1.3.6.1.6.3.1.1.5.3",
          "1.3.6.1.2.1.2.2.1.1.7", "i", "7",
          "1.3.6.1.2.1.2.2.1.2.7", "s", f"e2e-if {XSS}"], env)


def _choose(s, css, value):
    s.js("const e = document.querySelector(arguments[0]); e.value = arguments[1];"
         "e.dispatchEvent(new Event('change', {bubbles: true}))", css, value)


def _rows_when(s, test, what):
    """The table's rows once `test(rows)` holds (the live refresh or a filter redraws it)."""
    deadline = time.monotonic() + 30
    rows = []
    while time.monotonic() < deadline:
        rows = s.js(ROWS)
        if test(rows):
            print(f"e2e: {what}: {len(rows)} rows")
            return rows
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}; rows: {rows!r}")


def _events(s):
    s.click("#tab-events")
    s.wait_js("const b = document.getElementById('events-body'); return !document.getElementById('view-events').hidden"
              " && (b.querySelector('table') || /No events match/.test(b.textContent)) && 'listed'", "the events table")
    with tempfile.TemporaryDirectory(prefix="meridian-e2e-snmp-") as tmp:
        _send(tmp)
    has_syslog = lambda rows: any(r["kind"] == "syslog" and "e2e-syslog" in r["text"] for r in rows)  # noqa: E731
    has_trap = lambda rows: any(r["kind"] == "trap" and "linkDown" in r["text"] for r in rows)  # noqa: E731
    rows = _rows_when(s, lambda r: has_syslog(r) and has_trap(r), "the syslog line and the trap, live")
    syslog = next(r for r in rows if r["kind"] == "syslog" and "e2e-syslog" in r["text"])
    trap = next(r for r in rows if r["kind"] == "trap" and "linkDown" in r["text"])
    print(f"e2e: syslog row: {syslog['text']!r}\ne2e: trap row: {trap['text']!r}")
    assert "127.0.0.1" in syslog["text"] and "unknown source" in syslog["text"], syslog
    assert "error" in syslog["text"] and "e2eapp" in syslog["text"] and XSS in syslog["text"], syslog
    assert "ifIndex.7 = 7" in trap["text"] and XSS in trap["text"], trap
    assert s.js("return document.querySelectorAll('#view-events img').length") == 0, "device text became markup"
    s.screenshot("events.png")

    # Filters: traps only, then syslog error or worse with a word, then a word nothing has.
    _choose(s, "#ev-kind", "traps")
    _rows_when(s, lambda r: has_trap(r) and all(x["kind"] != "syslog" for x in r), "traps only")
    _choose(s, "#ev-kind", "syslog")
    _choose(s, "#ev-severity", "error")
    s.type("#ev-text", "peer1")
    _rows_when(s, lambda r: has_syslog(r) and all(x["kind"] == "syslog" for x in r), "syslog error or worse with peer1")
    _choose(s, "#ev-kind", "both")
    s.type("#ev-text", "nosuchwordanywhere")
    s.wait_js("return /No events match/.test(document.getElementById('events-body').textContent) && 'none'",
              "no row for a word nothing has")
    s.js("const e = document.getElementById('ev-text'); e.value = '';"
         "e.dispatchEvent(new Event('input', {bubbles: true}))")
    _choose(s, "#ev-severity", "")


def _rules(s):
    s.wait_js("const b = document.getElementById('event-rules-body');"
              " return (b.querySelector('table') || /No event rules yet/.test(b.textContent)) && 'listed'", "the event rules")
    s.type("#er-name", "e2e bgp")
    s.type("#er-pattern", "neighbor (?P<key>\\S+ Down")
    s.click("#event-rule-save")
    s.wait_js(f"return {ERR.format('pattern')} !== '' && {ERR.format('scope')} !== '' && 'both'",
              "the pattern and scope errors together")
    pattern, scope = s.js("return " + ERR.format("pattern")), s.js("return " + ERR.format("scope"))
    print(f"e2e: event rule errors: pattern={pattern!r} scope={scope!r}")
    assert "not a regular expression" in pattern, pattern
    assert "device, tag or site" in scope, scope
    assert s.js("return [...document.querySelectorAll('#event-rules-body .name')].some(n => n.textContent === 'e2e bgp')") is False
    s.screenshot("event-rule-errors.png")

    s.type("#er-pattern", "neighbor (?P<key>\\S+) Down")
    s.type("#er-clear-pattern", "neighbor (?P<key>\\S+) Up")
    s.click("#er-scope-all")
    s.click("#event-rule-save")
    row = s.wait_js("const n = [...document.querySelectorAll('#event-rules-body tr[data-id] .name')]"
                    ".find(n => n.textContent === 'e2e bgp');"
                    "return n && {id: n.closest('tr').dataset.id, text: n.closest('tr').textContent.replace(/\\s+/g, ' ')}",
                    "the saved event rule")
    assert "one alarm per key" in row["text"] and "cleared by syslog" in row["text"] and "all devices" in row["text"], row
    s.click(f'#event-rules-body button[data-action=remove-event-rule][data-id="{row["id"]}"]')
    s.wait_js("return document.getElementById('confirm-dialog').open", "the removal to be asked")
    s.click("#confirm-dialog button[data-confirm=yes]")
    s.wait_js(f"return !document.querySelector('#event-rules-body tr[data-id=\"{row['id']}\"]') && 'gone'", "the rule removed")


FWD_ERR = "document.querySelector('#forward-form [data-error-for=\"{}\"]').textContent"


def _forwarding(s):
    s.wait_js("const b = document.getElementById('forwards-body');"
              " return (b.querySelector('table') || /No forwarding targets/.test(b.textContent)) && 'listed'",
              "the forwarding targets")
    _choose(s, "#fw-type", "syslog")
    _choose(s, "#fw-transport", "tls")
    assert s.js("return document.getElementById('fw-ca-file').offsetParent !== null"), "TLS boxes shown for TLS"
    s.type("#fw-name", "e2e noc")
    s.type("#fw-address", "noc.example")
    s.type("#fw-server-name", "not a name!")
    s.click("#forward-save")
    s.wait_js(f"return {FWD_ERR.format('address')} !== '' && {FWD_ERR.format('serverName')} !== '' && 'both'",
              "the address and certificate name errors together")
    address, name = s.js("return " + FWD_ERR.format("address")), s.js("return " + FWD_ERR.format("serverName"))
    print(f"e2e: forwarding errors: address={address!r} serverName={name!r}")
    assert "IPv4 or IPv6" in address and "DNS name" in name, (address, name)
    s.screenshot("forward-errors.png")

    s.type("#fw-address", "127.0.0.1")
    # WebDriver refuses to type empty text: clear the box in the page.
    s.js("const e = document.getElementById('fw-server-name'); e.value = '';"
         "e.dispatchEvent(new Event('input', {bubbles: true}))")
    s.type("#fw-port", "16514")
    s.type("#fw-ca-file", "/etc/meridian/noc-ca.pem")
    s.click("#forward-save")
    row = s.wait_js("const n = [...document.querySelectorAll('#forwards-body tr[data-id] .name')]"
                    ".find(n => n.textContent === 'e2e noc');"
                    "return n && {id: n.closest('tr').dataset.id, text: n.closest('tr').textContent.replace(/\\s+/g, ' ')}",
                    "the saved forwarding target")
    assert "syslog over TLS (CA /etc/meridian/noc-ca.pem)" in row["text"] and "127.0.0.1:16514" in row["text"], row
    s.click(f'#forwards-body button[data-action=remove-forward][data-id="{row["id"]}"]')
    s.wait_js("return document.getElementById('confirm-dialog').open", "the removal to be asked")
    s.click("#confirm-dialog button[data-confirm=yes]")
    s.wait_js(f"return !document.querySelector('#forwards-body tr[data-id=\"{row['id']}\"]') && 'gone'",
              "the target removed")


def run(s):
    before = s.cmd("GET", "/window/rect")
    _set_size(s, 1280, 800)
    _events(s)
    _rules(s)
    _forwarding(s)
    s.click("#tab-monitor")
    _set_size(s, before["width"], before["height"])
