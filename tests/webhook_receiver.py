"""A webhook receiver in its own process, for the webhook tests: ``python tests/webhook_receiver.py
PORT LOG [CERTIFICATE KEY]`` (with a certificate and key it speaks HTTPS). Every request is
appended to LOG as one JSON line (path, headers, body, time) *before* it is answered. The path
decides the answer:

* ``/ok`` → 204; ``/fail`` → 500; ``/gone`` → 410;
* ``/slow/<seconds>`` → waits, then 204 (a timeout); ``/slowonce/<seconds>``: only the first time
  (a worker killed mid-delivery, then restarted);
* ``/flaky/<n>`` → 500 for the first n requests to that path, then 204.
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

counts: dict[str, int] = {}
lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            counts[self.path] = counts.get(self.path, 0) + 1
            seen = counts[self.path]
            with open(self.server.log, "a", encoding="utf-8") as log:  # type: ignore[attr-defined]
                record = {
                    "path": self.path,
                    "headers": dict(self.headers.items()),
                    "body": body.decode(),
                    "at": time.time(),
                }
                log.write(json.dumps(record) + "\n")
        parts = self.path.strip("/").split("/")
        status = 204
        if parts[0] == "fail":
            status = 500
        elif parts[0] == "gone":
            status = 410
        elif parts[0] == "slow" or (parts[0] == "slowonce" and seen == 1):
            time.sleep(float(parts[1]))
        elif parts[0] == "flaky" and seen <= int(parts[1]):
            status = 500
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver)
    server.log = sys.argv[2]  # type: ignore[attr-defined]
    if len(sys.argv) == 5:
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()
