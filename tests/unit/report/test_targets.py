"""Targets as the report states them and the kontrollstationer 2020 and 2025, on hand-built gap
rows with hand-computed paths (orchestration/report/targets.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from orchestration.report.targets import (
    baseline_cell,
    checkpoint_cells,
    distance_path,
    goal_text,
    path_points,
    target_path,
    target_text,
    value_path,
)

SHARE = {"scale": "percent", "unit": "andel (%)"}
TONNES = {"scale": "count", "unit": "ton CO2-ekv"}
NAN = float("nan")


def rows(*years_and_values: tuple[int, float, float]) -> pd.DataFrame:
    """Gap rows of one series: (assessment year, assessed value, distance to target)."""
    return pd.DataFrame(
        years_and_values, columns=["assessment_year", "assessed_value", "distance_to_target"]
    )


@pytest.mark.parametrize(
    ("catalogue", "level", "expected"),
    [
        ({"target_type": "absolute", "target_value": 82.0, "direction_sign": 1, **SHARE}, None,
         "minst 82 %"),
        ({"target_type": "relative", "target_value": -60.0, "direction_sign": -1,
          "baseline_year": 2005, **TONNES}, 710442.9,
         "−60 % från basåret 2005 (högst 710\u00a0000 ton CO2-ekv)"),
        ({"target_type": "national", "direction_sign": 1}, None, "minst rikets nivå"),
        ({"target_type": "peer", "direction_sign": -1}, None,
         "högst de jämförbara länens medelvärde"),
        ({"target_type": "maintain", "target_value": NAN, "direction_sign": 1}, None,
         "behålla basårets nivå"),
        ({"target_type": "absolute", "target_value": NAN, "direction_sign": 1}, None,
         "inget målvärde i katalogen: bedöms efter önskad riktning"),
    ],
)  # fmt: skip
def test_the_target_is_stated_in_swedish_from_the_catalogues_fields(catalogue, level, expected):
    assert target_text(catalogue, level) == expected


def test_the_goal_of_a_kontrollstation_names_the_level_and_the_year():
    ghg = {"target_type": "relative", "direction_sign": -1, "target_year": 2030, **TONNES}
    assert goal_text(ghg, 710442.9) == "högst 710\u00a0000 ton CO2-ekv år 2030"
    national = {"target_type": "national", "direction_sign": 1, "target_year": 2030}
    assert goal_text(national, 82.5) == "minst rikets nivå år 2030"


def test_the_path_runs_at_the_methods_pace_from_the_baseline_to_the_target():
    # 100 in 2010 to 25 in 2030 at a constant rate: halved by 2020 (half the way: √0.25), and
    # 100·0.25^0.75 = 35.355… in 2025. In a straight line: 62.5 and 43.75.
    assert value_path(100, 2010, 25, 2030, 2020, rate=True) == pytest.approx(50.0)
    assert value_path(100, 2010, 25, 2030, 2025, rate=True) == pytest.approx(35.3553, abs=1e-4)
    assert value_path(100, 2010, 25, 2030, 2020, rate=False) == pytest.approx(62.5)
    assert value_path(100, 2010, 25, 2030, 2025, rate=False) == pytest.approx(43.75)
    assert value_path(100, 2010, 25, 2030, 2009, rate=True) is None  # before the baseline
    assert value_path(100, 2010, 25, 2025, 2030, rate=True) == 25  # after the target year
    # A distance of −2 in 2017 closes to 0 by 2030: −2·10/13 in 2020, −2·5/13 in 2025.
    assert distance_path(-2.0, 2017, 2030, 2020) == pytest.approx(-20 / 13)
    assert distance_path(-2.0, 2017, 2030, 2025) == pytest.approx(-10 / 13)
    assert distance_path(1.1, 2017, 2030, 2020) == 0.0  # ahead in the baseline year: stay so


def test_a_fixed_target_with_a_constant_rate_gets_its_kontrollstationer():
    # Emissions of 100 kt in 2010 to fall to 25 kt (−75 %) by 2030: the path says 50 in 2020
    # and 35.4 in 2025; the county was at 55 in 2020 (behind the path: R < 1 that year).
    row = {
        "target_type": "relative",
        "direction_sign": -1,
        "assessment_year": 2022,
        "baseline_year_used": 2010,
        "baseline_value": 100.0,
        "target_level": 25.0,
        "target_year": 2030,
        "pace_method": "cagr",
    }
    path = target_path(row, rows((2010, 100.0, -75.0), (2020, 55.0, -30.0)), 2022)
    assert path.reason is None and not path.moving
    assert [c.path for c in path.checkpoints] == pytest.approx([50.0, 35.3553], abs=1e-4)
    assert path.checkpoints[0].outcome == 55.0 and path.checkpoints[1].outcome is None
    assert checkpoint_cells(path, TONNES) == ["50", "55", "35,4"]
    assert baseline_cell(path, TONNES, 2010) == "2010: 100"
    # Data to 2025: the 2025 outcome too; no value that year says so.
    later = target_path(row, rows((2020, 55.0, -30.0)), 2025)
    assert checkpoint_cells(later, TONNES) == ["50", "55", "35,4", "inget värde"]


def test_a_linear_pace_gives_a_straight_path():
    # Sign change: −10 in 2010 to +10 in 2030 at a linear pace: 0 in 2020, 5 in 2025.
    row = {
        "target_type": "absolute",
        "direction_sign": 1,
        "assessment_year": 2022,
        "baseline_year_used": 2010,
        "baseline_value": -10.0,
        "target_level": 10.0,
        "target_year": 2030,
        "pace_method": "linear",
    }
    path = target_path(row, rows((2020, 1.0, -9.0)), 2022)
    assert [c.path for c in path.checkpoints] == pytest.approx([0.0, 5.0])
    assert checkpoint_cells(path, {"unit": "index"}) == ["0", "1", "5"]


def test_a_moving_target_shows_the_distance_the_path_allows():
    # Behörighet: 80.5 % against Riket's 82.5 % in 2017 (2 procentenheter behind); the path
    # allows 1.54 behind in 2020 and 0.77 in 2025; the county was 5.95 behind in 2020.
    row = {
        "target_type": "national",
        "direction_sign": 1,
        "assessment_year": 2022,
        "baseline_year_used": 2017,
        "baseline_value": 80.5,
        "benchmark_baseline_value": 82.5,
        "target_level": 85.31,
        "target_year": 2030,
    }
    path = target_path(row, rows((2017, 80.5, -2.0), (2020, 80.0, -5.952)), 2022)
    assert path.moving and path.baseline == pytest.approx(-2.0)
    assert checkpoint_cells(path, SHARE) == [
        "1,5 procentenheter efter",
        "6 procentenheter efter",
        "0,77 procentenheter efter",
    ]
    assert baseline_cell(path, SHARE, 2017) == "2017: 2 procentenheter efter"
    ahead = target_path(row | {"baseline_value": 83.0}, rows((2020, 84.0, 0.4)), 2022)
    assert checkpoint_cells(ahead, SHARE) == [
        "i nivå med eller före",
        "0,4 procentenheter före",
        "i nivå med eller före",
    ]


def test_a_missing_baseline_value_says_so_in_the_statements_words():
    row = {
        "target_type": "relative",
        "direction_sign": -1,
        "assessment_year": 2022,
        "baseline_year_used": NAN,
        "baseline_value": NAN,
        "target_level": NAN,
        "target_year": 2030,
    }
    path = target_path(row, rows(), 2022, value_years=[], catalogue_baseline=2005)
    # A relative target is a change from its own base year: no fallback (docs/method.md §2).
    assert path.reason == "otillräckliga data: målet räknas från basåret 2005, som saknar värde"
    assert checkpoint_cells(path, TONNES) == ["–", "–", "–"]
    assert baseline_cell(path, TONNES, 2005) == "–"
    late = target_path(row, rows(), 2022, value_years=[2021, 2022], catalogue_baseline=2005)
    assert late.reason == (
        "otillräckliga data: värden bara för 2021–2022 "
        "(målet räknas från basåret 2005, som saknar värde)"
    )
    # An absolute target's baseline may fall back to a later year up to 2020.
    absolute = {**row, "target_type": "absolute"}
    fallback = target_path(
        absolute, rows(), 2022, value_years=[2021, 2022], catalogue_baseline=2005
    )
    assert fallback.reason == (
        "otillräckliga data: värden bara för 2021–2022 (ett värde för basåret 2005–2020 behövs)"
    )
    national = {
        "target_type": "national",
        "assessment_year": 2022,
        "baseline_year_used": 2017,
        "baseline_value": 70.0,
        "benchmark_baseline_value": NAN,
        "target_year": 2030,
    }
    no_riket = target_path(national, rows(), 2022)
    assert no_riket.reason == "otillräckliga data: inget värde för riket basåret 2017"


def test_a_kontrollstation_before_the_baseline_has_no_path():
    row = {
        "target_type": "absolute",
        "direction_sign": 1,
        "assessment_year": 2022,
        "baseline_year_used": 2021,
        "baseline_value": 60.0,
        "target_level": 70.0,
        "target_year": 2030,
        "pace_method": "cagr",
    }
    path = target_path(row, rows((2020, 58.0, -12.0)), 2022, catalogue_baseline=2021)
    assert checkpoint_cells(path, SHARE)[:2] == ["före basåret", "58"]
    assert baseline_cell(path, SHARE, 2017) == "2021: 60 (första år med värde efter 2017)"


def test_the_charts_path_passes_through_the_kontrollstationer():
    row = {
        "baseline_year_used": 2005,
        "baseline_value": 100.0,
        "target_level": 40.0,
        "target_year": 2030,
        "pace_method": "cagr",
    }
    points = dict(path_points(row))
    assert list(points) == [2005, 2010, 2015, 2020, 2025, 2030]
    assert points[2030] == 40.0 and points[2020] == pytest.approx(100 * 0.4**0.6)
    assert math.isclose(points[2005], 100.0)
    assert list(dict(path_points(row | {"baseline_year_used": 2017}))) == [2017, 2020, 2025, 2030]
    assert path_points(row | {"baseline_value": NAN}) == []
