"""The main job end to end: a bad load (a value out of range, a field missing from the answer)
is blocked, and nothing published changes, in DuckDB or PostgreSQL.

Each test copies the data directory of the one clean first run (``first_run``, shared by the
xdist group of the same name).
"""

from __future__ import annotations

import json

import duckdb
import pytest

from orchestration.publish.postgres import PgTarget, publish_to_postgres
from tests.e2e.main_job import newest_log, sha256, warehouse_facts
from tests.e2e.pipeline import pg_env, pg_target_kwargs, run_main_job

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("first_run")]


def pg_snapshot(server, database: str) -> dict[str, str]:
    """An md5 of every row of every table in schema rus (what BI tools read)."""
    tables = server.admin(
        "select table_name from information_schema.tables where table_schema = 'rus' order by 1",
        database,
    ).split()
    return {
        t: server.admin(
            f"select count(*) || ':' || md5(string_agg(x::text, '|' order by x::text)) "
            f"from rus.{t} x",
            database,
        ).strip()
        for t in tables
    }


REVISED = {"kind": "revise", "kpi": "N15428", "year": 2020, "gender": "T"}


BAD_LOADS = {
    # The source revises Örebro län's share of pupils eligible for vocational programmes in 2020
    # to 180 %. Loads are incremental (from_date), so a bad figure arrives as a revision.
    "out_of_range": (
        [{**REVISED, "municipality": "0018", "value": 180}],
        ["expect_column_values_to_be_between", "180"],
    ),
    # Duplicated keys and unknown kommun codes are blocked the same way; the reliability suite
    # tries them at the load level (tests/reliability/test_bad_values.py).
    # A field the loader needs is missing from the answer: nothing lands, the answer is kept.
    "missing_column": (
        [
            {**REVISED, "municipality": "0018", "value": 61.5},
            {"kind": "rename_field", "from": "municipality", "to": "municipality_code"},
        ],
        ["no field 'municipality'", "_rejected"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_LOADS))
def test_a_bad_load_is_blocked_and_nothing_published_changes(
    first_run, copy_of_first_run, postgres_server, pg_database, case
):
    faults, named = BAD_LOADS[case]
    data_dir = copy_of_first_run
    published = data_dir / "published" / "rus.duckdb"
    # PostgreSQL holds the current publication (as the previous run left it).
    publish_to_postgres(published, PgTarget(**pg_target_kwargs(postgres_server, pg_database)))
    pg_before = pg_snapshot(postgres_server, pg_database)
    assert pg_before["fct_indicator_value"].split(":")[0] != "0"
    published_sha = sha256(published)
    facts_before = warehouse_facts(data_dir)
    loads_before = sorted(p.name for p in (data_dir / "raw" / "kolada").iterdir())

    proc = run_main_job(data_dir, faults=faults, env=pg_env(postgres_server, pg_database))

    assert proc.returncode != 0
    assert "raw_kolada_values" in proc.stderr
    for text in named:
        assert text in proc.stderr, (text, proc.stderr[-3000:])
    assert "published marts were left untouched" in proc.stderr
    assert f"Full log: {newest_log(data_dir)}" in proc.stderr
    assert sha256(published) == published_sha
    assert pg_snapshot(postgres_server, pg_database) == pg_before
    assert warehouse_facts(data_dir) == facts_before
    loads = sorted(p.name for p in (data_dir / "raw" / "kolada").iterdir())
    if case == "missing_column":
        # Nothing landed; the answer that could not be read is kept with the reason.
        assert loads == loads_before
        (rejected,) = (data_dir / "raw" / "_rejected" / "kolada").iterdir()
        reason = json.loads((rejected / "error.json").read_text(encoding="utf-8"))
        assert "no field 'municipality'" in reason["problem"]
        assert (rejected / "response.body").stat().st_size > 0
        return
    # The bad load stays on disk for inspection, marked as failed, and the verdict is in the
    # audit table naming the failed expectation.
    (new_load,) = set(loads) - set(loads_before)
    verdict = json.loads(
        (data_dir / "raw" / "kolada" / new_load / "validation.json").read_text(encoding="utf-8")
    )
    assert verdict["success"] is False
    assert named[0] in verdict["failed"]
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    audit = con.execute(
        "select expectation, unexpected_examples from audit.validation_results "
        "where suite = 'raw_kolada_values' and not success"
    ).fetchall()
    con.close()
    assert [a[0] for a in audit] == [named[0]]
    if case == "out_of_range":
        assert audit[0][1] == "[180.0]"
