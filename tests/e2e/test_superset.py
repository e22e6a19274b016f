"""`make bi`: Apache Superset over a published file answers the follow-up's questions.

The module runs the main job into a directory of its own (it is an xdist group of its own, beside
the first run's group), starts `make bi` on a free loopback port against that publication, with
Superset's state in a temporary directory and the admin account from the environment, and then,
as an analyst would:

* asks Superset's REST API (JWT login, the chart data API for the dashboard's charts, SQL Lab) for
  the status per kraftsamling, the county against Riket over time and the kommuner furthest from
  each target, and checks every value against the same question asked of the published file
  directly with this environment's DuckDB;
* checks that Superset reads the file read-only and sees the next publication (os.replace)
  without a restart;
* logs in through the login form in Chromium, waits until every chart of the dashboard
  RUS-uppföljning has rendered and screenshots it to data/screenshots/superset_dashboard.png.

Superset comes from .venv-bi (`make bi-install`; `make test` installs it): without it the module
fails, it does not skip.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO_ROOT
from tests.e2e.pipeline import run_main_job
from tests.e2e.superset_server import (
    BI_STAMP,
    BI_VENV,
    SLUG,
    Api,
    Superset,
    running_superset,
    tail,
)

# A group of its own, named here rather than left to tests/conftest.py, so that all of the module
# runs on one worker beside the first run's group under `make test` (one Superset, one main job).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("tests/e2e/test_superset.py")]

SCREENSHOT = REPO_ROOT / "data" / "screenshots" / "superset_dashboard.png"
DASHBOARD_TITLE = "RUS-uppföljning"
# The account setup.py creates from the environment (not the documented local default).
USER = "analytiker"
PASSWORD = f"lösen-{secrets.token_hex(8)}"
STATUS_CHART = "Status per kraftsamling, senaste bedömningsåret"
STATUS_BAR_CHART = "Indikatorer per status och kraftsamling"
COUNTY_CHART = "Länet jämfört med riket över tid"
KOMMUN_CHART = "Kommuner längst från målet"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A publication of this module's own: the main job as `make run` runs it."""
    data_dir = tmp_path_factory.mktemp("superset") / "data"
    proc = run_main_job(data_dir)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    db = data_dir / "published" / "rus.duckdb"
    assert db.is_file()
    return db


@pytest.fixture(scope="module")
def superset(request, tmp_path_factory) -> Iterator[Superset]:
    """`make bi` against this module's publication on a free port; the whole process group is
    stopped after the module. Fails at once, before the main job, without .venv-bi."""
    if not (BI_STAMP.exists() and (BI_VENV / "bin" / "gunicorn").exists()):
        pytest.fail(
            f"Superset's environment {BI_VENV} is missing or incomplete: run `make bi-install` "
            "(`make test` does it)"
        )
    published: Path = request.getfixturevalue("published")
    state = tmp_path_factory.mktemp("superset-state")
    with running_superset(published, state, USER, PASSWORD) as server:
        yield server


@pytest.fixture(scope="module")
def api(superset) -> Api:
    return Api(superset.url, USER, PASSWORD)


def published_rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def county_and_riket(db: Path) -> tuple[str, str]:
    (county,), (riket,) = published_rows(
        db,
        "select geography_code from dim_geography where is_region or level = 'riket' "
        "order by level = 'riket'",
    )
    return county, riket


def test_the_dashboard_and_its_charts_are_imported_with_swedish_names(api, superset):
    dashboard = api.dashboard()
    assert dashboard["dashboard_title"] == DASHBOARD_TITLE and dashboard["published"] is True
    charts = api.charts()
    assert set(charts) == {STATUS_CHART, STATUS_BAR_CHART, COUNTY_CHART, KOMMUN_CHART}
    filters = {
        f["name"]: f for f in json.loads(dashboard["json_metadata"])["native_filter_configuration"]
    }
    assert set(filters) == {"Indikator", "Indikator med mål"}
    (database,) = api.get("/api/v1/database/")["result"]
    connection = api.get(f"/api/v1/database/{database['id']}/connection")["result"]
    assert connection["sqlalchemy_uri"] == f"duckdb:///{superset.db}?access_mode=read_only"
    assert connection["allow_dml"] is False and connection["allow_file_upload"] is False
    printed = tail(superset.log, 20_000)
    assert f"as {USER!r}" in printed and f"/superset/dashboard/{SLUG}/" in printed


def test_status_per_kraftsamling_is_the_published_files(api, superset):
    """(a) For the county in its latest assessment year: the number of indicators in each status
    and the mean score, per kraftsamling."""
    county, _ = county_and_riket(superset.db)
    rows = published_rows(
        superset.db,
        "select f.focus_effort_number, f.focus_effort_id, f.focus_effort_name, g.assessment_year, "
        "g.n_indicators, g.n_target_met, g.n_target_met_worsening, g.n_on_track, "
        "g.n_nearly_on_track, g.n_too_slow, g.n_stagnating, g.n_wrong_direction, "
        "g.n_insufficient_data, g.mean_score "
        "from gap_focus_effort_annual g join dim_focus_effort f on f.focus_effort_id = g.group_id "
        "where g.group_type = 'focus_effort' and g.sex = 'T' and g.geography_code = ?",
        [county],
    )
    latest = max(r[3] for r in rows)
    expected = [(f"{r[1]} {r[2]}", *r[3:]) for r in sorted(r for r in rows if r[3] == latest)]
    assert len(expected) >= 3, "one row per kraftsamling"

    charts = api.charts()
    table = api.chart_data(charts[STATUS_CHART])
    columns = (
        "focus_effort",
        "assessment_year",
        "n_indicators",
        "n_target_met",
        "n_target_met_worsening",
        "n_on_track",
        "n_nearly_on_track",
        "n_too_slow",
        "n_stagnating",
        "n_wrong_direction",
        "n_insufficient_data",
        "mean_score",
    )
    assert [tuple(row[c] for c in columns) for row in table] == expected

    # The stacked bars show the same counts (as the mean of one row per bar).
    bars = {row["focus_effort"]: row for row in api.chart_data(charts[STATUS_BAR_CHART])}
    assert {
        name: (b["status_3_on_track"], b["status_5_too_slow"], b["status_7_wrong_direction"])
        for name, b in bars.items()
    } == {e[0]: (e[5], e[7], e[9]) for e in expected}
    assert {name: b["status_8_insufficient_data"] for name, b in bars.items()} == {
        e[0]: e[10] for e in expected
    }


def county_series(db: Path, label: str) -> dict[int, dict[str, float | None]]:
    """Year -> {geography name: value} for the county and Riket, sex T, straight from the file."""
    county, riket = county_and_riket(db)
    rows = published_rows(
        db,
        "select g.geography_name, v.year, v.value from fct_indicator_value v "
        "join dim_geography g on g.geography_code = v.geography_code "
        "join dim_indicator i on i.indicator_id = v.indicator_id "
        "where i.short_label = ? and v.sex = 'T' and v.geography_code in (?, ?)",
        [label, county, riket],
    )
    names = {name for name, _, _ in rows}
    series: dict[int, dict[str, float | None]] = {}
    for name, year, value in rows:
        series.setdefault(year, dict.fromkeys(names))[name] = value
    return series


def chart_series(rows: list[dict]) -> dict[int, dict[str, float | None]]:
    """The line chart's rows (one per period, a column per area) as year -> {area: value}."""
    return {
        datetime.fromtimestamp(row["period"] / 1000, tz=UTC).year: {
            k: v for k, v in row.items() if k != "period"
        }
        for row in rows
    }


def test_the_county_against_riket_over_time_is_the_published_files(api, superset):
    """(b) The dashboard's default indicator, then another one picked as the filter would."""
    dashboard = api.dashboard()
    (indicator_filter,) = [
        f
        for f in json.loads(dashboard["json_metadata"])["native_filter_configuration"]
        if f["name"] == "Indikator"
    ]
    (default,) = indicator_filter["defaultDataMask"]["filterState"]["value"]
    chart = api.charts()[COUNTY_CHART]

    expected = county_series(superset.db, default)
    assert len(expected) >= 5 and all(len(v) == 2 for v in expected.values())
    assert chart_series(api.chart_data(chart)) == expected

    # Another indicator, with values for both, through the chart data API as the dashboard asks
    # it when the analyst picks that indicator in the filter.
    county, riket = county_and_riket(superset.db)
    other = published_rows(
        superset.db,
        "select i.short_label from fct_indicator_value v "
        "join dim_indicator i on i.indicator_id = v.indicator_id "
        "where v.sex = 'T' and v.geography_code in (?, ?) and i.short_label <> ? "
        "group by i.short_label having count(distinct v.geography_code) = 2 "
        "order by count(*) desc, i.short_label limit 1",
        [county, riket, default],
    )[0][0]
    query_context = json.loads(chart["query_context"])
    (query,) = query_context["queries"]
    (picked,) = [f for f in query["filters"] if f["col"] == "indicator_label"]
    assert picked["val"] == [default], "the saved query shows the filter's default indicator"
    picked["val"] = [other]
    response = api.post("/api/v1/chart/data", query_context)
    assert response.ok, response.text[:2000]
    (result,) = response.json()["result"]
    assert chart_series(result["data"]) == county_series(superset.db, other)


def test_the_kommuner_furthest_from_each_target_are_the_published_files(api, superset):
    """(c) Per indicator with a target, the county's kommuner in the latest assessment year,
    furthest from the target (the most negative distance_to_target) first."""
    county, _ = county_and_riket(superset.db)
    rows = published_rows(
        superset.db,
        "select i.short_label, g.indicator_id, k.geography_name, g.geography_code, "
        "g.assessment_year, g.value, g.target_level, g.distance_to_target, i.unit, "
        "g.status_label, g.target_type "
        "from gap_indicator_annual g "
        "join dim_geography k on k.geography_code = g.geography_code "
        "join dim_indicator i on i.indicator_id = g.indicator_id "
        "where g.geography_level = 'kommun' and g.lan_code = ? and g.sex = 'T'",
        [county],
    )
    with_target = [r for r in rows if r[10] not in (None, "direction")]
    latest: dict[str, int] = {}
    for r in with_target:
        latest[r[1]] = max(latest.get(r[1], r[4]), r[4])
    chosen = sorted(
        (r for r in with_target if r[4] == latest[r[1]] and r[7] is not None),
        key=lambda r: (r[0], r[7], r[3]),
    )
    expected, place, previous = [], 0, None
    for label, indicator, kommun, _code, year, value, target, distance, unit, status, _ in chosen:
        place = place + 1 if indicator == previous else 1
        previous = indicator
        expected.append((label, place, kommun, year, value, target, distance, unit, status))
    assert len({e[0] for e in expected}) >= 3 and all(e[6] is not None for e in expected)

    table = api.chart_data(api.charts()[KOMMUN_CHART])
    columns = (
        "indicator_label",
        "place",
        "kommun",
        "assessment_year",
        "value",
        "target_level",
        "distance_to_target",
        "unit",
        "status_label",
    )
    assert [tuple(row[c] for c in columns) for row in table] == expected


def test_sql_lab_reads_the_file_read_only_and_sees_the_next_publication(api, superset):
    """SQL Lab answers from the published file; it can neither change it nor read other files;
    a publication that replaces the file (os.replace, as the nightly job does) is seen at the
    next query, without restarting Superset."""
    (database,) = api.get("/api/v1/database/")["result"]
    database_id = database["id"]

    answer = api.sql(database_id, "select count(*) as n from gap_indicator_annual")
    assert answer.ok, answer.text[:2000]
    ((n,),) = published_rows(superset.db, "select count(*) from gap_indicator_annual")
    assert answer.json()["data"] == [{"n": n}]

    refused = api.sql(database_id, "create table scratch as select 1 as x")
    assert not refused.ok and "DML_NOT_ALLOWED" in refused.text
    outside = api.sql(database_id, "select * from read_text('/etc/hostname')")
    assert not outside.ok and "disabled by configuration" in outside.text

    # The next publication: the same tables under a new publication id, written beside the file
    # in the storage format it is published in, then moved over it.
    new_id = f"test-superset-{secrets.token_hex(4)}"
    staged = superset.db.with_name("rus.duckdb.next")
    con = duckdb.connect()
    try:
        con.execute(f"attach '{superset.db}' as old (read_only)")
        con.execute(f"attach '{staged}' as new (storage_version 'v1.0.0')")
        con.execute("copy from database old to new")
        con.execute("update new.publications set publication_id = ?", [new_id])
    finally:
        con.close()
    os.replace(staged, superset.db)

    seen = api.sql(database_id, "select max(publication_id) as publication_id from publications")
    assert seen.ok, seen.text[:2000]
    assert seen.json()["data"] == [{"publication_id": new_id}]


def test_the_dashboard_renders_every_chart_in_chromium(superset):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing; `make test` installs it (make system)"
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    chart = '[data-test="chart-grid-component"]'
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 1300})
        try:
            page.goto(f"{superset.url}/login/")
            page.fill("#username", USER)
            page.fill("#password", PASSWORD)
            page.click('[data-test="login-button"]')
            page.wait_for_url(lambda u: "/login" not in u, timeout=60_000)
            page.goto(f"{superset.url}/superset/dashboard/{SLUG}/")
            page.get_by_text(DASHBOARD_TITLE).first.wait_for(timeout=60_000)
            # Every chart has drawn: a table with rows, or an ECharts canvas; nothing is loading.
            page.wait_for_function(
                """(sel) => {
                    const charts = [...document.querySelectorAll(sel)];
                    return charts.length === 4 && charts.every(c =>
                        c.querySelector('table tbody tr, canvas, svg') &&
                        !c.querySelector('.loading, [aria-label="Loading"]'));
                }""",
                arg=chart,
                timeout=90_000,
            )
            page.wait_for_load_state("networkidle", timeout=60_000)
            page.wait_for_timeout(2_500)  # ECharts animates the bars and lines in for ~1 s
            names = page.eval_on_selector_all(
                chart, "els => els.map(e => e.getAttribute('data-test-chart-name'))"
            )
            assert sorted(names) == sorted(
                [STATUS_CHART, STATUS_BAR_CHART, COUNTY_CHART, KOMMUN_CHART]
            )
            errors = page.locator(
                f'{chart} [role="alert"], {chart} .ant-alert-error, [data-test="error-alert"]'
            )
            assert errors.count() == 0, errors.first.inner_text()
            for text in ("K1 ", "Avstånd till målet", "Plats (1 = längst från målet)"):
                assert page.get_by_text(text).count() > 0, text
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        except Exception as exc:
            failed = SCREENSHOT.with_name("superset_dashboard_failed.png")
            page.screenshot(path=str(failed), full_page=True)
            pytest.fail(f"{exc}\n(the page: {failed})\nSuperset's log:\n{tail(superset.log)}")
        finally:
            browser.close()
    png = SCREENSHOT.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 100_000
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == 1600 and height > 1300, (width, height)
