"""A minimal WebDriver HTTP client for tauri-driver (standard library only),
shared by the end-to-end scenario and the map frame-time measurement.

Why not urllib: urllib sends `Connection: close` on every request.
tauri-driver forwards that header to WebKitWebDriver, which then closes the
connection after its response, while tauri-driver's pooled hyper client may
already be writing the next request into the same connection: WebKitWebDriver
answers that with a TCP reset and tauri-driver drops our request ("Remote end
closed connection without response"). Seen in a packet capture on port 4445
(2 runs in 8 on this 2-core machine under load). One persistent HTTP/1.1
connection never asks the server to close, so that race cannot start.
"""
import http.client
import json
import urllib.parse


class WebDriverError(Exception):
    """The driver answered with an error status."""


class TransportError(Exception):
    """The connection to the driver failed; names the request in flight."""


class Client:
    def __init__(self, url, timeout=60.0):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port or 80
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None, timeout=None):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout or self.timeout)
            elif timeout is not None:
                self.conn.timeout = timeout
                if self.conn.sock is not None:
                    self.conn.sock.settimeout(timeout)
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException) as e:
            self.close()
            raise TransportError(f"{method} {path}: {e!r}") from None
        if resp.status >= 400:
            raise WebDriverError(f"{method} {path}: {resp.status} {raw[:400]!r}")
        return json.loads(raw or b"null").get("value")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None
