"""Replay server: the bundled snapshot served over real HTTP on 127.0.0.1 in Kolada's format.

Serves ``/v3/...`` (``next_url`` paging, ``count`` = total) and ``/v2/...`` (``next_page``,
``count`` = this page), the metadata endpoints and the data endpoints with comma-separated id
segments. SCB's PxWeb v1 and PxWebApi 2.0 paths are answered from the SCB snapshot by
``pxweb.py``. Control endpoints under ``/__replay__/`` set faults (see ``faults.py``); transport
faults apply to every API path, GET and POST alike.
"""

from __future__ import annotations

import copy
import json
import socket
import threading
import time
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from ingest import snapshot
from ingest.replay import pxweb
from ingest.replay.faults import FaultPlan
from ingest.replay.kolada_data import KoladaSnapshot
from ingest.replay.kolada_query import (
    MAX_PER_PAGE,
    ApiError,
    data_selection,
    ids_of,
)

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
        try:
            doc = self._answer(url.path, parse_qs(url.query))
        except ApiError as exc:
            return self._send_json(exc.status, {"error": str(exc)})
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
            self._send_json(int(fault.spec["status"]), {"error": "injected fault"}, headers)
            return True
        return False

    def _answer_pxweb(self, method: str, path: str, query: str, body: bytes) -> None:
        status, doc, content_type = self.server.scb.answer(
            method, path, parse_qs(query), body, self.server.max_cells
        )
        if status == 200:
            # rename_field acts on the JSON-stat dataset's top-level fields here.
            for fault in self.server.faults.take(path, {"rename_field"}):
                if fault.spec["from"] in doc:
                    doc[fault.spec["to"]] = doc.pop(fault.spec["from"])
        truncate = status == 200 and bool(self.server.faults.take(path, {"truncate"}, limit=1))
        self._send_json(status, doc, truncate=truncate, content_type=content_type)

    def _answer(self, path: str, query: dict[str, list[str]]) -> dict[str, Any]:
        parts = [p for p in path.split("/") if p]
        if len(parts) < 2 or parts[0] not in ("v2", "v3"):
            raise ApiError(404, f"no such endpoint {path}")
        version, entity, rest = parts[0], parts[1], parts[2:]
        data = self.server.data
        if entity == "kpi" and len(rest) <= 1:
            items = data.kpi_objects(ids_of(rest[0], "kpi") if rest else None, _q(query, "title"))
        elif entity == "municipality" and len(rest) <= 1:
            items = data.municipality_objects(ids_of(rest[0], "municipality") if rest else None)
        elif entity == "data":
            from_date = _q(query, "from_date")
            if from_date is not None:
                try:
                    from_date = date.fromisoformat(from_date).isoformat()
                except ValueError as exc:
                    raise ApiError(400, f"from_date {from_date!r} is not YYYY-MM-DD") from exc
            items = data.data_objects(
                *data_selection(rest, query),
                from_date=from_date,
                deleted_field="isdeleted" if version == "v3" else "is_deleted",
            )
            items = self._apply_value_faults(path, items)
        else:
            raise ApiError(404, f"no such endpoint {path}")
        return self._page(version, path, query, items)

    def _apply_value_faults(self, path: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for fault in self.server.faults.take(path, {"corrupt_value"}):
            s = fault.spec
            for item in items:
                if (item["kpi"], item["municipality"], item["period"]) == (
                    s["kpi"],
                    s["municipality"],
                    int(s["year"]),
                ):
                    for v in item["values"]:
                        if v["gender"] == s.get("gender", "T"):
                            v["value"] = s["value"]
        for fault in self.server.faults.take(path, {"duplicate_item"}):
            s = fault.spec
            out = []
            for item in items:
                out.append(item)
                if item["kpi"] == s["kpi"] and s.get("municipality") in (
                    None,
                    item["municipality"],
                ):
                    out.append(copy.deepcopy(item))
            items = out
        for fault in self.server.faults.take(path, {"recode_field"}):
            s = fault.spec
            for item in items:
                if item.get(s["field"]) == s["from"]:
                    item[s["field"]] = s["to"]
        for fault in self.server.faults.take(path, {"rename_field"}):
            for item in items:
                if fault.spec["from"] in item:
                    item[fault.spec["to"]] = item.pop(fault.spec["from"])
        return items

    def _page(
        self, version: str, path: str, query: dict[str, list[str]], items: list[dict[str, Any]]
    ) -> dict[str, Any]:
        try:
            page = int(_q(query, "page") or 1)
            per_page = int(_q(query, "per_page") or MAX_PER_PAGE)
        except ValueError as exc:
            raise ApiError(400, "page and per_page must be integers") from exc
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            raise ApiError(400, f"page must be >= 1 and per_page within 1..{MAX_PER_PAGE}")
        start = (page - 1) * per_page
        chunk = items[start : start + per_page]
        host, port = self.server.server_address[:2]
        base = f"http://{self.headers.get('Host') or f'{host}:{port}'}{path}"

        def link(p: int) -> str:
            params = {k: v for k, v in query.items() if k not in ("page", "per_page")}
            params.update(page=[str(p)], per_page=[str(per_page)])
            return f"{base}?{urlencode(params, doseq=True)}"

        nxt = link(page + 1) if start + per_page < len(items) else None
        if self.server.faults.take(path, {"loop_page"}, limit=1):
            nxt = link(page)  # a server bug: the next page is this one
        prev = link(page - 1) if page > 1 else None
        if version == "v2":
            doc: dict[str, Any] = {"values": chunk, "count": len(chunk)}
            if nxt:
                doc["next_page"] = nxt
            if prev:
                doc["previous_page"] = prev
            return doc
        return {"values": chunk, "count": len(items), "next_url": nxt, "previous_url": prev}

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


def _q(query: dict[str, list[str]], key: str) -> str | None:
    vals = query.get(key)
    return vals[0] if vals else None


class ReplayServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
        max_cells: int = pxweb.DEFAULT_MAX_CELLS,
        store: snapshot.Snapshot = snapshot.BUNDLED,
    ) -> None:
        if not host.startswith(LOOPBACK_PREFIX):
            raise ValueError(
                f"the replay server binds to loopback only (127.0.0.0/8), not {host!r}"
            )
        if max_cells < 1:
            raise ValueError(f"max_cells (PxWeb cells per request) must be >= 1, got {max_cells}")
        self.data = KoladaSnapshot(store)
        self.scb = pxweb.ScbReplay(store)
        self.max_cells = max_cells  # PxWeb: cells one data request may select
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
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="replay-server", daemon=True)
        thread.start()
        return thread
