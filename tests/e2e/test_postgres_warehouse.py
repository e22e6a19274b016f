"""The dbt project on PostgreSQL: the raw loads of a real run copied in, every model built and
every test passed on the `pg` target, and the marts equal to the DuckDB warehouse's."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import duckdb
import pytest

from orchestration.publish.pg_warehouse import RAW_SCHEMA, sync_raw
from orchestration.publish.postgres import connect
from orchestration.runtime.pg_settings import PgServer
from tests.conftest import REPO_ROOT
from tests.postgres import SUPERUSER, SUPERUSER_PASSWORD

pytestmark = pytest.mark.e2e

DATABASE = "rus_warehouse_e2e"
REQUIRED_MARTS = {"fct_indicator_value", "mart_area_indicators", "mart_revisions", "dim_indicator"}


def _normalised(rows: list[tuple]) -> list[tuple]:
    return sorted(
        tuple(round(v, 9) if isinstance(v, float) and not math.isnan(v) else v for v in row)
        for row in rows
    )


@pytest.fixture(scope="module")
def pg_build(first_run, postgres_server):
    data_dir = first_run[0]
    postgres_server.admin(f"create database {DATABASE}")
    env = {
        **os.environ,
        "RUS_ENV": "dev",
        "RUS_DATA_DIR": str(data_dir),
        "RUS_PG_HOST": postgres_server.host,
        "RUS_PG_PORT": str(postgres_server.port),
        "RUS_PG_USER": SUPERUSER,
        "RUS_PG_PASSWORD": SUPERUSER_PASSWORD,
        "RUS_PG_WAREHOUSE_DATABASE": DATABASE,
    }
    for name in ("RUS_PG_DATABASE", "RUS_PG_BI_PASSWORD", "RUS_DBT_TARGET"):
        env.pop(name, None)
    proc = subprocess.run(
        [sys.executable, "-m", "orchestration.publish.pg_warehouse"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    server = PgServer(
        postgres_server.host, postgres_server.port, DATABASE, SUPERUSER, SUPERUSER_PASSWORD
    )
    return data_dir, proc, server


def test_every_model_builds_and_every_test_passes_on_postgresql(pg_build):
    data_dir, proc, _ = pg_build
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "ERROR=0" in proc.stdout and " PASS=" in proc.stdout
    # Its artifacts stay apart from the DuckDB manifest the Dagster assets are built from.
    assert (data_dir / "dbt_pg" / "manifest.json").is_file()


def test_the_marts_on_postgresql_equal_the_duckdb_warehouse(pg_build):
    data_dir, proc, server = pg_build
    assert proc.returncode == 0
    duck = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    conn = connect(server)
    try:
        marts = [
            r[0]
            for r in duck.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        ]
        assert set(marts) >= REQUIRED_MARTS
        with conn.cursor() as cur:
            for mart in marts:
                columns = [
                    r[0]
                    for r in duck.execute(
                        "select column_name from information_schema.columns "
                        "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                        [mart],
                    ).fetchall()
                ]
                query = f"select {', '.join(columns)} from marts.{mart}"
                cur.execute(query)
                on_pg = _normalised(cur.fetchall())
                assert on_pg == _normalised(duck.execute(query).fetchall()), mart
                assert on_pg or mart == "mart_revisions", mart  # a first run revises nothing
    finally:
        conn.close()
        duck.close()


def test_a_second_sync_copies_nothing_and_a_failed_one_changes_nothing(pg_build, tmp_path):
    data_dir, _, server = pg_build
    again = sync_raw(data_dir / "raw", server)
    assert again.copied_rows == {} and again.copied_loads == {}
    assert again.loads["kolada"] >= 1 and again.loads["scb"] >= 1

    broken = tmp_path / "raw"
    (broken / "kolada" / "20990101T000000000000Z-bad").mkdir(parents=True)
    (broken / "kolada" / "20990101T000000000000Z-bad" / "manifest.json").write_text("{not json")
    with pytest.raises(ValueError, match=r"manifest\.json.*expected a load manifest"):
        sync_raw(broken, server)
    conn = connect(server)
    try:
        with conn.cursor() as cur:
            cur.execute(f"select count(*) from {RAW_SCHEMA}.kolada_loads")
            assert cur.fetchone()[0] == again.loads["kolada"]
    finally:
        conn.close()
