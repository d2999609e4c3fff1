"""A loopback HTTP destination for tests: records every (key, body), can be told to fail, can be stopped."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Loopback:
    def __init__(self, port: int = 0, fail_with: int | None = None):
        self.received: list[tuple[str, bytes, dict]] = []
        self.fail_with = fail_with
        self.redirect_to: str | None = None  # answer 302 (or redirect_status) with this Location
        self.redirect_status = 302
        self.delay = 0.0
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                if outer.delay:
                    import time

                    time.sleep(outer.delay)
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                if outer.redirect_to:
                    self.send_response(outer.redirect_status)
                    self.send_header("Location", outer.redirect_to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if outer.fail_with:
                    self.send_response(outer.fail_with)
                    self.end_headers()
                    self.wfile.write(b"unavailable")
                    return
                status, answer = outer.answer(self.headers.get("Idempotency-Key", ""), body, dict(self.headers))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/collisions"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, key: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        """Record the request; 201 with a new receipt (a subclass may answer otherwise)."""
        with self.lock:
            self.received.append((key, body, headers))
            n = len(self.received)
        return 201, f'{{"receipt": {n}}}'.encode()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def keys(self) -> dict[str, set[bytes]]:
        out: dict[str, set[bytes]] = {}
        with self.lock:
            for key, body, _ in self.received:
                out.setdefault(key, set()).add(body)
        return out
