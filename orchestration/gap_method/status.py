"""Statuses from the measures: long-term (what users see), short-term, benchmark and trend.

All functions are vectorised over numpy arrays and return a ``pandas.Categorical`` of codes whose
categories are the keys of the matching label dictionary in
:mod:`orchestration.gap_method.labels` (so results of different functions combine by their
integer codes). Slopes and changes passed in are already direction-adjusted (multiplied by d),
so positive always means "better", unless a docstring says otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.gap_method.config import GapMethodConfig
from orchestration.gap_method.labels import (
    BENCHMARK_LABELS,
    INSUFFICIENT,
    SHORT_TERM_LABELS,
    STATUS_LABELS,
    TREND_LABELS,
    coded_select,
)
from orchestration.gap_method.trend import dead_band_sign


def status_with_target(
    met: np.ndarray,
    closing_slope: np.ndarray,
    tau: np.ndarray,
    q: np.ndarray,
    target_passed: np.ndarray,
    has_trend: np.ndarray,
    cfg: GapMethodConfig,
) -> pd.Categorical:
    """ABSOLUTE, RELATIVE, NATIONAL, PEER and GAP with a numeric target.

    ``closing_slope`` is the robust slope of the distance d·(x − T) (for a fixed target d·s).
    Met → uppnått, or "uppnått men försämras" when the distance shrinks by more than τ a year;
    then, with a trend: moving away by more than τ → går åt fel håll; Q ≥ 0.95 → i fas;
    Q ≥ 0.8 → nästan i fas; within ±τ → står still; else förbättras för långsamt. After the
    target year Q is undefined and only the trend speaks.
    """
    with np.errstate(invalid="ignore"):
        worsening = closing_slope < -tau
        open_q = ~target_passed & ~np.isnan(q)
        conditions = [
            met & worsening,
            met,
            ~has_trend,
            worsening,
            open_q & (q >= cfg.on_track_q),
            open_q & (q >= cfg.nearly_on_track_q),
            np.abs(closing_slope) <= tau,
        ]
    codes = [
        "target_met_worsening",
        "target_met",
        INSUFFICIENT,
        "wrong_direction",
        "on_track",
        "nearly_on_track",
        "stagnating",
    ]
    return coded_select(conditions, codes, "too_slow", STATUS_LABELS)


def status_direction(
    progress: np.ndarray,
    coefficient: np.ndarray,
    change_since_baseline: np.ndarray,
    tau: np.ndarray,
    cfg: GapMethodConfig,
) -> pd.Categorical:
    """DIRECTION (no numeric target): the Open SDG rule on the direction-adjusted pace since the
    baseline, thresholds multiplied by C: ≥ 1.5 %·C i fas, ≥ 0.5 %·C nästan i fas, ≥ 0 förbättras
    för långsamt, < 0 går åt fel håll; a mean change per year since the baseline within ±τ is
    står still."""
    with np.errstate(invalid="ignore"):
        conditions = [
            np.isnan(progress) | np.isnan(change_since_baseline),
            np.abs(change_since_baseline) <= tau,
            progress >= cfg.substantial_cagr * coefficient,
            progress >= cfg.moderate_cagr * coefficient,
            progress >= cfg.deterioration_cagr * coefficient,
        ]
    codes = [INSUFFICIENT, "stagnating", "on_track", "nearly_on_track", "too_slow"]
    return coded_select(conditions, codes, "wrong_direction", STATUS_LABELS)


def status_maintain(
    held: np.ndarray, mean_change: np.ndarray, tau: np.ndarray, can_judge: np.ndarray
) -> pd.Categorical:
    """MAINTAIN: judged on the latest value (held → uppnått, or "uppnått men försämras" when the
    5-year mean change worsens by more than τ), then, when not held, on the 5-year mean change:
    improving → förbättras för långsamt (still below the level), within ±τ → står still,
    worsening → går åt fel håll."""
    sign = dead_band_sign(mean_change, tau)
    conditions = [held & (sign < 0), held, ~can_judge | np.isnan(sign), sign > 0, sign < 0]
    codes = ["target_met_worsening", "target_met", INSUFFICIENT, "too_slow", "wrong_direction"]
    return coded_select(conditions, codes, "stagnating", STATUS_LABELS)


def short_term_status(mean_change: np.ndarray, last: np.ndarray, tau: np.ndarray) -> pd.Categorical:
    """Germany's two signals with τ as dead band: the 5-year mean annual change sets the
    direction, the last change qualifies it."""
    five = dead_band_sign(mean_change, tau)
    one = np.nan_to_num(dead_band_sign(last, tau), nan=0.0)
    conditions = [np.isnan(five), (five > 0) & (one < 0), five > 0, five == 0, one > 0]
    codes = [
        INSUFFICIENT,
        "improving_recent_setback",
        "improving",
        "stagnating",
        "worsening_recent_improvement",
    ]
    return coded_select(conditions, codes, "worsening", SHORT_TERM_LABELS)


def benchmark_status(gap: np.ndarray, gap_slope: np.ndarray, tau: np.ndarray) -> pd.Categorical:
    """Position against a moving benchmark B_t and where the gap g = d·(x − B) is heading:
    ahead (g ≥ 0) gaining / steady / losing ("före, försprånget krymper"), behind closing /
    steady / widening; without a trend only the position is told."""
    sign = dead_band_sign(gap_slope, tau)
    with np.errstate(invalid="ignore"):
        ahead = gap >= 0
    conditions = [
        np.isnan(gap),
        ahead & np.isnan(sign),
        ahead & (sign > 0),
        ahead & (sign < 0),
        ahead,
        np.isnan(sign),
        sign > 0,
        sign < 0,
    ]
    codes = [
        INSUFFICIENT,
        "ahead",
        "ahead_gaining",
        "ahead_losing",
        "ahead_steady",
        "behind",
        "behind_closing",
        "behind_widening",
    ]
    return coded_select(conditions, codes, "behind_steady", BENCHMARK_LABELS)


def trend_status(slope: np.ndarray, tau: np.ndarray) -> pd.Categorical:
    """Trend of a gap or a spread (not direction-adjusted): widening above τ, narrowing below
    −τ, stable within."""
    sign = dead_band_sign(slope, tau)
    conditions = [np.isnan(sign), sign > 0, sign < 0]
    return coded_select(conditions, [INSUFFICIENT, "widening", "narrowing"], "stable", TREND_LABELS)
