"""The dbt project on a PostgreSQL warehouse: the raw loads copied in, then ``dbt build``.

The DuckDB target reads each landed file where ingest/ put it (the sources' ``external_location``).
A warehouse engine cannot read ``data/raw/``, so :func:`sync_raw` copies the raw loads into its
schema ``raw``, where the sources' ``schema``/``identifier`` point on every other target:

- ``raw.<source>_values`` (and ``raw.kolada_kpis``): append-only, one copy per load. Loads are
  immutable, so a load copied once (``raw._copied_loads``) is never copied again.
- ``raw.<source>_loads``: one row per complete load, its manifest joined with the outcome of its
  blocking check, rewritten whole on every sync (a check may record its outcome after landing).

Everything happens in one transaction: a failed sync leaves ``raw`` as it was. No Dagster imports.

    python -m orchestration.publish.pg_warehouse   # copy the raw loads, then dbt build on pg
    python -m orchestration.publish.pg_warehouse --sync-only
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from psycopg2 import sql

from ingest.landing import KOLADA_KPIS_SCHEMA, KOLADA_VALUES_SCHEMA, SCB_VALUES_SCHEMA, RawLanding
from orchestration.publish.pg_copy import arrow_pg_types, copy_arrow
from orchestration.publish.postgres import connect
from orchestration.runtime.pg_settings import PgServer

RAW_SCHEMA = "raw"
DBT_TARGET = "pg"
# What each source lands per load (ingest.landing, written once there).
SOURCE_TABLES: dict[str, dict[str, pa.Schema]] = {
    "kolada": {"values": KOLADA_VALUES_SCHEMA, "kpis": KOLADA_KPIS_SCHEMA},
    "scb": {"values": SCB_VALUES_SCHEMA},
}
# The manifest and validation fields dbt's stage_raw_loads macro reads, with their types. The
# times stay ISO text as landed (UTC, "Z"); staging casts them, as it does on DuckDB.
LOAD_COLUMNS: dict[str, str] = {
    "load_id": "text",
    "base_url": "text",
    "served_by_replay": "boolean",
    "validation_success": "boolean",
    "validation_suite": "text",
    "payload_sha256": "text",
    "row_count": "bigint",
    "started_at": "text",
    "finished_at": "text",
    "validated_at": "text",
}


@dataclass(frozen=True)
class SyncResult:
    copied_loads: dict[str, int]  # source → loads copied by this sync
    copied_rows: dict[str, int]  # "<source>_<table>" → rows copied by this sync
    loads: dict[str, int]  # source → complete loads now in raw.<source>_loads


def load_row(landing: RawLanding, load_id: str) -> dict[str, Any]:
    """One load's row of ``raw.<source>_loads``: its manifest and its validation outcome."""
    folder = landing.dir / load_id
    try:
        manifest = landing.manifest(load_id)
        path = folder / "validation.json"
        validation = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{folder}/manifest.json or validation.json is not JSON ({exc}); expected a load "
            "manifest written by ingest/ and its check's outcome"
        ) from exc
    row = {c: manifest.get(c) for c in LOAD_COLUMNS}
    row.update(
        validation_success=validation.get("success"),
        validation_suite=validation.get("suite"),
        validated_at=validation.get("recorded_at"),
    )
    return {c: _text(v) for c, v in row.items()}


def _text(value: Any) -> str | None:
    """A manifest field as PostgreSQL reads it from CSV (booleans as true/false)."""
    if value is None:
        return None
    return str(value).lower() if isinstance(value, bool) else str(value)


def _copy(cur, table: str, frame: pa.Table, workdir: Path) -> int:
    return copy_arrow(cur, sql.Identifier(RAW_SCHEMA, table), frame, workdir)


def _ensure_table(cur, table: str, columns: dict[str, str]) -> None:
    """Create the raw table, or add the columns a newer landing schema has (loads of an older
    schema read those as null, as DuckDB's union_by_name does)."""
    name = sql.Identifier(RAW_SCHEMA, table)
    cur.execute(sql.SQL("create table if not exists {} ()").format(name))
    for column, type_ in columns.items():
        cur.execute(
            sql.SQL("alter table {} add column if not exists {} {}").format(
                name, sql.Identifier(column), sql.SQL(type_)
            )
        )


def _conformed(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """A landed table in ``schema``'s columns; a column an older load lacks is null."""
    columns = [
        table.column(f.name).cast(f.type)
        if f.name in table.column_names
        else pa.nulls(len(table), f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def _sync_source(
    cur, landing: RawLanding, copied: set[str], result: SyncResult, workdir: Path
) -> None:
    source = landing.source
    tables = SOURCE_TABLES[source]
    for name, schema in tables.items():
        _ensure_table(cur, f"{source}_{name}", arrow_pg_types(schema, f"{source}_{name}"))
    loads = landing.loads()
    for load_id in (lid for lid in loads if lid not in copied):
        for name, schema in tables.items():
            path = landing.dir / load_id / f"{name}.parquet"
            if path.exists():
                key = f"{source}_{name}"
                rows = _copy(cur, key, _conformed(landing.read(load_id, name), schema), workdir)
                result.copied_rows[key] = result.copied_rows.get(key, 0) + rows
        cur.execute(
            sql.SQL("insert into {} (source, load_id) values (%s, %s)").format(
                sql.Identifier(RAW_SCHEMA, "_copied_loads")
            ),
            [source, load_id],
        )
        result.copied_loads[source] = result.copied_loads.get(source, 0) + 1
    loads_table = f"{source}_loads"
    _ensure_table(cur, loads_table, LOAD_COLUMNS)
    cur.execute(sql.SQL("truncate {}").format(sql.Identifier(RAW_SCHEMA, loads_table)))
    rows = [load_row(landing, lid) for lid in loads]
    frame = pa.Table.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in LOAD_COLUMNS]))
    _copy(cur, loads_table, frame, workdir)
    result.loads[source] = len(rows)


def sync_raw(raw_dir: Path, server: PgServer) -> SyncResult:
    """Copy every complete load under ``raw_dir`` not yet in ``raw`` (one transaction)."""
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"{raw_dir} does not exist; expected the raw loads (make run)")
    result = SyncResult({}, {}, {})
    conn = connect(server)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="rus-pg-raw-") as workdir,
            conn,
            conn.cursor() as cur,
        ):
            cur.execute("set local lock_timeout = '60s'")
            cur.execute(
                sql.SQL("create schema if not exists {}").format(sql.Identifier(RAW_SCHEMA))
            )
            cur.execute(
                sql.SQL(
                    "create table if not exists {} (source text not null, load_id text not null, "
                    "copied_at timestamptz not null default now(), primary key (source, load_id))"
                ).format(sql.Identifier(RAW_SCHEMA, "_copied_loads"))
            )
            for source in SOURCE_TABLES:
                cur.execute(
                    sql.SQL("select load_id from {} where source = %s").format(
                        sql.Identifier(RAW_SCHEMA, "_copied_loads")
                    ),
                    [source],
                )
                copied = {r[0] for r in cur.fetchall()}
                _sync_source(cur, RawLanding(raw_dir, source), copied, result, Path(workdir))
    finally:
        conn.close()
    return result


def dbt_build(project_dir: Path, target_path: Path, env: dict[str, str]) -> int:
    """``dbt build`` of the project on the PostgreSQL target; its exit code. Its artifacts go to
    ``target_path``, never over the DuckDB target's manifest the Dagster assets are built from."""
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "build",
        "--target",
        DBT_TARGET,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(target_path),
    ]
    return subprocess.run(command, env=env, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    from orchestration.runtime.layout import REPO_ROOT
    from orchestration.runtime.settings import dbt_env, pg_warehouse, settings

    parser = argparse.ArgumentParser(
        prog="python -m orchestration.publish.pg_warehouse", description=__doc__
    )
    parser.add_argument("--sync-only", action="store_true", help="copy the raw loads, no dbt build")
    args = parser.parse_args(argv)
    s = settings(publish_target=False)
    server = pg_warehouse()
    if server is None:
        print(
            "rus-pipeline: RUS_PG_HOST is not set; expected the PostgreSQL warehouse's host",
            file=sys.stderr,
        )
        return 2
    try:
        result = sync_raw(s.raw_dir, server)
    except (ConnectionError, FileNotFoundError) as exc:
        print(f"rus-pipeline: {exc}", file=sys.stderr)
        return 2
    print(
        f"raw loads in {server.database}.{RAW_SCHEMA}: {result.loads}; "
        f"copied now: {result.copied_rows}"
    )
    if args.sync_only:
        return 0
    # dbt's whole environment, handed to it: this process's (RUS_PG_* for profiles.yml),
    # the variables the project reads and the target.
    env = {**dbt_env(s), "RUS_DBT_TARGET": DBT_TARGET}
    return dbt_build(REPO_ROOT / "dbt_project", s.data_dir / "dbt_pg", env)


if __name__ == "__main__":
    raise SystemExit(main())
