"""Hand-computed comparisons of ``assess_indicators``: ranks among the län and within a län,
the spread between a län's kommuner, the level score, geographies given or inferred, and totals
never compared across geographies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orchestration.gap_method import GapMethodConfig, assess_indicators
from orchestration.gap_method.cube import infer_geographies
from tests.unit.gap_method.builders import catalogue, series_from, values_frame
from tests.unit.gap_method.cases import row


@pytest.fixture(scope="module")
def regional_gaps() -> pd.DataFrame:
    """Three län and three kommuner of 0018, 2017–2018, lower is better."""
    series = {
        ("d", "0018", "T"): {2017: 5.5, 2018: 5.0},
        ("d", "0019", "T"): {2017: 4.5, 2018: 4.0},
        ("d", "0003", "T"): {2017: 6.5, 2018: 6.0},
        ("d", "1880", "T"): {2017: 12.0, 2018: 10.0},
        ("d", "1881", "T"): {2017: 20.0, 2018: 20.0},
        ("d", "1814", "T"): {2017: 28.0, 2018: 30.0},
        ("a", "0018", "T"): {2017: 20.0, 2018: 20.0},
        ("a", "1880", "T"): {2017: 12.0, 2018: 10.0},
        ("a", "1881", "T"): {2017: 20.0, 2018: 20.0},
        ("a", "1814", "T"): {2017: 28.0, 2018: 30.0},
    }
    indicators = catalogue(
        {"indicator_id": "d", "direction_sign": -1, "scale": "rate"},
        {"indicator_id": "a", "target_type": "absolute", "target_value": 25.0},
    )
    return assess_indicators(values_frame(series), indicators)


def test_rank_among_lan_is_one_for_the_best_in_the_desired_direction(regional_gaps):
    # lower is better: 0019 (4.0) 1st, 0018 (5.0) 2nd, 0003 (6.0) 3rd
    assert row(regional_gaps, "0019", 2018, "d")["rank_among_lan"] == 1
    assert row(regional_gaps, "0018", 2018, "d")["rank_among_lan"] == 2
    assert row(regional_gaps, "0018", 2018, "d")["lan_ranked"] == 3
    assert row(regional_gaps, "1814", 2018, "d")["rank_in_lan"] == 3
    assert pd.isna(row(regional_gaps, "1814", 2018, "d")["rank_among_lan"])


def test_kommuner_rank_within_their_own_lan_also_for_a_series_no_lan_publishes():
    # Kommun values only (like Kolada's kommun KPIs): Örebro län's two and Dalarna's three
    # kommuner are ranked apart, each among its own län's kommuner; other indicators in the
    # cube (more series before this one) do not mix in.
    series = {
        ("a", code, "T"): {2017: 1.0 + i, 2018: 2.0 + i}
        for i, code in enumerate(["0018", "0020", "1880", "1881", "2080", "2081", "2082"])
    } | {
        ("k", "1880", "T"): {2017: 5.0, 2018: 6.0},
        ("k", "1881", "T"): {2017: 7.0, 2018: 8.0},
        ("k", "2080", "T"): {2017: 1.0, 2018: 2.0},
        ("k", "2081", "T"): {2017: 9.0, 2018: 9.5},
        ("k", "2082", "T"): {2017: 3.0, 2018: 4.0},
    }
    gaps = assess_indicators(
        values_frame(series), catalogue({"indicator_id": "a"}, {"indicator_id": "k"})
    )
    assert row(gaps, "1881", 2018, "k")["rank_in_lan"] == 1
    assert row(gaps, "1880", 2018, "k")["kommuner_ranked"] == 2
    assert row(gaps, "2081", 2018, "k")["rank_in_lan"] == 1
    assert row(gaps, "2080", 2018, "k")["rank_in_lan"] == 3
    assert row(gaps, "2082", 2018, "k")["kommuner_ranked"] == 3


def test_the_spread_between_the_lans_kommuner_and_its_trend(regional_gaps):
    r = row(regional_gaps, "0018", 2018, "d")
    # kommuner 10, 20, 30: range 20, highest/lowest 3,
    # CV = sqrt(((10 − 20)² + 0 + (30 − 20)²)/3)/20 = sqrt(200/3)/20 = 0.408248
    assert r["kommun_count"] == 3
    assert (r["kommun_min"], r["kommun_max"], r["kommun_range"]) == (10.0, 30.0, 20.0)
    assert r["kommun_best_worst_ratio"] == pytest.approx(3.0)
    assert r["kommun_cv"] == pytest.approx(0.408248, abs=1e-6)
    # 2017: 12, 20, 28 → CV = sqrt(128/3)/20 = 0.326599; +0.081650 a year (end-point) beyond
    # τ = 0.005·mean(0.326599, 0.408248) = 0.001837 → the spread widens
    assert r["kommun_cv_slope"] == pytest.approx(0.081650, abs=1e-6)
    assert r["kommun_spread_trend"] == "widening"
    assert r["kommun_spread_trend_label"] == "ökar"
    # Only kommun 1814 (30 ≥ 25) meets the absolute target in 2018
    a = row(regional_gaps, "0018", 2018, "a")
    assert a["kommun_share_meeting_target"] == pytest.approx(1 / 3)


def test_the_level_score_between_the_kommun_floor_and_the_top_decile(regional_gaps):
    # Baseline 2017 kommuner 12, 20, 28, lower is better: d·x = −28, −20, −12.
    # floor: 2.5th percentile −28 + 0.05·8 = −27.6 → x_low = 27.6;
    # top decile: 90th percentile −20 + 0.8·8 = −13.6 → T* = 13.6
    r = row(regional_gaps, "1881", 2018, "d")
    assert r["level_floor"] == pytest.approx(27.6)
    assert r["level_ceiling"] == pytest.approx(13.6)
    # 1881 at 20: 100·(−20 + 27.6)/(−13.6 + 27.6) = 100·7.6/14 = 54.2857
    assert r["level_score"] == pytest.approx(54.285714, abs=1e-5)
    # past the ceiling → 100, past the floor → 0
    assert row(regional_gaps, "1880", 2018, "d")["level_score"] == 100.0
    assert row(regional_gaps, "1814", 2018, "d")["level_score"] == 0.0


def test_geographies_given_or_inferred_from_the_codes_agree(regional_gaps):
    values = values_frame(
        {("d", code, "T"): {2017: 1.0, 2018: 2.0} for code in ("0000", "0018", "1880")}
    )
    indicators = catalogue({"indicator_id": "d"})
    geographies = infer_geographies(pd.Index(["0000", "0018", "1880"]), GapMethodConfig())
    assert geographies["level"].tolist() == ["riket", "lan", "kommun"]
    assert geographies["lan_code"].tolist()[1:] == ["0018", "0018"]
    pd.testing.assert_frame_equal(
        assess_indicators(values, indicators),
        assess_indicators(values, indicators, geographies=geographies),
    )


def test_a_total_is_judged_on_its_own_change_and_never_compared_with_another_geography():
    """Tonnes, hectares, inhabitants: a county's total against Riket's or another län's
    measures the county's size, not its development."""
    lan = {f"00{n:02d}": 1000.0 * n for n in range(1, 13)}
    series = {
        ("t", code, "T"): series_from(2017, [v, v * 0.98, v * 0.96]) for code, v in lan.items()
    }
    series[("t", "0000", "T")] = series_from(2017, [45000.0, 44000.0, 43000.0])
    series.update({("t", k, "T"): series_from(2017, [10.0, 9.0, 8.0]) for k in ("1280", "1214")})
    gaps = assess_indicators(
        values_frame(series),
        catalogue(
            {"indicator_id": "t", "direction_sign": -1, "measure": "total", "scale": "count"}
        ),
    )
    r = row(gaps, "0012", 2019)
    # Its own change: (0.96)^(1/2) − 1 = −2.02 % a year, lower is better → i fas
    assert r["status"] == "on_track" and r["score"] > 2.5
    assert r["national_value"] == 43000.0  # Riket's own figure is still there to read
    for column in ("gap_to_national", "benchmark_gap", "rank_among_lan", "lan_ranked"):
        assert pd.isna(r[column]), column
    assert r["benchmark_status"] == "not_comparable"
    assert np.isnan(r["level_score"])
    assert pd.isna(r["kommun_cv"]) and pd.isna(r["kommun_best_worst_ratio"])  # no spread
    kommun = row(gaps, "1280", 2019)
    assert pd.isna(kommun["rank_in_lan"]) and pd.isna(kommun["kommuner_ranked"])
