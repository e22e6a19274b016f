"""The main job end to end, run again on a copy of the first run: a night with nothing new
keeps the publication, a rebuild publishes the same rows while a reader sees one publication at a
time, and revised values are published with their old and new values.

Each test copies the data directory of the one clean first run (``first_run``, shared by the
xdist group of the same name).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.e2e.main_job import newest_log, sha256
from tests.e2e.pipeline import run_main_job, table_rows

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("first_run")]


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
    # assets readers get are confirmed current by a materialization (what Dagster's freshness
    # reads) carrying their last build's metadata: row counts, schema, publication.
    with DagsterInstance.from_config(str(copy_of_first_run / "dagster")) as instance:
        (run,) = instance.get_runs(limit=1)
        assert "published_marts" in run.tags["rus/skipped"]
        assert run.tags["rus/skip_reason"].startswith("inputs unchanged since publication")
        for key in ("published_marts", "followup_report", "fct_indicator_value"):
            event = instance.get_latest_materialization_event(AssetKey(key))
            assert event.run_id == run.run_id, key
            metadata = event.asset_materialization.metadata
            assert metadata["confirmed_current"].value == run.tags["rus/skip_reason"]
            assert "publication_id" in metadata or "dagster/row_count" in metadata, key


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
