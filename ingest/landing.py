"""Append-only raw landing: one folder per load, visible only when complete.

Layout under ``<data>/raw``::

    _incomplete/<source>/<load_id>/     being written (never read by dbt)
    <source>/<load_id>/<table>.parquet  complete, immutable
    <source>/<load_id>/manifest.json    what was fetched, how, and the payloads' sha256
    <source>/<load_id>/validation.json  written by the load's validation; dbt reads only
                                        loads whose validation passed

A load becomes visible by one ``os.rename`` of its folder. An interrupted load leaves only an
``_incomplete`` folder, which the next load removes; nothing already landed is ever rewritten.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.errors import ResponseFormatError

# Kolada's KPI metadata as each load saw it: the latest period published and the calendar.
KOLADA_KPIS_SCHEMA = pa.schema(
    [
        ("load_id", pa.string()),
        ("kpi_id", pa.string()),
        ("title", pa.string()),
        ("publ_period", pa.string()),
        ("publication_date", pa.string()),
        ("prel_publication_date", pa.string()),
    ]
)

KOLADA_VALUES_SCHEMA = pa.schema(
    [
        ("load_id", pa.string()),
        ("kpi_id", pa.string()),
        ("municipality_id", pa.string()),
        ("year", pa.int32()),
        ("gender", pa.string()),
        ("value", pa.float64()),
        ("count", pa.int32()),
        ("status", pa.string()),
        ("is_deleted", pa.bool_()),
        # Provenance: true only for values the replay server served from the bundled snapshot that
        # the snapshot marks synthetic; null provenance for the live API.
        ("is_synthetic", pa.bool_()),
        ("provenance", pa.string()),
    ]
)


SCB_VALUES_SCHEMA = pa.schema(
    [
        ("load_id", pa.string()),
        # The catalogue's series id (ingest/pxweb/series.py) and its table (v1 path or v2 id).
        ("series_id", pa.string()),
        ("table_id", pa.string()),
        ("region_code", pa.string()),  # Kolada style: 0000 Riket, 00NN län, NNNN kommun
        ("year", pa.int32()),
        ("sex", pa.string()),  # T, K, M
        ("value", pa.float64()),
        ("status", pa.string()),
        # A value SCB no longer publishes (absent from a full fetch of its series): no value.
        ("is_deleted", pa.bool_()),
        # As for Kolada: true only for values the replay server served from the bundled SCB
        # snapshot that the snapshot marks synthetic; null provenance for the live API.
        ("is_synthetic", pa.bool_()),
        ("provenance", pa.string()),
    ]
)


@dataclass
class LoadSummary:
    """What one load did: for the CLI, the Dagster asset metadata and the tests."""

    load_id: str
    path: Path
    rows: int
    synthetic_rows: int
    duration_s: float
    http: dict[str, Any]
    urls: list[str] = field(default_factory=list)
    served_by_replay: bool = False
    removed_incomplete: list[str] = field(default_factory=list)
    mode: str = "full"
    from_date: str | None = None
    changes: dict[str, int] = field(default_factory=dict)


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_load_id() -> str:
    """Sortable and unique: UTC timestamp plus a random suffix."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:6]}"


def _write_json_atomic(path: Path, doc: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:6]}")
    with tmp.open("w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


@contextmanager
def rejecting_bad_responses(landing: RawLanding, load_id: str) -> Iterator[None]:
    """A response that cannot be parsed is kept under ``_rejected/`` and the error says where."""
    try:
        yield
    except ResponseFormatError as exc:
        kept = landing.reject(load_id, exc)
        raise ResponseFormatError(
            exc.url, f"{exc.problem}; nothing was landed, the response is kept in {kept}"
        ) from exc


class RawLanding:
    """Lands tables for one source under ``root``; see the module docstring."""

    def __init__(self, root: Path, source: str) -> None:
        self.root = Path(root)
        self.source = source
        self.dir = self.root / source
        self.incomplete_dir = self.root / "_incomplete" / source
        self.rejected_dir = self.root / "_rejected" / source

    def clean_incomplete(self) -> list[str]:
        """Remove folders left by interrupted loads; returns their load ids."""
        removed = []
        if self.incomplete_dir.exists():
            for stale in sorted(self.incomplete_dir.iterdir()):
                shutil.rmtree(stale)
                removed.append(stale.name)
        return removed

    def land(self, load_id: str, tables: dict[str, pa.Table], manifest: dict[str, Any]) -> Path:
        """Write every table and the manifest, then publish the folder with one rename."""
        final = self.dir / load_id
        if final.exists():
            raise FileExistsError(f"raw load {final} already exists; loads are append-only")
        work = self.incomplete_dir / load_id
        work.mkdir(parents=True)
        for name, table in tables.items():
            pq.write_table(table, work / f"{name}.parquet")
        manifest = {
            **manifest,
            "load_id": load_id,
            "source": self.source,
            "tables": {n: t.num_rows for n, t in tables.items()},
        }
        _write_json_atomic(work / "manifest.json", manifest)
        self.dir.mkdir(parents=True, exist_ok=True)
        os.rename(work, final)
        return final

    def reject(self, load_id: str, error: ResponseFormatError) -> Path:
        """Keep a response that could not be parsed, with the reason, for inspection.

        ``_rejected/<source>/<load_id>/`` holds ``response.body`` (the bytes as received, when
        known) and ``error.json``; it is never read by dbt and never counts as a load.
        """
        final = self.rejected_dir / load_id
        work = self.incomplete_dir / f"{load_id}.rejected"
        work.mkdir(parents=True, exist_ok=True)
        if error.body is not None:
            (work / "response.body").write_bytes(error.body)
        _write_json_atomic(
            work / "error.json",
            {
                "load_id": load_id,
                "source": self.source,
                "url": error.url,
                "problem": error.problem,
                "response_kept": error.body is not None,
                "rejected_at": utc_now(),
            },
        )
        final.parent.mkdir(parents=True, exist_ok=True)
        os.rename(work, final)
        return final

    def loads(self) -> list[str]:
        """Complete load ids, oldest first."""
        if not self.dir.exists():
            return []
        return sorted(p.name for p in self.dir.iterdir() if (p / "manifest.json").exists())

    def manifest(self, load_id: str) -> dict[str, Any]:
        return json.loads((self.dir / load_id / "manifest.json").read_text(encoding="utf-8"))

    def read(self, load_id: str, table: str) -> pa.Table:
        return pq.read_table(self.dir / load_id / f"{table}.parquet")

    def record_validation(self, load_id: str, result: dict[str, Any]) -> Path:
        """Store the load's validation outcome next to it (dbt reads only passed loads)."""
        path = self.dir / load_id / "validation.json"
        _write_json_atomic(path, {**result, "load_id": load_id, "recorded_at": utc_now()})
        return path

    def accepted_loads(self) -> list[str]:
        """Load ids whose validation passed, oldest first (what dbt reads)."""
        out = []
        for load_id in self.loads():
            path = self.dir / load_id / "validation.json"
            if path.exists() and json.loads(path.read_text(encoding="utf-8")).get("success"):
                out.append(load_id)
        return out
