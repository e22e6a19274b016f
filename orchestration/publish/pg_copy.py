"""Rows into PostgreSQL: one type map and one COPY path, for the publication (postgres.py) and
the raw loads of the PostgreSQL warehouse (pg_warehouse.py). No Dagster imports.

Both go through DuckDB: a published table is a DuckDB table, a landed load an Arrow table DuckDB
reads in place. DuckDB names each column's type (an Arrow type by the DuckDB type it reads as),
:data:`PG_TYPES` maps that name, and DuckDB writes the rows as CSV (NULL empty, an empty string
quoted, so it stays '') that PostgreSQL COPYs in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import duckdb
import psycopg2.extensions
import pyarrow as pa
from psycopg2 import sql

# DuckDB type (information_schema.columns.data_type) → PostgreSQL type.
PG_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "JSON": "jsonb",
}
_DECIMAL = re.compile(r"^DECIMAL\((\d+),(\d+)\)$")


def pg_type(duckdb_type: str, table: str, column: str) -> str:
    """The PostgreSQL type for a DuckDB column type; an unknown type is an error naming it."""
    t = duckdb_type.upper()
    if t in PG_TYPES:
        return PG_TYPES[t]
    if m := _DECIMAL.match(t):
        return f"numeric({m.group(1)},{m.group(2)})"
    raise TypeError(
        f"{table}.{column} has DuckDB type {duckdb_type}, which the PostgreSQL target does not "
        f"map; expected one of {sorted(PG_TYPES)} or DECIMAL(p,s)"
    )


def arrow_pg_types(schema: pa.Schema, table: str) -> dict[str, str]:
    """Each column's PostgreSQL type, through the DuckDB type DuckDB reads the Arrow type as."""
    con = duckdb.connect()
    try:
        relation = con.from_arrow(schema.empty_table())
        named = zip(relation.columns, relation.types, strict=True)
        return {c: pg_type(str(t), table, c) for c, t in named}
    finally:
        con.close()


def copy_rows(
    cur: psycopg2.extensions.cursor,
    target: sql.Identifier,
    con: duckdb.DuckDBPyConnection,
    source: str,
    columns: Sequence[str],
    workdir: Path,
) -> int:
    """COPY ``columns`` of the DuckDB relation ``source`` (a table, or an Arrow table registered
    on ``con``) into ``target`` through a CSV file DuckDB writes in ``workdir``; the rows
    copied."""
    path = workdir / "copy.csv"
    select = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    con.execute(f"copy (select {select} from {source}) to '{path}' (header false)")
    copy = sql.SQL("copy {} ({}) from stdin with (format csv)").format(
        target, sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    try:
        with open(path, "rb") as f:
            cur.copy_expert(copy.as_string(cur), f)
    finally:
        path.unlink()
    return cur.rowcount


def copy_arrow(
    cur: psycopg2.extensions.cursor, target: sql.Identifier, frame: pa.Table, workdir: Path
) -> int:
    """COPY every column of an Arrow table into ``target`` (:func:`copy_rows`)."""
    con = duckdb.connect()
    try:
        con.register("frame", frame)
        return copy_rows(cur, target, con, "frame", frame.schema.names, workdir)
    finally:
        con.close()
