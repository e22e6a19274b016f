"""Comparisons across geographies and groups on the cube (docs/method.md §6 and the
benchmarks): peer mean, rank among län and among a län's kommuner, spread between a län's
kommuner, women/men measures, and the bounds of the 0–100 level score."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.gap_method.config import GapMethodConfig
from orchestration.gap_method.cube import Cube

NAN = float("nan")


def peer_mean(cube: Cube, cfg: GapMethodConfig) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the peer län's values (same indicator, sex, year) for every series, where at
    least ``peer_min_count`` peers have a value; and whether any of those values is synthetic.
    Without peers (none configured for the region) every mean is NaN: no PEER benchmark."""
    if not cfg.peer_geography_codes:
        shape = cube.values.shape
        return np.full(shape, NAN), np.zeros(shape, dtype=bool)
    ind_code, _, sex_code = cube.series_keys
    stacked = []
    flags = []
    for code in cfg.peer_geography_codes:
        idx = cube.lookup(ind_code, cube.code("geography", code), sex_code)
        stacked.append(cube.take(cube.values, idx))
        flags.append(cube.take(cube.synthetic, idx))
    values = np.stack(stacked)
    count = np.sum(~np.isnan(values), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(values, axis=0) / count
    enough = count >= cfg.peer_min_count
    synthetic = np.any(np.stack(flags) & ~np.isnan(values), axis=0)
    return np.where(enough, mean, NAN), synthetic & enough


def group_rank(
    series_rows: np.ndarray, group: np.ndarray, better: np.ndarray, n_series: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rank (1 = highest ``better``; ties share the lowest rank) of each series among the
    ``series_rows`` in the same ``group``, per year column; and how many were ranked.

    ``better`` is the d-adjusted value matrix of ``series_rows`` (NaN: not ranked).
    """
    n_years = better.shape[1]
    rank = np.full((n_series, n_years), NAN)
    count = np.full((n_series, n_years), NAN)
    local, col = np.nonzero(~np.isnan(better))
    if len(local) == 0:
        return rank, count
    val = better[local, col]
    key = group[local].astype(np.int64) * n_years + col
    order = np.lexsort((-val, key))
    key_s, val_s = key[order], val[order]
    n = len(order)
    positions = np.arange(n)
    new_group = np.r_[True, key_s[1:] != key_s[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, positions, 0))
    new_tie = new_group | np.r_[True, val_s[1:] != val_s[:-1]]
    tie_start = np.maximum.accumulate(np.where(new_tie, positions, 0))
    ranks_s = tie_start - group_start + 1
    sizes = np.diff(np.r_[np.nonzero(new_group)[0], n])
    counts_s = np.repeat(sizes, sizes)
    target_rows = series_rows[local[order]]
    target_cols = col[order]
    rank[target_rows, target_cols] = ranks_s
    count[target_rows, target_cols] = counts_s
    return rank, count


@dataclass(frozen=True)
class Spread:
    """Spread between the kommuner of each län series, per year (NaN for other series)."""

    count: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray
    mean: np.ndarray
    cv: np.ndarray
    synthetic: np.ndarray


def kommun_spread(cube: Cube, kommun_rows: np.ndarray, lan_of_kommun: np.ndarray) -> Spread:
    """Range, mean and coefficient of variation (population standard deviation / |mean|) of the
    kommun values under each län series, per year. ``lan_of_kommun``: the län series of each
    row in ``kommun_rows`` (−1 when the län has no series)."""
    n_series, n_years = cube.values.shape
    out = {name: np.full((n_series, n_years), NAN) for name in ("count", "min", "max", "mean")}
    cv = np.full((n_series, n_years), NAN)
    synthetic = np.zeros((n_series, n_years), dtype=bool)
    keep = lan_of_kommun >= 0
    rows, targets = kommun_rows[keep], lan_of_kommun[keep]
    if len(rows) == 0:
        return Spread(out["count"], out["min"], out["max"], out["mean"], cv, synthetic)
    order = np.argsort(targets, kind="stable")
    rows, targets = rows[order], targets[order]
    starts = np.nonzero(np.r_[True, targets[1:] != targets[:-1]])[0]
    block_of = np.cumsum(np.r_[True, targets[1:] != targets[:-1]]) - 1
    owners = targets[starts]
    x = cube.values[rows]
    present = ~np.isnan(x)
    count = np.add.reduceat(present, starts, axis=0).astype(float)
    total = np.add.reduceat(np.where(present, x, 0.0), starts, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / count, NAN)
        dev = np.where(present, x - mean[block_of], 0.0)
        std = np.sqrt(np.add.reduceat(dev * dev, starts, axis=0) / count)
        cv_blocks = np.where(np.abs(mean) > 0, std / np.abs(mean), NAN)
    out["count"][owners] = np.where(count > 0, count, NAN)
    out["min"][owners] = np.fmin.reduceat(x, starts, axis=0)
    out["max"][owners] = np.fmax.reduceat(x, starts, axis=0)
    out["mean"][owners] = mean
    cv[owners] = cv_blocks
    synthetic[owners] = np.logical_or.reduceat(cube.synthetic[rows] & present, starts, axis=0)
    return Spread(out["count"], out["min"], out["max"], out["mean"], cv, synthetic)


def sex_measures(women: np.ndarray, men: np.ndarray, cfg: GapMethodConfig) -> dict[str, object]:
    """Women/men difference K − M, ratio r = K/M, parity max(r, 1/r) and whether the two are
    equal (r within ``parity_low``–``parity_high``; a nullable boolean, missing without a
    ratio); ratio and parity need positive values."""
    with np.errstate(invalid="ignore", divide="ignore"):
        positive = (women > 0) & (men > 0)
        ratio = np.where(positive, women / np.where(positive, men, 1.0), NAN)
        parity = np.fmax(ratio, 1.0 / ratio)
        equal = (ratio >= cfg.parity_low) & (ratio <= cfg.parity_high)
    return {
        "sex_difference": women - men,
        "sex_ratio": ratio,
        "sex_parity": parity,
        "sex_parity_equal": pd.array(np.where(np.isnan(ratio), None, equal), dtype="boolean"),
    }


def level_bounds(
    cube: Cube, baseline_col: np.ndarray, d: np.ndarray, cfg: GapMethodConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Floor x_low (the ``level_floor_quantile`` of the kommuner in the catalogue's baseline
    year, in the desired direction: the 2.5th percentile of d·x) and the top-decile value for
    the level score, per series (same for every geography of an indicator × sex); the län are
    used where no kommun has a value that year. Also whether any input was synthetic."""
    s = cube.series
    n_years = cube.values.shape[1]
    col = np.clip(baseline_col, 0, n_years - 1)
    in_range = (baseline_col >= 0) & (baseline_col < n_years)
    rows = np.arange(len(s))
    frame = pd.DataFrame(
        {
            "indicator_id": s["indicator_id"].to_numpy(object),
            "sex": s["sex"].to_numpy(object),
            "level": s["level"].to_numpy(object),
            "better": np.where(in_range, d * cube.values[rows, col], NAN),
            "synthetic": cube.synthetic[rows, col] & in_range,
        }
    ).dropna(subset=["better"])
    key = ["indicator_id", "sex"]
    bounds = []
    for level in ("kommun", "lan"):
        grouped = frame[frame["level"] == level].groupby(key)
        bounds.append(
            pd.DataFrame(
                {
                    "floor": grouped["better"].quantile(cfg.level_floor_quantile),
                    "top": grouped["better"].quantile(cfg.level_top_quantile),
                    "synthetic": grouped["synthetic"].any(),
                }
            )
        )
    combined = bounds[0].combine_first(bounds[1]) if len(bounds[0]) else bounds[1]
    at = combined.reindex(pd.MultiIndex.from_frame(s[key]))
    # Back from d-adjusted quantiles to values.
    floor = at["floor"].to_numpy(float) * d
    top = at["top"].to_numpy(float) * d
    return floor, top, at["synthetic"].fillna(False).to_numpy(bool)


def level_score(
    value: np.ndarray, d: np.ndarray, floor: np.ndarray, ceiling: np.ndarray
) -> np.ndarray:
    """100·clip((d·x − d·x_low)/(d·T* − d·x_low), 0, 1); NaN where d·T* ≤ d·x_low."""
    span = d * ceiling - d * floor
    with np.errstate(invalid="ignore", divide="ignore"):
        score = 100.0 * np.clip((d * value - d * floor) / span, 0.0, 1.0)
        return np.where(span > 0, score, NAN)
