"""Hand-computed cases for the backward progress measure (docs/method.md §4.1), which follows
Open SDG / Statistics Canada (open-sdg/sdg-build:sdg/ProgressMeasure.py): statuses, scores, the
0.001 zero-target rule and the natural-limit coefficient."""

from __future__ import annotations

import math

import numpy as np
import pytest

from orchestration.gap_method import GapMethodConfig, backward_ratio
from orchestration.gap_method.progress import limit_coefficient, natural_limits

NAN = float("nan")


def test_on_track_when_actual_pace_exceeds_required():
    r = backward_ratio(x_b=50, x_t=55, b=2017, t=2020, target=70, direction=1)
    # a = (55/50)^(1/3) − 1 = 1.1^(1/3) − 1 = 0.0322801
    assert r.actual_pace == pytest.approx(0.0322801, abs=1e-6)
    # r = (70/50)^(1/13) − 1 = 1.4^(1/13) − 1 = 0.0262203
    assert r.required_pace == pytest.approx(0.0262203, abs=1e-6)
    # R = 0.0322801 / 0.0262203 = 1.23111 ≥ 0.95 → substantial progress
    assert r.ratio == pytest.approx(1.23111, abs=1e-4)
    assert r.status == "substantial_progress"
    assert r.pace_method == "cagr"
    # score: above R = 0.6 sdg-build's line 7.1429·R − 4.2857 (= (R − 0.6)·5/0.7):
    # (1.23111 − 0.6)·5/0.7 = 4.50793
    assert r.score == pytest.approx(4.50793, abs=1e-4)


def test_moderate_and_limited_progress_between_the_thresholds():
    r = backward_ratio(x_b=50, x_t=52, b=2017, t=2020, target=70, direction=1)
    # a = 1.04^(1/3) − 1 = 0.0131594; R = 0.0131594 / 0.0262203 = 0.50188 → limited (0 ≤ R < 0.6)
    assert r.ratio == pytest.approx(0.50188, abs=1e-4)
    assert r.status == "limited_progress"
    # score below 0.6: 4.1667·R − 2.5 (= R·2.5/0.6 − 2.5) = 0.50188·4.16667 − 2.5 = −0.40883
    assert r.score == pytest.approx(-0.40883, abs=1e-4)
    r = backward_ratio(x_b=50, x_t=53, b=2017, t=2020, target=70, direction=1)
    # a = 1.06^(1/3) − 1 = 0.0196128; R = 0.0196128 / 0.0262203 = 0.74800 → moderate progress
    assert r.ratio == pytest.approx(0.74800, abs=1e-4)
    assert r.status == "moderate_progress"


def test_moving_away_is_deterioration_and_the_score_stops_at_minus_5():
    r = backward_ratio(x_b=50, x_t=45, b=2017, t=2020, target=70, direction=1)
    # a = 0.9^(1/3) − 1 = −0.0345106 → R = −0.0345106 / 0.0262203 = −1.31618 < 0
    assert r.ratio == pytest.approx(-1.31618, abs=1e-4)
    assert r.status == "deterioration"
    # 4.1667·(−1.31618) − 2.5 = −7.98 → clamped at −5 (sdg-build: max(…, −5))
    assert r.score == -5.0


def test_a_decrease_desired_flips_the_sign():
    r = backward_ratio(x_b=10, x_t=9, b=2017, t=2020, target=5, direction=-1)
    # a = 0.9^(1/3) − 1 = −0.0345106; r = 0.5^(1/13) − 1 = −0.0519159
    # R = d·a/|r| = (−1)(−0.0345106)/0.0519159 = 0.66474 → moderate progress
    assert r.ratio == pytest.approx(0.66474, abs=1e-4)
    assert r.status == "moderate_progress"


def test_a_target_already_met_overrides_the_ratio_and_scores_5():
    r = backward_ratio(x_b=50, x_t=75, b=2017, t=2020, target=70, direction=1)
    # 75 ≥ 70: sdg-build's target_achieved, score 5 whatever R is
    assert r.status == "target_achieved"
    assert r.score == 5.0


def test_a_target_met_in_the_first_year_is_still_met():
    # sdg-build checks the target before the pace: met needs no second value.
    r = backward_ratio(x_b=80, x_t=80, b=2017, t=2017, target=70, direction=1)
    assert r.status == "target_achieved"
    assert math.isnan(r.actual_pace)


def test_zero_values_use_linear_pace_and_say_so():
    r = backward_ratio(x_b=0, x_t=3, b=2017, t=2020, target=10, direction=1)
    # linear: a = (3 − 0)/3 = 1.0 per year (scale 1 when x_b = 0); r = (10 − 0)/13 = 0.769231
    # R = 1.0 / 0.769231 = 1.3 → substantial progress
    assert r.pace_method == "linear"
    assert r.ratio == pytest.approx(1.3, abs=1e-6)
    assert r.status == "substantial_progress"


def test_negative_values_use_sdg_builds_sign():
    r = backward_ratio(x_b=-10, x_t=-5, b=2017, t=2018, target=NAN, direction=1)
    # CAGR of the ratio (−5)/(−10) = 0.5 → 0.5 − 1 = −0.5; sign(x_b) = −1 → pace +0.5:
    # the value rose by half of |x_b|, as sdg-build's sign·d·CAGR = (−1)(1)(−0.5) = 0.5
    assert r.pace_method == "cagr"
    assert r.ratio == pytest.approx(0.5)
    assert r.status == "substantial_progress"


def test_values_changing_sign_use_linear_pace():
    r = backward_ratio(x_b=-2, x_t=3, b=2017, t=2022, target=NAN, direction=1)
    # no CAGR across zero: linear (3 − (−2))/5 years/|−2| = 0.5 per year
    assert r.pace_method == "linear"
    assert r.ratio == pytest.approx(0.5)


def test_the_first_year_has_no_pace_and_is_not_available():
    r = backward_ratio(x_b=50, x_t=50, b=2017, t=2017, target=70, direction=1)
    assert r.status == "not_available"
    assert r.pace_method == "none"
    assert math.isnan(r.actual_pace) and math.isnan(r.score)


@pytest.mark.parametrize(
    ("x_t", "status"),
    [
        # x_b = 10 in 2017, x_t in 2021: CAGR = (x_t/10)^(1/4) − 1, no natural limit (C = 1)
        (12.0, "substantial_progress"),  # 1.2^0.25 − 1 = 4.66 % ≥ 1.5 %
        (10.4, "moderate_progress"),  # 1.04^0.25 − 1 = 0.985 %, within 0.5–1.5 %
        (10.15, "limited_progress"),  # 1.015^0.25 − 1 = 0.373 %, within 0–0.5 %
        (9.0, "deterioration"),  # 0.9^0.25 − 1 = −2.60 % < 0
    ],
    ids=["substantial", "moderate", "limited", "deterioration"],
)
def test_without_a_target_the_direction_adjusted_cagr_decides(x_t, status):
    assert backward_ratio(10, x_t, 2017, 2021, NAN, 1).status == status


def test_the_cagr_score_without_a_target_follows_sdg_build():
    # 1.04^0.25 − 1 = 0.0098534: between 0.5 % and 1.5 %: 250·p − 1.25 = 2.46335 − 1.25 = 1.21335
    assert backward_ratio(10, 10.4, 2017, 2021, NAN, 1).score == pytest.approx(1.21335, abs=1e-4)
    # 0.9^0.25 − 1 = −0.0259856 < 0: max(125·p − 2.5, −5) = max(−5.748, −5) = −5
    assert backward_ratio(10, 9.0, 2017, 2021, NAN, 1).score == -5.0


def test_a_natural_limit_shrinks_the_thresholds():
    r = backward_ratio(95, 96, 2017, 2021, NAN, 1, natural_min=0, natural_max=100)
    # limit 100 for an increase: u = 95/100, C = 1 − 0.95^4.44 = 1 − 0.79633 = 0.20367
    assert r.limit_coefficient == pytest.approx(0.20367, abs=1e-5)
    # p = (96/95)^(1/4) − 1 = 0.0026213 → below 1.5 %·C = 0.3055 %, above 0.5 %·C = 0.1018 %
    assert r.status == "moderate_progress"
    # score 250·p/C − 1.25 = 250·0.0026213/0.20367 − 1.25 = 1.96752
    assert r.score == pytest.approx(1.96752, abs=1e-4)
    # Without the limit 0.26 % a year is only limited progress.
    assert backward_ratio(95, 96, 2017, 2021, NAN, 1).status == "limited_progress"


def test_the_limit_coefficient_matches_sdg_build_from_zero_and_extends_to_falling_shares():
    # sdg-build: base ≥ 2·limit → 1; base ≤ limit → 1 − (base/limit)^4.44;
    # between → 1 − ((2·limit − base)/limit)^4.44.
    c = limit_coefficient(np.array([50.0, 150.0, 250.0]), 100.0, 0.0, 4.44)
    # 50: 1 − 0.5^4.44 = 1 − e^(4.44·ln 0.5) = 1 − 0.046071 = 0.953929;
    # 150: 1 − ((200 − 150)/100)^4.44 = the same 0.953929; 250 ≥ 2·100 → 1
    assert c == pytest.approx([0.953929, 0.953929, 1.0], abs=1e-6)
    # A share falling towards 0 %: sdg-build (origin 0, limit 0) never shrinks (C = 1) ...
    limit, origin = natural_limits(np.array([-1.0]), np.array([0.0]), np.array([100.0]), False)
    assert limit_coefficient(np.array([5.0]), limit, origin, 4.44) == pytest.approx([1.0])
    # ... measured from the opposite bound 100 %: u = (100 − 5)/100 = 0.95 → C = 0.20367
    limit, origin = natural_limits(np.array([-1.0]), np.array([0.0]), np.array([100.0]), True)
    assert limit_coefficient(np.array([5.0]), limit, origin, 4.44) == pytest.approx(
        [0.20367], abs=1e-5
    )


def test_open_sdg_example_indicator_3_3_3_target_zero_is_deterioration():
    # sdg-build's own test asset tests/assets/progress-calculation: indicator_3-3-3.csv (total
    # series 2015 1.55 … 2019 1.82) with 3-3-3.yml {direction: negative, target: 0}; base year
    # 2015 (sdg-build's default), current year 2019 (its latest), target year 2030.
    r = backward_ratio(x_b=1.55, x_t=1.82, b=2015, t=2019, target=0.0, direction=-1)
    # target 0 → 0.001; a = (1.82/1.55)^(1/4) − 1 = 0.0409621;
    # r = (0.001/1.55)^(1/15) − 1 = −0.3872106; R = (−1)(0.0409621)/0.3872106 = −0.105788
    assert r.actual_pace == pytest.approx(0.0409621, abs=1e-6)
    assert r.required_pace == pytest.approx(-0.3872106, abs=1e-6)
    assert r.ratio == pytest.approx(-0.105788, abs=1e-5)
    assert r.status == "deterioration"
    # sdg-build: max(4.1667·R − 2.5, −5) = −2.94079 (4.1667 rounds 2.5/0.6; we use the exact
    # breakpoints, −2.940782, within 1e-5)
    assert r.score == pytest.approx(-2.94079, abs=1e-4)


def test_open_sdg_example_indicator_1_1_1_defaults_to_a_negative_direction():
    # indicator_1-1-1.csv total 2020: 100, 2021: 120 with no options: sdg-build defaults to
    # direction negative, no target (method 1), base year 2015 → the next year with data, 2020.
    r = backward_ratio(x_b=100, x_t=120, b=2020, t=2021, target=NAN, direction=-1)
    # p = −1·(120/100 − 1) = −0.2 → deterioration; score max(125·(−0.2) − 2.5, −5) = −5
    assert r.ratio == pytest.approx(-0.2)
    assert r.status == "deterioration"
    assert r.score == -5.0


def test_the_indicators_own_target_year_sets_the_required_pace():
    # Broadband 98 % by 2025 from 60 % in 2017: r = (98/60)^(1/8) − 1 = 1.632̅^0.125 − 1 = 0.0632475
    r = backward_ratio(60, 70, 2017, 2020, 98, 1, target_year=2025)
    assert r.required_pace == pytest.approx(0.0632475, abs=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"on_track_ratio": 0.5, "moderate_ratio": 0.6}, "moderate_ratio"),
        ({"substantial_cagr": 0.02, "cagr_score_points": ((-1, -5), (1, 5))}, "cagr_score"),
        ({"theil_sen_min_points": 7}, "theil_sen_min_points"),
        ({"parity_low": 1.01}, "parity_low"),
        ({"ratio_score_points": ((1.0, 0.0), (0.0, 1.0))}, "ratio_score_points"),
    ],
    ids=["ratio", "bands", "window", "parity", "score-points"],
)
def test_config_rejects_inconsistent_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        GapMethodConfig(**kwargs)
