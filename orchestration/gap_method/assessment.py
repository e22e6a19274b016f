"""The measures of one cube (a set of whole indicators), as raw column arrays.

:func:`assess_cube` returns one array per output column (see
:mod:`orchestration.gap_method.method` for what each means): numpy arrays, ``pd.Categorical``
codes for statuses and methods, floats with NaN for nullable integers. The entry point
concatenates the chunks and turns codes into strings once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.gap_method import comparisons as cmp
from orchestration.gap_method import status as st
from orchestration.gap_method import trend as tr
from orchestration.gap_method.config import GapMethodConfig
from orchestration.gap_method.cube import Cube
from orchestration.gap_method.labels import INSUFFICIENT, choose
from orchestration.gap_method.progress import (
    backward_progress,
    gap_closing_progress,
    limit_coefficient,
    natural_limits,
    progress_score,
    progress_status,
    target_met,
)
from orchestration.gap_method.rows import Rows, baseline_columns, output_rows

NAN = float("nan")


def assess_cube(cube: Cube, cfg: GapMethodConfig) -> dict[str, object]:
    """All measures for the series of ``cube``; see the module docstring for the encoding."""
    s = cube.series
    X, SYN, years = cube.values, cube.synthetic, cube.years
    n_series, n_years = X.shape
    ind_code, geo_code, sex_code = cube.series_keys

    # --- series attributes ---------------------------------------------------------------------
    ttype = s["target_type"].to_numpy(object)
    d_value = s["direction_sign"].to_numpy(float)
    level = s["level"].to_numpy(object)
    target_value = s["target_value"].to_numpy(float)
    target_value = np.where(target_value == 0, cfg.zero_target, target_value)
    target_year = s["target_year"].fillna(cfg.target_year).to_numpy(float)
    mdc = s["min_detectable_change"].to_numpy(float)
    mdc = np.where(np.isnan(mdc), cfg.default_min_detectable_change, mdc)
    riket = cube.code("geography", cfg.national_geography_code)
    is_riket = geo_code == riket
    is_lan, is_kommun = level == "lan", level == "kommun"
    # A total grows with the geography: never ranked, spread or set against another geography.
    comparable = s["measure"].to_numpy(object) != "total"

    # --- related series: Riket, women, men, the län, the peer län --------------------------
    nat_idx = np.where(is_riket, -1, cube.lookup(ind_code, riket, sex_code))
    women_idx = cube.lookup(ind_code, geo_code, cube.code("sex", "K"))
    men_idx = cube.lookup(ind_code, geo_code, cube.code("sex", "M"))
    lan_idx = cube.lookup(ind_code, cube.code("geography", s["lan_code"]), sex_code)
    NAT, NAT_SYN = Cube.take(X, nat_idx), Cube.take(SYN, nat_idx)
    XK, XM = Cube.take(X, women_idx), Cube.take(X, men_idx)
    KM_SYN = Cube.take(SYN, women_idx) | Cube.take(SYN, men_idx)
    PEER, PEER_SYN = cmp.peer_mean(cube, cfg)

    # GAP indicators are judged on |K − M| (lower is better); every other type on the value.
    is_gap = ttype == "gap"
    SEX_GAP = np.abs(XK - XM)
    A = np.where(is_gap[:, None], SEX_GAP, X)
    A_SYN = np.where(is_gap[:, None], KM_SYN, SYN)
    d = np.where(is_gap, -1.0, d_value)

    # --- baseline ------------------------------------------------------------------------------
    catalogue_year = s["baseline_year"].to_numpy(np.int64)
    catalogue_col = catalogue_year - int(years[0])
    cap_col = np.maximum(catalogue_year, cfg.latest_fallback_baseline_year) - int(years[0])
    b_col = baseline_columns(A, catalogue_col, cap_col)
    has_b = b_col >= 0
    x_b = np.where(has_b, A[np.arange(n_series), np.maximum(b_col, 0)], NAN)
    b_syn = has_b & A_SYN[np.arange(n_series), np.maximum(b_col, 0)]

    # --- targets: a constant T or the moving benchmark B_t, per series × year ---------------
    is_peer = ttype == "peer"
    BENCH = np.where(is_peer[:, None], PEER, NAT)
    BENCH_SYN = np.where(is_peer[:, None], PEER_SYN, NAT_SYN)
    has_value_target = np.isfinite(target_value)
    constant = np.select(
        [ttype == "absolute", ttype == "relative", ttype == "maintain", is_gap],
        [
            target_value,
            x_b * (1 + target_value / 100),
            np.where(has_value_target, target_value, x_b),
            target_value,
        ],
        default=NAN,
    )
    moving = ((ttype == "national") & ~is_riket) | is_peer
    is_maintain = ttype == "maintain"
    is_target = moving | (np.isin(ttype, ["absolute", "relative", "gap"]) & has_value_target)
    uses_target = is_target | is_maintain
    T = np.where(moving[:, None], BENCH, constant[:, None])
    T = np.where(uses_target[:, None], T, NAN)
    T = np.where(T == 0, cfg.zero_target, T)
    D = d[:, None] * (A - T)  # distance to the target, ≥ 0 when met
    D_b = np.where(has_b, D[np.arange(n_series), np.maximum(b_col, 0)], NAN)

    rows = output_rows(cube, b_col, cfg)
    r_s, n = rows.series, len(rows)
    t = years[rows.col].astype(float)
    rhas_b = rows.baseline_col >= 0
    rd, rd_value, rY = d[r_s], d_value[r_s], target_year[r_s]
    r_target, r_maintain = is_target[r_s], is_maintain[r_s]
    x_t, a_t, T_t, D_t = rows.at(X), rows.at(A), rows.at(T), rows.at(D)
    rx_b = x_b[r_s]
    b_year = np.where(rhas_b, years[np.maximum(rows.baseline_col, 0)], NAN).astype(float)

    # --- backward progress: Open SDG for a fixed target, the closing distance for a moving one --
    progress = _progress(rx_b, a_t, b_year, t, T_t, rY, rd, D_b[r_s], D_t, moving[r_s])
    has_target = np.isfinite(T_t)
    met = uses_target[r_s] & target_met(a_t, T_t, rd)
    limit, origin = natural_limits(
        rd,
        np.where(is_gap, NAN, s["natural_min"].to_numpy(float))[r_s],
        np.where(is_gap, NAN, s["natural_max"].to_numpy(float))[r_s],
        cfg.limit_from_opposite_bound,
    )
    coefficient = np.where(
        has_target, 1.0, limit_coefficient(rx_b, limit, origin, cfg.limit_exponent)
    )

    # --- trend, noise band, forward ratio, short-term signals --------------------------------
    WA_full = rows.window(A, masked=False)
    tau = tr.noise_band(WA_full, mdc[r_s], cfg.noise_share)
    mean_5y = tr.mean_annual_change(WA_full, cfg.short_term_min_points)
    last = tr.last_change(WA_full)
    del WA_full
    value_slope = rows.slope(A, cfg)
    distance_slope = rows.slope(D, cfg, r_target)
    required_slope, q = tr.forward_ratio(D_t, distance_slope.slope, rY - t)
    # The short-term view reads what the status reads: the distance to a moving benchmark, the
    # (direction-adjusted) value otherwise.
    r_moving = moving[r_s]
    short_5y, short_last = rd * mean_5y, rd * last
    if r_moving.any():
        WD = rows.window(D, masked=False, rows=r_moving)
        short_5y[r_moving] = tr.mean_annual_change(WD, cfg.short_term_min_points)
        short_last[r_moving] = tr.last_change(WD)
        del WD

    # --- statuses: one verdict, and the score kept to it ---------------------------------------
    with np.errstate(invalid="ignore", divide="ignore"):
        change_since_b = (a_t - rx_b) / (t - b_year)
        closing = (D_t - D_b[r_s]) / (t - b_year)
    with_target = st.status_with_target(
        met, distance_slope.slope < -tau, progress.value, closing, tau, cfg
    )
    direction = st.status_direction(progress.value, coefficient, rd * change_since_b, tau, cfg)
    maintain = st.status_maintain(met, rd * mean_5y, tau, has_target)
    selector = np.where(r_target, 1, np.where(r_maintain, 2, 0))
    used = r_target.astype(np.int64)
    status = choose(selector, direction, with_target, maintain)
    raw_score = progress_score(progress.value, has_target, met, coefficient, cfg)

    # --- benchmarks ----------------------------------------------------------------------------
    bench_t, national_t = rows.at(BENCH), rows.at(NAT)
    r_comparable = comparable[r_s]
    G = d_value[:, None] * (X - BENCH)
    bench_gap = np.where(r_comparable, rows.at(G), NAN)
    bench_slope = rows.slope(G, cfg, ~np.isnan(bench_gap))
    G_b = np.where(rhas_b, G[r_s, np.maximum(rows.baseline_col, 0)], NAN)
    bench_b = np.where(rhas_b, BENCH[r_s, np.maximum(rows.baseline_col, 0)], NAN)
    with np.errstate(invalid="ignore", divide="ignore"):
        bench_change = np.where(r_comparable, (bench_gap - G_b) / (t - b_year), NAN)
    del G

    # --- ranks: among the län, among the län's kommuner ---------------------------------------
    better = d_value[:, None] * X
    ind_sex = ind_code * len(cube.sex_codes) + sex_code
    lan_rows = np.nonzero(is_lan & comparable)[0]
    kommun_rows = np.nonzero(is_kommun & comparable)[0]
    # Grouped by the kommun's län code, not the län's own series: a series kommuner only publish
    # has no län series, and a series position is no key component (it would mix indicators).
    lan_geo = np.asarray(cube.code("geography", s["lan_code"]), dtype=np.int64)
    lan_group = ind_sex * (len(cube.geography_codes) + 1) + lan_geo + 1
    rank_lan, lan_count = cmp.group_rank(lan_rows, ind_sex[lan_rows], better[lan_rows], n_series)
    rank_kommun, kommun_count = cmp.group_rank(
        kommun_rows, lan_group[kommun_rows], better[kommun_rows], n_series
    )
    rank_syn = _group_any(SYN, lan_rows, ind_sex[lan_rows]) | _group_any(
        SYN, kommun_rows, lan_group[kommun_rows]
    )

    # --- spread between a län's kommuner (on the län's rows) ---------------------------------
    spread = cmp.kommun_spread(cube, kommun_rows, lan_idx[kommun_rows])
    on_lan = is_lan[r_s]
    cv_slope = rows.slope(spread.cv, cfg, on_lan)
    cv_tau = np.full(n, NAN)
    cv_tau[on_lan] = tr.noise_band(
        rows.window(spread.cv, masked=False, rows=on_lan), np.zeros(on_lan.sum()), cfg.noise_share
    )
    k_min, k_max = rows.at(spread.minimum), rows.at(spread.maximum)
    with np.errstate(invalid="ignore", divide="ignore"):
        best_worst = np.where(k_min > 0, k_max / k_min, NAN)
    share_meeting = _share_meeting_target(
        met, uses_target[r_s] & has_target, rows, np.where(is_kommun, lan_idx, -1), n_years
    )

    # --- women/men -----------------------------------------------------------------------------
    women_t, men_t = rows.at(XK), rows.at(XM)
    both = ~np.isnan(women_t) & ~np.isnan(men_t)
    sex_gap_slope = rows.slope(SEX_GAP, cfg, both)
    sex_tau = np.full(n, NAN)
    sex_tau[both] = tr.noise_band(
        rows.window((np.abs(XK) + np.abs(XM)) / 2, masked=False, rows=both),
        mdc[r_s[both]],
        cfg.noise_share,
    )

    # --- level score ---------------------------------------------------------------------------
    floor, top, level_syn = cmp.level_bounds(cube, catalogue_col, d_value, cfg)
    excluded = ~comparable | is_gap
    r_excluded = excluded[r_s]
    # The bounds come from the catalogue's baseline year: no level score before it.
    r_excluded = r_excluded | (t < catalogue_year[r_s])
    ceiling = np.where(r_excluded, NAN, np.where(uses_target[r_s], T_t, top[r_s]))
    floor_r = np.where(r_excluded, NAN, floor[r_s])

    # --- synthetic inputs ----------------------------------------------------------------------
    own_syn = (
        rows.at(SYN)
        | np.any(rows.window(A_SYN.astype(np.float32)) > 0, axis=1)
        | (b_syn[r_s] & rhas_b)
        | np.any(
            rows.window(np.where(np.isnan(BENCH), 0, BENCH_SYN).astype(np.float32)) > 0, axis=1
        )
        | (rows.at(NAT_SYN) & ~np.isnan(national_t))
        | rows.at(KM_SYN)
    )

    sex = cmp.sex_measures(women_t, men_t, cfg)
    return {
        "_series": r_s + cube.offset,
        "_col": rows.col,
        "value": x_t,
        "assessed_series": pd.Categorical.from_codes(
            is_gap[r_s].astype(np.int64), categories=["value", "gap_women_men"]
        ),
        "assessed_value": a_t,
        "baseline_year_used": np.where(rhas_b, b_year, NAN),
        "baseline_value": rx_b,
        "target_year": rY.astype(np.int64),
        "target_level": T_t,
        "target_met": met,
        "pace_method": pd.Categorical.from_codes(
            np.where(progress.available, np.where(progress.uses_cagr, 1, 2), 0),
            categories=["none", "cagr", "linear"],
        ),
        "actual_pace": progress.actual_pace,
        "required_pace": progress.required_pace,
        "backward_ratio": np.where(has_target & np.isfinite(progress.value), progress.value, NAN),
        "limit_coefficient": np.where(has_target, NAN, coefficient),
        "progress_value": np.where(np.isfinite(progress.value), progress.value, NAN),
        "progress_status": progress_status(progress.value, has_target, met, coefficient, cfg),
        "score": st.score_for_status(raw_score, status, cfg),
        "window_points": np.choose(used, [value_slope.points, distance_slope.points]),
        "slope": value_slope.slope,
        "slope_method": pd.Categorical.from_codes(
            np.choose(used, [value_slope.method, distance_slope.method]),
            categories=list(tr.SLOPE_METHODS),
        ),
        # Few values since the baseline in the window: the verdict rests on little data.
        "low_confidence": (
            np.choose(used, [value_slope.points, distance_slope.points]) < cfg.theil_sen_min_points
        )
        & (status.codes != status.categories.get_loc(INSUFFICIENT)),
        "noise_band": tau,
        "distance_to_target": D_t,
        "distance_slope": distance_slope.slope,
        "required_slope": required_slope,
        "forward_ratio": q,
        "status": status,
        "mean_change_5y": mean_5y,
        "last_change": last,
        "short_term_status": st.short_term_status(short_5y, short_last, tau),
        "national_value": national_t,
        "gap_to_national": np.where(r_comparable, rd_value * (x_t - national_t), NAN),
        "benchmark": pd.Categorical.from_codes(
            is_peer[r_s].astype(np.int64), categories=["riket", "peers"]
        ),
        "benchmark_value": bench_t,
        "benchmark_baseline_value": bench_b,
        "benchmark_gap": bench_gap,
        "benchmark_gap_slope": bench_slope.slope,
        "benchmark_gap_change": bench_change,
        "benchmark_status": st.benchmark_status(bench_gap, bench_change, tau, r_comparable),
        "rank_among_lan": rows.at(rank_lan),
        "lan_ranked": rows.at(lan_count),
        "rank_in_lan": rows.at(rank_kommun),
        "kommuner_ranked": rows.at(kommun_count),
        "value_women": women_t,
        "value_men": men_t,
        **sex,
        "sex_gap_slope": sex_gap_slope.slope,
        "sex_gap_trend": st.trend_status(sex_gap_slope.slope, sex_tau),
        "kommun_count": rows.at(spread.count),
        "kommun_min": k_min,
        "kommun_max": k_max,
        "kommun_range": k_max - k_min,
        "kommun_best_worst_ratio": best_worst,
        "kommun_cv": rows.at(spread.cv),
        "kommun_share_meeting_target": share_meeting,
        "kommun_cv_slope": cv_slope.slope,
        "kommun_spread_trend": st.trend_status(cv_slope.slope, cv_tau),
        "level_floor": floor_r,
        "level_ceiling": ceiling,
        "level_score": cmp.level_score(x_t, rd_value, floor_r, ceiling),
        "is_synthetic": own_syn,
        "context_is_synthetic": rows.at(rank_syn) | rows.at(spread.synthetic) | level_syn[r_s],
    }


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
):
    """The backward progress of each row: Open SDG's for a fixed target or none, the closing of
    the distance to the benchmark for a moving target (NATIONAL, PEER)."""
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


def _group_any(flags: np.ndarray, rows: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per year: whether any of ``rows`` in the same group has a true flag, spread back to
    those rows (False for every other series)."""
    out = np.zeros(flags.shape, dtype=bool)
    if len(rows) == 0:
        return out
    _, inverse = np.unique(group, return_inverse=True)
    per_group = np.zeros((inverse.max() + 1, flags.shape[1]), dtype=bool)
    np.logical_or.at(per_group, inverse, flags[rows])
    out[rows] = per_group[inverse]
    return out


def _share_meeting_target(
    met: np.ndarray, judged: np.ndarray, rows: Rows, lan_of: np.ndarray, n_years: int
) -> np.ndarray:
    """Share of a län's kommuner meeting their own target that year (kommun rows with a
    target), on the län's rows; NaN elsewhere. ``lan_of``: the län series of each kommun
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
