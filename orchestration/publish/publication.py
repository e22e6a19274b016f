"""Publishing: the BI-facing copy, written beside the old one and swapped in atomically.

No Dagster imports: the asset in assets/publish.py only calls :func:`publish`.

One publication is: ``data/published/rus.duckdb`` (every table, each row carrying the
``publication_id``, plus a ``publications`` table describing it) and
``data/published/parquet/<table>.parquet``, where ``parquet`` is a symlink to
``parquet-<publication_id>/``. Both are written in full first; then the DuckDB file is renamed over
the old one and the symlink is replaced, each a single atomic rename. A reader holding the old file
open keeps reading the old publication; nobody sees a half-written one. On any error the new files
are removed and the published ones are untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.gap_method.schema import GAP_TABLE_NAMES
from orchestration.publish.schema import (
    PUBLICATIONS_COLUMNS,
    PUBLICATIONS_DESCRIPTION,
    comment_table,
    copy_comments,
)

# The dbt marts BI tools read (their yml is the contract), in the order they are published.
MART_TABLES = (
    "dim_strategy",
    "dim_geography",
    "dim_goal",
    "dim_rus_area",
    "dim_focus_effort",
    "dim_region_peer",
    "dim_indicator",
    "fct_indicator_value",
    "mart_area_indicators",
    "mart_revisions",
)
PUBLISHED_TABLES: tuple[tuple[str, str], ...] = (
    *(("marts", table) for table in MART_TABLES),
    *(("gaps", table) for table in GAP_TABLE_NAMES),
)
KEEP_PARQUET_PUBLICATIONS = 2  # the current one and the one before (readers may still be on it)
# The storage format of the published DuckDB file. DuckDB 2.x writes v2 files by default, which the
# DuckDB 1.x that BI tools ship (duckdb-engine for Superset pins duckdb<2; Evidence, Metabase and
# Grafana build on 1.4) refuses. v1.0.0 (storage version 64) is read by every DuckDB since 0.10.
PUBLISHED_STORAGE_VERSION = "v1.0.0"


@dataclass(frozen=True)
class Publication:
    publication_id: str
    published_at: str
    duckdb_path: Path
    parquet_dir: Path
    row_counts: dict[str, int]


def new_publication_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:6]}"


def publish(
    warehouse: Path,
    published_dir: Path,
    tables: tuple[tuple[str, str], ...] = PUBLISHED_TABLES,
    lineage: dict[str, object] | None = None,
    inputs_fingerprint: str | None = None,
) -> Publication:
    """Copy ``tables`` from ``warehouse`` into a new publication and swap it in.

    ``inputs_fingerprint`` (orchestration/runtime/change_gate.py) records what the publication was
    built from, so that a later night with the same inputs can leave it as it is."""
    published_dir.mkdir(parents=True, exist_ok=True)
    publication_id = new_publication_id()
    published_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    tmp_db = published_dir / f".rus.duckdb.{publication_id}.tmp"
    parquet_dir = published_dir / f"parquet-{publication_id}"
    counts: dict[str, int] = {}
    try:
        parquet_dir.mkdir()
        con = _connect_published(tmp_db)
        try:
            con.execute("attach ? as wh (read_only)", [str(warehouse)])
            for schema, table in tables:
                # Names come from the fixed PUBLISHED_TABLES list, never from input.
                con.execute(
                    f'create table pub.main."{table}" as '
                    f'select *, ?::varchar as publication_id from wh."{schema}"."{table}"',
                    [publication_id],
                )
                copy_comments(con, ("wh", schema, table), ("pub", "main", table))
                (counts[table],) = con.execute(
                    f'select count(*) from pub.main."{table}"'
                ).fetchone()
                con.execute(
                    f"copy pub.main.\"{table}\" to '{parquet_dir / (table + '.parquet')}' "
                    "(format parquet)"
                )
            con.execute(
                "create table pub.main.publications as select ?::varchar as publication_id, "
                "?::timestamp as published_at, ?::json as row_counts, ?::json as lineage, "
                "?::json as inputs_fingerprint",
                [
                    publication_id,
                    published_at.rstrip("Z"),
                    json.dumps(counts),
                    json.dumps(lineage or {}),
                    inputs_fingerprint,
                ],
            )
            comment_table(
                con, "pub.main.publications", PUBLICATIONS_DESCRIPTION, PUBLICATIONS_COLUMNS
            )
            # Every published table has its Parquet file, the publication's own row included.
            con.execute(
                f"copy pub.main.publications to '{parquet_dir / 'publications.parquet'}' "
                "(format parquet)"
            )
            con.execute("detach wh")
            con.execute("checkpoint pub")
        finally:
            con.close()
        with open(tmp_db, "rb") as f:
            os.fsync(f.fileno())
        final_db = published_dir / "rus.duckdb"
        os.replace(tmp_db, final_db)
        _swap_symlink(published_dir / "parquet", parquet_dir.name)
    except BaseException:
        tmp_db.unlink(missing_ok=True)
        Path(f"{tmp_db}.wal").unlink(missing_ok=True)
        if (published_dir / "parquet").resolve() != parquet_dir.resolve():
            shutil.rmtree(parquet_dir, ignore_errors=True)
        raise
    _prune_parquet(published_dir)
    return Publication(publication_id, published_at, final_db, published_dir / "parquet", counts)


def _connect_published(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is a new file at ``path`` written in
    :data:`PUBLISHED_STORAGE_VERSION`."""
    con = duckdb.connect()
    try:
        con.execute(f"attach ? as pub (storage_version '{PUBLISHED_STORAGE_VERSION}')", [str(path)])
        con.execute("use pub")
    except BaseException:
        con.close()
        raise
    return con


def _swap_symlink(link: Path, target_name: str) -> None:
    if link.exists() and not link.is_symlink():
        raise FileExistsError(f"{link} exists and is not the publication symlink; move it away")
    tmp = link.with_name(f".{link.name}.{uuid.uuid4().hex[:6]}.tmp")
    tmp.symlink_to(target_name)
    os.replace(tmp, link)


def _prune_parquet(published_dir: Path) -> None:
    current = (published_dir / "parquet").resolve().name
    older = sorted(p for p in published_dir.glob("parquet-*") if p.name != current)
    for stale in older[: max(0, len(older) - (KEEP_PARQUET_PUBLICATIONS - 1))]:
        shutil.rmtree(stale, ignore_errors=True)


def published_counts(published: Path) -> dict[str, int]:
    """Row count per table of a published file (read-only)."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'main' order by 1"
            ).fetchall()
        ]
        return {n: con.execute(f'select count(*) from main."{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def revision_counts(published: Path, load_ids: list[str]) -> dict[str, int]:
    """How many revisions the publication holds in all, and how many ``load_ids`` brought."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        total, new = con.execute(
            "select count(*), count(*) filter (where list_contains(?, revised_in_load_id)) "
            "from main.mart_revisions",
            [load_ids],
        ).fetchone()
    finally:
        con.close()
    return {"revisions_total": int(total), "revised_values": int(new)}
