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
    SEX_GAP_TARGET_LABELS,
    SHORT_TERM_LABELS,
    STATUS_LABELS,
    TREND_LABELS,
    coded_select,
)
from orchestration.gap_method.trend import dead_band_sign

NAN = float("nan")


def status_with_target(
    met: np.ndarray,
    met_worsening: np.ndarray,
    ratio: np.ndarray,
    closing: np.ndarray,
    tau: np.ndarray,
    cfg: GapMethodConfig,
) -> pd.Categorical:
    """ABSOLUTE, RELATIVE, NATIONAL, PEER and GAP with a numeric target (docs/method.md §5.1).

    ``ratio`` is R, the progress since the baseline over the progress needed (Open SDG / Statistics
    Canada's ratio for a fixed target, the closing of the distance to the benchmark for a moving
    one); ``closing`` the change of the distance d·(x − T) per year since the baseline. Met →
    uppnått ("uppnått men försämras" when ``met_worsening``); without R → otillräckliga data; a
    closing within ±τ → står still; then the Open SDG thresholds on R: ≥ 0.95 i fas, ≥ 0.6 nästan
    i fas, ≥ 0 förbättras för långsamt, below går åt fel håll.
    """
    with np.errstate(invalid="ignore"):
        conditions = [
            met & met_worsening,
            met,
            np.isnan(ratio) | np.isnan(closing),
            np.abs(closing) <= tau,
            ratio >= cfg.on_track_ratio,
            ratio >= cfg.moderate_ratio,
            ratio >= cfg.deterioration_ratio,
        ]
    codes = [
        "target_met_worsening",
        "target_met",
        INSUFFICIENT,
        "stagnating",
        "on_track",
        "nearly_on_track",
        "too_slow",
    ]
    return coded_select(conditions, codes, "wrong_direction", STATUS_LABELS)


def score_bounds(cfg: GapMethodConfig) -> dict[str, tuple[float, float]]:
    """The score range each status stands for: the bands of ``cfg.series_score_bands`` (i fas
    ≥ 2.5, nästan i fas ≥ 0, förbättras för långsamt ≥ −2.5, går åt fel håll below), står still
    sharing förbättras för långsamt's, a met target ``target_met_score``."""
    top = cfg.target_met_score
    bounds: dict[str, tuple[float, float]] = {}
    upper = top
    for lower, status in cfg.series_score_bands:
        bounds[status] = (lower, upper)
        upper = lower
    bounds[cfg.series_score_floor_status] = (-top, upper)
    bounds["stagnating"] = bounds["too_slow"]
    bounds["target_met"] = bounds["target_met_worsening"] = (top, top)
    return bounds


def score_for_status(score: np.ndarray, status: pd.Categorical, cfg: GapMethodConfig) -> np.ndarray:
    """The score kept within its status's range (:func:`score_bounds`), NaN for otillräckliga
    data: the score and the status are one verdict. The score already lies in its status's range
    wherever the status comes from the same ratio through the same thresholds; the bounds bite
    only where the dead band (står still) or a MAINTAIN level decides the status."""
    bounds = score_bounds(cfg)
    lo = np.array([bounds.get(c, (NAN, NAN))[0] for c in status.categories])[status.codes]
    hi = np.array([bounds.get(c, (NAN, NAN))[1] for c in status.categories])[status.codes]
    return np.where(np.isnan(lo), NAN, np.clip(np.asarray(score, float), lo, hi))


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
    direction, the last change (per year since the previous value) qualifies it, also when the
    five years stand still (a fall in the last year is never "står still" alone)."""
    five = dead_band_sign(mean_change, tau)
    one = np.nan_to_num(dead_band_sign(last, tau), nan=0.0)
    conditions = [
        np.isnan(five),
        (five > 0) & (one < 0),
        five > 0,
        (five == 0) & (one < 0),
        (five == 0) & (one > 0),
        five == 0,
        one > 0,
    ]
    codes = [
        INSUFFICIENT,
        "improving_recent_setback",
        "improving",
        "stagnating_recent_setback",
        "stagnating_recent_improvement",
        "stagnating",
        "worsening_recent_improvement",
    ]
    return coded_select(conditions, codes, "worsening", SHORT_TERM_LABELS)


def benchmark_status(
    gap: np.ndarray, gap_change: np.ndarray, tau: np.ndarray, comparable: np.ndarray
) -> pd.Categorical:
    """Position against the benchmark B_t and where the gap g = d·(x − B) has gone since the
    baseline (``gap_change`` per year): ahead (g ≥ 0) gaining / steady / losing ("före,
    försprånget krymper"), behind closing / steady / widening; without a baseline only the
    position is told. A total (not ``comparable``) is never set against another geography."""
    sign = dead_band_sign(gap_change, tau)
    with np.errstate(invalid="ignore"):
        ahead = gap >= 0
    conditions = [
        ~comparable,
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
        "not_comparable",
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


def sex_gap_target_status(trend: pd.Categorical, targeted: np.ndarray) -> pd.Categorical:
    """docs/method.md §6.3 "A target on the gap": where the catalogue says the women/men gap
    shall decrease, the gap's own trend is its verdict (narrowing: as the target says; stable:
    not narrowing; widening: against it); missing where the indicator sets no such target."""
    codes = np.asarray(trend.astype(object))
    conditions = [codes == INSUFFICIENT, codes == "narrowing", codes == "stable"]
    picks = [INSUFFICIENT, "narrowing", "not_narrowing"]
    verdict = coded_select(conditions, picks, "widening", SEX_GAP_TARGET_LABELS)
    return pd.Categorical.from_codes(
        np.where(targeted, verdict.codes, -1), categories=verdict.categories
    )


def trend_status(slope: np.ndarray, tau: np.ndarray) -> pd.Categorical:
    """Trend of a gap or a spread (not direction-adjusted): widening above τ, narrowing below
    −τ, stable within."""
    sign = dead_band_sign(slope, tau)
    conditions = [np.isnan(sign), sign > 0, sign < 0]
    return coded_select(conditions, [INSUFFICIENT, "widening", "narrowing"], "stable", TREND_LABELS)
