#!/usr/bin/env python3
"""Captures ptp4l's replies to management GETs (as pmc -u -b 0 builds them)
into this corpus. Run as root with a ptp4l master/slave pair up:
    capture.py MASTER_SOCKET SLAVE_SOCKET
Each reply is saved as <role>_<name>.bin; the requests go in as req_<name>.bin."""
import os, socket, struct, sys

IDS = {
    "default_data_set": (0x2000, 20), "current_data_set": (0x2001, 18),
    "parent_data_set": (0x2002, 32), "port_data_set": (0x2004, 26),
    "priority1": (0x2005, 2), "time_status_np": (0xC000, 50),
    "port_stats_np": (0xC005, 0), "unknown_id_error": (0x20ff, 0),
}

def request(seq, mid, datalen):
    tlv = struct.pack(">HHH", 1, 2 + datalen, mid) + bytes(datalen)
    length = 48 + len(tlv)
    head = struct.pack(">BBHBBH8s4s8sHHBB", 0x0d, 2, length, 0, 0, 0, bytes(8), bytes(4),
                       bytes(8), os.getpid() & 0xffff, seq, 4, 0x7f)
    body = b"\xff" * 10 + bytes([0, 0, 0, 0])
    return head + body + tlv

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    own = f"/tmp/meridian-capture.{os.getpid()}"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(own)
    s.settimeout(2)
    try:
        for role, path in (("master", sys.argv[1]), ("slave", sys.argv[2])):
            for seq, (name, (mid, n)) in enumerate(IDS.items()):
                req = request(seq, mid, n)
                open(os.path.join(here, f"req_{name}.bin"), "wb").write(req)
                s.sendto(req, path)
                reply = s.recv(2000)
                open(os.path.join(here, f"{role}_{name}.bin"), "wb").write(reply)
    finally:
        os.unlink(own)

main()
