"""Copy into ``sources/`` what the snapshot uses of the real-data collection (``shared/realdata``).

Only the rows of the catalogue's series are copied, verbatim (every column as text, provenance
included), sorted, and gzip-compressed without a timestamp, so the same collection always gives
the same files. The project runs without the collection: ``sources/`` is committed.
"""

from __future__ import annotations

from pathlib import Path

from ingest.snapshot.files import (
    REAL_COLUMNS,
    SOURCES,
    catalogue_series,
    csv_text,
    gzip_bytes,
    read_rows,
)
from ingest.snapshot.scb_specs import load_specs

DEFAULT_REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"
# Real-data file → the sources/ file its rows go to.
KOLADA_FILES = ("values/kolada_dump_values.csv.gz", "values/kolada_values.csv")
SCB_FILES = ("values/scb_values.csv", "values/scb_kommun_values.csv")
KOLADA_VALUES = "kolada_values.csv.gz"
SCB_VALUES = "scb_values.csv.gz"
KPI_METADATA = "kolada_kpis.csv"
GEOGRAPHIES = "geographies.csv"
SOURCE_FILES = (KOLADA_VALUES, SCB_VALUES, KPI_METADATA, GEOGRAPHIES)
_SORT = ("series_id", "geography_code", "year", "sex", "period", "provenance", "value")


def _select(realdata: Path, files: tuple[str, ...], wanted: set[str]) -> list[dict[str, str]]:
    rows = []
    for name in files:
        path = realdata / name
        if not path.is_file():
            raise FileNotFoundError(f"real-data file {path} is missing")
        for r in read_rows(path):
            if tuple(r) != REAL_COLUMNS:
                raise ValueError(f"{path}: columns {list(r)}, expected {list(REAL_COLUMNS)}")
            if r["series_id"] in wanted:
                rows.append(r)
    return sorted(rows, key=lambda r: tuple(r[c] for c in _SORT))


def source_files(realdata: Path = DEFAULT_REALDATA) -> dict[str, bytes]:
    """Every ``sources/`` file's bytes, built from the real-data collection at ``realdata``."""
    kpis = set(catalogue_series("kolada"))
    scb = set(load_specs().series_of_source())
    kolada_rows = _select(realdata, KOLADA_FILES, kpis)
    metadata = [r for r in read_rows(realdata / KPI_METADATA) if r["id"] in kpis]
    unknown = sorted(kpis - {r["id"] for r in metadata})
    if unknown:
        raise ValueError(f"catalogue KPI(s) {unknown} are not in {realdata / KPI_METADATA}")
    fields = list(read_rows(realdata / KPI_METADATA)[0])
    return {
        KOLADA_VALUES: gzip_bytes(csv_text(REAL_COLUMNS, kolada_rows)),
        SCB_VALUES: gzip_bytes(csv_text(REAL_COLUMNS, _select(realdata, SCB_FILES, scb))),
        KPI_METADATA: csv_text(fields, sorted(metadata, key=lambda r: r["id"])).encode("utf-8"),
        GEOGRAPHIES: (realdata / GEOGRAPHIES).read_bytes(),
    }


def refresh(realdata: Path = DEFAULT_REALDATA) -> list[str]:
    """Rewrite ``sources/`` from the collection; returns the names of files that changed."""
    changed = []
    for name, data in source_files(realdata).items():
        path = SOURCES / name
        if not path.is_file() or path.read_bytes() != data:
            tmp = path.with_name(f".{name}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
            changed.append(name)
    for stale in SOURCES.iterdir():
        if stale.is_file() and stale.name not in SOURCE_FILES:
            stale.unlink()
            changed.append(f"{stale.name} (removed)")
    return changed


def check_sources(realdata: Path = DEFAULT_REALDATA) -> list[str]:
    """Names of ``sources/`` files that differ from what the collection gives."""
    return [
        name
        for name, data in source_files(realdata).items()
        if not (SOURCES / name).is_file() or (SOURCES / name).read_bytes() != data
    ]
