"""A fourth kraftsamling is data, not code: on a copy of the dbt project whose seeds add one that
applies from 2020 with two linked indicators, dbt builds it into dim_focus_effort and the roll-up
per kraftsamling (fed as gap_focus_effort_annual is: gap rows, seeds.indicator_links, the
catalogue's geography_levels and dim_focus_effort's years) has its rows from 2020 on and none
before, while the three kraftsamlingar of the bundled seeds roll up exactly as before.

The gap rows are the gap method's own, on deterministic synthetic values for every catalogue
indicator (ingest.snapshot.synthetic), Riket, the 21 län and the region's kommuner, 2012–2022."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ingest.snapshot.synthetic import synthetic_value
from orchestration.gap_method import GapMethodConfig, assess_indicators, peers_of, roll_up_links
from tests.conftest import REPO_ROOT
from tests.dbt import run_dbt

pytestmark = pytest.mark.integration

SEEDS = REPO_ROOT / "dbt_project" / "seeds"
REGION = "0018"
YEARS = range(2012, 2023)
NEW = {
    "focus_effort_id": "K4",
    "focus_effort_number": "4",
    "focus_effort_name": "Testkraftsamling",
    "guiding_question": "Hur följs en kraftsamling upp från det år den gäller?",
    "adopted_year": "2020",
    "applies_from": "2020",
    "applies_to": "",
}
NEW_LINKS = ["employment_rate_20_64", "education_job_matching_scb"]


def append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        fields = next(csv.reader(f))
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=fields, lineterminator="\n").writerows(rows)


def project_copy(root: Path, focus_effort: dict[str, str]) -> Path:
    """The dbt project under ``root`` with ``focus_effort`` and its two links added."""
    project = root / "dbt_project"
    shutil.copytree(
        REPO_ROOT / "dbt_project",
        project,
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml"),
    )
    append_rows(project / "seeds" / "rus_focus_efforts.csv", [focus_effort])
    links = [
        {"indicator_id": i, "link_type": "focus_effort", "link_id": "K4", "is_primary": "false"}
        for i in NEW_LINKS
    ]
    append_rows(project / "seeds" / "indicator_links.csv", links)
    return project


def dbt_build(project: Path, root: Path) -> subprocess.CompletedProcess[str]:
    """The seeds and dim_focus_effort with every test whose inputs they all are."""
    data_dir = root / "data"
    data_dir.mkdir(exist_ok=True)
    return run_dbt(
        project,
        data_dir,
        root / "target",
        *("build", "--select", "resource_type:seed", "dim_focus_effort"),
        *("--indirect-selection", "cautious"),
    )


def gap_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The gap method on synthetic values, with the catalogue, geographies and peers of the
    seeds the warehouse holds (direction_sign as dim_indicator derives it)."""
    indicators = con.execute(
        "select *, case desired_direction when 'decrease' then -1 else 1 end as direction_sign"
        " from seeds.indicators"
    ).df()
    geographies = con.execute(
        "select geography_code, level, lan_code from seeds.geographies"
        " where level <> 'kommun' or lan_code = ?",
        [REGION],
    ).df()
    values = pd.DataFrame(
        [
            (i, g, sex, year, synthetic_value(i, g, year, sex), True)
            for i in indicators["indicator_id"]
            for g in geographies["geography_code"]
            for sex in ("T", "K", "M")
            for year in YEARS
        ],
        columns=["indicator_id", "geography_code", "sex", "year", "value", "is_synthetic"],
    )
    pairs = con.execute("select region_code, peer_region_code from seeds.rus_region_peers")
    config = GapMethodConfig(peer_geography_codes=peers_of(REGION, pairs.fetchall()))
    return assess_indicators(values, indicators, config, geographies=geographies)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """dbt on the variant seeds; its warehouse's inputs of the roll-up, the gap rows and the
    roll-up per kraftsamling."""
    root = tmp_path_factory.mktemp("fourth_focus_effort")
    proc = dbt_build(project_copy(root, NEW), root)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    con = duckdb.connect(str(root / "data" / "warehouse.duckdb"), read_only=True)
    try:
        inputs = {
            "dim": con.execute("select * from marts.dim_focus_effort").df(),
            "links": con.execute("select * from seeds.indicator_links").df(),
            "levels": con.execute(
                "select indicator_id, geography_levels from seeds.indicators"
            ).df(),
        }
        gaps = gap_rows(con)
    finally:
        con.close()
    rolled = roll_up_links(
        gaps, inputs["links"], "focus_effort", indicators=inputs["levels"], periods=inputs["dim"]
    )
    return {**inputs, "gaps": gaps, "rolled": rolled}


def test_the_fourth_kraftsamling_is_a_row_of_dim_focus_effort_with_its_years(built):
    dim = built["dim"].set_index("focus_effort_id")
    assert list(dim.index) == ["K1", "K2", "K3", "K4"]
    assert (dim.loc["K4", "focus_effort_name"], dim.loc["K4", "applies_from"]) == (
        "Testkraftsamling",
        2020,
    )
    assert pd.isna(dim.loc["K4", "applies_to"])
    assert dim.loc[["K1", "K2", "K3"], ["applies_from", "applies_to"]].isna().all().all()


def test_its_rows_start_in_the_year_it_applies_from(built):
    gaps, rolled = built["gaps"], built["rolled"]
    linked = gaps[gaps["indicator_id"].isin(NEW_LINKS)]
    assert linked["assessment_year"].min() < 2020  # its indicators have rows before 2020 …
    k4 = rolled[rolled["group_id"] == "K4"]
    assert k4["assessment_year"].min() == 2020  # … the kraftsamling none
    expected_years = sorted(y for y in linked["assessment_year"].unique() if y >= 2020)
    assert sorted(k4["assessment_year"].unique()) == expected_years
    county = k4[(k4["geography_code"] == REGION) & (k4["sex"] == "T")].set_index("assessment_year")
    assert list(county.index) == [2020, 2021, 2022]
    assert (county["n_indicators"] == 2).all() and (county["n_with_row"] == 2).all()
    assert pd.isna(county.loc[2020, "previous_assessment_year"])
    assert county.loc[2020, "n_status_changed"] == 0
    assert county.loc[2021, "previous_assessment_year"] == 2020


def test_the_three_kraftsamlingar_roll_up_exactly_as_before(built):
    """Before: the bundled seeds' links, no years at all (the roll-up as it was)."""
    links = pd.read_csv(SEEDS / "indicator_links.csv", dtype=str)
    before = roll_up_links(built["gaps"], links, "focus_effort", indicators=built["levels"])
    assert set(before["group_id"]) == {"K1", "K2", "K3"}
    after = built["rolled"]
    after = after[after["group_id"] != "K4"].reset_index(drop=True)
    pd.testing.assert_frame_equal(after, before.reset_index(drop=True))


def test_a_kraftsamling_ending_before_it_starts_fails_the_seed_test(tmp_path):
    proc = dbt_build(project_copy(tmp_path, {**NEW, "applies_to": "2019"}), tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]
    assert "expression_is_true_rus_focus_efforts" in out, out[-3000:]
