"""What the end-to-end tests share: the main job run as `make run` runs it, and the PostgreSQL
target it publishes to."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import REPO_ROOT
from tests.postgres import SUPERUSER, SUPERUSER_PASSWORD

FIRST_RUN_DATABASE = "rus_first_run"
# A loopback address nothing listens on, carrying a token: never posted (the run succeeds).
WEBHOOK_SECRET = "http://127.0.0.1:9/hooks/rus-webhook-token-7f3a9c"


def run_main_job(
    data_dir: Path,
    faults: list[dict] | None = None,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MAIN_JOB, *args],
        cwd=REPO_ROOT,
        env=main_job_env(data_dir, faults, env),
        capture_output=True,
        text=True,
        timeout=600,
    )


MAIN_JOB = [sys.executable, "-m", "orchestration.cli", "run"]


def make_report(data_dir: Path, year: int) -> subprocess.CompletedProcess[str]:
    """`make report YEAR=…` against ``data_dir``."""
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "report", "--year", str(year)],
        cwd=REPO_ROOT,
        env={**os.environ, "RUS_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def main_job_env(
    data_dir: Path, faults: list[dict] | None = None, env: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment `make run` gets: dev, this data directory, the faults as a file."""
    env = {**os.environ, "RUS_ENV": "dev", "RUS_DATA_DIR": str(data_dir), **(env or {})}
    env.pop("KOLADA_BASE_URL", None)
    if faults is not None:
        path = data_dir.parent / f"{data_dir.name}-faults.json"
        path.write_text(json.dumps(faults), encoding="utf-8")
        env["RUS_REPLAY_FAULTS"] = str(path)
    return env


BI_PASSWORD = "bi-password-from-the-environment"


def pg_target_kwargs(server, database: str) -> dict[str, object]:
    return {
        "host": server.host,
        "port": server.port,
        "database": database,
        "user": SUPERUSER,
        "password": SUPERUSER_PASSWORD,
        "bi_password": BI_PASSWORD,
    }


def pg_env(server, database: str) -> dict[str, str]:
    """The RUS_PG_* environment for the same target as :func:`pg_target_kwargs`."""
    kw = pg_target_kwargs(server, database)
    return {
        "RUS_PG_HOST": kw["host"],
        "RUS_PG_PORT": str(kw["port"]),
        "RUS_PG_DATABASE": database,
        "RUS_PG_USER": kw["user"],
        "RUS_PG_PASSWORD": kw["password"],
        "RUS_PG_BI_PASSWORD": kw["bi_password"],
    }


def table_rows(db: Path, tables: set[str] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, minus the lineage that differs per run (load and
    publication ids and times, the publications table itself)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = tables or {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main'"
            ).fetchall()
        } - {"publications"}
        out = {}
        for name in sorted(names):
            cols = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_name = ? "
                    "and column_name not in ('load_id', 'first_seen_at', 'last_revised_at', "
                    "'publication_id') "
                    "order by ordinal_position",
                    [name],
                ).fetchall()
            ]
            select = ", ".join(f'"{c}"' for c in cols)
            rows = con.execute(f'select {select} from main."{name}"').fetchall()
            out[name] = sorted(
                (tuple(None if v != v else v for v in row) for row in rows), key=repr
            )
        return out
    finally:
        con.close()
