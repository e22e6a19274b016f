"""Another län by configuration alone: RUS_REGION=0020 gives Dalarnas län's whole follow-up."""

from __future__ import annotations

import csv

import duckdb
import pytest

from ingest.catalogue import read_geographies
from tests.e2e.test_main_job import run_main_job

pytestmark = pytest.mark.e2e

REGION = "0020"
GEOGRAPHIES = read_geographies()
KOMMUNER = {g.code: g.name for g in GEOGRAPHIES if g.level == "kommun" and g.lan_code == REGION}
OTHER_KOMMUNER = {g.code for g in GEOGRAPHIES if g.level == "kommun" and g.lan_code != REGION}


@pytest.fixture(scope="module")
def dalarna(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("dalarna") / "data"
    proc = run_main_job(data_dir, env={"RUS_REGION": REGION})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return data_dir, proc


def test_every_kommun_of_the_lan_has_real_published_values(dalarna):
    data_dir, _ = dalarna
    assert len(KOMMUNER) == 15
    con = duckdb.connect(str(data_dir / "published" / "rus.duckdb"), read_only=True)
    try:
        per_geo = dict(
            con.execute(
                "select geography_code, count(*) filter (where not is_synthetic) "
                "from fct_indicator_value group by 1"
            ).fetchall()
        )
        assert set(KOMMUNER) <= set(per_geo) and min(per_geo[k] for k in KOMMUNER) > 500
        assert not set(per_geo) & OTHER_KOMMUNER  # only the län's own kommuner are fetched
        region = con.execute("select geography_code from dim_geography where is_region").fetchall()
        assert region == [(REGION,)]
        # Ranked among the 21 län, on real figures.
        (rank, ranked) = con.execute(
            """
            select distinct rank_among_lan, lan_with_value from mart_area_indicators
            where indicator_id = 'vocational_programme_eligibility' and year = 2022
              and geography_code = ?
            """,
            [REGION],
        ).fetchone()
        assert ranked == 21 and 1 <= rank <= 21
        statements = con.execute(
            "select count(distinct geography_code) from gap_statements "
            "where geography_code in (select geography_code from dim_geography "
            "where lan_code = ? and level = 'kommun')",
            [REGION],
        ).fetchone()[0]
        assert statements == 15
    finally:
        con.close()


def test_the_report_names_the_lan_and_charts_its_own_kommuner(dalarna):
    data_dir, _ = dalarna
    (report,) = sorted((data_dir / "reports").glob("uppfoljning_*.html"))
    html = report.read_text(encoding="utf-8")
    assert "Dalarnas län" in html and "Örebro län 20" not in html.split("</h1>")[0]
    figures = report.with_suffix("")
    kommun_tables = sorted(figures.glob("*_kommuner.csv"))
    assert kommun_tables
    names = set()
    for path in kommun_tables:
        with path.open(encoding="utf-8") as f:
            names |= {row["geography_name"] for row in csv.DictReader(f)}
    assert set(KOMMUNER.values()) <= names
    assert not names & {"Karlskoga", "Lindesberg", "Askersund"}  # Örebro läns kommuner
