"""Hand-computed cases for ``assess_indicators`` without a numeric target on the value: a
decrease desired (direction-adjusted CAGR and the natural limit), zero and negative values, and
a GAP target on the women/men difference."""

from __future__ import annotations

import numpy as np
import pytest

from orchestration.gap_method import assess_indicators
from tests.unit.gap_method.builders import catalogue, series_from, values_frame
from tests.unit.gap_method.cases import row


def test_a_decrease_desired_without_a_target_uses_the_direction_adjusted_cagr():
    gaps = assess_indicators(
        values_frame({("unemployment", "0018", "T"): series_from(2017, [8.0, 7.8, 7.5, 7.2, 7.0])}),
        catalogue(
            {
                "indicator_id": "unemployment",
                "direction_sign": -1,
                "natural_min": 0.0,
                "natural_max": 100.0,
            }
        ),
    )
    r = row(gaps, "0018", 2021)
    # CAGR (7/8)^(1/4) − 1 = e^(ln 0.875/4) − 1 = −0.0328318; d = −1 → progress +0.0328318
    assert r["progress_value"] == pytest.approx(0.0328318, abs=1e-6)
    # Falling towards 0 %: u = (100 − 8)/100 = 0.92, C = 1 − 0.92^4.44 = 1 − 0.690586 = 0.309414
    assert r["limit_coefficient"] == pytest.approx(0.309414, abs=1e-5)
    # 3.28 % ≥ 1.5 %·C = 0.464 % → i fas; mean change (7 − 8)/4 = −0.25 a year, far outside
    # τ = 0.005·mean(8, 7.8, 7.5, 7.2, 7) = 0.0375
    assert r["status"] == "on_track"
    assert r["progress_status"] == "substantial_progress"
    # Short term: 5-year mean change −0.25 and last change −0.2, both better than −τ
    assert r["mean_change_5y"] == pytest.approx(-0.25)
    assert r["short_term_status"] == "improving"
    assert r["short_term_label"] == "förbättras"


def test_zero_and_negative_values():
    gaps = assess_indicators(
        values_frame(
            {
                ("dwellings", "0018", "T"): series_from(2017, [0.0, 1.0, 2.0, 3.0]),
                ("net", "0018", "T"): series_from(2017, [-10.0, -8.0, -6.0, -5.0]),
            }
        ),
        catalogue(
            {"indicator_id": "dwellings", "scale": "count"},
            {"indicator_id": "net", "scale": "count"},
        ),
    )
    zero = row(gaps, "0018", 2020, "dwellings")
    # from 0: no CAGR; linear (3 − 0)/3 = 1 a year (scale 1 at x_b = 0), flagged
    assert zero["pace_method"] == "linear"
    assert zero["progress_value"] == pytest.approx(1.0)
    assert zero["status"] == "on_track"
    negative = row(gaps, "0018", 2020, "net")
    # (−5/−10)^(1/3) − 1 = −0.2062995, times sign(x_b) = −1 → +0.2062995 (as sdg-build)
    assert negative["pace_method"] == "cagr"
    assert negative["progress_value"] == pytest.approx(0.2062995, abs=1e-6)
    assert negative["status"] == "on_track"
    # Totals get no level score.
    assert np.isnan(negative["level_score"])


def test_a_gap_target_is_judged_on_the_women_men_difference():
    values = values_frame(
        {
            ("g", "0018", "K"): series_from(2017, [50.0, 51.0, 52.0, 53.0]),
            ("g", "0018", "M"): series_from(2017, [60.0, 60.5, 61.0, 61.5]),
            ("g", "0018", "T"): series_from(2017, [55.0, 55.75, 56.5, 57.25]),
        }
    )
    gaps = assess_indicators(values, catalogue({"indicator_id": "g", "target_type": "gap"}))
    r = row(gaps, "0018", 2020)
    # |K − M| = 10, 9.5, 9, 8.5: lower is better;
    # (8.5/10)^(1/3) − 1 = e^(ln 0.85/3) − 1 = −0.0527318 → progress +5.27 %
    assert r["assessed_series"] == "gap_women_men"
    assert r["assessed_value"] == pytest.approx(8.5)
    assert r["progress_value"] == pytest.approx(0.0527318, abs=1e-6)
    assert r["status"] == "on_track"
    # The same status on the women's and men's rows of that geography and year.
    assert row(gaps, "0018", 2020, sex="K")["status"] == "on_track"
    # K − M = −8.5; r = 53/61.5 = 0.861789; parity 1/r = 1.160377; not equal
    assert r["sex_difference"] == pytest.approx(-8.5)
    assert r["sex_ratio"] == pytest.approx(0.861789, abs=1e-6)
    assert r["sex_parity"] == pytest.approx(1.160377, abs=1e-6)
    assert bool(r["sex_parity_equal"]) is False
    # |K − M| falls 0.5 a year; τ = 0.005·mean((K + M)/2) = 0.005·56.125 = 0.280625 → minskar
    assert r["sex_gap_slope"] == pytest.approx(-0.5)
    assert r["sex_gap_trend"] == "narrowing" and r["sex_gap_trend_label"] == "minskar"


def test_women_and_men_within_the_parity_band_are_equal():
    gaps = assess_indicators(
        values_frame(
            {("i", "0018", "K"): {2017: 50.5}, ("i", "0018", "M"): {2017: 50.0}},
        ),
        catalogue({"indicator_id": "i"}),
    )
    # r = 50.5/50 = 1.01 ∈ [0.97, 1.03]
    assert bool(row(gaps, "0018", 2017, sex="K")["sex_parity_equal"]) is True
