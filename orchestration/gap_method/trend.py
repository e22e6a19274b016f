"""Recent trend of a series: robust slope, noise band and Germany's short-term signals.

Every function works on a *window*: a 2-D array with one row per series × assessment year and
one column per calendar year, oldest first, the assessment year last (NaN where no value). A
missing year inside the window is simply a NaN column; the slopes use the real year distances.

* Robust slope (docs/method.md §4.2, forward measure): Theil–Sen (the median of all pairwise
  slopes) with at least ``theil_sen_min_points`` values in the window, the end-point slope with
  ``end_point_min_points`` up to that (marked low-confidence), nothing below.
* Noise band τ = max(``noise_share`` × window mean of |x|, minimum detectable change): a slope
  within ±τ per year is "står still".
* Destatis (German Sustainable Development Strategy indicator report, "Status of indicators –
  methodology"): the average of the last five annual changes, computed from the last six data
  points (at least four), and the last change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orchestration.gap_method.config import GapMethodConfig

NAN = float("nan")
# Codes of Slope.method.
SLOPE_METHODS = ("none", "end_point", "theil_sen")


def windows(matrix: np.ndarray, rows: np.ndarray, cols: np.ndarray, width: int) -> np.ndarray:
    """``matrix[rows[i], cols[i] − width + 1 … cols[i]]`` for every i; NaN before column 0."""
    padded = np.concatenate([np.full((matrix.shape[0], width - 1), NAN), matrix], axis=1)
    return padded[rows[:, None], cols[:, None] + np.arange(width)[None, :]]


def nan_median(a: np.ndarray) -> np.ndarray:
    """Row-wise median ignoring NaN (NaN for an all-NaN row), without numpy's warnings."""
    ordered = np.sort(a, axis=1)  # NaN sort last
    count = np.sum(~np.isnan(a), axis=1)
    lo = np.clip((count - 1) // 2, 0, None)
    hi = np.clip(count // 2, 0, a.shape[1] - 1)
    lo_v = np.take_along_axis(ordered, lo[:, None], axis=1)[:, 0]
    hi_v = np.take_along_axis(ordered, hi[:, None], axis=1)[:, 0]
    return np.where(count > 0, (lo_v + hi_v) / 2.0, NAN)


def theil_sen_slope(window: np.ndarray) -> np.ndarray:
    """Theil–Sen slope per row: the median of (x_j − x_i)/(j − i) over all pairs i < j with both
    values present (NaN with fewer than two values)."""
    i, j = np.triu_indices(window.shape[1], 1)
    return nan_median((window[:, j] - window[:, i]) / (j - i))


def _first_last(window: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    valid = ~np.isnan(window)
    width = window.shape[1]
    first = np.argmax(valid, axis=1)
    last = width - 1 - np.argmax(valid[:, ::-1], axis=1)
    return first, last, valid


def end_point_slope(window: np.ndarray) -> np.ndarray:
    """(last value − first value)/(years between them) per row; NaN with fewer than two values."""
    first, last, _ = _first_last(window)
    rows = np.arange(window.shape[0])
    span = last - first
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = (window[rows, last] - window[rows, first]) / span
    return np.where(span > 0, slope, NAN)


def last_change(window: np.ndarray) -> np.ndarray:
    """Change per year from the previous value in the window to the last one."""
    valid = ~np.isnan(window)
    width = window.shape[1]
    positions = np.where(valid, np.arange(width)[None, :], -1)
    last = positions.max(axis=1)
    before_last = np.where(np.arange(width)[None, :] < last[:, None], positions, -1).max(axis=1)
    rows = np.arange(window.shape[0])
    with np.errstate(invalid="ignore", divide="ignore"):
        change = (window[rows, last] - window[rows, before_last]) / (last - before_last)
    return np.where(before_last >= 0, change, NAN)


def point_count(window: np.ndarray) -> np.ndarray:
    return np.sum(~np.isnan(window), axis=1)


@dataclass(frozen=True)
class Slope:
    """Robust slope of each window row."""

    slope: np.ndarray
    points: np.ndarray  # values in the window
    method: np.ndarray  # index into SLOPE_METHODS
    low_confidence: np.ndarray  # bool: end-point slope from 2–3 values


def robust_slope(window: np.ndarray, cfg: GapMethodConfig, chunk: int = 65536) -> Slope:
    """Theil–Sen with ≥ ``theil_sen_min_points`` values, end-point slope (low confidence) with
    ``end_point_min_points`` up to that, NaN with fewer. Works through the rows in chunks so the
    pairwise slopes never need more than ``chunk`` × 15 floats at a time."""
    points = point_count(window)
    full = points >= cfg.theil_sen_min_points
    short = (points >= cfg.end_point_min_points) & ~full
    slope = np.full(len(window), NAN)
    rows = np.nonzero(full)[0]
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        slope[part] = theil_sen_slope(window[part])
    rows = np.nonzero(short)[0]
    slope[rows] = end_point_slope(window[rows])
    method = np.select([full, short], [2, 1], default=0)
    return Slope(slope=slope, points=points, method=method, low_confidence=short)


def noise_band(window: np.ndarray, min_detectable_change: np.ndarray, share: float) -> np.ndarray:
    """τ = max(share × mean |x| over the window, the indicator's minimum detectable change)."""
    count = point_count(window)
    total = np.nansum(np.abs(window), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.where(count > 0, count, 1), NAN)
    return np.fmax(share * mean, np.nan_to_num(min_detectable_change, nan=0.0))


def mean_annual_change(window: np.ndarray, min_points: int) -> np.ndarray:
    """Destatis: the average annual change over the window (first to last value), with at least
    ``min_points`` values in it."""
    return np.where(point_count(window) >= min_points, end_point_slope(window), NAN)


def forward_ratio(
    distance: np.ndarray, distance_slope: np.ndarray, years_left: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Required slope and Q = actual / required slope of the distance to the target.

    ``distance`` = d·(x_t − T_t) (≥ 0: met); the distance must close by −distance/(Y − t) per
    year. With a fixed target, ``distance_slope`` = d·s and Q = d·s / (d·(T − x_t)/(Y − t)).
    NaN where the target is met or the target year has been reached.
    """
    open_ = (distance < 0) & (years_left > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        required = np.where(open_, -distance / np.where(years_left > 0, years_left, 1), NAN)
        q = np.where(open_, distance_slope / required, NAN)
    return required, q


def dead_band_sign(x: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """+1 above τ, −1 below −τ, 0 within ±τ, NaN where x or τ is missing."""
    with np.errstate(invalid="ignore"):
        sign = np.select([x > tau, x < -tau], [1.0, -1.0], default=0.0)
    return np.where(np.isnan(x) | np.isnan(tau), NAN, sign)
