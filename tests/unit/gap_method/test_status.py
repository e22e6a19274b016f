"""Every status code from the status functions, on hand-picked measures. Slopes passed in are
direction-adjusted (positive = better) unless the function says otherwise."""

from __future__ import annotations

import numpy as np
import pytest

from orchestration.gap_method import (
    BENCHMARK_LABELS,
    SHORT_TERM_LABELS,
    STATUS_LABELS,
    TREND_LABELS,
    GapMethodConfig,
)
from orchestration.gap_method import status as st

NAN = float("nan")
CFG = GapMethodConfig()


def arr(*values) -> np.ndarray:
    return np.array(values, dtype=float)


def test_every_status_code_has_a_swedish_label():
    assert STATUS_LABELS == {
        "target_met": "uppnått",
        "target_met_worsening": "uppnått men försämras",
        "on_track": "i fas",
        "nearly_on_track": "nästan i fas",
        "too_slow": "förbättras för långsamt",
        "stagnating": "står still",
        "wrong_direction": "går åt fel håll",
        "insufficient_data": "otillräckliga data",
    }
    assert BENCHMARK_LABELS["ahead_losing"] == "före, försprånget krymper"


@pytest.mark.parametrize(
    ("met", "slope", "q", "passed", "trend", "expected"),
    [
        # τ = 0.5 a year throughout
        (True, 0.0, NAN, False, True, "target_met"),
        (True, -0.6, NAN, False, True, "target_met_worsening"),  # met, distance shrinks 0.6 > τ
        (False, 1.0, 1.2, False, True, "on_track"),  # Q = 1.2 ≥ 0.95
        (False, 1.0, 0.9, False, True, "nearly_on_track"),  # 0.8 ≤ Q = 0.9 < 0.95
        (False, 1.0, 0.5, False, True, "too_slow"),  # improving 1.0 > τ, Q = 0.5 < 0.8
        (False, 0.3, 0.2, False, True, "stagnating"),  # |0.3| ≤ τ = 0.5
        (False, -0.6, -0.5, False, True, "wrong_direction"),  # −0.6 < −τ
        (False, 1.0, NAN, True, True, "too_slow"),  # target year passed, not met, improving
        (False, 1.0, 1.2, False, False, "insufficient_data"),  # fewer than two values
    ],
    ids=[
        "met",
        "met-worsening",
        "on-track",
        "nearly",
        "too-slow",
        "stagnating",
        "wrong-direction",
        "target-year-passed",
        "no-trend",
    ],
)
def test_status_with_a_target(met, slope, q, passed, trend, expected):
    result = st.status_with_target(
        np.array([met]), arr(slope), arr(0.5), arr(q), np.array([passed]), np.array([trend]), CFG
    )
    assert result[0] == expected


def test_status_without_a_target_uses_the_cagr_thresholds_times_c():
    progress = arr(0.02, 0.01, 0.004, -0.01, 0.004, NAN)
    coefficient = arr(1.0, 1.0, 1.0, 1.0, 0.2, 1.0)
    change = arr(2.0, 1.0, 0.6, -1.0, 0.6, NAN)  # mean change a year since the baseline
    result = st.status_direction(progress, coefficient, change, arr(*[0.5] * 6), CFG)
    # 2 % ≥ 1.5 % → i fas; 1 % ≥ 0.5 % → nästan; 0.4 % ≥ 0 → för långsamt; < 0 → fel håll;
    # with C = 0.2 the thresholds are 0.3 %/0.1 %: 0.4 % → i fas; no progress value → no status
    assert list(result) == [
        "on_track",
        "nearly_on_track",
        "too_slow",
        "wrong_direction",
        "on_track",
        "insufficient_data",
    ]
    # A change within the noise band stands still whatever the pace.
    still = st.status_direction(arr(0.02), arr(1.0), arr(0.4), arr(0.5), CFG)
    assert still[0] == "stagnating"


def test_status_maintain_on_the_latest_value_then_the_five_year_change():
    held = np.array([True, True, False, False, False, False])
    mean_change = arr(0.0, -0.6, 0.6, 0.2, -0.6, NAN)
    result = st.status_maintain(held, mean_change, arr(*[0.5] * 6), np.array([True] * 6))
    assert list(result) == [
        "target_met",
        "target_met_worsening",  # held, but −0.6 a year beyond τ
        "too_slow",  # below the level, recovering
        "stagnating",
        "wrong_direction",
        "insufficient_data",  # below the level and no 5-year change
    ]


def test_short_term_status_from_germanys_two_signals():
    five = arr(1.0, 1.0, 0.1, -1.0, -1.0, NAN)
    last = arr(1.0, -1.0, 5.0, 1.0, -1.0, 1.0)
    result = st.short_term_status(five, last, arr(*[0.5] * 6))
    assert list(result) == [
        "improving",
        "improving_recent_setback",
        "stagnating",
        "worsening_recent_improvement",
        "worsening",
        "insufficient_data",
    ]
    assert set(result.categories) == set(SHORT_TERM_LABELS)


def test_benchmark_status_ahead_losing_ground():
    gap = arr(4.5, 4.5, 4.5, -2.0, -2.0, -2.0, 1.0, NAN)
    slope = arr(-0.6, 0.6, 0.0, 0.6, -0.6, 0.0, NAN, 0.0)
    result = st.benchmark_status(gap, slope, arr(*[0.5] * 8))
    assert list(result) == [
        "ahead_losing",  # före, försprånget krymper
        "ahead_gaining",
        "ahead_steady",
        "behind_closing",
        "behind_widening",
        "behind_steady",
        "ahead",  # no trend yet: only the position
        "insufficient_data",
    ]


def test_trend_status_of_a_gap_is_not_direction_adjusted():
    result = st.trend_status(arr(0.6, -0.6, 0.1, NAN), arr(0.5, 0.5, 0.5, 0.5))
    assert list(result) == ["widening", "narrowing", "stable", "insufficient_data"]
    assert set(result.categories) == set(TREND_LABELS)
