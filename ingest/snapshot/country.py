"""A **synthetic** snapshot at country scale, for the benchmarks (never served by default).

``write_country_snapshot(root, years)`` writes a snapshot directory in the bundled one's layout
holding, for every catalogue series, Riket, the 21 län and the 290 kommuner × ``years``:

- Kolada: every catalogue KPI × women, men and both (T/K/M), also for KPIs Kolada does not split
  by sex, so the load has the size the benchmark asks for (the real API would answer T only);
- SCB: every catalogue series × its own sex breakdown (the bundled table's ``Kon`` values; a
  series fixed to both sexes has T only), in the bundled tables widened to every region and year.

Every value comes from ``ingest.snapshot.synthetic.synthetic_value``, flagged
``is_synthetic=true`` with provenance ``synthetic:…``, and so labelled synthetic in the raw loads,
the marts, the statements and the report. The formats are the real ones: the replay server
serves this directory exactly as it serves the bundled snapshot.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from ingest.catalogue import read_geographies, read_indicators
from ingest.pxweb.client import to_scb_region
from ingest.snapshot import BUNDLED, VALUES_FILE, Snapshot
from ingest.snapshot.files import KOLADA_SCHEMA, SCB_SCHEMA, write_parquet
from ingest.snapshot.synthetic import GENERATOR, synthetic_value

SEXES = ("T", "K", "M")


def _kolada_table(kpis: list[str], geos: list[str], years: list[int], provenance: str) -> pa.Table:
    keys = [(k, g, y, s) for k in kpis for g in geos for y in years for s in SEXES]
    columns = {
        "kpi": [k for k, _, _, _ in keys],
        "municipality": [g for _, g, _, _ in keys],
        "period": [y for _, _, y, _ in keys],
        "gender": [s for _, _, _, s in keys],
        "value": [synthetic_value(*key) for key in keys],
        "count": [1] * len(keys),
        "status": [None] * len(keys),
        "is_synthetic": [True] * len(keys),
        "provenance": [provenance] * len(keys),
    }
    return pa.Table.from_pydict(
        {f.name: columns[f.name] for f in KOLADA_SCHEMA}, schema=KOLADA_SCHEMA
    )


def _widen_tables(tables: dict, names: dict[str, str], years: list[int]) -> dict:
    """The bundled v1 tables with every region and year (the v2 table is SCB's recording)."""
    out = json.loads(json.dumps(tables))
    for meta in out.values():
        if meta["api"] != "v1":
            continue
        for var in meta["variables"]:
            if var["code"] == "Region":
                var["values"] = [to_scb_region(c) for c in names]
                var["valueTexts"] = list(names.values())
            elif var["code"] == "Tid":
                var["values"] = var["valueTexts"] = [str(y) for y in years]
        meta["note"] = f"Widened to every region and year by {GENERATOR}: every value is synthetic."
    return out


def _scb_rows(years: list[int], geos: list[str], provenance: str) -> list[dict]:
    series: dict[tuple[str, str], set[str]] = {}
    for r in BUNDLED.scb_values():
        series.setdefault((r["series_id"], r["table_id"]), set()).add(r["sex"])
    return [
        {
            "series_id": series_id,
            "table_id": table_id,
            "region_code": g,
            "year": y,
            "sex": s,
            "value": synthetic_value(series_id, g, y, s),
            "status": None,
            "is_synthetic": True,
            "provenance": provenance,
        }
        for (series_id, table_id), sexes in sorted(series.items())
        for g in geos
        for y in years
        for s in sorted(sexes)
    ]


def write_country_snapshot(root: Path, years: Iterable[int]) -> Snapshot:
    """Write the country-scale synthetic snapshot to ``root`` (replacing it) and return it."""
    years = sorted(set(years))
    if not years:
        raise ValueError("country snapshot: expected at least one year")
    geographies = read_geographies()
    names = {g.code: g.name for g in geographies}
    geos = sorted(names)
    kpis = sorted({i.source_series_id for i in read_indicators() if i.source == "kolada"})
    provenance = f"{GENERATOR} (country scale)"
    shutil.rmtree(root, ignore_errors=True)
    (root / "kolada").mkdir(parents=True)
    for name in ("kpi.csv", "municipality.csv"):
        shutil.copyfile(BUNDLED.kolada_dir / name, root / "kolada" / name)
    write_parquet(_kolada_table(kpis, geos, years, provenance), root / "kolada" / VALUES_FILE)
    shutil.copytree(BUNDLED.scb_dir, root / "scb")
    tables = json.loads((BUNDLED.scb_dir / "tables.json").read_text(encoding="utf-8"))
    (root / "scb" / "tables.json").write_text(
        json.dumps(_widen_tables(tables, names, years), ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    scb = pa.Table.from_pylist(_scb_rows(years, geos, provenance), schema=SCB_SCHEMA)
    write_parquet(scb, root / "scb" / VALUES_FILE)
    return Snapshot(root)
