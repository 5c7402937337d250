"""Root-cause suppression in the console (issue 13, "the grouped console"), run
by webdriver_scenario.py last.

Three bridges on 127.9.13.1-3, each its own snmpsim (a hand-written
recording, community `public`, one UDP port), whose LLDP tables say
root - child - grandchild: root hears child, child hears both, grandchild
hears child (by chassis id and sysName, as a real LLDP agent reports them).

- The discovery dialog finds the root and adds it with the tag
  `topology-root` (the station sits behind it), then finds the other two and
  adds them: adding asks each for its neighbours, so the app learns the chain
  itself, as it would from real switches.
- The three show up (the "Not on the map" list).
- The whole segment is DROP'd with an iptables rule this check adds and
  always removes (as desktop-e2e.sh does its own): a dead root makes
  everything behind it unreachable. The console then shows one root alarm,
  `e2e-rc-root`'s "No reply to ping", not held, with the child's and the
  grandchild's right under it (in either order: they are symptoms, sorted
  among themselves as the console sorts), indented and marked "behind root".
- Restored, all three alarms clear from the active console.
Screenshots rootcause-grouped.png, rootcause-cleared.png.

    env: MERIDIAN_SNMPSIM_VENV (default /var/tmp/meridian-snmpsim-venv;
         `make deps` builds it), E2E_RC_DROP_CMD / E2E_RC_UNDROP_CMD (the
         rule, given by desktop-e2e.sh so its cleanup removes it too).
"""
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from checks_discovery import _clear
from checks_events import _choose

NET = "127.9.13"
CHAIN = [("e2e-rc-root", 1), ("e2e-rc-child", 2), ("e2e-rc-grandchild", 3)]
# Bounded waits: discovery and ICMP (2 s interval in the e2e app) answer well within these.
WAIT = 60


def _mac(last):
    return f"005e00530d{last:02x}"


def _oid_key(oid):
    return tuple(int(p) for p in oid.split("."))


def _recording(name, last, neighbours):
    """snmprec lines (OID|TAG|VALUE, sorted by OID as snmpsim needs for GETNEXT)."""
    rows = [
        ("1.3.6.1.2.1.1.1.0", "4", f"Meridian e2e bridge {name}"),
        ("1.3.6.1.2.1.1.2.0", "6", "1.3.6.1.4.1.99999.13"),
        ("1.3.6.1.2.1.1.3.0", "67", "424242"),
        ("1.3.6.1.2.1.1.5.0", "4", name),
        ("1.3.6.1.2.1.1.7.0", "2", "2"),
        # lldpLocChassisIdSubtype macAddress(4), lldpLocChassisId.
        ("1.0.8802.1.1.2.1.3.1.0", "2", "4"),
        ("1.0.8802.1.1.2.1.3.2.0", "4x", _mac(last)),
    ]
    for port, (peer, peer_last) in enumerate(neighbours, start=1):
        rows.append((f"1.0.8802.1.1.2.1.3.7.1.2.{port}", "2", "5"))
        rows.append((f"1.0.8802.1.1.2.1.3.7.1.3.{port}", "4", f"ge-0/0/{port}"))
        rows.append((f"1.0.8802.1.1.2.1.3.7.1.4.{port}", "4", f"ge-0/0/{port}"))
        # lldpRemTable, index timeMark 0, local port, remote index 1.
        idx = f"0.{port}.1"
        rows.append((f"1.0.8802.1.1.2.1.4.1.1.4.{idx}", "2", "4"))
        rows.append((f"1.0.8802.1.1.2.1.4.1.1.5.{idx}", "4x", _mac(peer_last)))
        rows.append((f"1.0.8802.1.1.2.1.4.1.1.6.{idx}", "2", "5"))
        rows.append((f"1.0.8802.1.1.2.1.4.1.1.7.{idx}", "4", "ge-0/0/9"))
        rows.append((f"1.0.8802.1.1.2.1.4.1.1.8.{idx}", "4", "uplink"))
        rows.append((f"1.0.8802.1.1.2.1.4.1.1.9.{idx}", "4", peer))
    rows.sort(key=lambda r: _oid_key(r[0]))
    return "".join(f"{o}|{t}|{v}\n" for o, t, v in rows)


def _free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _snmpsim(tmp, port):
    """One snmpsim per address (the community picks the recording, so one
    process cannot be three devices). It refuses to run as root: it drops to
    nobody, who must own its directories."""
    venv = os.environ.get("MERIDIAN_SNMPSIM_VENV", "/var/tmp/meridian-snmpsim-venv")
    responder = os.path.join(venv, "bin", "snmpsim-command-responder")
    assert os.access(responder, os.X_OK), f"no {responder}: run `make deps` (scripts/install-snmpsim.sh)"
    user = pwd.getpwnam("nobody")
    group = grp.getgrgid(user.pw_gid).gr_name
    neighbours = {1: [("e2e-rc-child", 2)], 2: [("e2e-rc-root", 1), ("e2e-rc-grandchild", 3)], 3: [("e2e-rc-child", 2)]}
    os.chmod(tmp, 0o755)  # mkdtemp's 0700 would keep nobody out
    procs = []
    for name, last in CHAIN:
        d = os.path.join(tmp, name)
        os.makedirs(os.path.join(d, "data"))
        os.makedirs(os.path.join(d, "cache"))
        with open(os.path.join(d, "data", "public.snmprec"), "w") as f:
            f.write(_recording(name, last, neighbours[last]))
        for root, dirs, files in os.walk(d):
            for p in [root] + [os.path.join(root, x) for x in dirs + files]:
                os.chown(p, user.pw_uid, user.pw_gid)
        log = open(os.path.join(tmp, f"{name}.log"), "w")
        procs.append(subprocess.Popen(
            [responder, f"--data-dir={d}/data", f"--cache-dir={d}/cache", "--logging-method=stderr",
             f"--agent-udpv4-endpoint={NET}.{last}:{port}", "--process-user=nobody", f"--process-group={group}"],
            cwd=d, stdin=subprocess.DEVNULL, stdout=log, stderr=log))
    try:
        for name, last in CHAIN:
            _wait_agent(name, f"{NET}.{last}:{port}")
    except BaseException:
        _stop(procs)
        raise
    print(f"e2e: snmpsim answers on {NET}.1-3:{port}")
    return procs


def _wait_agent(name, agent):
    env = dict(os.environ, LC_ALL="C")
    deadline = time.monotonic() + 30
    while True:
        done = subprocess.run(["snmpget", "-M", "/nonexistent", "-m", "", "-v2c", "-c", "public", "-r0", "-t0.5",
                               "-Oqv", agent, ".1.3.6.1.2.1.1.5.0"],
                              env=env, capture_output=True, text=True, timeout=10, check=False)
        if done.returncode == 0 and name in done.stdout:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"snmpsim on {agent} did not answer within 30 s: {done.stderr.strip()}")
        time.sleep(0.3)


def _stop(procs):
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


def _wait(s, script, what, *args):
    deadline = time.monotonic() + WAIT
    last = None
    while time.monotonic() < deadline:
        last = s.js(script, *args)
        if last:
            print(f"e2e: {what}: {last}")
            return last
        time.sleep(0.3)
    raise AssertionError(f"timed out after {WAIT} s waiting for {what}; last: {last!r}")


def _discover(s, port, targets, tags, want):
    """One run of the discovery dialog over `targets`, adding what it finds."""
    s.click("#tab-devices")
    s.click("#discover-button")
    _wait(s, "return document.getElementById('discovery-dialog').open && 'open'", "the discovery dialog")
    s.type("#dd-targets", targets)
    s.type("#dd-community-1", "public")
    s.type("#dd-port", str(port))
    _choose(s, "#dd-site", "")  # the dialog keeps the site an earlier check picked; these stay off the map
    if tags:
        s.type("#dd-tags", tags)
    else:
        _clear(s, "#dd-tags")
    s.click("#dd-start")
    for name, last in want:
        row = _wait(s, "const r = document.querySelector(`#dd-results tr[data-address=\"${arguments[0]}\"]`);"
                       " return r && !r.querySelector('input').disabled && r.textContent.replace(/\\s+/g, ' ')",
                    f"{name} in the review table", f"{NET}.{last}")
        assert name in row, f"{NET}.{last} is not named {name}: {row!r}"
        s.js("const b = document.querySelector(`#dd-results input[data-address=\"${arguments[0]}\"]`);"
             " if (!b.checked) b.click();", f"{NET}.{last}")
    s.click("#dd-add")
    status = _wait(s, "const t = document.getElementById('dd-add-status').textContent; return /added/.test(t) && t",
                   "the add to finish")
    assert status.startswith(f"{len(want)} added"), f"add status: {status!r}"
    s.click("#dd-close")


# The console's rows for the chain, in order: (device, what, symptom?, badge).
ROWS = """
const names = arguments[0];
return [...document.querySelectorAll('#alarm-list .alarm-row')]
  .map(r => ({who: r.querySelector('.who').textContent.trim(), what: r.querySelector('.what').textContent.replace(/\\s+/g, ' ').trim(),
              symptom: r.classList.contains('is-symptom'), held: r.querySelector('.held') ? r.querySelector('.held').textContent : ''}))
  .filter(r => names.includes(r.who));
"""
CHAIN_ROWS = "const rows = (() => {" + ROWS + "})();"


def run(s):
    # `timeout` ends the scenario with SIGTERM: turn it into an exception so
    # the finally blocks below remove the rule and stop snmpsim.
    old = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = tempfile.mkdtemp(prefix="meridian-e2e-rootcause-")
    procs = []
    try:
        port = _free_udp_port()
        procs = _snmpsim(tmp, port)
        _checks(s, port)
    finally:
        subprocess.run(os.environ["E2E_RC_UNDROP_CMD"], shell=True, check=False)
        _stop(procs)
        shutil.rmtree(tmp, ignore_errors=True)
        signal.signal(signal.SIGTERM, old)


def _checks(s, port):
    (root, _), (child, _), (grandchild, _) = CHAIN
    names = [root, child, grandchild]
    _discover(s, port, f"{NET}.1", "topology-root", CHAIN[:1])
    _discover(s, port, f"{NET}.2-{NET}.3", "", CHAIN[1:])

    s.click("#tab-monitor")
    _wait(s, "const up = [...document.querySelectorAll('#unlocated li')]"
             ".filter(l => arguments[0].some(n => l.textContent.includes(n)) && l.querySelector('.dot.st-up'));"
             " return up.length === 3 && up.map(l => l.textContent.replace(/\\s+/g, ' ').trim())",
          "the three bridges up", names)

    subprocess.run(os.environ["E2E_RC_DROP_CMD"], shell=True, check=True)
    try:
        ping = _wait(s, CHAIN_ROWS + " const ping = rows.filter(r => r.what.includes('No reply to ping'));"
                     " return ping.length === 3 && ping.filter(r => r.symptom).length === 2 && ping",
                     "the root alarm with its two symptoms", names)
        assert ping[0]["who"] == root and {r["who"] for r in ping[1:]} == {child, grandchild}, \
            f"not grouped under the root: {ping!r}"
        assert not ping[0]["symptom"] and ping[0]["held"] == "", f"the root's row: {ping[0]!r}"
        for r in ping[1:]:
            assert r["symptom"] and r["held"] == "behind root", f"a child's row: {r!r}"
        # The grouping is the console's, not a sort by name: the symptoms sit
        # right under their root, with nothing between.
        idx = s.js("const rows = [...document.querySelectorAll('#alarm-list .alarm-row')];"
                   " return rows.map(r => r.querySelector('.who').textContent.trim())")
        at = idx.index(root)
        assert set(idx[at + 1:at + 3]) == {child, grandchild}, f"console order: {idx!r}"
        s.screenshot("rootcause-grouped.png")
    finally:
        subprocess.run(os.environ["E2E_RC_UNDROP_CMD"], shell=True, check=False)

    _wait(s, CHAIN_ROWS + " return rows.length === 0 && 'cleared'",
          "the three alarms to clear", names)
    s.screenshot("rootcause-cleared.png")
