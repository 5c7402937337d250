"""Credentials list checks (issue 12, item 6: what uses each credential, edit,
rotate, test against a device), run by webdriver_scenario.py last.

A real net-snmp snmpd is started here on 127.0.0.1 and 127.9.9.1 (a free UDP
port, community `public`, sysName `e2e-agent`); it is stopped when the checks
end, and its port kept in PORT (checks_mibs.py starts it again there to walk
e2e-snmp). The discovery dialog checks (checks_discovery.py) run first against it.

- A community credential with the wrong community is added, and a device at
  127.0.0.1 with that agent port uses it: the list says "1 device" and links it.
- Test against the device: "error: no response from …" (the real timeout).
- Rotate the secret to `public` (same row id): Test answers
  "ok: sysName=e2e-agent".
- Edit its name: the same row id, still used by the device; the device link
  opens the device page. No secret is ever in the page.
Screenshots credentials-test-error.png, credentials-test-ok.png.
"""
import os
import re
import socket
import subprocess
import tempfile
import time

from checks_events import _choose

WRONG = "e2e-wrong-community"
SYS_NAME = "e2e-agent"
PORT = None  # the agent port of e2e-snmp, once run() has added it


def _free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _snmpd(tmp, port=None):
    """A net-snmp agent on `port` (a free one by default); returns (process, port)."""
    port = port or _free_udp_port()
    conf = os.path.join(tmp, "snmpd.conf")
    with open(conf, "w") as f:
        f.write(f"rocommunity public\nsysName {SYS_NAME}\n")
    log = open(os.path.join(tmp, "snmpd.log"), "w")
    proc = subprocess.Popen(
        ["snmpd", "-f", "-Lo", "-C", "-c", conf, "-p", os.path.join(tmp, "snmpd.pid"),
         f"--persistentDir={tmp}", "-M", "/nonexistent", "-m", "", f"udp:127.0.0.1:{port},udp:127.9.9.1:{port}"],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    env = dict(os.environ, SNMP_PERSISTENT_DIR=tmp, SNMPCONFPATH=tmp, LC_ALL="C")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        done = subprocess.run(["snmpget", "-M", "/nonexistent", "-m", "", "-v2c", "-c", "public", "-r0", "-t0.3",
                               "-Oqv", f"127.0.0.1:{port}", ".1.3.6.1.2.1.1.5.0"],
                              env=env, capture_output=True, text=True, timeout=5, check=False)
        if done.returncode == 0 and SYS_NAME in done.stdout:
            print(f"e2e: snmpd on 127.0.0.1:{port} answers sysName {done.stdout.strip()}")
            return proc, port
        time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"snmpd on 127.0.0.1:{port} did not answer within 15 s")


ROW = ("const r = [...document.querySelectorAll('#credentials-body tr[data-id]')]"
       ".find(r => r.querySelector('.name').textContent === arguments[0]);")


def _wait(s, name, what, test=lambda r: True):
    deadline = time.monotonic() + 30
    last = None
    while time.monotonic() < deadline:
        last = s.js(ROW + " return r ? {id: r.dataset.id, users: r.querySelector('.cred-users').textContent"
                    ".replace(/\\s+/g, ' ').trim()} : null", name)
        if last and test(last):
            print(f"e2e: {what}: {last}")
            return last
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}; last: {last!r}")


def _open(s, cred_id, action):
    s.click(f'#credentials-body tr[data-id="{cred_id}"] button[data-action="{action}-credential"]')
    s.wait_js("return document.getElementById('credential-dialog').open", f"the {action} dialog")


def _test(s, cred_id, expect):
    _open(s, cred_id, "test")
    chosen = s.js("const d = document.querySelector('#cd-device'); return d.options[d.selectedIndex].textContent")
    assert chosen == "e2e-snmp", f"the test dialog proposes {chosen!r}, not the device that uses the credential"
    s.click("#credential-form button[type=submit]")
    return s.wait_js("const o = document.querySelector('#credential-form [data-test-result]');"
                     f"return o && /^{expect}/.test(o.textContent) && o.textContent", f"the test's answer ({expect})")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def run(s):
    global PORT
    with tempfile.TemporaryDirectory(prefix="meridian-e2e-snmpd-") as tmp:
        proc, port = _snmpd(tmp)
        try:
            # Discovery first: the agent is then no device yet, so the run finds it new.
            import checks_discovery
            checks_discovery.run(s, port)
            PORT = port
            _checks(s, port)
        finally:
            stop(proc)


def _checks(s, port):
    s.click("#tab-devices")
    s.type("#cc-name", "e2e-cred")
    s.type("#cc-community", WRONG)
    s.click("#community-form button[type=submit]")
    row = _wait(s, "e2e-cred", "the new credential, unused", lambda r: r["users"] == "unused")
    cred_id = row["id"]

    s.type("#f-name", "e2e-snmp")
    s.type("#f-address", "127.0.0.1")
    s.type("#f-snmp-port", str(port))
    _choose(s, "#f-credential", "e2e-cred")
    s.click("#add-device-form button[type=submit]")
    row = _wait(s, "e2e-cred", "the credential used by e2e-snmp", lambda r: r["users"] == "1 device: e2e-snmp")
    assert row["id"] == cred_id

    answer = _test(s, cred_id, "error:")
    assert "no response from 127.0.0.1:" in answer and "wrong community" in answer, f"the wrong community's answer: {answer!r}"
    s.screenshot("credentials-test-error.png")
    s.click("#credential-form button[data-action=cancel]")

    _open(s, cred_id, "rotate")
    kinds = s.js("return [...document.querySelectorAll('#credential-form input')].map(i => i.name + ':' + i.type)")
    assert kinds == ["community:password"], f"the rotate form's inputs: {kinds!r}"
    s.type("#cd-community", "public")
    s.click("#credential-form button[type=submit]")
    s.wait_js("return !document.getElementById('credential-dialog').open && 'closed'", "the rotation saved")
    row = _wait(s, "e2e-cred", "the rotated credential, same id, same device", lambda r: r["users"] == "1 device: e2e-snmp")
    assert row["id"] == cred_id, f"rotation changed the id: {row!r}"

    answer = _test(s, cred_id, "ok:")
    assert answer.startswith(f"ok: sysName={SYS_NAME} ") and f"127.0.0.1:{port}" in answer, f"the test's answer: {answer!r}"
    s.screenshot("credentials-test-ok.png")
    s.click("#credential-form button[data-action=cancel]")

    _open(s, cred_id, "edit")
    s.type("#cd-name", "e2e-cred-renamed")
    s.click("#credential-form button[type=submit]")
    row = _wait(s, "e2e-cred-renamed", "the renamed credential", lambda r: r["users"] == "1 device: e2e-snmp")
    assert row["id"] == cred_id, f"an edit changed the id: {row!r}"
    page = s.js("return document.body.innerHTML + [...document.querySelectorAll('input')].map(i => i.value).join(' ')")
    assert WRONG not in page, "a secret is in the page"

    s.click(f'#credentials-body tr[data-id="{cred_id}"] .cred-users a')
    s.wait_js("return !document.getElementById('view-device').hidden && document.getElementById('dp-name').textContent === 'e2e-snmp'"
              " && 'shown'", "the device page opened from the credentials list")

    # Its identity shows the agent's uptime (sysUpTime) once SNMP answered; poll now rather than wait.
    s.click("#dp-poll")
    up = s.wait_js("const d = [...document.querySelectorAll('#view-device dl.dp-facts > div')]"
                   ".find(x => x.querySelector('dt').textContent === 'Uptime');"
                   " const t = d ? d.querySelector('dd').textContent.trim() : ''; return t !== 'unknown' && t",
                   "the device page's uptime")
    assert re.fullmatch(r"\d+ (s|min|h|d)( \d+ (s|min|h))?", up), f"uptime reads {up!r}"
    s.screenshot("credentials-device-uptime.png")
