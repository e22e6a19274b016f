"""The bundled snapshot the replay server serves (see README.md here for provenance)."""

from __future__ import annotations

import csv
import hashlib
from functools import lru_cache
from pathlib import Path

SNAPSHOT_DIR = Path(__file__).resolve().parent
KOLADA_DIR = SNAPSHOT_DIR / "kolada"
SCB_DIR = SNAPSHOT_DIR / "scb"
REPLAY_HEADER = "X-Rus-Replay-Snapshot"


@lru_cache(maxsize=1)
def kolada_version() -> str:
    """Content hash of the Kolada snapshot; sent by the replay server with every response."""
    return hashlib.sha256((KOLADA_DIR / "values.csv").read_bytes()).hexdigest()[:16]


def read_csv(name: str) -> list[dict[str, str]]:
    with (KOLADA_DIR / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def kolada_provenance() -> dict[tuple[str, str, int, str], tuple[bool, str]]:
    """(kpi, municipality, year, gender) → (is_synthetic, provenance)."""
    return {
        (r["kpi"], r["municipality"], int(r["period"]), r["gender"]): (
            r["is_synthetic"] == "true",
            r["provenance"],
        )
        for r in read_csv("values.csv")
    }


@lru_cache(maxsize=1)
def scb_version() -> str:
    """Content hash of the SCB snapshot (values and table metadata); the replay server sends it in
    the same header as the Kolada one, on every answer under its SCB paths."""
    digest = hashlib.sha256((SCB_DIR / "values.csv").read_bytes())
    digest.update((SCB_DIR / "tables.json").read_bytes())
    return digest.hexdigest()[:16]


def read_scb_csv(name: str) -> list[dict[str, str]]:
    with (SCB_DIR / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def scb_provenance() -> dict[tuple[str, str, int, str], tuple[bool, str]]:
    """(series_id, region_code, year, sex) → (is_synthetic, provenance)."""
    return {
        (r["series_id"], r["region_code"], int(r["year"]), r["sex"]): (
            r["is_synthetic"] == "true",
            r["provenance"],
        )
        for r in read_scb_csv("values.csv")
    }


NOT_IN_SNAPSHOT = "served by the replay server, not in the bundled snapshot"
_VERSIONS = {"kolada": kolada_version, "scb": scb_version}
_PROVENANCE = {"kolada": kolada_provenance, "scb": scb_provenance}


def with_provenance(
    rows: list[dict], replay_version: str | None, url: str, source: str, key: list[str]
) -> list[dict]:
    """Rows with ``is_synthetic`` and ``provenance``.

    The replay server names the snapshot it serves in a response header (``REPLAY_HEADER``).
    Only then can a value be synthetic, and its flag comes from the bundled snapshot itself,
    looked up by ``key``; a key the snapshot does not hold (a fault-injected value) is marked as
    not from it. From the live API (no header) nothing is synthetic and there is no provenance
    beyond the source.
    """
    from ingest.errors import ResponseFormatError

    if replay_version is None:
        return [{**r, "is_synthetic": False, "provenance": None} for r in rows]
    bundled = _VERSIONS[source]()
    if replay_version != bundled:
        raise ResponseFormatError(
            url,
            f"replay server serves {source} snapshot {replay_version}, this package bundles "
            f"{bundled}: cannot label synthetic values",
        )
    lookup = _PROVENANCE[source]()
    out = []
    for r in rows:
        is_syn, prov = lookup.get(tuple(r[c] for c in key), (False, NOT_IN_SNAPSHOT))
        out.append({**r, "is_synthetic": is_syn, "provenance": prov})
    return out
