"""The measures of one cube (a set of whole indicators), as raw column arrays.

:func:`assess_cube` runs the method's steps in the order of docs/method.md: the series side
(:mod:`.targets`: facts, related series, assessed series, baseline, target levels), the output
rows (:mod:`.rows`), then per row the backward measure (§4.1), the forward measure, noise band and
short-term signals (§4.2), the status and its score (§5, §4.3), the comparisons (§5.6, §6,
:mod:`.comparison_columns`) and the synthetic flags (§10).

It returns one array per output column (see :mod:`orchestration.gap_method.method` for what each
means): numpy arrays, ``pd.Categorical`` codes for statuses and methods, floats with NaN for
nullable integers. The entry point concatenates the chunks and turns codes into strings once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.gap_method import comparison_columns as cmp
from orchestration.gap_method import status as st
from orchestration.gap_method import trend as tr
from orchestration.gap_method.config import GapMethodConfig
from orchestration.gap_method.cube import Cube
from orchestration.gap_method.labels import INSUFFICIENT, choose
from orchestration.gap_method.progress import (
    Progress,
    backward_progress,
    gap_closing_progress,
    limit_coefficient,
    natural_limits,
    progress_score,
    progress_status,
    target_met,
)
from orchestration.gap_method.rows import RowValues, output_rows, row_values
from orchestration.gap_method.targets import (
    Assessed,
    Baseline,
    Related,
    SeriesFacts,
    Targets,
    assessed_series,
    baseline,
    related_series,
    series_facts,
    target_levels,
)

NAN = float("nan")


def assess_cube(cube: Cube, cfg: GapMethodConfig) -> dict[str, object]:
    """All measures for the series of ``cube``, step by step as docs/method.md describes them;
    see the module docstring for the encoding."""
    # The series (§1–§3), then the output rows and the symbols of §2 at each.
    facts = series_facts(cube, cfg)
    related = related_series(cube, facts, cfg)
    assessed = assessed_series(cube, facts, related)
    base = baseline(assessed, facts, cube.years, cfg)
    targets = target_levels(facts, assessed, related, base, cfg)
    rows = output_rows(cube, base.col, cfg)
    r = row_values(rows, cube, facts, assessed, base, targets)

    # Progress (§4) and the status (§5).
    backward = backward_measure(r, facts, assessed, targets, cfg)
    forward = forward_measure(r, assessed, targets, cfg)
    tau = noise_band(r, facts, assessed, cfg)
    short = short_term_signals(r, assessed, targets, cfg)
    status = long_term_status(r, targets, backward, forward, tau, short, cfg)

    # Comparisons (§5.6, §6), then every column with the synthetic flags (§10).
    judged = targets.uses_target[r.series] & backward.has_target
    ranks = cmp.rank_columns(r, cube, facts)
    spread = cmp.spread_columns(r, cube, facts, related, backward.met, judged, cfg)
    level = cmp.level_score_columns(r, cube, facts, assessed, base, targets, cfg)
    return {
        "_series": rows.series + cube.offset,
        "_col": rows.col,
        **assessed_columns(r, assessed),
        **backward.columns(cfg),
        **forward.columns(),
        **verdict_columns(status, backward, forward, cfg),
        "noise_band": tau,
        **short.columns(tau),
        **cmp.benchmark_columns(r, cube, facts, related, targets, tau, cfg),
        **ranks.columns,
        **cmp.women_men_columns(r, facts, assessed, related, cfg),
        **spread.columns,
        **level.columns,
        "is_synthetic": synthetic_inputs(r, cube, assessed, base, related, targets),
        "context_is_synthetic": ranks.synthetic | spread.synthetic | level.synthetic,
    }


def assessed_columns(r: RowValues, assessed: Assessed) -> dict[str, object]:
    """docs/method.md §2: the value, the assessed series, the baseline and the target of each
    row."""
    return {
        "value": r.x_t,
        "assessed_series": pd.Categorical.from_codes(
            assessed.is_gap[r.series].astype(np.int64), categories=["value", "gap_women_men"]
        ),
        "assessed_value": r.a_t,
        "baseline_year_used": np.where(r.has_b, r.b_year, NAN),
        "baseline_value": r.x_b,
        "target_year": r.Y.astype(np.int64),
        "target_level": r.T_t,
    }


@dataclass(frozen=True)
class Backward:
    """The backward measure of each row (§4.1)."""

    progress: Progress  # a, r and R (d·a without a target)
    has_target: np.ndarray  # a target level T_t this year
    met: np.ndarray  # the target is met: d·(A_t − T_t) ≥ 0
    coefficient: np.ndarray  # C (1 with a target)

    def columns(self, cfg: GapMethodConfig) -> dict[str, object]:
        p, has_target = self.progress, self.has_target
        return {
            "target_met": self.met,
            "pace_method": pd.Categorical.from_codes(
                np.where(p.available, np.where(p.uses_cagr, 1, 2), 0),
                categories=["none", "cagr", "linear"],
            ),
            "actual_pace": p.actual_pace,
            "required_pace": p.required_pace,
            "backward_ratio": np.where(has_target & np.isfinite(p.value), p.value, NAN),
            "limit_coefficient": np.where(has_target, NAN, self.coefficient),
            "progress_value": np.where(np.isfinite(p.value), p.value, NAN),
            "progress_status": progress_status(
                p.value, has_target, self.met, self.coefficient, cfg
            ),
        }


def backward_measure(
    r: RowValues, facts: SeriesFacts, assessed: Assessed, targets: Targets, cfg: GapMethodConfig
) -> Backward:
    """docs/method.md §4.1 "Backward measure": Open SDG's actual over required pace for a fixed
    target or none, the closing of the distance for a moving one (§3.1); whether the target is
    met; the natural-limit coefficient C of a row without a target (none for GAP)."""
    r_s = r.series
    progress = _progress(
        r.x_b, r.a_t, r.b_year, r.t, r.T_t, r.Y, r.d, r.D_b, r.D_t, targets.moving[r_s]
    )
    has_target = np.isfinite(r.T_t)
    met = targets.uses_target[r_s] & target_met(r.a_t, r.T_t, r.d)
    limit, origin = natural_limits(
        r.d,
        np.where(assessed.is_gap, NAN, facts.natural_min)[r_s],
        np.where(assessed.is_gap, NAN, facts.natural_max)[r_s],
        cfg.limit_from_opposite_bound,
    )
    coefficient = np.where(
        has_target, 1.0, limit_coefficient(r.x_b, limit, origin, cfg.limit_exponent)
    )
    return Backward(progress, has_target, met, coefficient)


def _progress(
    x_b: np.ndarray,
    a_t: np.ndarray,
    b_year: np.ndarray,
    t: np.ndarray,
    T_t: np.ndarray,
    Y: np.ndarray,
    d: np.ndarray,
    D_b: np.ndarray,
    D_t: np.ndarray,
    moving: np.ndarray,
) -> Progress:
    """The backward progress of each row: Open SDG's for a fixed target or none, the closing of
    the distance to the benchmark for a moving target (NATIONAL, PEER; docs/method.md §3.1)."""
    fixed = backward_progress(x_b, a_t, b_year, t, T_t, Y, d)
    if not moving.any():
        return fixed
    gap = gap_closing_progress(D_b, D_t, b_year, t, Y)
    return type(fixed)(
        **{
            name: np.where(moving, getattr(gap, name), getattr(fixed, name))
            for name in ("available", "actual_pace", "required_pace", "value", "uses_cagr")
        }
    )


@dataclass(frozen=True)
class Forward:
    """The forward measure of each row (§4.2)."""

    value_slope: tr.Slope  # s, the robust slope of A
    distance_slope: tr.Slope  # the slope of D (numeric-target rows only)
    required_slope: np.ndarray  # −D_t/(Y − t)
    q: np.ndarray  # Q = distance slope / required closing
    distance: np.ndarray  # D_t
    on_distance: np.ndarray  # 1 on numeric-target rows: points and method describe D's slope

    @property
    def points(self) -> np.ndarray:
        return np.choose(self.on_distance, [self.value_slope.points, self.distance_slope.points])

    def columns(self) -> dict[str, object]:
        method = np.choose(self.on_distance, [self.value_slope.method, self.distance_slope.method])
        return {
            "window_points": self.points,
            "slope": self.value_slope.slope,
            "slope_method": pd.Categorical.from_codes(method, categories=list(tr.SLOPE_METHODS)),
            "distance_to_target": self.distance,
            "distance_slope": self.distance_slope.slope,
            "required_slope": self.required_slope,
            "forward_ratio": self.q,
        }


def forward_measure(
    r: RowValues, assessed: Assessed, targets: Targets, cfg: GapMethodConfig
) -> Forward:
    """docs/method.md §4.2 "Forward measure": the robust slope of A over the blanked window, the
    slope of the distance D on numeric-target rows, the required closing and Q."""
    rows = r.rows
    is_target = targets.is_target[r.series]
    value_slope = rows.slope(assessed.values, cfg)
    distance_slope = rows.slope(targets.distance, cfg, is_target)
    required_slope, q = tr.forward_ratio(r.D_t, distance_slope.slope, r.Y - r.t)
    return Forward(
        value_slope, distance_slope, required_slope, q, r.D_t, is_target.astype(np.int64)
    )


def noise_band(
    r: RowValues, facts: SeriesFacts, assessed: Assessed, cfg: GapMethodConfig
) -> np.ndarray:
    """docs/method.md §4.2 "Noise band": τ = max(``noise_share`` × the mean of |A| over the six
    years, not blanked before b, ``min_detectable_change``)."""
    window = r.rows.window(assessed.values, masked=False)
    return tr.noise_band(window, facts.min_detectable_change[r.series], cfg.noise_share)


@dataclass(frozen=True)
class ShortTerm:
    """The short-term signals of each row (§4.2) and what the short-term status reads (§5.5)."""

    mean_5y: np.ndarray  # mean change a year over the six-year window (≥ 4 values)
    last: np.ndarray  # change a year since the previous value in the window
    read_5y: np.ndarray  # what the status reads: d·mean_5y, or the distance's for NATIONAL/PEER
    read_last: np.ndarray

    def columns(self, tau: np.ndarray) -> dict[str, object]:
        return {
            "mean_change_5y": self.mean_5y,
            "last_change": self.last,
            "short_term_status": st.short_term_status(self.read_5y, self.read_last, tau),
        }


def short_term_signals(
    r: RowValues, assessed: Assessed, targets: Targets, cfg: GapMethodConfig
) -> ShortTerm:
    """docs/method.md §4.2 "Short-term signals" (Destatis): the value's mean change over the
    six years (not blanked before b) and its last change. The short-term status (§5.5) reads
    them direction-adjusted, and for a moving target the same changes of the distance D."""
    rows = r.rows
    window = rows.window(assessed.values, masked=False)
    mean_5y = tr.mean_annual_change(window, cfg.short_term_min_points)
    last = tr.last_change(window)
    del window
    read_5y, read_last = r.d * mean_5y, r.d * last
    moving = targets.moving[r.series]
    if moving.any():
        distance = rows.window(targets.distance, masked=False, rows=moving)
        read_5y[moving] = tr.mean_annual_change(distance, cfg.short_term_min_points)
        read_last[moving] = tr.last_change(distance)
    return ShortTerm(mean_5y, last, read_5y, read_last)


def long_term_status(
    r: RowValues,
    targets: Targets,
    backward: Backward,
    forward: Forward,
    tau: np.ndarray,
    short: ShortTerm,
    cfg: GapMethodConfig,
) -> pd.Categorical:
    """docs/method.md §5 "Status": the numeric-target rule (§5.1) on numeric-target rows, the
    MAINTAIN rule (§5.3) on MAINTAIN rows and the direction rule (§5.2) on every other row."""
    with np.errstate(invalid="ignore", divide="ignore"):
        change_since_b = (r.a_t - r.x_b) / (r.t - r.b_year)
        closing = (r.D_t - r.D_b) / (r.t - r.b_year)
    worsening = forward.distance_slope.slope < -tau
    value, met = backward.progress.value, backward.met
    with_target = st.status_with_target(met, worsening, value, closing, tau, cfg)
    direction = st.status_direction(value, backward.coefficient, r.d * change_since_b, tau, cfg)
    maintain = st.status_maintain(met, r.d * short.mean_5y, tau, backward.has_target)
    r_s = r.series
    selector = np.where(targets.is_target[r_s], 1, np.where(targets.is_maintain[r_s], 2, 0))
    return choose(selector, direction, with_target, maintain)


def verdict_columns(
    status: pd.Categorical, backward: Backward, forward: Forward, cfg: GapMethodConfig
) -> dict[str, object]:
    """docs/method.md §4.3 "One verdict": the score of R kept inside its status's band (NaN on
    ``otillräckliga data``); and ``low_confidence`` (§4.2), an assessed row with fewer than
    ``theil_sen_min_points`` values in its window."""
    p = backward.progress
    raw_score = progress_score(
        p.value, backward.has_target, backward.met, backward.coefficient, cfg
    )
    assessed = status.codes != status.categories.get_loc(INSUFFICIENT)
    return {
        "status": status,
        "score": st.score_for_status(raw_score, status, cfg),
        # Few values since the baseline in the window: the verdict rests on little data.
        "low_confidence": (forward.points < cfg.theil_sen_min_points) & assessed,
    }


def synthetic_inputs(
    r: RowValues,
    cube: Cube,
    assessed: Assessed,
    base: Baseline,
    related: Related,
    targets: Targets,
) -> np.ndarray:
    """docs/method.md §10 "Synthetic inputs": any of the row's own inputs is synthetic — the
    value, the assessed series in the window, the baseline, the benchmark in the window,
    Riket's value or the women's and men's values."""
    rows, r_s = r.rows, r.series
    benchmark = np.where(np.isnan(targets.benchmark), 0, targets.benchmark_synthetic)
    national = rows.at(related.national_synthetic) & ~np.isnan(rows.at(related.national))
    return (
        rows.at(cube.synthetic)
        | np.any(rows.window(assessed.synthetic.astype(np.float32)) > 0, axis=1)
        | (base.synthetic[r_s] & r.has_b)
        | np.any(rows.window(benchmark.astype(np.float32)) > 0, axis=1)
        | national
        | rows.at(related.women_men_synthetic)
    )
