"""A real HTTP receiver for webhook tests: a threaded ``http.server`` on 127.0.0.1 that
verifies every request's Standard Webhooks signature with the adapter's ``verify``."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from app.adapters.webhooks.signing import InvalidSignature, verify


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    answered: int | None

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    secret: str | None = None
    # Status codes answered in turn; once exhausted, ``default_status``.
    plan: list[int] = field(default_factory=list)
    default_status: int = 200
    # While set, requests are held (not answered) until it is cleared: "mid-send" tests.
    hold: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, count: int, timeout: float = 10.0, *, ok: bool = False) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                items = [r for r in self.received if not ok or (r.answered or 0) // 100 == 2]
            if len(items) >= count:
                return items
            time.sleep(0.02)
        raise AssertionError(f"expected {count} webhook requests, got {len(self.received)}")

    @property
    def verified_ids(self) -> list[str]:
        with self.lock:
            return [r.headers["webhook-id"] for r in self.received if r.verified and r.answered == 200]


@contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            return None

        def do_POST(self) -> None:
            receiver = state["r"]
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            verified = False
            if receiver.secret:
                try:
                    verify(receiver.secret, headers, body)
                    verified = True
                except InvalidSignature:
                    verified = False
            record = Received(self.path, headers, body, verified, None)
            with receiver.lock:
                receiver.received.append(record)
                status = receiver.plan.pop(0) if receiver.plan else receiver.default_status
            if receiver.hold.is_set():
                receiver.release.wait(30)
                return  # the sender died meanwhile: drop the connection unanswered
            if not verified:
                status = 401
            record.answered = status
            payload = b'{"ok": true}' + b"x" * 5000  # longer than the log keeps
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state["r"] = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state["r"]
    finally:
        state["r"].release.set()
        server.shutdown()
        server.server_close()
