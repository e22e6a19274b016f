"""The main job end to end, through the same entry point as `make run`, into a temporary data dir.

Each test copies the data directory of one clean first run, so they do not depend on each other.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.publish.postgres import PgTarget, publish_to_postgres
from tests.conftest import REPO_ROOT
from tests.e2e.pipeline import (
    BI_PASSWORD,
    FIRST_RUN_DATABASE,
    make_report,
    pg_env,
    pg_target_kwargs,
    run_main_job,
    table_rows,
)

pytestmark = pytest.mark.e2e

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


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def newest_log(data_dir: Path) -> Path:
    """The log of the newest run: everything `make run` does not print itself."""
    return max((data_dir / "logs").glob("run_*.log"), key=lambda p: p.stat().st_mtime)


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
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    facts_before = sorted(
        con.execute("select * from marts.fct_indicator_value").fetchall(), key=repr
    )
    con.close()
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
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    assert (
        sorted(con.execute("select * from marts.fct_indicator_value").fetchall(), key=repr)
        == facts_before
    )
    con.close()
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


def test_the_published_strategy_model_is_complete(first_run):
    con = duckdb.connect(str(first_run[0] / "published" / "rus.duckdb"), read_only=True)
    try:
        count = {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in (
                "dim_goal",
                "dim_rus_area",
                "dim_focus_effort",
                "dim_indicator",
                "dim_geography",
            )
        }
        assert count == {
            "dim_goal": 3,
            "dim_rus_area": 10,
            "dim_focus_effort": 3,
            "dim_indicator": count["dim_indicator"],
            "dim_geography": 312,
        }
        assert count["dim_indicator"] >= 40
        assert (
            con.execute(
                "select count(*) from dim_rus_area where desired_state_2030 is null "
                "or direction_count <> 3"
            ).fetchone()[0]
            == 0
        )
        # Every area has at least two linked indicators with values for Örebro län.
        per_area = dict(
            con.execute(
                """
            select area_id, count(distinct indicator_id)
            from mart_area_indicators
            where geography_code = '0018' and value_total is not null
            group by area_id
            """
            ).fetchall()
        )
        assert sorted(per_area) == [f"A{i:02d}" for i in range(1, 11)]
        assert min(per_area.values()) >= 2
        # SCB series arrive through the PxWeb client like any indicator, real figures unflagged.
        sources = dict(
            con.execute("select source, count(*) from dim_indicator group by 1").fetchall()
        )
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
        calendar = dict(
            con.execute(
                "select source, count(next_publication_date) from dim_indicator group by 1"
            ).fetchall()
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


READER = """
import json, os, sys, time
import duckdb
path, out, stop = sys.argv[1:4]
seen = []
while not os.path.exists(stop):
    try:
        con = duckdb.connect(path, read_only=True)
        row = con.execute(
            "select count(distinct publication_id), min(publication_id) from ("
            " select publication_id from fct_indicator_value union all"
            " select publication_id from mart_area_indicators union all"
            " select publication_id from gap_indicator_annual union all"
            " select publication_id from dim_indicator union all"
            " select publication_id from publications)"
        ).fetchone()
        con.close()
        seen.append([row[0], row[1]])
    except Exception as exc:  # every error is a finding
        seen.append(["error", repr(exc)])
    time.sleep(0.05)
with open(out, "w") as f:
    json.dump(seen, f)
"""


def published_files(data_dir: Path) -> dict[str, str]:
    """sha256 of every published and report file (what BI tools and readers get)."""
    files = [
        *(data_dir / "published").rglob("*"),
        *(data_dir / "reports").rglob("*"),
    ]
    return {str(f.relative_to(data_dir)): sha256(f) for f in files if f.is_file()}


def test_a_night_with_nothing_new_skips_the_rebuild_and_leaves_what_is_published(
    copy_of_first_run,
):
    from dagster import AssetKey, DagsterInstance

    before = published_files(copy_of_first_run)
    proc = run_main_job(copy_of_first_run)
    assert proc.returncode == 0, proc.stderr[-3000:]

    # The run says the publication is kept, since when and why; the published files are byte for
    # byte as they were.
    assert re.search(r"unchanged — the publication of [0-9-]+ [0-9:]+ UTC is kept", proc.stdout)
    assert "why: inputs unchanged since publication" in proc.stdout
    assert not re.search(r"published \d+ tables", proc.stdout)
    assert "emitted no result" not in newest_log(copy_of_first_run).read_text(encoding="utf-8")
    assert published_files(copy_of_first_run) == before
    for source in ("kolada", "scb"):
        newest = sorted((copy_of_first_run / "raw" / source).iterdir())[-1]
        manifest = json.loads((newest / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["row_count"] == 0, source
        verdict = json.loads((newest / "validation.json").read_text(encoding="utf-8"))
        assert verdict["success"] is True  # judged on its fetched row count alone

    # The run's tags (the Dagster UI shows them) name the skipped assets and the reason, and the
    # published assets are confirmed current, so their freshness checks stay green.
    with DagsterInstance.from_config(str(copy_of_first_run / "dagster")) as instance:
        (run,) = instance.get_runs(limit=1)
        assert "published_marts" in run.tags["rus/skipped"]
        assert run.tags["rus/skip_reason"].startswith("inputs unchanged since publication")
        records = instance.fetch_observations(AssetKey("published_marts"), limit=1).records
        metadata = records[0].asset_observation.metadata
        assert "dagster/last_updated_timestamp" in metadata
        assert metadata["confirmed_current"].value == run.tags["rus/skip_reason"]


def test_a_rebuild_publishes_the_same_rows_and_a_reader_sees_one_publication(
    copy_of_first_run, tmp_path
):
    """A rebuild over unchanged sources (make run REBUILD=1), with a BI-like reader polling the
    published file. (A blocked load is never accepted, so no later run reads it: tests/
    reliability/test_bad_values.py checks it is never among the accepted loads.)"""
    published = copy_of_first_run / "published" / "rus.duckdb"
    before = table_rows(published)
    out, stop = tmp_path / "seen.json", tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(published), str(out), str(stop)])
    try:
        # --verbose (make run VERBOSE=1): Dagster's and dbt's output on the terminal, as well.
        proc = run_main_job(copy_of_first_run, args=("--rebuild", "--verbose"))
        assert proc.returncode == 0, proc.stderr[-3000:]
    finally:
        stop.touch()
        reader.wait(timeout=60)
    assert "unchanged — the publication" not in proc.stdout
    assert re.search(r"published \d+ tables", proc.stdout) and "PASS=" in proc.stdout
    seen = json.loads(out.read_text(encoding="utf-8"))
    errors = [s for s in seen if s[0] == "error"]
    assert errors == []
    assert len(seen) > 20
    assert {count for count, _ in seen} == {1}  # never two publications in one query
    assert len({pid for _, pid in seen}) == 2  # it read the old one, then the new one
    assert table_rows(published) == before


REVISIONS = [
    {"kind": "revise", "kpi": "N15428", "municipality": "0018", "year": 2022, "value": 79.1},
    {
        "kind": "revise",
        "kpi": "N01982",
        "municipality": "1880",
        "year": 2021,
        "gender": "K",
        "value": 60.0,
    },
    {
        "kind": "revise",
        "kpi": "N00957",
        "municipality": "0000",
        "year": 2020,
        "gender": "M",
        "value": 20.0,
    },
]


def test_three_revised_values_are_published_with_their_old_and_new_values(copy_of_first_run):
    """The replay server revises three values between two runs, as Kolada does."""
    published = copy_of_first_run / "published" / "rus.duckdb"
    con = duckdb.connect(str(published), read_only=True)
    old = {
        (r["kpi"], r["municipality"], r["year"], r.get("gender", "T")): con.execute(
            "select f.value from fct_indicator_value f join dim_indicator i using (indicator_id) "
            "where i.source_series_id = ? and geography_code = ? and year = ? and sex = ?",
            [r["kpi"], r["municipality"], r["year"], r.get("gender", "T")],
        ).fetchone()[0]
        for r in REVISIONS
    }
    con.close()
    proc = run_main_job(copy_of_first_run, faults=REVISIONS)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (newest,) = sorted((copy_of_first_run / "raw" / "kolada").iterdir())[-1:]
    manifest = json.loads((newest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["mode"] == "incremental" and manifest["changes"]["changed_rows"] == 3
    con = duckdb.connect(str(published), read_only=True)
    try:
        revisions = con.execute(
            "select source_series_id, geography_code, year, sex, old_value, new_value, "
            "revised_in_load_id from mart_revisions order by 1"
        ).fetchall()
        expected = sorted(
            (
                r["kpi"],
                r["municipality"],
                r["year"],
                r.get("gender", "T"),
                old[(r["kpi"], r["municipality"], r["year"], r.get("gender", "T"))],
                r["value"],
                newest.name,
            )
            for r in REVISIONS
        )
        assert revisions == expected
        for r in REVISIONS:  # the published marts carry the new values
            (value,) = con.execute(
                "select f.value from fct_indicator_value f join dim_indicator i "
                "using (indicator_id) where i.source_series_id = ? and geography_code = ? "
                "and year = ? and sex = ?",
                [r["kpi"], r["municipality"], r["year"], r.get("gender", "T")],
            ).fetchone()
            assert value == r["value"]
    finally:
        con.close()
    # The report's "Reviderade data" reads mart_revisions: the county's one revised value.
    report = (copy_of_first_run / "reports" / "uppfoljning_2022.html").read_text(encoding="utf-8")
    assert "1 värde för Örebro län i 1 indikator har reviderats" in report
    assert "<td>2022</td><td>totalt</td>" in report and "<td>79,1</td>" in report


FOCUS_EFFORTS = [
    "Ökad inkludering",
    "Stärka barn och ungas förutsättningar att möta sin framtid",
    "Omställning till ett långsiktigt hållbart näringsliv och en cirkulär ekonomi",
]


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


def test_the_followup_report_opens_in_chromium_with_every_kraftsamling(first_run):
    from playwright.sync_api import sync_playwright

    reports = first_run[0] / "reports"
    (page_file,) = reports.glob("uppfoljning_*.html")
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing; `make test` installs it (make system)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 2000})
            page.goto(page_file.as_uri())
            for name in FOCUS_EFFORTS:
                heading = page.get_by_role("heading", name=name, exact=True)
                assert heading.count() == 1, name
                assert heading.is_visible()
            assert page.locator("section.focus-effort").count() == 3
            assert page.locator("section.area").count() == 10
            assert page.locator("figure svg").count() >= 30
            # Once as a heading (the table of contents links to it too).
            changes = re.compile("Förändringar sedan uppföljningen")
            assert page.get_by_role("heading", name=changes).count() == 1
            # Every chart has a sane size (Chromium caps a page at 33 554 432 px).
            assert page.evaluate("document.body.scrollHeight") < 200_000
            screenshot = first_run[0] / "reports" / f"{page_file.stem}.png"
            page.screenshot(path=str(screenshot))
        finally:
            browser.close()
    assert screenshot.stat().st_size > 50_000


def test_make_report_writes_any_assessment_year(copy_of_first_run):
    proc = make_report(copy_of_first_run, 2022)
    assert proc.returncode == 0, proc.stderr[-3000:]
    html = (copy_of_first_run / "reports" / "uppfoljning_2022.html").read_text(encoding="utf-8")
    assert "Örebro län 2022" in html and "Förändringar sedan uppföljningen 2021" in html
    md = (copy_of_first_run / "reports" / "uppfoljning_2022.md").read_text(encoding="utf-8")
    assert all(f"### {name}" in md for name in FOCUS_EFFORTS)
    csvs = list((copy_of_first_run / "reports" / "uppfoljning_2022").glob("*.csv"))
    assert len(csvs) >= 30
    proc = make_report(copy_of_first_run, 1990)
    assert proc.returncode == 2 and "assessment year 1990 is outside" in proc.stderr
