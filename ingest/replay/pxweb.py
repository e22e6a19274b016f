"""SCB's PxWeb APIs in the replay server: the bundled SCB snapshot in v1 and PxWebApi 2.0 formats.

=========================================================  ======================================
request                                                    answer
=========================================================  ======================================
``GET  /OV0104/v1/doris/sv/ssd/<table path>``              v1 table metadata ``{title, variables}``
``POST /OV0104/v1/doris/sv/ssd/<table path>``              JSON-stat 2.0 for a v1 ``query`` body
``GET  /api/v2/config``                                    SCB's recorded ``/config``, with
                                                           ``maxDataCells`` = the replay's limit
``GET  /api/v2/tables``                                    the served v2 tables, in SCB's
                                                           listing shape (entries built from
                                                           each table's recorded metadata)
``GET  /api/v2/tables/<id>/metadata``                      JSON-stat 2.0 without values
``GET  /api/v2/tables/<id>/data?valuecodes[VAR]=a,b``      JSON-stat 2.0
``POST /api/v2/tables/<id>/data`` ``{"selection": [...]}``  JSON-stat 2.0
=========================================================  ======================================

The v1 tables are the snapshot's reconstructed tables (``scb/tables.json``, values from
``scb/values.csv``); the v2 table TAB6471 answers with SCB's recorded metadata and slices of its
recorded data. A selection over the cell limit is HTTP 403 (v1: SCB's documented answer; v2: an
``application/problem+json`` body as in the PxWebApi 2.0 spec); an unknown variable or value code
is HTTP 400 naming it. Every answer under these paths carries the SCB snapshot's version in the
same ``X-Rus-Replay-Snapshot`` header the Kolada paths use (see
``ingest.snapshot.Snapshot.scb_version``).
"""

from __future__ import annotations

import itertools
import json
import math
from collections import defaultdict
from http import HTTPStatus
from typing import Any

from ingest import snapshot
from ingest.replay.limits import DEFAULT_MAX_CELLS  # noqa: F401 (re-exported)
from ingest.replay.pxweb_cubes import MISSING, Cube, recorded_cube, v1_cubes

V1_ROOT = "/OV0104/v1/doris/sv/ssd"
V2_ROOT = "/api/v2"
JSON = "application/json; charset=utf-8"
PROBLEM_JSON = "application/problem+json; charset=utf-8"


def is_pxweb_path(path: str) -> bool:
    return any(path == root or path.startswith(root + "/") for root in (V1_ROOT, V2_ROOT))


class PxError(Exception):
    """An error answer; v2 errors are RFC 7807 problems as in the PxWebApi 2.0 spec."""

    def __init__(self, status: int, detail: str, problem: bool = False) -> None:
        self.status = status
        self.detail = detail
        self.problem = problem
        super().__init__(detail)

    def answer(self, instance: str) -> tuple[int, dict[str, Any], str]:
        if self.problem:
            doc = {
                "type": "about:blank",
                "title": HTTPStatus(self.status).phrase,
                "status": self.status,
                "detail": self.detail,
                "instance": instance,
            }
            return self.status, doc, PROBLEM_JSON
        return self.status, {"error": self.detail}, JSON


class ScbReplay:
    """The SCB snapshot indexed for PxWeb requests."""

    def __init__(self, store: snapshot.Snapshot = snapshot.BUNDLED) -> None:
        self.version = store.scb_version
        tables = json.loads((store.scb_dir / "tables.json").read_text(encoding="utf-8"))
        self.v1 = v1_cubes(tables, store.scb_values())
        self.v2: dict[str, Cube] = {}
        self.v2_metadata: dict[str, dict[str, Any]] = {}
        for table, meta in tables.items():
            if meta["api"] != "v2":
                continue
            files = meta["files"]
            md = json.loads((store.scb_dir / files["metadata"]).read_text(encoding="utf-8"))
            data = json.loads((store.scb_dir / files["data"]).read_text(encoding="utf-8"))
            self.v2_metadata[table] = md
            self.v2[table] = recorded_cube(table, md, data, files["data"])
        self.config = json.loads(
            (store.scb_dir / "recorded" / "scb_config.json").read_text(encoding="utf-8")
        )

    # -- routing -------------------------------------------------------------------------------
    def answer(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: bytes,
        max_cells: int,
    ) -> tuple[int, dict[str, Any], str]:
        """(status, document, content type) for one request under the PxWeb roots."""
        try:
            if path == V1_ROOT or path.startswith(V1_ROOT + "/"):
                return 200, self._v1(method, path[len(V1_ROOT) :].strip("/"), body, max_cells), JSON
            return (
                200,
                self._v2(method, path[len(V2_ROOT) :].strip("/"), query, body, max_cells),
                JSON,
            )
        except PxError as exc:
            return exc.answer(path)

    def _table_list(self) -> dict[str, Any]:
        """``GET /tables``: the v2 tables this replay serves, one page in SCB's listing shape."""
        tables = [table_entry(t, md) for t, md in sorted(self.v2_metadata.items())]
        return {
            "language": "sv",
            "tables": tables,
            "page": {
                "pageNumber": 1,
                "pageSize": max(20, len(tables)),
                "totalElements": len(tables),
                "totalPages": 1,
                "links": [],
            },
            "links": [],
        }

    def _v1(self, method: str, table: str, body: bytes, max_cells: int) -> dict[str, Any]:
        cube = self.v1.get(table)
        if cube is None:
            raise PxError(404, f"no table {table!r} in this replay's v1 database")
        if method == "GET":
            return {
                "title": cube.title,
                "variables": [
                    {
                        "code": v["code"],
                        "text": v["text"],
                        "values": v["values"],
                        "valueTexts": v["valueTexts"],
                        **({"elimination": True} if v.get("elimination") else {}),
                        **({"time": True} if v.get("time") else {}),
                    }
                    for v in cube.variables
                ],
            }
        doc = _json_body(body, problem=False)
        query = doc.get("query") if isinstance(doc, dict) else None
        if not isinstance(query, list):
            raise PxError(400, "the body must be a JSON object with a 'query' list")
        response = doc.get("response") or {}
        fmt = response.get("format") if isinstance(response, dict) else None
        if fmt != "json-stat2":
            raise PxError(
                400, f"response format {fmt!r} is not served by the replay; ask for 'json-stat2'"
            )
        requested: dict[str, list[str]] = {}
        for i, item in enumerate(query):
            sel = item.get("selection") if isinstance(item, dict) else None
            if not isinstance(sel, dict) or not isinstance(item.get("code"), str):
                raise PxError(400, f"query[{i}] must be {{'code': ..., 'selection': {{...}}}}")
            values = sel.get("values")
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise PxError(400, f"query[{i}] ({item['code']}): 'values' must be a list of codes")
            if sel.get("filter") == "all":
                values = ["*"] if values in ([], ["*"]) else values
            elif sel.get("filter") != "item":
                raise PxError(
                    400,
                    f"query[{i}] ({item['code']}): filter {sel.get('filter')!r} is not served by "
                    "the replay (use 'item' or 'all')",
                )
            requested[item["code"]] = values
        return self._dataset(cube, requested, max_cells, problem=False)

    def _v2(
        self,
        method: str,
        rest: str,
        query: dict[str, list[str]],
        body: bytes,
        max_cells: int,
    ) -> dict[str, Any]:
        lang = (query.get("lang") or ["sv"])[0]
        if lang != "sv":
            raise PxError(400, f"lang {lang!r} is not served by the replay (only 'sv')", True)
        fmt = (query.get("outputFormat") or query.get("outputformat") or ["json-stat2"])[0]
        if fmt != "json-stat2":
            raise PxError(400, f"outputFormat {fmt!r} is not served by the replay", True)
        parts = rest.split("/")
        if parts == ["config"] and method == "GET":
            return {**self.config, "maxDataCells": max_cells}
        if parts in (["tables"], ["tables", ""]) and method == "GET":
            return self._table_list()
        if len(parts) != 3 or parts[0] != "tables" or parts[2] not in ("metadata", "data"):
            raise PxError(404, f"no endpoint {V2_ROOT}/{rest} in this replay", True)
        table, what = parts[1], parts[2]
        cube = self.v2.get(table)
        if cube is None:
            raise PxError(404, f"Table with id, {table} can not be found", True)
        if what == "metadata":
            if method != "GET":
                raise PxError(405, "metadata is read with GET", True)
            return self.v2_metadata[table]
        if method == "GET":
            requested = _v2_query_selection(query)
        else:
            doc = _json_body(body, problem=True)
            selection = doc.get("selection") if isinstance(doc, dict) else None
            if not isinstance(selection, list):
                raise PxError(400, "the body must be a JSON object with a 'selection' list", True)
            requested = {}
            for i, item in enumerate(selection):
                codes = item.get("valueCodes") if isinstance(item, dict) else None
                var = item.get("variableCode") if isinstance(item, dict) else None
                if not isinstance(var, str) or not isinstance(codes, list):
                    raise PxError(
                        400, f"selection[{i}] must be {{'variableCode', 'valueCodes': [...]}}", True
                    )
                requested[var] = [str(c) for c in codes]
        if not requested:
            raise PxError(
                400, "the replay serves explicit selections only (no default selection)", True
            )
        return self._dataset(cube, requested, max_cells, problem=True)

    # -- data ----------------------------------------------------------------------------------
    def _dataset(
        self, cube: Cube, requested: dict[str, list[str]], max_cells: int, problem: bool
    ) -> dict[str, Any]:
        known = [v["code"] for v in cube.variables]
        for code, wanted in requested.items():
            v = cube.variable(code)
            if v is None:
                raise PxError(
                    400,
                    f"unknown variable {code!r} in table {cube.table} (variables: {known})",
                    problem,
                )
            for c in wanted:
                if c == "*":
                    continue
                if c not in v["values"]:
                    raise PxError(
                        400, f"Value, {c} is not a valid value code for variable {code}", problem
                    )
                if c not in cube.held.get(code, ()):
                    raise PxError(
                        400,
                        f"value code {c!r} of variable {code} is in table {cube.table}'s "
                        f"metadata but not in the data this replay holds (recorded: "
                        f"{sorted(cube.held.get(code, ()))[:20]})",
                        problem,
                    )
        selected: list[tuple[dict[str, Any], list[str]]] = []
        fixed: dict[str, str] = {}
        for v in cube.variables:
            code = v["code"]
            if code not in requested:
                if v.get("elimination") and v.get("eliminationValueCode"):
                    fixed[code] = v["eliminationValueCode"]  # eliminated: no dimension
                    continue
                raise PxError(
                    400, f"variable {code!r} must be selected (it cannot be eliminated)", problem
                )
            wanted = set(requested[code])
            held = cube.held.get(code, set())
            codes = [c for c in v["values"] if c in held and ("*" in wanted or c in wanted)]
            if not codes:
                raise PxError(400, f"no value code selected for variable {code}", problem)
            selected.append((v, codes))
        n = math.prod(len(codes) for _, codes in selected)
        if n > max_cells:
            raise PxError(
                403,
                f"The query resulted in {n} cells, which exceeds the number of allowed "
                f"({max_cells}).",
                problem,
            )
        return self._jsonstat(cube, selected, fixed)

    def _jsonstat(
        self, cube: Cube, selected: list[tuple[dict[str, Any], list[str]]], fixed: dict[str, str]
    ) -> dict[str, Any]:
        order = [v["code"] for v in cube.variables]
        dims: dict[str, Any] = {}
        for v, codes in selected:
            texts = dict(zip(v["values"], v["valueTexts"], strict=True))
            category: dict[str, Any] = {
                "index": {c: i for i, c in enumerate(codes)},
                "label": {c: texts[c] for c in codes},
            }
            if v["code"] == "ContentsCode":
                category["unit"] = {c: cube.units[c] for c in codes if c in cube.units}
            extras = cube.dim_fields.get(v["code"], {})
            dims[v["code"]] = {
                **{k: x for k, x in extras.items() if k == "extension"},
                "label": v["text"],
                **{k: x for k, x in extras.items() if k != "extension"},
                "category": category,
            }
        values: list[float | None] = []
        status: dict[str, str] = {}
        for i, combo in enumerate(itertools.product(*(codes for _, codes in selected))):
            codes = dict(zip((v["code"] for v, _ in selected), combo, strict=True)) | fixed
            value, st = cube.cells.get(tuple(codes[c] for c in order), (None, MISSING))
            values.append(value)
            if st:
                status[str(i)] = st
        ids = [v["code"] for v, _ in selected]
        role = {
            "time": [v["code"] for v, _ in selected if v.get("time")],
            "metric": [c for c in ids if c == "ContentsCode"],
        }
        body: dict[str, Any] = {
            "id": ids,
            "size": [len(codes) for _, codes in selected],
            "dimension": dims,
            "value": values,
        }
        if status:
            body["status"] = status
        if cube.api == "v2":
            # The recorded answer's own field order, with this selection's id/size/dimension/value.
            doc = {k: v for k, v in cube.doc_fields.items() if k not in body}
            doc = {**doc, **body}
            doc["role"] = role
            return doc
        return {
            "class": "dataset",
            "label": cube.title,
            "source": cube.doc_fields["source"],
            "updated": cube.doc_fields["updated"],
            **body,
            "role": role,
            "version": "2.0",
            "extension": cube.doc_fields["extension"],
        }


def recode_category(doc: dict[str, Any], spec: dict[str, Any]) -> None:
    """The ``recode_category`` fault: in a JSON-stat answer, category ``from`` of dimension
    ``dimension`` becomes ``to`` (an answer for a code the request did not ask for)."""
    category = ((doc.get("dimension") or {}).get(spec["dimension"]) or {}).get("category") or {}
    for part in ("index", "label"):
        codes = category.get(part)
        if isinstance(codes, dict) and spec["from"] in codes:
            category[part] = {spec["to"] if c == spec["from"] else c: v for c, v in codes.items()}


def table_entry(table: str, md: dict[str, Any]) -> dict[str, Any]:
    """A table's entry in ``GET /tables``, in SCB's listing shape (recorded scb_tables.json),
    from the table's recorded metadata."""
    px = (md.get("extension") or {}).get("px") or {}
    times = (md.get("role") or {}).get("time") or []
    periods = []
    if times:
        index = md["dimension"][times[0]]["category"]["index"]
        periods = sorted(index, key=index.get)
    return {
        "id": table,
        "label": md["label"],
        "description": "",
        "updated": md.get("updated"),
        "firstPeriod": periods[0] if periods else None,
        "lastPeriod": periods[-1] if periods else None,
        "category": "public",
        "variableNames": [md["dimension"][d]["label"] for d in md["id"]],
        "source": md.get("source", "SCB"),
        "subjectCode": px.get("subject-code"),
        "links": [],
    }


def _json_body(body: bytes, problem: bool) -> Any:
    try:
        return json.loads(body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PxError(400, f"the body is not valid JSON ({exc})", problem) from exc


def _v2_query_selection(query: dict[str, list[str]]) -> dict[str, list[str]]:
    """``valuecodes[VAR]=a,b`` (the spec's spelling; ``valueCodes[VAR]`` accepted too)."""
    out: dict[str, list[str]] = defaultdict(list)
    for key, vals in query.items():
        for prefix in ("valuecodes[", "valueCodes["):
            if key.startswith(prefix) and key.endswith("]"):
                var = key[len(prefix) : -1]
                for val in vals:
                    out[var].extend(c for c in val.split(",") if c)
    return dict(out)
