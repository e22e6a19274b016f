"""The bundled snapshot the replay server serves (see README.md here for provenance).

A snapshot is a directory with ``kolada/`` (values in Parquet, KPI and municipality metadata)
and ``scb/`` (values in Parquet, PxWeb table metadata, recorded PxWebApi 2.0 answers). The
bundled one beside this file holds real published figures only; a generated one (benchmarks,
tests that need a shape real data lacks, see ``ingest.snapshot.synthetic``) has the same layout
and every value flagged ``is_synthetic``.
"""

from __future__ import annotations

import csv
import hashlib
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ingest.landing import SCB_VALUES_SCHEMA

SNAPSHOT_DIR = Path(__file__).resolve().parent
REPLAY_HEADER = "X-Rus-Replay-Snapshot"
VALUES_FILE = "values.parquet"
# The columns of each served values table, in file order (written once, read everywhere).
KOLADA_COLUMNS = (
    "kpi",
    "municipality",
    "period",
    "gender",
    "value",
    "count",
    "status",
    "is_synthetic",
    "provenance",
)
# SCB is served in the raw landing's own columns, less the load id and the withdrawal flag a
# load sets (ingest/state.py): one list for both.
NOT_SERVED = ("load_id", "is_deleted")
SCB_COLUMNS = tuple(n for n in SCB_VALUES_SCHEMA.names if n not in NOT_SERVED)
NOT_IN_SNAPSHOT = "served by the replay server, not in the bundled snapshot"


class Snapshot:
    """One snapshot directory: its files, content versions and per-value provenance."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.kolada_dir = self.root / "kolada"
        self.scb_dir = self.root / "scb"

    def __repr__(self) -> str:
        return f"Snapshot({str(self.root)!r})"

    # -- reading -------------------------------------------------------------------------------
    def kolada_csv(self, name: str) -> list[dict[str, str]]:
        with (self.kolada_dir / name).open(newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    def kolada_values(self) -> list[dict[str, Any]]:
        """Served Kolada values: ``KOLADA_COLUMNS``; ``value`` None where Kolada has no figure."""
        return _read_values(self.kolada_dir / VALUES_FILE, KOLADA_COLUMNS)

    def scb_values(self) -> list[dict[str, Any]]:
        return _read_values(self.scb_dir / VALUES_FILE, SCB_COLUMNS)

    # -- versions (sent by the replay server in REPLAY_HEADER) ------------------------------------
    @cached_property
    def kolada_version(self) -> str:
        """Content hash of the Kolada values and KPI metadata."""
        return _digest(self.kolada_dir / VALUES_FILE, self.kolada_dir / "kpi.csv")

    @cached_property
    def scb_version(self) -> str:
        """Content hash of the SCB values and table metadata."""
        return _digest(self.scb_dir / VALUES_FILE, self.scb_dir / "tables.json")

    def version(self, source: str) -> str:
        return {"kolada": self.kolada_version, "scb": self.scb_version}[source]

    def provenance(self, source: str) -> dict[tuple, tuple[bool, str]]:
        """(kpi, municipality, year, gender) or (series_id, region_code, year, sex) →
        (is_synthetic, provenance). Built on each call and not kept: at country scale the
        index holds about a million keys, and a load needs it once."""
        if source == "kolada":
            key = ("kpi", "municipality", "period", "gender")
            path = self.kolada_dir / VALUES_FILE
        else:
            key = ("series_id", "region_code", "year", "sex")
            path = self.scb_dir / VALUES_FILE
        columns = pq.read_table(path, columns=[*key, "is_synthetic", "provenance"]).to_pydict()
        return _index(columns, key)


def _read_values(path: Path, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    table = pq.read_table(path)
    if tuple(table.column_names) != columns:
        raise ValueError(f"{path}: columns {table.column_names}, expected {list(columns)}")
    return table.to_pylist()


def _digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _index(columns: dict[str, list], key: tuple[str, ...]) -> dict[tuple, tuple[bool, str]]:
    keys = zip(*(columns[k] for k in key), strict=True)
    flags = zip(columns["is_synthetic"], columns["provenance"], strict=True)
    return dict(zip(keys, flags, strict=True))


BUNDLED = Snapshot(SNAPSHOT_DIR)


@lru_cache(maxsize=4)
def _generated(root: Path) -> Snapshot:
    return Snapshot(root)


def at(root: Path | None) -> Snapshot:
    """The snapshot in ``root`` (the bundled one when None), loaded once per process."""
    if root is None or Path(root).resolve() == SNAPSHOT_DIR:
        return BUNDLED
    return _generated(Path(root).resolve())


def with_provenance(
    rows: list[dict],
    replay_version: str | None,
    url: str,
    source: str,
    key: list[str],
    snapshot: Snapshot = BUNDLED,
) -> list[dict]:
    """Rows with ``is_synthetic`` and ``provenance``.

    The replay server names the snapshot it serves in a response header (``REPLAY_HEADER``).
    Only then can a value be synthetic, and its flag comes from that snapshot itself (the
    bundled one unless the load was handed another), looked up by ``key``; a key the snapshot
    does not hold (a fault-injected value) is marked as not from it. From the live API (no
    header) nothing is synthetic and there is no provenance beyond the source.
    """
    from ingest.errors import ResponseFormatError

    if replay_version is None:
        return [{**r, "is_synthetic": False, "provenance": None} for r in rows]
    expected = snapshot.version(source)
    if replay_version != expected:
        raise ResponseFormatError(
            url,
            f"replay server serves {source} snapshot {replay_version}, this load expects "
            f"{expected} ({snapshot.root}): cannot label synthetic values",
        )
    if not rows:
        return []  # (the index below takes a while to build: nothing to label, no index)
    lookup = snapshot.provenance(source)
    out = []
    for r in rows:
        is_syn, prov = lookup.get(tuple(r[c] for c in key), (False, NOT_IN_SNAPSHOT))
        out.append({**r, "is_synthetic": is_syn, "provenance": prov})
    return out
