"""``scb/tables.json``: the PxWeb metadata the replay serves for every SCB table.

The v1 tables come from ``scb_specs.toml`` plus the geographies and years the served values
have; the PxWebApi 2.0 table TAB6471 from SCB's recorded answers in ``scb/recorded/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ingest.pxweb.client import to_scb_region
from ingest.snapshot.files import SOURCES, read_rows
from ingest.snapshot.realdata import GEOGRAPHIES
from ingest.snapshot.scb_specs import ScbSpecs

# JSON-stat's "updated" for the reconstructed tables: a fixed marker of this snapshot, not SCB's
# publication time (which the real-data collection does not record).
REPLAY_UPDATED = "2026-01-01T00:00:00Z"
RECORDED_PROVENANCE = (
    "stefur/pxwebpy@d45f4cb2fc629961992ac33a54b8296775b166f2:tests/responses/ (SCB PxWebApi 2.0 "
    "answers recorded by pxwebpy's tests; copied byte for byte from the project's real-data "
    "collection, formats/pxwebapi2/)"
)
RECORDED_TABLE = "TAB6471"


def _variable(code: str, text: str, values: list[tuple[str, str]], **flags: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": code,
        "text": text,
        "values": [c for c, _ in values],
        "valueTexts": [t for _, t in values],
    }
    out.update({k: v for k, v in flags.items() if v})
    return out


def _v1_table(table: str, specs: ScbSpecs, rows: list[dict[str, Any]]) -> dict[str, Any]:
    spec = specs.tables[table]
    names = {g["geography_code"]: g["geography_name"] for g in read_rows(SOURCES / GEOGRAPHIES)}
    served = [r for r in rows if r["table_id"] == table]
    regions = sorted({r["region_code"] for r in served})
    years = sorted({str(r["year"]) for r in served})
    series = [s.series_id for s in specs.series.values() if s.table == table]
    variables = [
        _variable("Region", "region", [(to_scb_region(c), names[c]) for c in regions]),
        *(
            _variable(
                v.code,
                v.text,
                list(v.values),
                elimination=v.elimination,
                eliminationValueCode="1+2" if v.code == "Kon" else None,
            )
            for v in spec.variables
        ),
        _variable("Tid", spec.time_text, [(y, y) for y in years], time=True),
    ]
    return {
        "api": "v1",
        "reconstructed": True,
        "note": f"{specs.reconstructed_note} {spec.note}",
        "title": spec.title,
        "source": "SCB",
        "updated": REPLAY_UPDATED,
        "infofile": spec.infofile,
        "series": series,
        "real_values_from": [src for s in series for src in specs.series[s].sources],
        "unit": spec.unit,
        "variables": variables,
    }


def _ordered(dimension: dict[str, Any]) -> list[str]:
    index = dimension["category"]["index"]
    return sorted(index, key=index.get)


def _recorded_table(recorded: Path) -> dict[str, Any]:
    meta = json.loads((recorded / f"scb_{RECORDED_TABLE}_metadata.json").read_text("utf-8"))
    data = json.loads((recorded / f"scb_{RECORDED_TABLE}_data.json").read_text("utf-8"))
    contents = meta["dimension"]["ContentsCode"]["category"]
    return {
        "api": "v2",
        "reconstructed": False,
        "recorded": True,
        "note": (
            "Served from SCB's recorded answers: metadata from recorded/scb_TAB6471_metadata.json "
            "(all codes SCB lists), data by slicing recorded/scb_TAB6471_data.json, which holds "
            "only the recorded selection below; other codes are answered HTTP 400. Monthly "
            "time codes: the annual client fetches no rows from this table."
        ),
        "provenance": RECORDED_PROVENANCE,
        "title": meta["label"],
        "source": meta["source"],
        "updated": meta["updated"],
        "files": {
            "metadata": f"recorded/scb_{RECORDED_TABLE}_metadata.json",
            "data": f"recorded/scb_{RECORDED_TABLE}_data.json",
        },
        "unit": contents.get("unit", {}),
        "recorded_selection": {dim: _ordered(data["dimension"][dim]) for dim in data["id"]},
        "variables": [
            _variable(
                dim,
                meta["dimension"][dim]["label"],
                [(c, meta["dimension"][dim]["category"]["label"][c]) for c in _ordered(d)],
                elimination=d.get("extension", {}).get("elimination", False),
                time=dim in meta["role"]["time"],
            )
            for dim, d in ((dim, meta["dimension"][dim]) for dim in meta["id"])
        ],
    }


def tables_json(specs: ScbSpecs, rows: list[dict[str, Any]], recorded: Path) -> str:
    doc = {table: _v1_table(table, specs, rows) for table in specs.tables}
    doc[RECORDED_TABLE] = _recorded_table(recorded)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
