"""Backward-looking progress since the baseline: the Open SDG / Statistics Canada progress measure.

Follows ``open-sdg/sdg-build:sdg/ProgressMeasure.py`` (class ``SeriesProgress``):

* ``growth_calculation``: CAGR ``(x_t/x_b)^(1/(t−b)) − 1``.
* method 1, no target: progress = sign·d·CAGR, with ``sign = −1`` when the base value is negative.
* method 2, with a target: progress = sign·d·CAGR_observed / |CAGR_required|, the required CAGR
  running from the base value to the target in the target year (Eurostat's "actual over required
  pace" ratio R).
* thresholds: 0.95 / 0.6 / 0 with a target, 1.5 % / 0.5 % / 0 without, the latter multiplied by the
  natural-limit coefficient C; a target of 0 is taken as 0.001; "target achieved" overrides.
* score −5…+5 (``get_score``), piecewise linear; target achieved = +5.

Deliberate differences (docs/method.md §8.1): where a value is zero or the values change sign
sdg-build returns nothing (or swaps a zero base for 0.001); here the pace becomes a linear change
per year relative to |x_b| (absolute when x_b = 0) and ``pace_method`` says ``linear``. With
``GapMethodConfig.limit_from_opposite_bound`` the limit coefficient is measured from the opposite
natural bound, so shares falling towards 0 % also get C < 1 (sdg-build measures from 0 only and
so never shrinks the thresholds towards a lower limit of 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.gap_method.config import GapMethodConfig
from orchestration.gap_method.labels import PROGRESS_LABELS, coded_select

NAN = float("nan")


def _pace(x_from: np.ndarray, x_to: np.ndarray, years: np.ndarray, use_cagr: np.ndarray):
    """Annual pace from ``x_from`` to ``x_to`` over ``years`` (> 0).

    CAGR times the sign of ``x_from`` where ``use_cagr`` (sdg-build's ``sign``), else the linear
    change per year relative to |x_from| (relative to 1 when ``x_from`` is 0).
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(use_cagr, x_to / np.where(x_from == 0, 1.0, x_from), 1.0)
        cagr = np.sign(x_from) * (np.power(ratio, 1.0 / years) - 1.0)
        scale = np.where(x_from != 0, np.abs(x_from), 1.0)
        linear = (x_to - x_from) / years / scale
    return np.where(use_cagr, cagr, linear)


def _same_sign_nonzero(*arrays: np.ndarray) -> np.ndarray:
    first = np.sign(arrays[0])
    ok = first != 0
    for other in arrays[1:]:
        ok &= np.sign(other) == first
    return ok


@dataclass(frozen=True)
class Progress:
    """Vectorised result of :func:`backward_progress` (one element per series × year)."""

    available: np.ndarray  # bool: x_b, x_t (and T) present and t > b
    actual_pace: np.ndarray  # a
    required_pace: np.ndarray  # r (NaN without a target)
    value: np.ndarray  # R with a target, the direction-adjusted pace without (may be ±inf)
    uses_cagr: np.ndarray  # bool: CAGR (True) or linear pace (False)


def backward_progress(
    x_b: np.ndarray,
    x_t: np.ndarray,
    b: np.ndarray,
    t: np.ndarray,
    target: np.ndarray,
    target_year: np.ndarray,
    d: np.ndarray,
) -> Progress:
    """Actual pace a, required pace r and the progress value of each element.

    ``target`` NaN means no numeric target (sdg-build method 1): the value is d·a. Otherwise
    (method 2) the value is ``R = d·a/|r|``; R is ±inf when the required pace is 0 (baseline
    exactly at the target) and the value has since moved.
    """
    x_b, x_t, target = (np.asarray(a, float) for a in (x_b, x_t, target))
    b, t, target_year, d = (np.asarray(a, float) for a in (b, t, target_year, d))
    has_target = np.isfinite(target)
    elapsed = t - b
    horizon = target_year - b
    available = np.isfinite(x_b) & np.isfinite(x_t) & (elapsed > 0)
    available &= ~has_target | (horizon > 0)
    safe_elapsed = np.where(elapsed > 0, elapsed, 1.0)
    safe_horizon = np.where(horizon > 0, horizon, 1.0)
    safe_target = np.where(has_target, target, x_b)
    uses_cagr = _same_sign_nonzero(x_b, x_t) & (~has_target | _same_sign_nonzero(x_b, target))
    actual = _pace(x_b, x_t, safe_elapsed, uses_cagr)
    required = _pace(x_b, safe_target, safe_horizon, uses_cagr)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(
            np.abs(required) > 0,
            d * actual / np.abs(required),
            np.where(d * actual >= 0, np.inf, -np.inf),
        )
    value = np.where(has_target, ratio, d * actual)
    return Progress(
        available=available,
        actual_pace=np.where(available, actual, NAN),
        required_pace=np.where(available & has_target, required, NAN),
        value=np.where(available, value, NAN),
        uses_cagr=uses_cagr,
    )


def gap_closing_progress(
    distance_b: np.ndarray,
    distance_t: np.ndarray,
    b: np.ndarray,
    t: np.ndarray,
    target_year: np.ndarray,
) -> Progress:
    """Progress towards a moving benchmark (NATIONAL, PEER): does the distance to it close in
    time? docs/method.md §3.1.

    The distance D = d·(x − B) (≥ 0: at or past the benchmark) must go from D_b to 0 by the
    target year: required closing r = −D_b/(Y − b) per year; actual closing a = (D_t − D_b)/(t − b)
    per year (linear: a distance changes sign). R = a/r; with r ≤ 0 (at or past the benchmark
    in the baseline year) R = +∞ when the distance has not shrunk and −∞ when it has, Open SDG's
    rule for a required pace of 0. The pace is ``linear`` by construction.
    """
    distance_b, distance_t, b, t, target_year = (
        np.asarray(a, float) for a in (distance_b, distance_t, b, t, target_year)
    )
    elapsed, horizon = t - b, target_year - b
    available = np.isfinite(distance_b) & np.isfinite(distance_t) & (elapsed > 0) & (horizon > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        actual = (distance_t - distance_b) / np.where(elapsed > 0, elapsed, 1.0)
        required = -distance_b / np.where(horizon > 0, horizon, 1.0)
        ratio = np.where(required > 0, actual / required, np.where(actual >= 0, np.inf, -np.inf))
    return Progress(
        available=available,
        actual_pace=np.where(available, actual, NAN),
        required_pace=np.where(available, required, NAN),
        value=np.where(available, ratio, NAN),
        uses_cagr=np.zeros(distance_b.shape, dtype=bool),
    )


def target_met(x_t: np.ndarray, target: np.ndarray, d: np.ndarray) -> np.ndarray:
    """sdg-build ``is_target_achieved``: d·(x_t − T) ≥ 0; False where either is missing."""
    with np.errstate(invalid="ignore"):
        return np.nan_to_num(np.asarray(d) * (np.asarray(x_t) - np.asarray(target)), nan=-1) >= 0


def limit_coefficient(
    base: np.ndarray,
    limit: np.ndarray,
    origin: np.ndarray,
    exponent: float,
) -> np.ndarray:
    """Natural-limit coefficient C ∈ [0, 1] (sdg-build ``get_progress_thresholds``).

    With u = (base − origin)/(limit − origin): C = 1 − u^a for u ≤ 1, 1 − (2 − u)^a for
    1 < u < 2, and 1 from u ≥ 2 on (a = 4.44). sdg-build's origin is 0 (u = |base|/|limit|). No
    limit, or a limit equal to its origin, gives C = 1.
    """
    base, limit, origin = (np.asarray(a, float) for a in (base, limit, origin))
    span = limit - origin
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.abs(base - origin) / np.abs(span)
        near = 1.0 - np.power(np.clip(u, 0.0, 1.0), exponent)
        beyond = 1.0 - np.power(np.clip(2.0 - u, 0.0, 1.0), exponent)
    coefficient = np.where(u >= 2, 1.0, np.where(u <= 1, near, beyond))
    valid = np.isfinite(limit) & np.isfinite(base) & (span != 0)
    return np.where(valid, coefficient, 1.0)


def natural_limits(
    d: np.ndarray,
    natural_min: np.ndarray,
    natural_max: np.ndarray,
    from_opposite_bound: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """The limit in the desired direction (max when higher is better, min when lower is) and the
    origin the distance to it is measured from (the opposite bound, else 0 as in sdg-build)."""
    d = np.asarray(d, float)
    natural_min = np.asarray(natural_min, float)
    natural_max = np.asarray(natural_max, float)
    limit = np.where(d > 0, natural_max, natural_min)
    opposite = np.where(d > 0, natural_min, natural_max)
    if from_opposite_bound:
        origin = np.where(np.isfinite(opposite), opposite, 0.0)
    else:
        origin = np.zeros_like(limit)
    return limit, origin


def progress_status(
    value: np.ndarray,
    has_target: np.ndarray,
    met: np.ndarray,
    coefficient: np.ndarray,
    cfg: GapMethodConfig,
) -> pd.Categorical:
    """Open SDG status codes (sdg-build ``get_progress_status``): target_achieved,
    substantial_progress, moderate_progress, limited_progress, deterioration, not_available."""
    value = np.asarray(value, float)
    high = np.where(has_target, cfg.on_track_ratio, cfg.substantial_cagr * coefficient)
    med = np.where(has_target, cfg.moderate_ratio, cfg.moderate_cagr * coefficient)
    low = np.where(has_target, cfg.deterioration_ratio, cfg.deterioration_cagr * coefficient)
    with np.errstate(invalid="ignore"):
        conditions = [met, np.isnan(value), value >= high, value >= med, value >= low]
    codes = [
        "target_achieved",
        "not_available",
        "substantial_progress",
        "moderate_progress",
        "limited_progress",
    ]
    return coded_select(conditions, codes, "deterioration", PROGRESS_LABELS)


def progress_score(
    value: np.ndarray,
    has_target: np.ndarray,
    met: np.ndarray,
    coefficient: np.ndarray,
    cfg: GapMethodConfig,
) -> np.ndarray:
    """Score −5…+5 (sdg-build ``get_score``): target met → +5; with a target the ratio R through
    ``cfg.ratio_score_points``; without one the direction-adjusted pace through
    ``cfg.cagr_score_points`` with the positive breakpoints multiplied by C (C = 0 and a pace
    ≥ 0 → +5). Values beyond the end points are clamped."""
    value = np.asarray(value, float)
    coefficient = np.asarray(coefficient, float)
    rx, ry = zip(*cfg.ratio_score_points, strict=True)
    cx, cy = zip(*cfg.cagr_score_points, strict=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Scaling the positive breakpoints by C equals dividing a positive pace by C.
        scaled = np.where((value > 0) & (coefficient > 0), value / coefficient, value)
    with_target = np.interp(value, rx, ry)
    without = np.where(
        (coefficient == 0) & (value >= 0), cfg.target_met_score, np.interp(scaled, cx, cy)
    )
    score = np.where(has_target, with_target, without)
    score = np.where(np.isnan(value), NAN, score)
    return np.where(met, cfg.target_met_score, score)


@dataclass(frozen=True)
class BackwardResult:
    """Scalar form of the backward progress for one series and assessment year."""

    actual_pace: float
    required_pace: float
    ratio: float  # R with a target, the direction-adjusted pace without; NaN when not finite
    pace_method: str  # cagr, linear or none
    status: str  # Open SDG code (PROGRESS_LABELS)
    score: float
    limit_coefficient: float


def backward_ratio(
    x_b: float,
    x_t: float,
    b: int,
    t: int,
    target: float,
    direction: int,
    config: GapMethodConfig | None = None,
    target_year: int | None = None,
    *,
    natural_min: float = NAN,
    natural_max: float = NAN,
) -> BackwardResult:
    """Open SDG progress of one series from its baseline (b, x_b) to (t, x_t).

    ``target`` NaN: no numeric target (direction only). The same vectorised code as the frame
    entry point, on arrays of length one.
    """
    cfg = config or GapMethodConfig()
    arr = lambda v: np.array([v], dtype=float)  # noqa: E731
    y = cfg.target_year if target_year is None else target_year
    tgt = arr(target)
    tgt = np.where(tgt == 0, cfg.zero_target, tgt)
    p = backward_progress(arr(x_b), arr(x_t), arr(b), arr(t), tgt, arr(y), arr(direction))
    has_target = np.isfinite(tgt)
    met = target_met(arr(x_t), tgt, arr(direction))
    limit, origin = natural_limits(
        arr(direction), arr(natural_min), arr(natural_max), cfg.limit_from_opposite_bound
    )
    coefficient = np.where(
        has_target, 1.0, limit_coefficient(arr(x_b), limit, origin, cfg.limit_exponent)
    )
    status = progress_status(p.value, has_target, met, coefficient, cfg)
    score = progress_score(p.value, has_target, met, coefficient, cfg)
    ratio = float(p.value[0])
    return BackwardResult(
        actual_pace=float(p.actual_pace[0]),
        required_pace=float(p.required_pace[0]),
        ratio=ratio if np.isfinite(ratio) else NAN,
        pace_method=("cagr" if p.uses_cagr[0] else "linear") if p.available[0] else "none",
        status=str(status[0]),
        score=float(score[0]),
        limit_coefficient=float(coefficient[0]),
    )
