"""A loopback SMTP server for the tests that run real worker processes: it accepts every message and keeps it.

Just enough SMTP for Django's SMTP backend (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS, no AUTH),
served by a thread in the test process on 127.0.0.1 and a free port. `messages` holds the parsed emails.
"""

from __future__ import annotations

import email
import socketserver
import threading
import time
from email.message import Message


class SmtpCatcher:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self) -> None:
                self.reply("220 catcher ESMTP")
                sender, recipients = "", []
                while line := self.rfile.readline():
                    command = line.decode("utf-8", "replace").rstrip("\r\n")
                    verb = command[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 catcher")
                    elif verb == "MAIL":
                        sender, recipients = command.partition(":")[2].strip(), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        recipients.append(command.partition(":")[2].strip().strip("<>"))
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        data = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                            data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                        with outer.lock:
                            outer.messages.append(email.message_from_bytes(b"".join(data)))
                            outer.envelopes.append((sender, recipients))
                        self.reply("250 OK: queued")
                    elif verb in ("RSET", "NOOP"):
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 Command not implemented")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def text(message: Message) -> str:
        part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")

    def to(self, address: str, containing: str = "") -> list[Message]:
        with self.lock:
            return [m for m in self.messages if address in m.get("To", "") and containing in self.text(m)]

    def wait_for(self, address: str, timeout: float, containing: str = "") -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.to(address, containing):
            time.sleep(0.1)
        return self.to(address, containing)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
