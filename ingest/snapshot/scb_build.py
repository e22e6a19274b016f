"""The SCB part of the bundled snapshot, built from ``sources/``: real values only.

Each catalogue series in ``scb_specs.toml`` is served for every geography and year its real
source rows have (region codes Kolada style: ``0000``, ``00NN``, ``NNNN``). Identical duplicate
source rows are one value; two different values for one key are an error. A key no real source
has is absent (the PxWeb replay answers it as SCB does a cell without a figure).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ingest.snapshot.files import SCB_SCHEMA, SOURCES, read_rows, values_table
from ingest.snapshot.realdata import SCB_VALUES
from ingest.snapshot.scb_specs import ScbSpecs, load_specs

Key = tuple[str, str, int, str]  # series_id, region_code, year, sex


def read_real(specs: ScbSpecs) -> dict[Key, dict[str, str]]:
    """Real rows keyed by catalogue series, geography, year and sex."""
    by_source = specs.series_of_source()
    real: dict[Key, dict[str, str]] = {}
    for r in read_rows(SOURCES / SCB_VALUES):
        series_id = by_source.get(r["series_id"])
        if series_id is None:
            raise ValueError(f"{SCB_VALUES}: series {r['series_id']!r} maps to no catalogue series")
        sex = specs.sex_labels.get(r["sex"])
        if sex is None:
            raise ValueError(f"{SCB_VALUES}: sex label {r['sex']!r} unknown ({r['series_id']})")
        key = (series_id, r["geography_code"], int(r["year"]), sex)
        if key in real and real[key]["value"] != r["value"]:
            raise ValueError(f"{SCB_VALUES}: two different values for {key}")
        real.setdefault(key, r)
    return real


def served_rows(specs: ScbSpecs | None = None) -> list[dict[str, Any]]:
    specs = specs or load_specs()
    real = read_real(specs)
    rows = []
    for key in sorted(real, key=lambda k: (k[0], k[1], k[2], "TKM".index(k[3]))):
        series_id, region, year, sex = key
        if sex not in specs.sexes_of(series_id):
            raise ValueError(f"{SCB_VALUES}: {key}: sex {sex} is not in the table's Kon variable")
        r = real[key]
        rows.append(
            {
                "series_id": series_id,
                "table_id": specs.series[series_id].table,
                "region_code": region,
                "year": year,
                "sex": sex,
                "value": float(r["value"]) if r["value"] not in ("", "nan") else None,
                "status": r["status"] or None,
                "is_synthetic": False,
                "provenance": r["provenance"],
            }
        )
    return rows


def values(specs: ScbSpecs | None = None) -> pa.Table:
    return values_table(served_rows(specs), SCB_SCHEMA)
