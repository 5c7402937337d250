# Regenerates the real packets of this corpus (as root, on loopback only):
#   python3 capture.py .   (needs the release `meridian` binary and fping)
# Files are named by the framing the regression test reads them with.
import socket, subprocess, time, sys, os
out = sys.argv[1]
M = "/var/tmp/meridian-target/release/meridian"
def grab(fam, proto, trigger, want, n=1):
    s = socket.socket(fam, socket.SOCK_RAW, proto); s.settimeout(2)
    p = subprocess.Popen(trigger, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    got = []
    end = time.time() + 3
    while len(got) < n and time.time() < end:
        try: b = s.recv(4096)
        except socket.timeout: break
        if want(b): got.append(b)
    p.wait(); s.close(); return got
ihl = lambda b: (b[0] & 15) * 4
# raw v4: IP header + ICMP
r = grab(socket.AF_INET, socket.IPPROTO_ICMP, [M, "sweep", "127.0.0.5", "--retries", "0", "--timeout-ms", "500"], lambda b: b[ihl(b)] == 0)
open(f"{out}/rawv4_meridian_sweep_reply.bin", "wb").write(r[0])
open(f"{out}/dgramv4_meridian_sweep_reply.bin", "wb").write(r[0][ihl(r[0]):])
r = grab(socket.AF_INET, socket.IPPROTO_ICMP, ["fping", "-c", "1", "-b", "0", "127.0.0.6"], lambda b: b[ihl(b)] == 0)
open(f"{out}/rawv4_ping_empty_payload_reply.bin", "wb").write(r[0])
r = grab(socket.AF_INET, socket.IPPROTO_ICMP, ["fping", "-c", "1", "127.0.0.7"], lambda b: b[ihl(b)] == 8)
open(f"{out}/rawv4_echo_request.bin", "wb").write(r[0])
r = grab(socket.AF_INET, socket.IPPROTO_ICMP, ["python3", "-c", "import socket;socket.socket(socket.AF_INET,socket.SOCK_DGRAM).sendto(b'x',('127.0.0.1',9))"], lambda b: b[ihl(b)] == 3)
open(f"{out}/rawv4_port_unreachable.bin", "wb").write(r[0])
r = grab(socket.AF_INET6, socket.IPPROTO_ICMPV6, [M, "sweep", "::1", "--retries", "0", "--timeout-ms", "500"], lambda b: b[0] == 129)
open(f"{out}/v6_meridian_sweep_reply.bin", "wb").write(r[0])
r = grab(socket.AF_INET6, socket.IPPROTO_ICMPV6, ["fping", "-6", "-c", "1", "::1"], lambda b: b[0] == 129)
open(f"{out}/v6_ping_reply.bin", "wb").write(r[0])
