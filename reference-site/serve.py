"""The reference campaign page, served as a channel would serve it: its own origin, a strict
Content-Security-Policy, and Baken's web components from the API's origin.

``python reference-site/serve.py --port 8001 --api http://127.0.0.1:8000`` (``make run`` does it).
"""

import argparse
import functools
import http.server
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLACEHOLDER = "__BAKEN_API__"


def policy(api: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' {api}",
            f"connect-src {api}",
            "style-src 'self'",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors 'self' {api}",
        ]
    )


class Handler(http.server.SimpleHTTPRequestHandler):
    api = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(HERE), **kwargs)

    def end_headers(self):
        self.send_header("Content-Security-Policy", policy(self.api))
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            body = (HERE / "index.html").read_text(encoding="utf-8").replace(PLACEHOLDER, self.api).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if path.endswith(".py"):
            self.send_error(404)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="Baken's origin")
    arguments = parser.parse_args()
    handler = functools.partial(Handler)
    Handler.api = arguments.api.rstrip("/")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", arguments.port), handler)
    print(f"Reference campaign page on http://127.0.0.1:{arguments.port}/ (API {Handler.api})", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
