"""Reading and writing the snapshot's files, deterministically (one set of helpers for both
sources and every build step)."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.landing import SCB_VALUES_SCHEMA
from ingest.snapshot import KOLADA_COLUMNS, SCB_COLUMNS

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
CATALOGUE = HERE.parents[1] / "dbt_project" / "seeds" / "indicators.csv"

KOLADA_SCHEMA = pa.schema(
    [
        ("kpi", pa.string()),
        ("municipality", pa.string()),
        ("period", pa.int32()),
        ("gender", pa.string()),
        ("value", pa.float64()),
        ("count", pa.int32()),
        ("status", pa.string()),
        ("is_synthetic", pa.bool_()),
        ("provenance", pa.string()),
    ]
)
SCB_SCHEMA = pa.schema([f for f in SCB_VALUES_SCHEMA if f.name in SCB_COLUMNS])
assert tuple(KOLADA_SCHEMA.names) == KOLADA_COLUMNS
assert tuple(SCB_SCHEMA.names) == SCB_COLUMNS

# The real-data files' columns (shared/realdata/values/*.csv and sources/*_values.csv.gz).
REAL_COLUMNS = (
    "source",
    "series_id",
    "series_label",
    "geography_code",
    "geography_name",
    "year",
    "period",
    "sex",
    "value",
    "status",
    "provenance",
)


def read_rows(path: Path) -> list[dict[str, str]]:
    """A CSV file's rows as text (gzip when the name ends in ``.gz``)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def csv_text(fields: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(fields), lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def gzip_bytes(text: str) -> bytes:
    """gzip with no timestamp or file name, so the same text always gives the same bytes."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0, filename="") as f:
        f.write(text.encode("utf-8"))
    return out.getvalue()


def values_table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Parquet as the replay server reads it: zstd, dictionary-encoded text, one row group."""
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd", row_group_size=max(1, table.num_rows))
    tmp.replace(path)


def read_parquet(path: Path) -> pa.Table:
    return pq.read_table(path)


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def replace_block(text: str, start: str, end: str, body: str) -> str:
    """``text`` with what stands between the markers ``start`` and ``end`` replaced by ``body``."""
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    if not rest or end not in rest:
        raise ValueError(f"markers {start!r} … {end!r} not found")
    return f"{head}{start}\n{body}\n{end}{tail}"


def catalogue_series(source: str) -> list[str]:
    """The catalogue's series ids of one source (``kolada`` KPIs or ``scb`` series ids)."""
    rows = read_rows(CATALOGUE)
    return sorted({r["source_series_id"] for r in rows if r["source"] == source})


def cell(text: object) -> str:
    """Markdown table cell: SCB series ids contain '|'."""
    return str(text).replace("|", "\\|")
