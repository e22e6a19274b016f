"""The Kolada part of the bundled snapshot, built from ``sources/``: real values only.

Every real value of a catalogue KPI is served, for every geography and year the real material
has it, as Kolada publishes it (one value per KPI × geography × year × gender, the newest
vintage where copies differ). A key no real source has is absent, as in the live API.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyarrow as pa

from ingest.snapshot.files import (
    KOLADA_SCHEMA,
    SOURCES,
    catalogue_series,
    csv_text,
    read_rows,
    values_table,
)
from ingest.snapshot.realdata import GEOGRAPHIES, KOLADA_VALUES, KPI_METADATA
from ingest.snapshot.vintages import newest

# What /v3/kpi serves of the KPI metadata (Kolada's own fields).
KPI_FIELDS = (
    "id",
    "title",
    "description",
    "operating_area",
    "is_divided_by_gender",
    "municipality_type",
    "publ_period",
    "publication_date",
    "prel_publication_date",
)
SEXES = ("T", "K", "M")


def _value(text: str, where: tuple) -> float | None:
    if text in ("", "nan"):
        return None  # published without a figure: Kolada serves null
    try:
        return float(text)
    except ValueError as exc:
        raise ValueError(f"{KOLADA_VALUES}: value {text!r} for {where} is not a number") from exc


def served_rows() -> list[dict[str, Any]]:
    """One row per served key, sorted by KPI, geography, year and gender."""
    kpis = set(catalogue_series("kolada"))
    copies: dict[tuple, list[dict[str, str]]] = defaultdict(list)
    for r in read_rows(SOURCES / KOLADA_VALUES):
        if r["series_id"] not in kpis:
            continue
        sex = r["sex"] or "T"
        if sex not in SEXES:
            raise ValueError(f"{KOLADA_VALUES}: sex {sex!r} for {r['series_id']}; expected T/K/M")
        copies[(r["series_id"], r["geography_code"], int(r["year"]), sex)].append(r)
    rows = []
    for key in sorted(copies, key=lambda k: (k[0], k[1], k[2], SEXES.index(k[3]))):
        best = newest(copies[key], key)
        rows.append(
            {
                "kpi": key[0],
                "municipality": key[1],
                "period": key[2],
                "gender": key[3],
                "value": _value(best["value"], key),
                "count": 1,
                "status": best["status"] or None,
                "is_synthetic": False,
                "provenance": best["provenance"],
            }
        )
    return rows


def values() -> pa.Table:
    return values_table(served_rows(), KOLADA_SCHEMA)


def kpi_csv() -> str:
    """/v3/kpi metadata of the catalogue's KPIs."""
    kpis = set(catalogue_series("kolada"))
    rows = [r for r in read_rows(SOURCES / KPI_METADATA) if r["id"] in kpis]
    return csv_text(KPI_FIELDS, rows)


def municipality_csv() -> str:
    """/v3/municipality: Riket, the 21 län (type L) and the 290 kommuner (type K)."""
    rows = [
        {
            "id": g["geography_code"],
            "title": g["geography_name"],
            "type": "K" if g["level"] == "kommun" else "L",
        }
        for g in read_rows(SOURCES / GEOGRAPHIES)
    ]
    return csv_text(("id", "title", "type"), rows)
