"""Publishing: copy the marts and gap tables into a new DuckDB file, then swap it in atomically.

No Dagster imports: the asset in assets/publish.py only calls :func:`publish_duckdb`.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb

PUBLISHED_TABLES: tuple[tuple[str, str], ...] = (
    ("marts", "dim_geography"),
    ("marts", "dim_goal"),
    ("marts", "dim_rus_area"),
    ("marts", "dim_focus_effort"),
    ("marts", "dim_indicator"),
    ("marts", "fct_indicator_value"),
    ("marts", "mart_area_indicators"),
    ("gaps", "gap_indicator_annual"),
)


def publish_duckdb(
    warehouse: Path, published: Path, tables: tuple[tuple[str, str], ...] = PUBLISHED_TABLES
) -> dict[str, int]:
    """Copy ``tables`` from ``warehouse`` to a fresh file beside ``published``; rename it over.

    Readers that opened the old file keep reading it; new readers see the new one; nobody ever
    sees a half-written file. On any error the temporary file is removed and ``published`` is
    untouched. Returns the row count per published table.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(f".{published.name}.{uuid.uuid4().hex[:8]}.tmp")
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("attach ? as wh (read_only)", [str(warehouse)])
            for schema, table in tables:
                con.execute(f'create table main."{table}" as select * from wh."{schema}"."{table}"')
                counts[table] = con.execute(f'select count(*) from main."{table}"').fetchone()[0]
            con.execute("detach wh")
            con.execute("checkpoint")
        finally:
            con.close()
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, published)
    except BaseException:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        raise
    return counts


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
