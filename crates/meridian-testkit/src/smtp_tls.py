# aiosmtpd with TLS, which `python -m aiosmtpd` cannot do: written to the
# sink's temp dir by smtp.rs and run as
#   python3 smtp_tls.py MODE PORT MAILDIR CERT KEY
# MODE "tls" speaks TLS from the first byte (port 465 style); "starttls"
# offers STARTTLS and refuses mail until the client has upgraded.
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

mode, port, maildir, cert, key = sys.argv[1:6]
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(cert, key)
if mode == "tls":
    controller = Controller(Mailbox(maildir), hostname="127.0.0.1", port=int(port), ssl_context=ctx)
elif mode == "starttls":
    controller = Controller(
        Mailbox(maildir), hostname="127.0.0.1", port=int(port), tls_context=ctx, require_starttls=True
    )
else:
    sys.exit(f"unknown mode {mode}")
controller.start()
# Serves until the test kills the process.
threading.Event().wait()
