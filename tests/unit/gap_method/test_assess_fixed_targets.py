"""Hand-computed cases for ``assess_indicators`` with a fixed target: every long-term status
of an absolute target, the backward ratio, the first year, few values, a missing year, a
relative target, a maintain target, and a past year recomputed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orchestration.gap_method import STATUS_LABELS, assess_indicators
from tests.unit.gap_method.builders import catalogue, series_from, values_frame
from tests.unit.gap_method.cases import LINEAR, NAN, absolute_case, row


@pytest.fixture(scope="module")
def absolute_gaps() -> pd.DataFrame:
    """The absolute-target case of cases.py, assessed once per module."""
    return absolute_case()


@pytest.mark.parametrize(
    ("indicator", "status", "ratio", "score", "q"),
    [
        # Baseline 70 in 2017, target 80 in 2030: required pace r = (80/70)^(1/13) − 1 = 0.0103246.
        # 76 in 2023: a = (76/70)^(1/6) − 1 = 0.0138007; R = a/r = 1.336685 ≥ 0.95 → i fas, +5.
        # (Q, the forward ratio at the recent pace, = 1/((80 − 76)/7) = 1.75.)
        ("on", "on_track", 1.336685, 5.0, 1.75),
        # 73: a = 0.0070185; R = 0.67979 ∈ [0.6, 0.95) → nearly; score 2.5·(0.67979 − 0.6)/0.35
        ("nearly", "nearly_on_track", 0.67979, 0.569929, 0.5),
        # 72.4: a = 0.0056343; R = 0.545719 ∈ [0, 0.6) → too slow; score −2.5 + 2.5·R/0.6; the
        # closing 0.4 a year is above τ = 0.005·mean(70.4 … 72.4) = 0.357
        ("slow", "too_slow", 0.545719, -0.226171, 0.368421),
        # 70.6: R = 0.137874, but the closing 0.1 a year is within τ = 0.3515 → står still; the
        # score −2.5 + 2.5·R/0.6 = −1.925526 lies in står still's band [−2.5, 0]
        ("still", "stagnating", 0.137874, -1.925526, 0.074468),
        # 64: a = (64/70)^(1/6) − 1 = −0.0148244; R = −1.435834 < 0 → går åt fel håll, −5
        ("wrong", "wrong_direction", -1.435834, -5.0, -0.4375),
        # 81 ≥ 80 every year (R = 0: no movement, none needed; a met target scores +5)
        ("met", "target_met", 0.0, 5.0, NAN),
        # 82 ≥ 80 in 2023, but falling by 1 a year (more than τ = 0.005·84.5 = 0.4225); R < 0
        # measures the fall since 2017, the met target still scores +5
        ("met_falling", "target_met_worsening", -1.601782, 5.0, NAN),
    ],
    ids=[*LINEAR, "met", "met-falling"],
)
def test_each_status_with_an_absolute_target(absolute_gaps, indicator, status, ratio, score, q):
    """The status is Open SDG's ratio R through its thresholds (with the noise band for står
    still), and the score is R's score: one verdict."""
    r = row(absolute_gaps, "0018", 2023, indicator)
    assert r["status"] == status
    assert r["status_label"] == STATUS_LABELS[status]
    assert r["score"] == pytest.approx(score, abs=1e-5)
    for column, expected in (("backward_ratio", ratio), ("forward_ratio", q)):
        if np.isnan(expected):
            assert np.isnan(r[column])
        else:
            assert r[column] == pytest.approx(expected, abs=1e-5)
    assert r["slope_method"] == "theil_sen" and not r["low_confidence"]


def test_the_backward_ratio_of_an_absolute_target(absolute_gaps):
    r = row(absolute_gaps, "0018", 2020, "on")
    # a = (73/70)^(1/3) − 1 = 0.0140863; r = (80/70)^(1/13) − 1 = 0.0103245; R = 1.364352
    assert r["actual_pace"] == pytest.approx(0.0140863, abs=1e-6)
    assert r["required_pace"] == pytest.approx(0.0103245, abs=1e-6)
    assert r["backward_ratio"] == pytest.approx(1.364352, abs=1e-5)
    assert r["progress_status"] == "substantial_progress"
    assert r["progress_label"] == "betydande framsteg"
    assert r["score"] == 5.0  # R ≥ 1.3
    # Level score: the only län is the floor (70); the target 80 the ceiling: 100·(73 − 70)/10
    assert r["level_score"] == pytest.approx(30.0)


def test_the_first_year_and_too_few_values(absolute_gaps):
    first = row(absolute_gaps, "0018", 2017, "on")
    # One value since the baseline: no slope, no pace, never a guessed status.
    assert first["status"] == "insufficient_data"
    assert first["progress_status"] == "not_available"
    # 2019: three values 70, 71, 72 → end-point slope (72 − 70)/2 = 1, low confidence
    third = row(absolute_gaps, "0018", 2019, "on")
    assert third["slope_method"] == "end_point" and third["low_confidence"]
    assert third["window_points"] == 3
    # Q = 1/((80 − 72)/11) = 1.375 → i fas, flagged low-confidence
    assert third["forward_ratio"] == pytest.approx(1.375)
    assert third["status"] == "on_track"


def test_two_values_far_apart_give_an_end_point_slope():
    gaps = assess_indicators(
        values_frame({("i", "0018", "T"): {2017: 70.0, 2020: 73.0}}),
        catalogue({"indicator_id": "i", "target_type": "absolute", "target_value": 80.0}),
    )
    r = row(gaps, "0018", 2020)
    # (73 − 70)/3 = 1 a year from two values; Q = 1/((80 − 73)/10) = 1.428571
    assert r["slope"] == pytest.approx(1.0)
    assert r["low_confidence"] and r["window_points"] == 2
    assert r["forward_ratio"] == pytest.approx(1.428571, abs=1e-6)
    assert row(gaps, "0018", 2017)["status"] == "insufficient_data"


def test_a_missing_year_inside_the_window_uses_real_year_distances():
    gaps = assess_indicators(
        values_frame({("i", "0018", "T"): {2017: 70.0, 2018: 71.0, 2020: 74.0, 2021: 75.0}}),
        catalogue({"indicator_id": "i", "target_type": "absolute", "target_value": 80.0}),
    )
    r = row(gaps, "0018", 2021)
    # pairs: (17,18) 1, (17,20) 4/3, (17,21) 5/4, (18,20) 3/2, (18,21) 4/3, (20,21) 1
    # sorted 1, 1, 1.25, 1.3333, 1.3333, 1.5 → median (1.25 + 1.3333)/2 = 1.291667
    # (treating the four values as consecutive years would give 1.8333)
    assert r["slope"] == pytest.approx(1.291667, abs=1e-6)
    assert r["window_points"] == 4 and r["slope_method"] == "theil_sen"
    assert 2019 not in set(gaps["assessment_year"])


def test_a_relative_target_is_a_change_from_the_base_year():
    # Emissions −60 % from 2005 by 2030: x_b = 100 → T = 100·(1 − 0.6) = 40.
    gaps = assess_indicators(
        values_frame(
            {
                ("e", "0018", "T"): {2005: 100.0, **series_from(2016, [80, 78, 76, 74, 72])},
                ("sparse", "0018", "T"): {2005: 100.0, 2020: 70.0},
            }
        ),
        catalogue(
            *(
                {
                    "indicator_id": i,
                    "direction_sign": -1,
                    "target_type": "relative",
                    "target_value": -60.0,
                    "baseline_year": 2005,
                    "scale": "count",
                }
                for i in ("e", "sparse")
            )
        ),
    )
    r = row(gaps, "0018", 2020, "e")
    assert r["target_level"] == pytest.approx(40.0)
    assert r["baseline_year_used"] == 2005
    # a = 0.72^(1/15) − 1 = −0.0216622; r = 0.4^(1/25) − 1 = −0.0359881;
    # R = (−1)(−0.0216622)/0.0359881 = 0.601927 ≥ 0.6 → moderate progress
    assert r["backward_ratio"] == pytest.approx(0.601927, abs=1e-5)
    assert r["progress_status"] == "moderate_progress"
    # R ≥ 0.6 → nästan i fas, the status of the same ratio (score 2.5·(R − 0.6)/0.35 = 0.013764)
    assert r["status"] == "nearly_on_track"
    assert r["score"] == pytest.approx(0.013764, abs=1e-5)
    # Forward, another question: distance −(72 − 40) = −32 closes by 2 a year, 32/10 = 3.2
    # needed → Q = 0.625 at the recent pace
    assert r["forward_ratio"] == pytest.approx(0.625)
    sparse = row(gaps, "0018", 2020, "sparse")
    # a = 0.7^(1/15) − 1 = −0.0234979; R = 0.0234979/0.0359881 = 0.65293 → nästan i fas, as
    # Open SDG judges two values; 2020 is the only value in the 2015–2020 window: low confidence
    assert sparse["backward_ratio"] == pytest.approx(0.65293, abs=1e-4)
    assert sparse["status"] == "nearly_on_track"
    assert sparse["low_confidence"]


def test_a_maintain_target_on_the_latest_value_then_the_five_year_change():
    gaps = assess_indicators(
        values_frame(
            {
                ("held", "0018", "T"): series_from(2017, [92.0, 91.5, 91.0, 90.5]),
                ("below", "0018", "T"): series_from(2017, [88.0, 88.2, 88.4, 88.6]),
            }
        ),
        catalogue(
            {"indicator_id": "held", "target_type": "maintain", "target_value": 90.0},
            {"indicator_id": "below", "target_type": "maintain", "target_value": 90.0},
        ),
    )
    held = row(gaps, "0018", 2020, "held")
    # 90.5 ≥ 90 held; mean change (90.5 − 92)/3 = −0.5 < −τ = −0.005·91.25 = −0.45625
    assert held["mean_change_5y"] == pytest.approx(-0.5)
    assert held["status"] == "target_met_worsening"
    below = row(gaps, "0018", 2020, "below")
    # 88.6 < 90; mean change (88.6 − 88)/3 = 0.2 within τ = 0.005·88.3 = 0.4415 → står still
    assert below["status"] == "stagnating"


def test_a_past_year_is_recomputed_from_the_values_up_to_that_year_only(absolute_gaps):
    series = {("on", "0018", "T"): series_from(2017, [70 + k for k in range(7)])}
    indicators = catalogue({"indicator_id": "on", "target_type": "absolute", "target_value": 80})
    full = assess_indicators(values_frame(series), indicators)
    until_2020 = values_frame(series).query("year <= 2020")
    truncated = assess_indicators(until_2020, indicators)
    pd.testing.assert_series_equal(
        row(full, "0018", 2020), row(truncated, "0018", 2020), check_names=False
    )
