#!/usr/bin/env python3
"""Captures real net-snmp notifications on loopback as seed files for the
snmp_trap fuzz target: a socket of ours receives and never answers, so each
sender's first datagram is saved. Run from this directory."""
import os, socket, subprocess, tempfile

VB = ["1.3.6.1.2.1.2.2.1.1.2", "i", "2", "1.3.6.1.2.1.2.2.1.7.2", "i", "1", "1.3.6.1.2.1.2.2.1.8.2", "i", "2"]
V3 = ["-u", "trapper", "-l", "authPriv", "-a", "SHA", "-A", "authpass123", "-x", "AES", "-X", "privpass123"]
SENDS = {
    "v1_linkdown.bin": ["snmptrap", "-v", "1", "-c", "public", "{to}", "1.3.6.1.4.1.8072.2.3", "127.0.0.1", "2", "0", ""] + VB,
    "v1_enterprise.bin": ["snmptrap", "-v", "1", "-c", "public", "{to}", "1.3.6.1.4.1.8072.2.3", "127.0.0.1", "6", "17", "", "1.3.6.1.2.1.1.5.0", "s", "host"],
    "v2c_linkup.bin": ["snmptrap", "-v", "2c", "-c", "public", "{to}", "", "1.3.6.1.6.3.1.1.5.4"] + VB,
    "v2c_inform.bin": ["snmpinform", "-v", "2c", "-c", "public", "-t", "0.3", "-r", "0", "{to}", "", "1.3.6.1.6.3.1.1.5.3"] + VB,
    "v3_trap_authpriv.bin": ["snmptrap", "-v", "3", "-e", "0x8000000001020304"] + V3 + ["{to}", "", "1.3.6.1.6.3.1.1.5.3"] + VB,
    "v3_trap_authnopriv.bin": ["snmptrap", "-v", "3", "-e", "0x8000000001020304", "-u", "trapper", "-l", "authNoPriv", "-a", "SHA", "-A", "authpass123", "{to}", "", "1.3.6.1.6.3.1.1.5.4"] + VB,
    "v3_inform_discovery.bin": ["snmpinform", "-v", "3", "-t", "0.3", "-r", "0"] + V3 + ["{to}", "", "1.3.6.1.6.3.1.1.5.3"] + VB,
}

with tempfile.TemporaryDirectory() as d:
    env = dict(os.environ, SNMP_PERSISTENT_DIR=d, SNMPCONFPATH=d, LC_ALL="C")
    for name, cmd in SENDS.items():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        s.settimeout(3)
        to = "127.0.0.1:%d" % s.getsockname()[1]
        p = subprocess.Popen([cmd[0], "-M", "/nonexistent", "-m", ""] + [a.replace("{to}", to) for a in cmd[1:]],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        data, _ = s.recvfrom(65536)
        p.wait(timeout=5)
        open(name, "wb").write(data)
        s.close()
