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
        self.connections: set = set()  # open keep-alive connections, closed by stop()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real destination behind a load balancer answers
            disable_nagle_algorithm = True

            def setup(self):
                super().setup()
                with outer.lock:
                    outer.connections.add(self.connection)

            def finish(self):
                with outer.lock:
                    outer.connections.discard(self.connection)
                super().finish()

            def _answer(self, status: int, body: bytes = b"", content_type: str = "text/plain") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self._headers_buffer.append(b"\r\n")  # end_headers(), with the body in the same write
                self._headers_buffer.append(body)
                self.flush_headers()

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
                    self._answer(outer.fail_with, b"unavailable")
                    return
                status, answer = outer.answer(self.headers.get("Idempotency-Key", ""), body, dict(self.headers))
                self._answer(status, answer, "application/json")

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # a burst of workers' connections is queued, not reset

        self.server = Server(("127.0.0.1", port), Handler)
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
        """Stop listening and drop every open connection (a client's kept-alive socket gets no more answers)."""
        import contextlib
        import socket

        self.server.shutdown()
        self.server.server_close()
        with self.lock:
            open_connections = list(self.connections)
        for conn in open_connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def keys(self) -> dict[str, set[bytes]]:
        out: dict[str, set[bytes]] = {}
        with self.lock:
            for key, body, _ in self.received:
                out.setdefault(key, set()).add(body)
        return out
