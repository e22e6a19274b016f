"""A webhook sink on 127.0.0.1 for the failure alerts: every POSTed JSON body, in order."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Sink(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def webhook_sink() -> Iterator[ThreadingHTTPServer]:
    """A running sink; ``.received`` holds the bodies, ``.server_port`` its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
