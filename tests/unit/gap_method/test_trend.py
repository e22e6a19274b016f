"""Hand-computed cases for the trend measures: Theil–Sen and end-point slopes, the noise band,
Germany's (Destatis) two signals and the forward ratio Q. A window row holds one value per
calendar year, oldest first, NaN where a year is missing."""

from __future__ import annotations

import numpy as np
import pytest

from orchestration.gap_method import GapMethodConfig
from orchestration.gap_method import trend as tr

NAN = float("nan")
CFG = GapMethodConfig()


def test_theil_sen_is_the_median_of_pairwise_slopes_and_ignores_an_outlier():
    w = np.array([[0.0, 1.0, 2.0, 9.0]])
    # pairs: (0,1) 1, (0,2) 1, (0,3) 9/3 = 3, (1,2) 1, (1,3) 8/2 = 4, (2,3) 7
    # sorted 1 1 1 3 4 7 → median (1 + 3)/2 = 2 (least squares would say 2.8)
    assert tr.theil_sen_slope(w) == pytest.approx([2.0])


def test_a_missing_year_inside_the_window_uses_the_real_year_distances():
    w = np.array([[10.0, NAN, 12.0, 13.0, NAN, 20.0]])
    # years 0, 2, 3, 5 present: (0,2) 2/2 = 1, (0,3) 3/3 = 1, (0,5) 10/5 = 2, (2,3) 1,
    # (2,5) 8/3 = 2.667, (3,5) 7/2 = 3.5 → sorted 1 1 1 2 2.667 3.5 → median (1 + 2)/2 = 1.5
    result = tr.robust_slope(w, CFG)
    assert result.slope == pytest.approx([1.5])
    assert result.points.tolist() == [4]
    assert tr.SLOPE_METHODS[result.method[0]] == "theil_sen"
    assert not result.low_confidence[0]


def test_two_or_three_values_give_a_low_confidence_end_point_slope():
    w = np.array([[NAN, NAN, NAN, 10.0, 11.0, 14.0], [NAN, NAN, NAN, NAN, 10.0, 12.0]])
    result = tr.robust_slope(w, CFG)
    # (14 − 10)/(5 − 3) = 2 and (12 − 10)/1 = 2, both from fewer than 4 values
    assert result.slope == pytest.approx([2.0, 2.0])
    assert result.low_confidence.tolist() == [True, True]
    assert [tr.SLOPE_METHODS[m] for m in result.method] == ["end_point", "end_point"]


def test_a_single_value_has_no_slope():
    result = tr.robust_slope(np.array([[NAN, NAN, NAN, NAN, NAN, 5.0]]), CFG)
    assert np.isnan(result.slope[0])
    assert tr.SLOPE_METHODS[result.method[0]] == "none"


def test_the_noise_band_is_half_a_percent_of_the_window_mean_or_the_detectable_change():
    w = np.array([[100.0, 102.0, NAN], [100.0, 102.0, NAN]])
    # 0.005 × mean(100, 102) = 0.005 × 101 = 0.505; a minimum detectable change of 1.0 wins
    assert tr.noise_band(w, np.array([0.0, 1.0]), 0.005) == pytest.approx([0.505, 1.0])


def test_the_destatis_mean_annual_change_needs_four_values():
    w = np.array([[10.0, 11.0, 13.0, 12.0, 14.0, 15.0], [NAN, NAN, NAN, 12.0, 14.0, 15.0]])
    # last six values: (15 − 10)/5 = 1.0 (the mean of the five annual changes); three values: none
    result = tr.mean_annual_change(w, CFG.short_term_min_points)
    assert result[0] == pytest.approx(1.0)
    assert np.isnan(result[1])


def test_the_last_change_is_per_year_since_the_previous_value():
    w = np.array([[10.0, NAN, 12.0, NAN, NAN, 18.0], [NAN, NAN, NAN, NAN, NAN, 18.0]])
    # (18 − 12)/(5 − 2) = 2 per year; a lone value has no last change
    result = tr.last_change(w)
    assert result[0] == pytest.approx(2.0)
    assert np.isnan(result[1])


def test_the_forward_ratio_compares_the_slope_with_what_is_left_to_do():
    distance = np.array([-10.0, 2.0, -10.0])  # d·(x_t − T): 10 short, met, 10 short
    slope = np.array([1.0, 1.0, 1.0])
    years_left = np.array([8.0, 8.0, 0.0])
    required, q = tr.forward_ratio(distance, slope, years_left)
    # 10 to close in 8 years → 1.25 a year; Q = 1/1.25 = 0.8. Met, or no years left: no Q.
    assert required[0] == pytest.approx(1.25)
    assert q[0] == pytest.approx(0.8)
    assert np.isnan(q[1]) and np.isnan(q[2])


def test_windows_take_the_last_years_up_to_the_assessment_year():
    matrix = np.array([[1.0, 2.0, 3.0, 4.0]])
    # column 1 with width 3: years −1 (before the data: NaN), 0, 1
    w = tr.windows(matrix, np.array([0]), np.array([1]), 3)
    assert np.isnan(w[0, 0]) and w[0, 1:].tolist() == [1.0, 2.0]


def test_the_dead_band_sign():
    signs = tr.dead_band_sign(np.array([0.6, -0.6, 0.4, NAN]), np.array([0.5, 0.5, 0.5, 0.5]))
    assert signs[:3].tolist() == [1.0, -1.0, 0.0] and np.isnan(signs[3])
