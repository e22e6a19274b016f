"""The comparison columns of each output row, one step per section of docs/method.md: the
benchmark (§6.1), ranks (§6.2), women and men (§6.3), the spread between a län's kommuner (§6.4)
and the level score (§5.6), from the cube-wide comparisons of :mod:`.comparisons`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from orchestration.gap_method import status as st
from orchestration.gap_method import trend as tr
from orchestration.gap_method.comparisons import (
    group_rank,
    kommun_spread,
    level_bounds,
    level_score,
    sex_measures,
)
from orchestration.gap_method.config import GapMethodConfig
from orchestration.gap_method.cube import Cube

if TYPE_CHECKING:
    from orchestration.gap_method.rows import Rows, RowValues
    from orchestration.gap_method.targets import (
        Assessed,
        Baseline,
        Related,
        SeriesFacts,
        Targets,
    )

NAN = float("nan")


def group_any(flags: np.ndarray, rows: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per year: whether any of ``rows`` in the same group has a true flag, spread back to
    those rows (False for every other series): a rank is synthetic when any value ranked
    beside it is (§10 ``context_is_synthetic``)."""
    out = np.zeros(flags.shape, dtype=bool)
    if len(rows) == 0:
        return out
    _, inverse = np.unique(group, return_inverse=True)
    per_group = np.zeros((inverse.max() + 1, flags.shape[1]), dtype=bool)
    np.logical_or.at(per_group, inverse, flags[rows])
    out[rows] = per_group[inverse]
    return out


def share_meeting_target(
    met: np.ndarray, judged: np.ndarray, rows: Rows, lan_of: np.ndarray, n_years: int
) -> np.ndarray:
    """docs/method.md §6.4 ``kommun_share_meeting_target``: the share of a län's kommuner
    meeting their own target that year (kommun rows with a target), on the län's rows; NaN
    elsewhere. ``lan_of``: the län series of each kommun
    series, −1 for other series."""
    owner = lan_of[rows.series]
    use = judged & (owner >= 0)
    size = len(lan_of) * n_years
    key = owner[use] * n_years + rows.col[use]
    counted = np.bincount(key, minlength=size)
    meeting = np.bincount(key, weights=met[use].astype(float), minlength=size)
    row_key = rows.series * n_years + rows.col
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counted[row_key] > 0, meeting[row_key] / counted[row_key], NAN)


@dataclass(frozen=True)
class Columns:
    """Output columns of one comparison step, and whether its inputs at each row were synthetic
    (``context_is_synthetic``, §10)."""

    columns: dict[str, object]
    synthetic: np.ndarray


def benchmark_columns(
    r: RowValues,
    cube: Cube,
    facts: SeriesFacts,
    related: Related,
    targets: Targets,
    tau: np.ndarray,
    cfg: GapMethodConfig,
) -> dict[str, object]:
    """docs/method.md §6.1 "County vs Riket, and the benchmark": Riket's value and the gap to it;
    the benchmark B_t, the benchmark gap g = d·(x_t − B_t), its change a year since b and its
    slope, and the benchmark status read with τ. None of the gaps for a total (§6.0)."""
    rows, r_s = r.rows, r.series
    comparable = facts.comparable[r_s]
    benchmark = targets.benchmark
    national = rows.at(related.national)
    gap_matrix = facts.d_value[:, None] * (cube.values - benchmark)
    gap = np.where(comparable, rows.at(gap_matrix), NAN)
    slope = rows.slope(gap_matrix, cfg, ~np.isnan(gap))
    at_b = (r_s, np.maximum(rows.baseline_col, 0))
    gap_b = np.where(r.has_b, gap_matrix[at_b], NAN)
    with np.errstate(invalid="ignore", divide="ignore"):
        change = np.where(comparable, (gap - gap_b) / (r.t - r.b_year), NAN)
    return {
        "national_value": national,
        "gap_to_national": np.where(comparable, r.d_value * (r.x_t - national), NAN),
        "benchmark": pd.Categorical.from_codes(
            targets.is_peer[r_s].astype(np.int64), categories=["riket", "peers"]
        ),
        "benchmark_value": rows.at(benchmark),
        "benchmark_baseline_value": np.where(r.has_b, benchmark[at_b], NAN),
        "benchmark_gap": gap,
        "benchmark_gap_slope": slope.slope,
        "benchmark_gap_change": change,
        "benchmark_status": st.benchmark_status(gap, change, tau, comparable),
    }


def rank_columns(r: RowValues, cube: Cube, facts: SeriesFacts) -> Columns:
    """docs/method.md §6.2 "Ranks": each län among the län with a value, each kommun among its
    own län's kommuner (grouped by the kommun's län code), by d·x; 1 = best, ties share the
    lowest rank. Totals are not ranked (§6.0)."""
    ind_code, _, sex_code = cube.series_keys
    better = facts.d_value[:, None] * cube.values
    ind_sex = ind_code * len(cube.sex_codes) + sex_code
    lan_rows = np.nonzero(facts.is_lan & facts.comparable)[0]
    kommun_rows = np.nonzero(facts.is_kommun & facts.comparable)[0]
    # Grouped by the kommun's län code, not the län's own series: a series kommuner only publish
    # has no län series, and a series position is no key component (it would mix indicators).
    lan_geo = np.asarray(cube.code("geography", cube.series["lan_code"]), dtype=np.int64)
    lan_group = ind_sex * (len(cube.geography_codes) + 1) + lan_geo + 1
    n_series = len(cube.series)
    rank_lan, lan_count = group_rank(lan_rows, ind_sex[lan_rows], better[lan_rows], n_series)
    rank_kommun, kommun_count = group_rank(
        kommun_rows, lan_group[kommun_rows], better[kommun_rows], n_series
    )
    synthetic = group_any(cube.synthetic, lan_rows, ind_sex[lan_rows]) | group_any(
        cube.synthetic, kommun_rows, lan_group[kommun_rows]
    )
    rows = r.rows
    columns = {
        "rank_among_lan": rows.at(rank_lan),
        "lan_ranked": rows.at(lan_count),
        "rank_in_lan": rows.at(rank_kommun),
        "kommuner_ranked": rows.at(kommun_count),
    }
    return Columns(columns, rows.at(synthetic))


def women_men_columns(
    r: RowValues,
    facts: SeriesFacts,
    assessed: Assessed,
    related: Related,
    cfg: GapMethodConfig,
) -> dict[str, object]:
    """docs/method.md §6.3 "Women and men": K and M of the row's geography and year, their
    difference, ratio and parity, and the trend of |K − M| (dead band from (|K| + |M|)/2)."""
    rows, r_s = r.rows, r.series
    women, men = rows.at(related.women), rows.at(related.men)
    both = ~np.isnan(women) & ~np.isnan(men)
    gap_slope = rows.slope(assessed.sex_gap, cfg, both)
    tau = np.full(len(rows), NAN)
    tau[both] = tr.noise_band(
        rows.window((np.abs(related.women) + np.abs(related.men)) / 2, masked=False, rows=both),
        facts.min_detectable_change[r_s[both]],
        cfg.noise_share,
    )
    trend = st.trend_status(gap_slope.slope, tau)
    return {
        "value_women": women,
        "value_men": men,
        **sex_measures(women, men, cfg),
        "sex_gap_slope": gap_slope.slope,
        "sex_gap_trend": trend,
        "sex_gap_target_status": st.sex_gap_target_status(trend, facts.narrow_sex_gap[r.series]),
    }


def spread_columns(
    r: RowValues,
    cube: Cube,
    facts: SeriesFacts,
    related: Related,
    met: np.ndarray,
    judged: np.ndarray,
    cfg: GapMethodConfig,
) -> Columns:
    """docs/method.md §6.4 "Spread between a län's kommuner" (on the län's rows): count, range,
    highest/lowest, CV and its trend, and the share of the kommuner with a target that meet it
    (``met`` and ``judged``: per row). Totals have no spread (§6.0)."""
    rows, r_s = r.rows, r.series
    kommun_rows = np.nonzero(facts.is_kommun & facts.comparable)[0]
    spread = kommun_spread(cube, kommun_rows, related.lan[kommun_rows])
    on_lan = facts.is_lan[r_s]
    cv_slope = rows.slope(spread.cv, cfg, on_lan)
    cv_tau = np.full(len(rows), NAN)
    cv_tau[on_lan] = tr.noise_band(
        rows.window(spread.cv, masked=False, rows=on_lan), np.zeros(on_lan.sum()), cfg.noise_share
    )
    k_min, k_max = rows.at(spread.minimum), rows.at(spread.maximum)
    with np.errstate(invalid="ignore", divide="ignore"):
        best_worst = np.where(k_min > 0, k_max / k_min, NAN)
    lan_of = np.where(facts.is_kommun, related.lan, -1)
    columns = {
        "kommun_count": rows.at(spread.count),
        "kommun_min": k_min,
        "kommun_max": k_max,
        "kommun_range": k_max - k_min,
        "kommun_best_worst_ratio": best_worst,
        "kommun_cv": rows.at(spread.cv),
        "kommun_share_meeting_target": share_meeting_target(
            met, judged, rows, lan_of, cube.values.shape[1]
        ),
        "kommun_cv_slope": cv_slope.slope,
        "kommun_spread_trend": st.trend_status(cv_slope.slope, cv_tau),
    }
    return Columns(columns, rows.at(spread.synthetic))


def level_score_columns(
    r: RowValues,
    cube: Cube,
    facts: SeriesFacts,
    assessed: Assessed,
    base: Baseline,
    targets: Targets,
    cfg: GapMethodConfig,
) -> Columns:
    """docs/method.md §5.6 "Level score 0–100": between the floor x_low and the ceiling T* (the
    target level on target and MAINTAIN rows, else the top decile); none for totals, GAP
    indicators and years before the catalogue's baseline year."""
    floor, top, synthetic = level_bounds(cube, base.catalogue_col, facts.d_value, cfg)
    r_s = r.series
    excluded = (~facts.comparable | assessed.is_gap)[r_s]
    # The bounds come from the catalogue's baseline year: no level score before it.
    excluded = excluded | (r.t < facts.catalogue_year[r_s])
    ceiling = np.where(excluded, NAN, np.where(targets.uses_target[r_s], r.T_t, top[r_s]))
    floor_r = np.where(excluded, NAN, floor[r_s])
    columns = {
        "level_floor": floor_r,
        "level_ceiling": ceiling,
        "level_score": level_score(r.x_t, r.d_value, floor_r, ceiling),
    }
    return Columns(columns, synthetic[r_s])
