"""The main job end to end, through the same entry point as `make run`, into a temporary data dir:
what one clean first run publishes (DuckDB, PostgreSQL, the strategy model, the gap tables).

Each test reads or copies the data directory of that one first run (the fixture ``first_run``,
shared by the xdist group of the same name), so they do not depend on each other. A blocked bad
load: test_main_job_bad_loads.py; later runs: test_main_job_reruns.py; the report:
test_main_job_report.py; helpers: main_job.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO_ROOT
from tests.e2e import pipeline
from tests.e2e.main_job import FOCUS_EFFORTS, newest_log, query_dict, row_counts
from tests.e2e.pipeline import BI_PASSWORD, FIRST_RUN_DATABASE

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("first_run")]

# test_other_lan.py imports the runner from here, where it was before the split.
run_main_job = pipeline.run_main_job


REQUIRED_TABLES = {
    "dim_geography",
    "dim_indicator",
    "fct_indicator_value",
    "mart_area_indicators",
    "gap_indicator_annual",
    "gap_area_annual",
    "gap_focus_effort_annual",
    "gap_goal_annual",
    "gap_statements",
}


REGION_GEOGRAPHIES = {
    "0000",
    "0018",
    "1814",
    "1860",
    "1861",
    "1862",
    "1863",
    "1864",
    "1880",
    "1881",
    "1882",
    "1883",
    "1884",
    "1885",
}


def test_the_main_job_publishes_every_table_with_all_14_geographies(first_run):
    data_dir, proc = first_run
    published = data_dir / "published" / "rus.duckdb"
    assert published.exists()
    con = duckdb.connect(str(published), read_only=True)
    try:
        tables = {
            r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
        }
        assert tables >= REQUIRED_TABLES
        for table in REQUIRED_TABLES:
            assert con.execute(f"select count(*) from {table}").fetchone()[0] > 0, table
        in_facts = {
            r[0]
            for r in con.execute(
                "select distinct geography_code from fct_indicator_value"
            ).fetchall()
        }
        assert in_facts >= REGION_GEOGRAPHIES
        in_gaps = {
            r[0]
            for r in con.execute(
                "select distinct geography_code from gap_indicator_annual"
            ).fetchall()
        }
        assert in_gaps >= REGION_GEOGRAPHIES
        # The bundled snapshot is real: nothing is flagged synthetic down to the marts.
        flags = dict(
            con.execute(
                "select is_synthetic, count(*) from fct_indicator_value group by 1"
            ).fetchall()
        )
        assert set(flags) == {False} and flags[False] > 0
        real = con.execute(
            "select value, is_synthetic from fct_indicator_value where indicator_id = "
            "'rd_expenditure_business' and geography_code = '0018' and year = 2019"
        ).fetchone()
        assert real == (pytest.approx(4806.351601), False)
        statuses = {
            r[0] for r in con.execute("select distinct status from gap_indicator_annual").fetchall()
        }
        assert "insufficient_data" in statuses and len(statuses) >= 3
    finally:
        con.close()
    # The job ends with a short summary per stage, read from the run; Dagster's logs, dbt's lines
    # and warnings are in the log file it names, not on the terminal.
    assert len(proc.stdout.splitlines()) <= 40, proc.stdout
    assert f"published {len(tables - {'publications'})} tables to {published}" in proc.stdout
    assert re.search(r"Kolada +\d+ values fetched \(full\): \d+ new, 0 changed", proc.stdout)
    assert re.search(r"(\d+) blocking Great Expectations checks: \1 passed, 0 failed", proc.stdout)
    assert re.search(r"\d+ models and \d+ seeds built; \d+ tests: \d+ passed", proc.stdout)
    assert re.search(r"\d+ bedömningar, \d+ % på enbart verkliga värden", proc.stdout)
    log = newest_log(data_dir)
    assert f"Full log: {log}" in proc.stdout
    assert "PASS=" in log.read_text(encoding="utf-8") and "PASS=" not in proc.stdout
    assert proc.stderr == ""


def test_the_main_job_publishes_the_same_publication_to_postgresql(first_run, postgres_server):
    con = duckdb.connect(str(first_run[0] / "published" / "rus.duckdb"), read_only=True)
    publication_id = con.execute("select publication_id from publications").fetchone()[0]
    counts = {
        t: con.execute(f"select count(*) from {t}").fetchone()[0]
        for t in ("fct_indicator_value", "mart_area_indicators", "gap_indicator_annual")
    }
    con.close()
    # A BI tool connects as the read-only role with the password from the environment.
    for table, n in counts.items():
        proc = postgres_server.psql(
            "select count(*), count(distinct publication_id), min(publication_id) "
            f"from rus.{table}",
            "rus_bi",
            BI_PASSWORD,
            FIRST_RUN_DATABASE,
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == [str(n), "1", publication_id], table
    proc = postgres_server.psql(
        "select value from rus.fct_indicator_value where indicator_id = "
        "'rd_expenditure_business' and geography_code = '0018' and year = 2019",
        "rus_bi",
        BI_PASSWORD,
        FIRST_RUN_DATABASE,
    )
    assert float(proc.stdout) == pytest.approx(4806.351601)


def test_the_published_strategy_model_is_complete(first_run):
    con = duckdb.connect(str(first_run[0] / "published" / "rus.duckdb"), read_only=True)
    try:
        dimensions = ("dim_goal", "dim_rus_area", "dim_focus_effort", "dim_indicator")
        count = row_counts(con, (*dimensions, "dim_geography"))
        assert count == {
            "dim_goal": 3,
            "dim_rus_area": 10,
            "dim_focus_effort": 3,
            "dim_indicator": count["dim_indicator"],
            "dim_geography": 312,
        }
        assert count["dim_indicator"] >= 40
        # The four comparable län a PEER target is judged against, published by name.
        assert con.execute(
            "select peer_region_name from dim_region_peer where region_code = '0018' order by 1"
        ).fetchall() == [
            ("Jönköpings län",),
            ("Kronobergs län",),
            ("Värmlands län",),
            ("Västmanlands län",),
        ]
        assert (
            con.execute(
                "select count(*) from dim_rus_area where desired_state_2030 is null "
                "or direction_count <> 3"
            ).fetchone()[0]
            == 0
        )
        # Every area has at least two linked indicators with values for Örebro län.
        per_area = query_dict(
            con,
            """
            select area_id, count(distinct indicator_id)
            from mart_area_indicators
            where geography_code = '0018' and value_total is not null
            group by area_id
            """,
        )
        assert sorted(per_area) == [f"A{i:02d}" for i in range(1, 11)]
        assert min(per_area.values()) >= 2
        # SCB series arrive through the PxWeb client like any indicator, real figures unflagged.
        sources = query_dict(con, "select source, count(*) from dim_indicator group by 1")
        assert sources["scb"] >= 4 and sources["kolada"] >= 40
        unemployment = con.execute(
            """
            select value, is_synthetic, provenance from fct_indicator_value
            where indicator_id = 'unemployment_bas_16_64_kommun_scb' and geography_code = '1880'
              and year = 2022 and sex = 'T'
            """
        ).fetchone()
        assert unemployment[1] is False and unemployment[2].startswith("Viktorheidmark/")
        # Kolada's publication calendar reaches dim_indicator (PxWeb v1 has none).
        calendar = query_dict(
            con, "select source, count(next_publication_date) from dim_indicator group by 1"
        )
        assert calendar["kolada"] >= 40 and calendar["scb"] == 0
    finally:
        con.close()


def test_the_area_mart_ranks_the_county_among_the_21_lan(first_run):
    con = duckdb.connect(str(first_run[0] / "published" / "rus.duckdb"), read_only=True)
    try:
        # Children with low economic standard 2019: real figures for all 21 län; lower is
        # better, so rank = 1 + the number of län with a lower share.
        values = dict(
            con.execute(
                """
            select geography_code, value from fct_indicator_value
            where indicator_id = 'children_low_economic_standard' and year = 2019 and sex = 'T'
              and geography_code in (select geography_code from dim_geography where level = 'lan')
            """
            ).fetchall()
        )
        assert len(values) == 21
        expected = 1 + sum(v < values["0018"] for v in values.values())
        rank, ranked = con.execute(
            """
            select rank_among_lan, lan_with_value from mart_area_indicators
            where indicator_id = 'children_low_economic_standard' and year = 2019
              and geography_code = '0018' and area_id = 'A05'
            """
        ).fetchone()
        assert (rank, ranked) == (expected, 21)
        # Behörighet till yrkesprogram 2022: Örebro län has the lowest share of the 21 län, as
        # the region's own 2022 follow-up says ("Lägst behörighet till gymnasiet i riket").
        (rank,) = con.execute(
            """
            select distinct rank_among_lan from mart_area_indicators
            where indicator_id = 'vocational_programme_eligibility' and year = 2022
              and geography_code = '0018'
            """
        ).fetchone()
        assert rank == 21
    finally:
        con.close()


def test_dbt_docs_generate_works_on_the_built_warehouse(first_run, tmp_path):
    env = {
        **os.environ,
        "RUS_DATA_DIR": str(first_run[0]),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    dbt = Path(sys.executable).with_name("dbt")
    proc = subprocess.run(
        [
            str(dbt),
            "docs",
            "generate",
            "--profiles-dir",
            ".",
            "--target-path",
            str(tmp_path / "target"),
        ],
        cwd=REPO_ROOT / "dbt_project",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text(encoding="utf-8"))
    assert "model.rus.mart_area_indicators" in catalog["nodes"]
    assert (tmp_path / "target" / "index.html").exists()


def test_gap_tables_have_a_status_for_everything_and_roll_up_per_kraftsamling(first_run):
    con = duckdb.connect(str(first_run[0] / "published" / "rus.duckdb"), read_only=True)
    try:
        assert con.execute(
            "select count(*) from gap_indicator_annual where status is null or status_label is null"
        ).fetchone() == (0,)
        # Too little data is said, never guessed: no score and no ratio without a status.
        assert con.execute(
            "select count(*) from gap_indicator_annual where status = 'insufficient_data' "
            "and status_label <> 'otillräckliga data'"
        ).fetchone() == (0,)
        per_effort = con.execute(
            "select group_id, n_indicators, coverage from gap_focus_effort_annual "
            "where geography_code = '0018' and sex = 'T' and assessment_year = 2022 order by 1"
        ).fetchall()
        assert [r[0] for r in per_effort] == ["K1", "K2", "K3"]
        assert all(n >= 8 and 0 <= c <= 1 for _, n, c in per_effort)
        summaries = con.execute(
            "select statement from gap_statements where subject_type = 'focus_effort' "
            "and geography_code = '0018' and assessment_year = 2022 order by subject_id"
        ).fetchall()
        assert [s[0].split(" följs ")[0] for s in summaries] == FOCUS_EFFORTS
        lineage = con.execute(
            "select count(*) from gap_indicator_annual where input_load_id is null "
            "or target_version is null"
        ).fetchone()
        assert lineage == (0,)
    finally:
        con.close()


def test_every_dbt_model_materialization_carries_its_schema_and_tables_their_row_count(first_run):
    """What the Dagster UI shows on each dbt asset after `make run`: the column schema (and
    lineage) of every model, the row count of every table (dagster-dbt does not count views),
    equal to the warehouse's."""
    from dagster import AssetKey, DagsterInstance

    manifest = json.loads((REPO_ROOT / "dbt_project" / "target" / "manifest.json").read_text())
    models = {
        n["name"]: (n["config"]["materialized"], n["schema"])
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model"
    }
    con = duckdb.connect(str(first_run[0] / "warehouse.duckdb"), read_only=True)
    with DagsterInstance.from_config(str(first_run[0] / "dagster")) as instance:
        counted = set()
        for name, (materialized, schema) in models.items():
            event = instance.get_latest_materialization_event(AssetKey(name))
            assert event is not None, name
            meta = event.asset_materialization.metadata
            columns = meta["dagster/column_schema"].value.columns
            assert len(columns) >= 2 and all(c.type for c in columns), name
            if materialized == "table":
                (rows,) = con.execute(f"select count(*) from {schema}.{name}").fetchone()
                assert meta["dagster/row_count"].value == rows, name
                counted.add(name)
            else:
                assert "dagster/row_count" not in meta, name
    con.close()
    assert {"fct_indicator_value", "mart_area_indicators", "dim_indicator"} <= counted
