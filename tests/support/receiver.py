"""A partner's webhook endpoint on 127.0.0.1, recording what reaches it."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook as Verifier  # the reference implementation


class Receiver:
    """Fails the first ``fail_first`` requests, then answers 204."""

    def __init__(self, fail_first: int = 0):
        self.requests: list[dict] = []
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.requests.append({"headers": headers, "body": body})
                failing = len(receiver.requests) <= receiver.fail_first
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/continuity"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def verified(self, secret: str) -> list[dict]:
        """Payloads whose signature the reference verifier accepts with ``secret``."""
        good = []
        for r in self.requests:
            try:
                good.append(Verifier(secret).verify(r["body"], r["headers"]))
            except Exception:  # noqa: BLE001 - a bad signature is just not counted
                pass
        return good

    def close(self):
        self.server.shutdown()
