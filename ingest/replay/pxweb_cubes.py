"""The PxWeb tables the replay serves, as cubes: the reconstructed v1 tables built from the
served SCB values, and the recorded PxWebApi 2.0 table sliced from SCB's own answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.pxweb.client import KON_TO_SEX, to_scb_region
from ingest.pxweb.jsonstat import jsonstat2_to_rows
from ingest.pxweb.series import parse_series_id

MISSING = ".."  # SCB's symbol for a value that is not available


@dataclass
class Cube:
    """One table: variables in the API's order and the cells the replay holds."""

    table: str
    api: str
    title: str
    variables: list[dict[str, Any]]
    units: dict[str, dict[str, Any]]
    cells: dict[tuple[str, ...], tuple[float | None, str | None]] = field(default_factory=dict)
    held: dict[str, set[str]] = field(default_factory=dict)  # codes the replay has data for
    doc_fields: dict[str, Any] = field(default_factory=dict)  # top-level JSON-stat fields
    dim_fields: dict[str, dict[str, Any]] = field(default_factory=dict)  # per-dimension extras

    def variable(self, code: str) -> dict[str, Any] | None:
        return next((v for v in self.variables if v["code"] == code), None)


def v1_cubes(tables: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Cube]:
    cubes: dict[str, Cube] = {}
    for table, meta in tables.items():
        if meta["api"] != "v1":
            continue
        cube = Cube(table, "v1", meta["title"], meta["variables"], meta["unit"])
        cube.doc_fields = {
            "source": meta["source"],
            "updated": meta["updated"],
            "extension": {"px": {"infofile": meta["infofile"]}},
        }
        cube.dim_fields = {
            v["code"]: {"extension": {"show": "code" if v.get("time") else "value"}}
            for v in meta["variables"]
        }
        cube.held = {v["code"]: set(v["values"]) for v in meta["variables"]}
        cubes[table] = cube
    for r in rows:
        cube = cubes[r["table_id"]]
        series = parse_series_id(r["series_id"])
        codes = {
            "Region": to_scb_region(r["region_code"]),
            "Tid": str(r["year"]),
            **dict(series.fixed),
        }
        kon = cube.variable("Kon")
        if kon is not None and "Kon" not in codes:
            codes["Kon"] = next(c for c in kon["values"] if KON_TO_SEX.get(c) == r["sex"])
        for v in cube.variables:
            if v["code"] not in codes and len(v["values"]) == 1:
                codes[v["code"]] = v["values"][0]
        key = tuple(codes[v["code"]] for v in cube.variables)
        value = r["value"]
        cube.cells[key] = (value, r["status"] or (MISSING if value is None else None))
    return cubes


def recorded_cube(table: str, meta: dict[str, Any], data: dict[str, Any], url: str) -> Cube:
    variables = []
    for dim in meta["id"]:
        d = meta["dimension"][dim]
        index = d["category"]["index"]
        codes = sorted(index, key=index.get)
        ext = d.get("extension") or {}
        data_ext = data["dimension"].get(dim, {}).get("extension") or {}
        variables.append(
            {
                "code": dim,
                "text": d["label"],
                "values": codes,
                "valueTexts": [d["category"]["label"][c] for c in codes],
                "elimination": bool(ext.get("elimination", False)),
                "eliminationValueCode": data_ext.get("eliminationValueCode"),
                "time": dim in (meta.get("role") or {}).get("time", []),
            }
        )
    units = meta["dimension"]["ContentsCode"]["category"].get("unit", {})
    cube = Cube(table, "v2", data["label"], variables, units)
    cube.doc_fields = {
        k: v for k, v in data.items() if k not in ("id", "size", "dimension", "value", "status")
    }
    cube.dim_fields = {
        dim: {k: v for k, v in d.items() if k not in ("label", "category")}
        for dim, d in data["dimension"].items()
    }
    cube.held = {dim: set(data["dimension"][dim]["category"]["index"]) for dim in data["id"]}
    for row in jsonstat2_to_rows(data, url):
        key = tuple(row[v["code"]] for v in variables)
        cube.cells[key] = (row["value"], row["status"])
    return cube
