"""Every status code from the status functions, on hand-picked measures. Slopes passed in are
direction-adjusted (positive = better) unless the function says otherwise."""

from __future__ import annotations

import numpy as np
import pandas as pd
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
    ("met", "worsening", "ratio", "closing", "expected"),
    [
        # τ = 0.5 a year throughout; R = progress since the baseline / progress needed
        (True, False, 0.0, 0.0, "target_met"),
        (True, True, -0.4, -0.6, "target_met_worsening"),  # met, the recent slope falls > τ
        (False, False, 1.2, 1.0, "on_track"),  # R = 1.2 ≥ 0.95
        (False, False, 0.9, 1.0, "nearly_on_track"),  # 0.6 ≤ R = 0.9 < 0.95
        (False, False, 0.5, 1.0, "too_slow"),  # 0 ≤ R = 0.5 < 0.6, closing 1.0 > τ
        (False, False, 0.2, 0.3, "stagnating"),  # closing |0.3| ≤ τ = 0.5, whatever R
        (False, False, 2.0, 0.3, "stagnating"),  # a tiny movement near the target: still still
        (False, False, -0.5, -0.6, "wrong_direction"),  # R < 0, moving away by 0.6 > τ
        (False, False, -np.inf, -0.6, "wrong_direction"),  # ahead at the baseline, now behind
        (False, False, NAN, NAN, "insufficient_data"),  # no baseline or no target level
    ],
    ids=[
        "met",
        "met-worsening",
        "on-track",
        "nearly",
        "too-slow",
        "stagnating",
        "stagnating-near-the-target",
        "wrong-direction",
        "fell-behind",
        "no-ratio",
    ],
)
def test_status_with_a_target(met, worsening, ratio, closing, expected):
    result = st.status_with_target(
        np.array([met]), np.array([worsening]), arr(ratio), arr(closing), arr(0.5), CFG
    )
    assert result[0] == expected


def test_the_score_stays_within_its_status_band():
    """The score and the status are one verdict: a good status never carries a negative score
    and går åt fel håll never a positive one."""
    bounds = st.score_bounds(CFG)
    assert bounds["on_track"] == (2.5, 5.0)
    assert bounds["nearly_on_track"] == (0.0, 2.5)
    assert bounds["too_slow"] == bounds["stagnating"] == (-2.5, 0.0)
    assert bounds["wrong_direction"] == (-5.0, -2.5)
    assert bounds["target_met"] == bounds["target_met_worsening"] == (5.0, 5.0)
    codes = ["stagnating", "stagnating", "on_track", "insufficient_data", "target_met"]
    status = pd.Categorical(codes, categories=list(STATUS_LABELS))
    score = st.score_for_status(arr(5.0, -4.0, 3.0, 1.0, 5.0), status, CFG)
    assert list(score[[0, 1, 2, 4]]) == [0.0, -2.5, 3.0, 5.0]
    assert np.isnan(score[3])


def test_a_config_whose_score_bands_disagree_with_its_thresholds_is_refused():
    with pytest.raises(ValueError, match="ratio_score_points gives scores"):
        GapMethodConfig(on_track_ratio=0.9)


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
    five = arr(1.0, 1.0, 0.1, -1.0, -1.0, NAN, -0.38, 0.1)
    last = arr(1.0, -1.0, 0.2, 1.0, -1.0, 1.0, -3.3, 5.0)
    result = st.short_term_status(five, last, arr(*[0.5] * 6, 0.4, 0.5))
    assert list(result) == [
        "improving",
        "improving_recent_setback",
        "stagnating",
        "worsening_recent_improvement",
        "worsening",
        "insufficient_data",
        # Behörighet till gymnasiet: five years within ±τ, then −3.3 in the last year
        "stagnating_recent_setback",
        "stagnating_recent_improvement",
    ]
    assert set(result.categories) == set(SHORT_TERM_LABELS)


def test_benchmark_status_ahead_losing_ground():
    gap = arr(4.5, 4.5, 4.5, -2.0, -2.0, -2.0, 1.0, NAN, 3.0)
    change = arr(-0.6, 0.6, 0.0, 0.6, -0.6, 0.0, NAN, 0.0, 0.6)
    comparable = np.array([True] * 8 + [False])
    result = st.benchmark_status(gap, change, arr(*[0.5] * 9), comparable)
    assert list(result) == [
        "ahead_losing",  # före, försprånget krymper
        "ahead_gaining",
        "ahead_steady",
        "behind_closing",
        "behind_widening",
        "behind_steady",
        "ahead",  # no baseline yet: only the position
        "insufficient_data",
        "not_comparable",  # a total is never set against another geography
    ]


def test_trend_status_of_a_gap_is_not_direction_adjusted():
    result = st.trend_status(arr(0.6, -0.6, 0.1, NAN), arr(0.5, 0.5, 0.5, 0.5))
    assert list(result) == ["widening", "narrowing", "stable", "insufficient_data"]
    assert set(result.categories) == set(TREND_LABELS)
