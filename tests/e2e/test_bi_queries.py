"""The analyst questions of the README's "For BI users" (docs/bi/queries/*.sql) against a fresh
publication: each answer checked against a computation of its own (pandas over the Parquet
files, or the report's code), every query run unchanged in DuckDB 1.4 (what BI tools ship) and in
PostgreSQL as the read-only role, and the README's SQL blocks equal to the files."""

from __future__ import annotations

import json
import math
import pickle
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import psycopg2
import pytest

from orchestration.gap_method.labels import STATUS_LABELS
from orchestration.report.inputs import latest_year
from orchestration.report.report import status_changes
from tests.conftest import REPO_ROOT
from tests.e2e.pipeline import BI_PASSWORD, FIRST_RUN_DATABASE, run_main_job
from tests.e2e.test_published_readers import ensure_compat_env

pytestmark = pytest.mark.e2e

QUERIES = REPO_ROOT / "docs" / "bi" / "queries"
NAMES = (
    "01_wrong_direction_this_year",
    "02_upper_secondary_eligibility_rank",
    "03_kommuner_furthest_from_target",
    "04_changes_since_last_edition",
    "05_revised_values",
)
ELIGIBILITY = "vocational_programme_eligibility"  # "Behörighet till gymnasiet", Kolada N15428


def sql(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def plain(v):
    """A value as Python compares it: NaN (never expected) made visible, numpy scalars unwrapped.
    Floats stay floats and are compared exactly (-0.0 == 0.0, as in SQL)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "item"):  # numpy scalar
        return plain(v.item())
    if isinstance(v, Decimal) and v == v.to_integral_value():
        return int(v)
    return v


def answer(con: duckdb.DuckDBPyConnection, name: str) -> tuple[list[str], list[tuple]]:
    cur = con.execute(sql(name))
    return [d[0] for d in cur.description], [tuple(plain(v) for v in r) for r in cur.fetchall()]


def records(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(plain(v) for v in row) for row in frame[columns].itertuples(index=False)]


@pytest.fixture(scope="module")
def published(first_run) -> Path:
    return first_run[0] / "published"


@pytest.fixture(scope="module")
def con(published):
    con = duckdb.connect(str(published / "rus.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def pq(published):
    """The publication's Parquet files as pandas frames (the independent side)."""
    folder = (published / "parquet").resolve()
    return lambda table: pd.read_parquet(folder / f"{table}.parquet")


@pytest.fixture(scope="module")
def places(pq) -> dict[str, object]:
    geo = pq("dim_geography")
    return {
        "county": geo.loc[geo["is_region"], "geography_code"].item(),
        "riket": geo.loc[geo["level"] == "riket", "geography_code"].item(),
        "lan": set(geo.loc[geo["level"] == "lan", "geography_code"]),
        "kommuner": set(geo.loc[geo["is_region_kommun"], "geography_code"]),
        "names": dict(zip(geo["geography_code"], geo["geography_name"], strict=True)),
    }


@pytest.fixture(scope="module")
def county_gaps(pq, places) -> pd.DataFrame:
    gaps = pq("gap_indicator_annual")
    return gaps[(gaps["geography_code"] == places["county"]) & (gaps["sex"] == "T")]


def test_the_readme_shows_exactly_the_query_files():
    assert sorted(p.stem for p in QUERIES.glob("*.sql")) == list(NAMES)
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## For BI users\n(.*?)(?=^## |\Z)", readme, re.S | re.M)
    assert section, "README.md has no '## For BI users' section"
    blocks = re.findall(r"^```sql\n(.*?)^```$", section.group(1), re.S | re.M)
    assert blocks == [sql(name) for name in NAMES]
    for name in NAMES:  # each file says its question in Swedish and in English
        first, second = sql(name).splitlines()[:2]
        assert re.match(r"-- \d\. .+\?$", first) and re.match(r"--    \S.+", second), name


def test_1_the_indicators_that_went_the_wrong_way_this_year(con, pq, county_gaps):
    columns, rows = answer(con, NAMES[0])
    latest = county_gaps["assessment_year"].max()
    expected = county_gaps[
        (county_gaps["assessment_year"] == latest) & (county_gaps["status"] == "wrong_direction")
    ].merge(pq("dim_indicator")[["indicator_id", "short_label", "unit"]], on="indicator_id")
    expected = expected.sort_values(["score", "indicator_id"])
    assert rows == records(expected, columns)
    assert len(rows) >= 3  # the bundled snapshot has several
    for row in map(dict, (zip(columns, r, strict=True) for r in rows)):
        assert row["status_label"] == STATUS_LABELS["wrong_direction"] == "går åt fel håll"
        assert row["short_label"] and row["score"] < 0
        # Short of the target: a negative distance (or none, for an indicator without a target).
        assert row["distance_to_target"] is None or row["distance_to_target"] < 0


def test_2_the_countys_rank_among_the_lan_in_eligibility_for_upper_secondary(con, pq, places):
    columns, rows = answer(con, NAMES[1])
    assert columns == ["year", "county_value", "national_value", "rank_among_lan", "lan_with_value"]
    assert len(places["lan"]) == 21
    ind = pq("dim_indicator").set_index("indicator_id").loc[ELIGIBILITY]
    assert ind["short_label"] == "Behörighet till gymnasiet" and ind["source_series_id"] == "N15428"
    facts = pq("fct_indicator_value")
    facts = facts[(facts["indicator_id"] == ELIGIBILITY) & (facts["sex"] == "T")]
    lan = facts[facts["geography_code"].isin(places["lan"]) & facts["value"].notna()].copy()
    # Rank 1 = best in the desired direction; equal values share the best rank ("min").
    lan["rank"] = (
        (ind["direction_sign"] * lan["value"])
        .groupby(lan["year"])
        .rank(method="min", ascending=False)
    )
    county = lan[lan["geography_code"] == places["county"]].set_index("year")
    riket = facts[facts["geography_code"] == places["riket"]].set_index("year")["value"]
    counts = lan.groupby("year").size()
    expected = [
        (
            year,
            county.at[year, "value"],
            riket.get(year),
            int(county.at[year, "rank"]),
            counts[year],
        )
        for year in sorted(county.index)
    ]
    assert rows == [tuple(plain(v) for v in row) for row in expected]
    assert len(rows) >= 10 and all(r[4] <= 21 for r in rows)


def test_3_the_kommuner_furthest_from_the_target(con, pq, places):
    columns, rows = answer(con, NAMES[2])
    ind = pq("dim_indicator").set_index("indicator_id").loc[ELIGIBILITY]
    assert ind["target_type"] == "national"  # the target is Riket's value that year
    gaps = pq("gap_indicator_annual")
    gaps = gaps[
        (gaps["indicator_id"] == ELIGIBILITY)
        & (gaps["sex"] == "T")
        & gaps["geography_code"].isin(places["kommuner"])
    ]
    year = gaps["assessment_year"].max()
    facts = pq("fct_indicator_value")
    facts = facts[(facts["indicator_id"] == ELIGIBILITY) & (facts["sex"] == "T")]
    riket = facts.loc[
        (facts["geography_code"] == places["riket"]) & (facts["year"] == year), "value"
    ].item()
    kommuner = facts[facts["geography_code"].isin(places["kommuner"]) & (facts["year"] == year)]
    # Distance recomputed from the raw values: in the desired direction, negative when short.
    distance = {
        code: ind["direction_sign"] * (value - riket)
        for code, value in zip(kommuner["geography_code"], kommuner["value"], strict=True)
    }
    furthest = sorted(distance, key=lambda code: (distance[code], code))[:10]
    got = [dict(zip(columns, r, strict=True)) for r in rows]
    assert [r["geography_code"] for r in got] == furthest
    for r in got:
        assert r["assessment_year"] == year
        assert r["kommun"] == places["names"][r["geography_code"]]
        assert r["target_level"] == riket
        assert r["distance_to_target"] == pytest.approx(distance[r["geography_code"]], abs=1e-9)
    assert got[0]["distance_to_target"] == min(r["distance_to_target"] for r in got) < 0
    assert len(got) == min(10, len(places["kommuner"]))


def test_4_what_changed_since_last_years_edition(con, pq, places, county_gaps):
    columns, rows = answer(con, NAMES[3])
    got = [dict(zip(columns, r, strict=True)) for r in rows]
    year = int(county_gaps["assessment_year"].max())
    # "This year" is the year the report is written for.
    assert year == latest_year(pq("fct_indicator_value"), places["county"])
    # The report's own computation (orchestration/report/report.py), from the Parquet rows.
    expected = status_changes(county_gaps.reset_index(drop=True), year, None)
    assert [(r["indicator_id"], r["previous_status"], r["status"]) for r in got] == sorted(
        expected[["indicator_id", "previous_status", "status"]].itertuples(index=False, name=None)
    )
    assert got, "the bundled snapshot has status changes between its last two years"
    for r in got:
        assert r["edition_year"] == year and r["data_year"] <= year
        assert r["status_label"] == STATUS_LABELS[r["status"]]
        assert r["previous_status_label"] == STATUS_LABELS[r["previous_status"]]
        # Both editions are read from today's publication: a change rests on a newer data year.
        assert r["previous_data_year"] is None or r["previous_data_year"] < r["data_year"]


REVISED_COLUMNS = [
    "revised_at",
    "indicator_id",
    "short_label",
    "geography_code",
    "geography_name",
    "year",
    "sex",
    "old_value",
    "new_value",
    "change",
    "is_deleted",
    "revised_in_load_id",
]


def test_5_a_first_run_has_no_revised_values(con):
    """Honestly all a first run has: the columns, and no rows (see the next test for rows)."""
    columns, rows = answer(con, NAMES[4])
    assert columns == REVISED_COLUMNS
    assert rows == []


REVISIONS = [  # what Kolada does between two nights: two figures revised, one withdrawn
    {"kind": "revise", "kpi": "N15428", "municipality": "0018", "year": 2022, "value": 79.1},
    {
        "kind": "revise",
        "kpi": "N01982",
        "municipality": "1880",
        "year": 2021,
        "gender": "K",
        "value": 60.0,
    },
    {"kind": "revise", "kpi": "N85085", "municipality": "0018", "year": 2019, "value": None},
]


def test_5_the_revised_values_after_a_night_with_revisions(copy_of_first_run, tmp_path):
    published = copy_of_first_run / "published" / "rus.duckdb"
    before = duckdb.connect(str(published), read_only=True)
    ids = dict(
        before.execute("select source_series_id, indicator_id from dim_indicator").fetchall()
    )
    old = {}
    for r in REVISIONS:
        key = (ids[r["kpi"]], r["municipality"], r["year"], r.get("gender", "T"))
        (old[key],) = before.execute(
            "select value from fct_indicator_value "
            "where indicator_id = ? and geography_code = ? and year = ? and sex = ?",
            list(key),
        ).fetchone()
    before.close()

    proc = run_main_job(copy_of_first_run, faults=REVISIONS)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (newest,) = sorted((copy_of_first_run / "raw" / "kolada").iterdir())[-1:]
    manifest = json.loads((newest / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["changes"]["changed_rows"], manifest["changes"]["deleted_rows"]) == (2, 1)

    con = duckdb.connect(str(published), read_only=True)
    try:
        columns, rows = answer(con, NAMES[4])
        labels = dict(con.execute("select indicator_id, short_label from dim_indicator").fetchall())
        names = dict(
            con.execute("select geography_code, geography_name from dim_geography").fetchall()
        )
    finally:
        con.close()
    assert columns == REVISED_COLUMNS
    got = [dict(zip(columns, r, strict=True)) for r in rows]
    expected = []
    for r in REVISIONS:
        key = (ids[r["kpi"]], r["municipality"], r["year"], r.get("gender", "T"))
        new = r["value"]
        expected.append(
            (
                *key[:1],
                labels[key[0]],
                key[1],
                names[key[1]],
                *key[2:],
                old[key],
                new,
                None if new is None else new - old[key],
                new is None,
                newest.name,
            )
        )
    assert [tuple(r[c] for c in REVISED_COLUMNS[1:]) for r in got] == sorted(
        expected, key=lambda e: (e[0], e[2], e[4], e[5])
    )
    assert len({r["revised_at"] for r in got}) == 1 and got[0]["revised_at"] is not None

    # The same answer in DuckDB 1.4, the reader BI tools ship.
    old_columns, old_rows = old_reader(published, [NAMES[4]], tmp_path)[NAMES[4]]
    assert (old_columns, old_rows) == (columns, rows)


QUERY_SCRIPT = r"""
import pickle, sys
import duckdb

db, out, *files = sys.argv[1:]
con = duckdb.connect(db, read_only=True)
results = {}
for path in files:
    cur = con.execute(open(path, encoding="utf-8").read())
    results[path] = ([d[0] for d in cur.description], cur.fetchall())
with open(out, "wb") as f:
    pickle.dump({"version": duckdb.__version__, "results": results}, f)
"""


def old_reader(db: Path, names: list[str], tmp: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Each query's columns and rows as DuckDB 1.4 answers it (the compat environment)."""
    python, _ = ensure_compat_env()
    out = tmp / "answers.pickle"
    files = [str(QUERIES / f"{name}.sql") for name in names]
    proc = subprocess.run(
        [str(python), "-I", "-c", QUERY_SCRIPT, str(db), str(out), *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    dumped = pickle.loads(out.read_bytes())
    assert dumped["version"].startswith("1.4."), dumped["version"]
    return {
        Path(path).stem: (columns, [tuple(plain(v) for v in r) for r in rows])
        for path, (columns, rows) in dumped["results"].items()
    }


def test_every_query_answers_the_same_in_duckdb_1_4(con, published, tmp_path):
    old = old_reader(published / "rus.duckdb", list(NAMES), tmp_path)
    for name in NAMES:
        assert old[name] == answer(con, name), name


def test_every_query_answers_the_same_in_postgresql_as_the_bi_role(con, postgres_server):
    """The same SQL, unchanged, on the PostgreSQL copy with `search_path` set to `rus`."""
    pg = psycopg2.connect(
        host=postgres_server.host,
        port=postgres_server.port,
        dbname=FIRST_RUN_DATABASE,
        user="rus_bi",
        password=BI_PASSWORD,
        options="-c search_path=rus",
    )
    try:
        for name in NAMES:
            with pg.cursor() as cur:
                cur.execute(sql(name))
                columns = [d[0] for d in cur.description]
                rows = [tuple(plain(v) for v in r) for r in cur.fetchall()]
            assert (columns, rows) == answer(con, name), name
    finally:
        pg.close()
