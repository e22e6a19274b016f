"""What the snapshot holds per fetched catalogue indicator: values, real share, years, levels,
sexes. A ratio indicator is computed in dbt from two fetched ones and is not served."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ingest.ratios import RATIO_SOURCE
from ingest.snapshot.files import CATALOGUE, SOURCES, cell, csv_text, read_rows
from ingest.snapshot.realdata import GEOGRAPHIES

COLUMNS = (
    "indicator_id",
    "source",
    "series_id",
    "values",
    "real_values",
    "synthetic_values",
    "null_values",
    "real_share",
    "first_year",
    "last_year",
    "years",
    "riket",
    "lan",
    "kommuner",
    "sexes",
)


def _levels() -> dict[str, str]:
    return {g["geography_code"]: g["level"] for g in read_rows(SOURCES / GEOGRAPHIES)}


def _one(indicator: dict[str, str], rows: list[dict[str, Any]], levels: dict[str, str]) -> dict:
    present = [r for r in rows if r["value"] is not None]
    geos = {r["geo"] for r in present}
    years = sorted({r["year"] for r in present})
    real = sum(1 for r in present if not r["is_synthetic"])
    return {
        "indicator_id": indicator["indicator_id"],
        "source": indicator["source"],
        "series_id": indicator["source_series_id"],
        "values": len(present),
        "real_values": real,
        "synthetic_values": len(present) - real,
        "null_values": len(rows) - len(present),
        "real_share": f"{real / len(present):.3f}" if present else "",
        "first_year": years[0] if years else "",
        "last_year": years[-1] if years else "",
        "years": len(years),
        "riket": sum(1 for g in geos if levels[g] == "riket"),
        "lan": sum(1 for g in geos if levels[g] == "lan"),
        "kommuner": sum(1 for g in geos if levels[g] == "kommun"),
        "sexes": "".join(s for s in "TKM" if any(r["sex"] == s for r in present)),
    }


def coverage(kolada: pa.Table, scb: pa.Table) -> list[dict[str, Any]]:
    """One row per fetched catalogue indicator (not the ratios), in catalogue order."""
    by_series: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for source, table, names in (
        ("kolada", kolada, ("kpi", "municipality", "period", "gender")),
        ("scb", scb, ("series_id", "region_code", "year", "sex")),
    ):
        cols = table.select([*names, "value", "is_synthetic"]).to_pydict()
        for s, g, y, x, v, syn in zip(*cols.values(), strict=True):
            by_series.setdefault((source, s), []).append(
                {"geo": g, "year": y, "sex": x, "value": v, "is_synthetic": syn}
            )
    levels = _levels()
    return [
        _one(i, by_series.get((i["source"], i["source_series_id"]), []), levels)
        for i in read_rows(CATALOGUE)
        if i["source"] != RATIO_SOURCE
    ]


def coverage_csv(rows: list[dict[str, Any]]) -> str:
    return csv_text(COLUMNS, rows)


def coverage_markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| indicator | source series | values | real share | years | Riket | län | kommuner "
        "| sex |",
        "|---|---|---:|---:|---|---:|---:|---:|---|",
    ]
    for r in rows:
        years = f"{r['first_year']}–{r['last_year']} ({r['years']})" if r["years"] else "–"
        share = f"{float(r['real_share']):.0%}" if r["real_share"] else "no values"
        lines.append(
            f"| `{r['indicator_id']}` | {r['source']} `{cell(r['series_id'])}` | {r['values']} "
            f"| {share} | {years} | {r['riket']} | {r['lan']}/21 | {r['kommuner']}/290 "
            f"| {r['sexes'] or '–'} |"
        )
    return "\n".join(lines)
