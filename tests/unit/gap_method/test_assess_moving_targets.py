"""Hand-computed cases for ``assess_indicators`` with a moving target (NATIONAL): the distance
to Riket and whether it closes in time, the benchmark status, and Riket's own row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orchestration.gap_method import assess_indicators
from tests.unit.gap_method.builders import catalogue, series_from, values_frame
from tests.unit.gap_method.cases import national_case, row


@pytest.fixture(scope="module")
def national_gaps() -> pd.DataFrame:
    """The NATIONAL case of cases.py, assessed once per module."""
    return national_case()


def test_a_national_target_ahead_but_losing_ground(national_gaps):
    r = row(national_gaps, "0018", 2020, "ahead")
    # Riket 63 is the target that year; 67.5 ≥ 63 → met
    assert r["target_level"] == 63.0 and r["target_met"]
    assert r["gap_to_national"] == pytest.approx(4.5)
    # gap 6, 5.5, 5, 4.5 → shrinks 0.5 a year > τ = 0.005·mean(66…67.5) = 0.33375
    assert r["benchmark_gap_slope"] == pytest.approx(-0.5)
    assert r["benchmark_status"] == "ahead_losing"
    assert r["benchmark_label"] == "före, försprånget krymper"
    assert r["status"] == "target_met_worsening"


def test_a_national_target_behind_and_closing(national_gaps):
    r = row(national_gaps, "0018", 2020, "behind")
    # gap −4, −3.5, −3, −2.5 closes 0.5 a year; 2.5/10 = 0.25 needed → Q = 2 → i fas
    assert r["forward_ratio"] == pytest.approx(2.0)
    assert r["status"] == "on_track"
    assert r["benchmark_status"] == "behind_closing"
    # Riket's 2017 value is synthetic and inside the window: the row says so.
    assert bool(r["is_synthetic"]) is True
    assert bool(row(national_gaps, "0018", 2020, "ahead")["is_synthetic"]) is False


@pytest.fixture(scope="module")
def national_rules() -> pd.DataFrame:
    """NATIONAL targets: is the distance to Riket closing in time for Riket's level by 2030?"""
    values = values_frame(
        {
            # The county rises 0.1 a year, Riket 0.6: the county improves, the gap widens.
            ("rising_slower", "0000", "T"): series_from(2017, [71.0 + 0.6 * k for k in range(6)]),
            ("rising_slower", "0018", "T"): series_from(2017, [70.0 + 0.1 * k for k in range(6)]),
            # Ahead of Riket in 2017 (72 vs 71), behind in 2020 (72.5 vs 73.5).
            ("fell_behind", "0000", "T"): series_from(2017, [71.0, 71.8, 72.6, 73.5]),
            ("fell_behind", "0018", "T"): series_from(2017, [72.0, 72.2, 72.3, 72.5]),
            # 13 behind in 2017, 11.5 behind in 2020: closing 0.5 a year where 1 is needed.
            ("closing_slowly", "0000", "T"): series_from(2017, [60.0, 61.0, 62.0, 63.0]),
            ("closing_slowly", "0018", "T"): series_from(2017, [47.0, 48.5, 50.0, 51.5]),
        }
    )
    ids = ("rising_slower", "fell_behind", "closing_slowly")
    return assess_indicators(
        values, catalogue(*({"indicator_id": i, "target_type": "national"} for i in ids))
    )


def test_a_national_target_whose_gap_widens_goes_the_wrong_way_although_the_value_rises(
    national_rules,
):
    r = row(national_rules, "0018", 2022, "rising_slower")
    # D = 70.5 − 74 = −3.5 in 2022, −1 in 2017: a = (−3.5 + 1)/5 = −0.5 a year; needed
    # r = 1/13 = 0.076923 → R = −6.5 < 0, and |a| > τ = 0.005·mean(70 … 70.5) = 0.35125
    assert r["actual_pace"] == pytest.approx(-0.5)
    assert r["required_pace"] == pytest.approx(1 / 13)
    assert r["backward_ratio"] == pytest.approx(-6.5)
    assert r["pace_method"] == "linear"
    assert r["status"] == "wrong_direction" and r["score"] == -5.0
    assert r["progress_status"] == "deterioration"
    # Everything beside it reads the same distance: the benchmark wording and the short term.
    assert r["benchmark_status"] == "behind_widening"
    assert r["benchmark_gap_change"] == pytest.approx(-0.5)
    assert r["short_term_status"] == "worsening"
    assert r["slope"] > 0  # the value itself rises: the statement says so in words


def test_a_county_that_fell_behind_riket_goes_the_wrong_way(national_rules):
    r = row(national_rules, "0018", 2020, "fell_behind")
    # D_b = +1 (ahead): nothing was needed (r = −1/13 ≤ 0), and the distance fell by
    # (−1 − 1)/3 = −0.667 a year → R = −∞ (Open SDG's rule for a required pace ≤ 0): −5
    assert r["actual_pace"] == pytest.approx(-2 / 3)
    assert np.isnan(r["backward_ratio"])  # not finite: not stored
    assert r["status"] == "wrong_direction" and r["score"] == -5.0
    assert r["benchmark_status"] == "behind_widening"


def test_a_national_target_closing_too_slowly(national_rules):
    r = row(national_rules, "0018", 2020, "closing_slowly")
    # D −13 → −11.5: a = 0.5 a year, r = 13/13 = 1 → R = 0.5 → förbättras för långsamt;
    # score −2.5 + 2.5·0.5/0.6 = −0.416667, inside its band [−2.5, 0]
    assert r["backward_ratio"] == pytest.approx(0.5)
    assert r["status"] == "too_slow"
    assert r["score"] == pytest.approx(-0.416667, abs=1e-6)
    assert r["progress_status"] == "limited_progress"
    assert r["benchmark_status"] == "behind_closing"
    # The short term reads the distance too: it closes by 0.5 a year over four values.
    assert r["short_term_status"] == "improving"


def test_riket_itself_has_no_national_target_and_is_judged_on_direction(national_gaps):
    r = row(national_gaps, "0000", 2020, "ahead")
    # CAGR (63/60)^(1/3) − 1 = 0.016396 ≥ 1.5 % → i fas; no benchmark for Riket itself
    assert r["progress_value"] == pytest.approx(0.016396, abs=1e-6)
    assert r["status"] == "on_track"
    assert r["benchmark_status"] == "insufficient_data"
    assert np.isnan(r["target_level"])
