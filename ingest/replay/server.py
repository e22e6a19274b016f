"""Replay server: the bundled snapshot served over real HTTP on 127.0.0.1 in Kolada's format.

Serves ``/v3/...`` (``next_url`` paging, ``count`` = total) and ``/v2/...`` (``next_page``,
``count`` = this page), the metadata endpoints and the data endpoints with comma-separated id
segments (``kolada_api.py``). SCB's PxWeb v1 and PxWebApi 2.0 paths are answered from the SCB
snapshot by ``pxweb.py``. The live APIs' limits (Kolada's ids per request and page cap, SCB's
cells per request) are played as ``limits`` says (``limits.py``; default: none beyond the
bundled behaviour). Control endpoints under ``/__replay__/`` set faults (see ``faults.py``);
transport faults apply to every API path, GET and POST alike.
"""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ingest import snapshot
from ingest.replay import kolada_api, pxweb
from ingest.replay.faults import FaultPlan
from ingest.replay.kolada_data import KoladaSnapshot
from ingest.replay.kolada_query import ApiError
from ingest.replay.limits import DEFAULT_MAX_CELLS, ReplayLimits

LOOPBACK_PREFIX = "127."


class ReplayHandler(BaseHTTPRequestHandler):
    server: ReplayServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and the client's
        # delayed ACK add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    # -- control ---------------------------------------------------------------------------
    def do_POST(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)  # always read, so a kept-alive connection stays in step
        if pxweb.is_pxweb_path(url.path):
            if self._transport_fault(url.path):
                return None
            return self._answer_pxweb("POST", url.path, url.query, body)
        if url.path.rstrip("/") != "/__replay__/faults":
            return self._send_json(404, {"error": "not found"})
        try:
            specs = json.loads(body or b"[]")
            self.server.configure(specs if isinstance(specs, list) else [specs])
        except (ValueError, json.JSONDecodeError) as exc:
            return self._send_json(400, {"error": str(exc)})
        self._send_json(200, {"faults": self.server.faults.describe()})

    def do_DELETE(self) -> None:
        if self.path.rstrip("/") != "/__replay__/faults":
            return self._send_json(404, {"error": "not found"})
        self.server.faults.clear()
        self._send_json(200, {"faults": []})

    # -- API -------------------------------------------------------------------------------
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path.startswith("/__replay__/"):
            if url.path.rstrip("/") == "/__replay__/faults":
                return self._send_json(200, {"faults": self.server.faults.describe()})
            return self._send_json(
                200,
                {
                    "snapshot": self.server.data.version,
                    "scb_snapshot": self.server.scb.version,
                    "status": "ok",
                },
            )
        if self._transport_fault(url.path):
            return None
        if pxweb.is_pxweb_path(url.path):
            return self._answer_pxweb("GET", url.path, url.query, b"")
        host, port = self.server.server_address[:2]
        base = f"http://{self.headers.get('Host') or f'{host}:{port}'}"
        server = self.server
        try:
            doc = kolada_api.answer(
                server.data, server.faults, server.limits, base, url.path, parse_qs(url.query)
            )
        except ApiError as exc:
            return self._send_json(exc.status, exc.doc)
        truncate = bool(self.server.faults.take(url.path, {"truncate"}, limit=1))
        self._send_json(200, doc, truncate=truncate)

    def _transport_fault(self, path: str) -> bool:
        """Apply one transport fault per request, in the order they were set; True if answered."""
        for fault in self.server.faults.take(path, {"latency"}, limit=1):
            time.sleep(float(fault.spec["seconds"]))
        if self.server.faults.take(path, {"reset"}, limit=1):
            self._reset()
            return True
        for fault in self.server.faults.take(path, {"garbage", "oversize", "endless"}, limit=1):
            self._send_bad_body(fault.kind, fault.spec)
            return True
        for fault in self.server.faults.take(path, {"status"}, limit=1):
            headers = {}
            if fault.spec.get("retry_after") is not None:
                headers["Retry-After"] = str(fault.spec["retry_after"])
            body = fault.spec.get("body", {"error": "injected fault"})
            self._send_json(int(fault.spec["status"]), body, headers)
            return True
        return False

    def _answer_pxweb(self, method: str, path: str, query: str, body: bytes) -> None:
        status, doc, content_type = self.server.scb.answer(
            method, path, parse_qs(query), body, self.server.limits.scb_max_cells
        )
        if status == 200:
            # rename_field acts on the JSON-stat dataset's top-level fields here.
            for fault in self.server.faults.take(path, {"rename_field"}):
                if fault.spec["from"] in doc:
                    doc[fault.spec["to"]] = doc.pop(fault.spec["from"])
            for fault in self.server.faults.take(path, {"recode_category"}):
                pxweb.recode_category(doc, fault.spec)
        truncate = status == 200 and bool(self.server.faults.take(path, {"truncate"}, limit=1))
        self._send_json(status, doc, truncate=truncate, content_type=content_type)

    # -- transport -------------------------------------------------------------------------
    def _send_json(
        self,
        status: int,
        doc: dict[str, Any],
        headers: dict[str, str] | None = None,
        truncate: bool = False,
        content_type: str = "application/json; charset=utf-8",
    ) -> None:
        body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        self.send_response(
            status, HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        )
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        # One header, two snapshots: SCB paths name the SCB snapshot, the rest the Kolada one.
        scb = pxweb.is_pxweb_path(urlsplit(self.path).path)
        version = self.server.scb.version if scb else self.server.data.version
        self.send_header(snapshot.REPLAY_HEADER, version)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        if truncate:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        slow = self.server.faults.take(urlsplit(self.path).path, {"slow_body"}, limit=1)
        try:
            if slow:
                pieces = max(1, int(slow[0].spec.get("pieces", 4)))
                step = -(-len(body) // pieces)
                for i in range(0, len(body), step):
                    self.wfile.write(body[i : i + step])
                    self.wfile.flush()
                    time.sleep(float(slow[0].spec["seconds"]))
            else:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. its timeout fired)

    def _send_bad_body(self, kind: str, spec: dict[str, Any]) -> None:
        """A 200 answer that is no JSON, far too big, or never ends."""
        self.send_response(200, "OK")
        self.close_connection = True
        if kind == "garbage":
            body = str(spec.get("body", "<html><body>Service Unavailable</body></html>")).encode()
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_header("Content-Type", "application/json; charset=utf-8")
        if kind == "oversize":
            self.send_header("Content-Length", str(int(spec.get("bytes", 1 << 30))))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        filler = b'{"values": [' + b'{"kpi": "N00000", "period": 2020},' * 2000
        sent, cap = 0, int(spec.get("max_bytes", 4 << 30))  # a bound for the server itself
        try:
            while sent < cap:
                if kind == "endless":
                    self.wfile.write(f"{len(filler):x}\r\n".encode() + filler + b"\r\n")
                else:
                    self.wfile.write(filler)
                sent += len(filler)
        except (BrokenPipeError, ConnectionResetError, OSError):
            return  # the client hung up, as it should

    def _reset(self) -> None:
        self.close_connection = True
        self.connection.setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
        )
        self.connection.close()


class ReplayServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
        max_cells: int = DEFAULT_MAX_CELLS,
        store: snapshot.Snapshot = snapshot.BUNDLED,
        limits: ReplayLimits | None = None,
    ) -> None:
        """``limits``: the live APIs' limits to play (limits.py); ``max_cells`` is the SCB cell
        limit when ``limits`` is not given."""
        if not host.startswith(LOOPBACK_PREFIX):
            raise ValueError(
                f"the replay server binds to loopback only (127.0.0.0/8), not {host!r}"
            )
        self.limits = limits or ReplayLimits(scb_max_cells=max_cells)
        self.data = KoladaSnapshot(store)
        self.scb = pxweb.ScbReplay(store)
        self.faults = FaultPlan()
        self.verbose = verbose
        super().__init__((host, port), ReplayHandler)

    def configure(self, specs: list[dict[str, Any]]) -> None:
        """Apply ``revise`` specs to the served data and set every other spec as a fault."""
        if not all(isinstance(spec, dict) for spec in specs):
            raise ValueError(f"faults must be JSON objects, got {specs!r}")
        revisions = [spec for spec in specs if spec.get("kind") == "revise"]
        self.faults.set([spec for spec in specs if spec.get("kind") != "revise"])
        for spec in revisions:
            self.data.revise(spec)

    @property
    def max_cells(self) -> int:
        """PxWeb: cells one data request may select (``limits.scb_max_cells``)."""
        return self.limits.scb_max_cells

    @max_cells.setter
    def max_cells(self, value: int) -> None:
        self.limits = dataclasses.replace(self.limits, scb_max_cells=value)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="replay-server", daemon=True)
        thread.start()
        return thread
