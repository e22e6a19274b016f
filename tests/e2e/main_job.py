"""Helpers of the main job's end-to-end tests (test_main_job*.py): file digests, the newest run
log, the kraftsamlingar the report must show, and small queries of a DuckDB file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

FOCUS_EFFORTS = [
    "Ökad inkludering",
    "Stärka barn och ungas förutsättningar att möta sin framtid",
    "Omställning till ett långsiktigt hållbart näringsliv och en cirkulär ekonomi",
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def newest_log(data_dir: Path) -> Path:
    """The log of the newest run: everything `make run` does not print itself."""
    return max((data_dir / "logs").glob("run_*.log"), key=lambda p: p.stat().st_mtime)


def query_dict(con: duckdb.DuckDBPyConnection, sql: str) -> dict:
    """The rows of a two-column query as a dict (first column → second)."""
    return dict(con.execute(sql).fetchall())


def row_counts(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}


def warehouse_facts(data_dir: Path) -> list[tuple]:
    """Every row of the working warehouse's marts.fct_indicator_value, in a stable order."""
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return sorted(con.execute("select * from marts.fct_indicator_value").fetchall(), key=repr)
    finally:
        con.close()
