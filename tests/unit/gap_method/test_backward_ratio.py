"""Hand-computed cases for the backward ratio (DESIGN §5; Open SDG / Statistics Canada)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from orchestration.gap_method import GapMethodConfig, assess_indicators, backward_ratio

NAN = float("nan")


def test_on_track_when_actual_pace_exceeds_required():
    r = backward_ratio(x_b=50, x_t=55, b=2017, t=2020, target=70, direction=1)
    # a = (55/50)^(1/3) − 1 = 1.1^(1/3) − 1 = 0.0322801
    assert r.actual_pace == pytest.approx(0.0322801, abs=1e-6)
    # r = (70/50)^(1/13) − 1 = 1.4^(1/13) − 1 = 0.0262203
    assert r.required_pace == pytest.approx(0.0262203, abs=1e-6)
    # R = 0.0322801 / 0.0262203 = 1.23111 ≥ 0.95 → on track
    assert r.ratio == pytest.approx(1.23111, abs=1e-4)
    assert r.status == "on_track"
    assert r.pace_method == "cagr"


def test_moderate_progress_between_0_6_and_0_95():
    r = backward_ratio(x_b=50, x_t=52, b=2017, t=2020, target=70, direction=1)
    # a = 1.04^(1/3) − 1 = 0.0131594; R = 0.0131594 / 0.0262203 = 0.50188 → insufficient (< 0.6)
    assert r.ratio == pytest.approx(0.50188, abs=1e-4)
    assert r.status == "insufficient_progress"
    r = backward_ratio(x_b=50, x_t=53, b=2017, t=2020, target=70, direction=1)
    # a = 1.06^(1/3) − 1 = 0.0196128; R = 0.0196128 / 0.0262203 = 0.74800 → moderate progress
    assert r.ratio == pytest.approx(0.74800, abs=1e-4)
    assert r.status == "moderate_progress"


def test_moving_away_when_the_value_goes_the_wrong_way():
    r = backward_ratio(x_b=50, x_t=45, b=2017, t=2020, target=70, direction=1)
    # a = 0.9^(1/3) − 1 = −0.0345106 → R = −0.0345106 / 0.0262203 = −1.31618 < 0
    assert r.ratio == pytest.approx(-1.31618, abs=1e-4)
    assert r.status == "moving_away"


def test_a_decrease_desired_flips_the_sign():
    r = backward_ratio(x_b=10, x_t=9, b=2017, t=2020, target=5, direction=-1)
    # a = 0.9^(1/3) − 1 = −0.0345106; r = 0.5^(1/13) − 1 = −0.0519159
    # R = d·a/|r| = (−1)(−0.0345106)/0.0519159 = 0.66474 → moderate progress
    assert r.ratio == pytest.approx(0.66474, abs=1e-4)
    assert r.status == "moderate_progress"


def test_a_target_already_met_overrides_the_ratio():
    r = backward_ratio(x_b=50, x_t=75, b=2017, t=2020, target=70, direction=1)
    assert r.status == "target_met"


def test_zero_values_use_linear_pace_and_say_so():
    r = backward_ratio(x_b=0, x_t=3, b=2017, t=2020, target=10, direction=1)
    # linear: a = (3 − 0)/3 = 1.0 per year (scale 1 when x_b = 0); r = (10 − 0)/13 = 0.769231
    # R = 1.0 / 0.769231 = 1.3 → on track
    assert r.pace_method == "linear"
    assert r.ratio == pytest.approx(1.3, abs=1e-6)
    assert r.status == "on_track"


def test_the_first_year_has_no_pace_and_is_insufficient_data():
    r = backward_ratio(x_b=50, x_t=50, b=2017, t=2017, target=70, direction=1)
    assert r.status == "insufficient_data"
    assert math.isnan(r.actual_pace)


@pytest.mark.parametrize(
    ("x_t", "status"),
    [
        # x_b = 10 in 2017, x_t in 2021: CAGR = (x_t/10)^(1/4) − 1
        (12.0, "on_track"),  # 1.2^0.25 − 1 = 4.66 % ≥ 1.5 %
        (10.4, "moderate_progress"),  # 1.04^0.25 − 1 = 0.985 %, within 0.5–1.5 %
        (10.15, "insufficient_progress"),  # 1.015^0.25 − 1 = 0.373 %, within 0–0.5 %
        (9.0, "moving_away"),  # 0.9^0.25 − 1 = −2.60 % < 0
    ],
    ids=["substantial", "moderate", "limited", "deterioration"],
)
def test_without_a_target_the_direction_adjusted_cagr_decides(x_t, status):
    assert backward_ratio(10, x_t, 2017, 2021, NAN, 1).status == status


def test_assess_indicators_uses_riket_that_year_as_a_national_target():
    values = pd.DataFrame(
        {
            "indicator_id": ["i"] * 4,
            "geography_code": ["0000", "0000", "0018", "0018"],
            "sex": ["T"] * 4,
            "year": [2017, 2020, 2017, 2020],
            "value": [60.0, 62.0, 50.0, 63.0],
            "is_synthetic": [False, False, False, True],
        }
    )
    indicators = pd.DataFrame(
        {
            "indicator_id": ["i"],
            "direction_sign": [1],
            "target_type": ["national"],
            "target_value": [NAN],
            "target_year": [2030],
            "baseline_year": [2017],
        }
    )
    gaps = assess_indicators(values, indicators).set_index(["geography_code", "assessment_year"])
    county = gaps.loc[("0018", 2020)]
    # 63 ≥ Riket's 62 in 2020 → met; the synthetic value marks the row synthetic.
    assert county["target_level"] == 62.0
    assert county["status"] == "target_met"
    assert county["status_label"] == "uppnått"
    assert bool(county["is_synthetic"]) is True
    # The baseline year itself is listed, with insufficient data for a pace.
    assert gaps.loc[("0018", 2017)]["status"] == "insufficient_data"


def test_a_series_without_a_baseline_value_is_insufficient_data_never_guessed():
    values = pd.DataFrame(
        {
            "indicator_id": ["i"] * 2,
            "geography_code": ["1880"] * 2,
            "sex": ["T"] * 2,
            "year": [2022, 2023],
            "value": [1.0, 2.0],
            "is_synthetic": [False, False],
        }
    )
    indicators = pd.DataFrame(
        {
            "indicator_id": ["i"],
            "direction_sign": [1],
            "target_type": ["direction"],
            "target_value": [NAN],
            "target_year": [2030],
            "baseline_year": [2017],
        }
    )
    gaps = assess_indicators(values, indicators)
    assert set(gaps["status"]) == {"insufficient_data"}
    assert set(gaps["status_label"]) == {"otillräckliga data"}


def test_assess_indicators_names_missing_columns():
    with pytest.raises(ValueError, match=r"values lacks column\(s\) \['is_synthetic'\]"):
        assess_indicators(
            pd.DataFrame(columns=["indicator_id", "geography_code", "sex", "year", "value"]),
            pd.DataFrame(),
        )


def test_config_rejects_inverted_thresholds():
    with pytest.raises(ValueError, match="moderate_ratio"):
        GapMethodConfig(on_track_ratio=0.5, moderate_ratio=0.6)


def test_a_relative_target_is_a_change_from_the_baseline_value():
    # Emissions −60 % from 2005 by 2030: x_b = 100 → T = 100·(1 − 0.6) = 40.
    values = pd.DataFrame(
        {
            "indicator_id": ["e"] * 2,
            "geography_code": ["0018"] * 2,
            "sex": ["T"] * 2,
            "year": [2005, 2020],
            "value": [100.0, 70.0],
            "is_synthetic": [False, False],
        }
    )
    indicators = pd.DataFrame(
        {
            "indicator_id": ["e"],
            "direction_sign": [-1],
            "target_type": ["relative"],
            "target_value": [-60.0],
            "target_year": [2030],
            "baseline_year": [2005],
        }
    )
    row = assess_indicators(values, indicators).set_index("assessment_year").loc[2020]
    assert row["target_level"] == pytest.approx(40.0)
    # a = 0.7^(1/15) − 1 = −0.0234982; r = 0.4^(1/25) − 1 = −0.0359866
    # R = (−1)(−0.0234982)/0.0359866 = 0.65297 → moderate progress
    assert row["backward_ratio"] == pytest.approx(0.65297, abs=1e-4)
    assert row["status"] == "moderate_progress"


def test_the_indicators_own_target_year_sets_the_required_pace():
    # Broadband 98 % by 2025 from 60 % in 2017: r = (98/60)^(1/8) − 1 = 1.632̅^0.125 − 1 = 0.0632475
    r = backward_ratio(60, 70, 2017, 2020, 98, 1, target_year=2025)
    assert r.required_pace == pytest.approx(0.0632475, abs=1e-6)
