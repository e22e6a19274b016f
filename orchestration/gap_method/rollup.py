"""Roll-ups of the indicator gap rows per RUS area, focus effort or goal (docs/method.md §7).

Per group × geography × sex × assessment year: how many linked indicators there are (only those
published at the geography's level when the catalogue's ``geography_levels`` is given), counts
per status, coverage (share assessable, i.e. not "otillräckliga data"; flagged below
``coverage_flag_below``), the mean score −5…+5, the two worst indicators by score, and the
change since the previous assessment year. Computed on integer codes with ``np.bincount``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.gap_method.config import METHOD_VERSION, GapMethodConfig
from orchestration.gap_method.labels import INSUFFICIENT, STATUS_LABELS
from orchestration.gap_method.schema import ROLLUP_COLUMN_DESCRIPTIONS

STATUS_COUNT_COLUMNS = [f"n_{code}" for code in STATUS_LABELS]
# The columns of roll_up, in order (group_type is added by roll_up_links).
ROLLUP_COLUMNS = [c for c in ROLLUP_COLUMN_DESCRIPTIONS if c != "group_type"]
GAP_COLUMNS = {"indicator_id", "geography_code", "sex", "assessment_year", "status", "score"}
STATUSES = list(STATUS_LABELS)


def _factorize(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(column.astype(str), sort=True)
    return codes.astype(np.int64), pd.Index(np.asarray(uniques, dtype=object))


def _status_changed(series_key: np.ndarray, year: np.ndarray, status: np.ndarray) -> np.ndarray:
    """Whether each indicator row's status differs from the same series' previous year row."""
    order = np.lexsort((year, series_key))
    same = np.r_[False, series_key[order][1:] == series_key[order][:-1]]
    differs = np.r_[False, status[order][1:] != status[order][:-1]]
    changed = np.zeros(len(order), dtype=bool)
    changed[order] = same & differs
    return changed


def _expand(ind: np.ndarray, link_ind: np.ndarray, link_group: np.ndarray, n_ind: int):
    """One entry per gap row × group of its indicator: (row, group) arrays."""
    order = np.argsort(link_ind, kind="stable")
    link_ind, link_group = link_ind[order], link_group[order]
    per_ind = np.bincount(link_ind, minlength=n_ind)
    first = np.cumsum(per_ind) - per_ind
    repeats = per_ind[ind]
    rows = np.repeat(np.arange(len(ind)), repeats)
    within = np.arange(len(rows)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    return rows, link_group[first[ind[rows]] + within]


def _denominators(
    link: pd.DataFrame, indicators: pd.DataFrame | None, groups: pd.Index, levels: pd.Index
) -> np.ndarray | None:
    """Linked indicators per group × geography level (from the catalogue's
    ``geography_levels``, ';'-separated); None without the catalogue."""
    if indicators is None or "geography_levels" not in indicators:
        return None
    published = indicators[["indicator_id", "geography_levels"]].assign(
        level=lambda f: f["geography_levels"].fillna("").astype(str).str.split(";")
    )
    published = published.explode("level")[["indicator_id", "level"]]
    per = link.merge(published, on="indicator_id").drop_duplicates()
    table = np.zeros((len(groups), len(levels) + 1), dtype=np.int64)
    g = groups.get_indexer(per["group_id"].astype(str))
    lv = levels.get_indexer(per["level"].astype(str))
    ok = (g >= 0) & (lv >= 0)
    np.add.at(table, (g[ok], lv[ok]), 1)
    return table


def roll_up(
    gaps: pd.DataFrame,
    links: pd.DataFrame,
    group_column: str = "group_id",
    *,
    indicators: pd.DataFrame | None = None,
    config: GapMethodConfig | None = None,
) -> pd.DataFrame:
    """Roll the gap rows up to the groups in ``links`` (indicator_id → ``group_column``; an
    indicator may belong to several groups). ``indicators`` (optional): indicator_id,
    geography_levels, so that only indicators published at a geography's level count (needs
    the gap rows' ``geography_level``).

    Columns: ``ROLLUP_COLUMNS``; one row per group × geography × sex × assessment year with at
    least one gap row. A linked indicator without a row that year counts in ``n_indicators`` but
    not in ``n_assessable``, so it lowers the coverage.
    """
    cfg = config or GapMethodConfig()
    missing = GAP_COLUMNS - set(gaps.columns)
    if missing:
        raise ValueError(f"roll_up: gaps lacks column(s) {sorted(missing)}")
    if not {"indicator_id", group_column} <= set(links.columns):
        raise ValueError(f"roll_up: links needs indicator_id and {group_column}")
    link = (
        links[["indicator_id", group_column]]
        .rename(columns={group_column: "group_id"})
        .dropna()
        .astype(str)
        .drop_duplicates()
    )
    ind, ind_labels = _factorize(gaps["indicator_id"])
    geo, geo_labels = _factorize(gaps["geography_code"])
    sex, sex_labels = _factorize(gaps["sex"])
    year = gaps["assessment_year"].to_numpy(np.int64)
    status = pd.Index(STATUSES).get_indexer(gaps["status"].astype(str))
    if (status < 0).any():
        raise ValueError("roll_up: unknown status code(s) in gaps")
    score = gaps["score"].to_numpy(float, na_value=np.nan)
    synthetic = (
        gaps["is_synthetic"].fillna(False).to_numpy(bool)
        if "is_synthetic" in gaps
        else np.zeros(len(gaps), dtype=bool)
    )
    n_geo, n_sex = len(geo_labels), len(sex_labels)
    changed = _status_changed((ind * n_geo + geo) * n_sex + sex, year, status)

    group_labels = pd.Index(np.sort(link["group_id"].unique()).astype(object))
    link_ind = ind_labels.get_indexer(link["indicator_id"])
    keep = link_ind >= 0
    rows, group = _expand(
        ind, link_ind[keep], group_labels.get_indexer(link["group_id"])[keep], len(ind_labels)
    )
    if len(rows) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ROLLUP_COLUMNS})

    y0 = int(year.min())
    n_years = int(year.max()) - y0 + 1
    key = ((group * n_geo + geo[rows]) * n_sex + sex[rows]) * n_years + (year[rows] - y0)
    keys, gi = np.unique(key, return_inverse=True)
    n_groups = len(keys)
    k_year = keys % n_years + y0
    k_sex = keys // n_years % n_sex
    k_geo = keys // (n_years * n_sex) % n_geo
    k_group = keys // (n_years * n_sex * n_geo)

    n_with_row = np.bincount(gi, minlength=n_groups)
    counts = np.bincount(gi * len(STATUSES) + status[rows], minlength=n_groups * len(STATUSES))
    counts = counts.reshape(n_groups, len(STATUSES))
    r_score = score[rows]
    scored = ~np.isnan(r_score)
    score_sum = np.bincount(gi[scored], weights=r_score[scored], minlength=n_groups)
    score_n = np.bincount(gi[scored], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_score = np.where(score_n > 0, score_sum / score_n, np.nan)

    n_linked = np.bincount(group_labels.get_indexer(link["group_id"]), minlength=len(group_labels))
    n_indicators = n_linked[k_group]
    if "geography_level" in gaps:
        level, level_labels = _factorize(gaps["geography_level"])
        table = _denominators(link, indicators, group_labels, level_labels)
        if table is not None:
            geo_level = np.zeros(n_geo, dtype=np.int64)
            geo_level[geo] = level
            n_indicators = table[k_group, geo_level[k_geo]]
    n_indicators = np.maximum(n_indicators, n_with_row)
    n_assessable = n_with_row - counts[:, STATUSES.index(INSUFFICIENT)]
    coverage = n_assessable / n_indicators

    out = {
        "group_id": pd.array(np.asarray(group_labels, dtype=object), dtype="str").take(k_group),
        "geography_code": pd.array(np.asarray(geo_labels, dtype=object), dtype="str").take(k_geo),
        "sex": pd.array(np.asarray(sex_labels, dtype=object), dtype="str").take(k_sex),
        "assessment_year": k_year,
        "n_indicators": n_indicators,
        "n_with_row": n_with_row,
        "n_assessable": n_assessable,
        "coverage": coverage,
        "low_coverage": coverage < cfg.coverage_flag_below,
        **{name: counts[:, i] for i, name in enumerate(STATUS_COUNT_COLUMNS)},
        "mean_score": mean_score,
    }
    out.update(_worst(gi[scored], r_score[scored], ind[rows][scored], ind_labels, n_groups, cfg))

    same_series = np.r_[False, (keys[1:] // n_years) == (keys[:-1] // n_years)]
    previous = np.r_[0, np.arange(n_groups - 1)]
    out["previous_assessment_year"] = pd.array(
        np.where(same_series, k_year[previous], np.nan), dtype="Float64"
    ).astype("Int64")
    out["mean_score_change"] = np.where(same_series, mean_score - mean_score[previous], np.nan)
    out["coverage_change"] = np.where(same_series, coverage - coverage[previous], np.nan)
    out["n_status_changed"] = np.bincount(gi, weights=changed[rows], minlength=n_groups).astype(
        np.int64
    )
    out["is_synthetic"] = np.bincount(gi, weights=synthetic[rows], minlength=n_groups) > 0
    out["method_version"] = pd.array([METHOD_VERSION], dtype="str").take(
        np.zeros(n_groups, dtype=np.int64)
    )
    return pd.DataFrame(out, columns=ROLLUP_COLUMNS, copy=False)


def _worst(
    gi: np.ndarray,
    score: np.ndarray,
    ind: np.ndarray,
    ind_labels: pd.Index,
    n_groups: int,
    cfg: GapMethodConfig,
) -> dict[str, object]:
    """The ``worst_indicator_count`` lowest-scoring indicators per group (ties: indicator id)."""
    order = np.lexsort((ind, score, gi))
    g_sorted = gi[order]
    start = np.r_[0, np.nonzero(g_sorted[1:] != g_sorted[:-1])[0] + 1]
    rank = np.arange(len(order)) - np.repeat(start, np.diff(np.r_[start, len(order)]))
    labels = pd.array(np.asarray(ind_labels, dtype=object), dtype="str")
    out: dict[str, object] = {}
    for k in range(1, cfg.worst_indicator_count + 1):
        pick = order[rank == k - 1]
        which = np.full(n_groups, -1)
        which[gi[pick]] = ind[pick]
        worst_score = np.full(n_groups, np.nan)
        worst_score[gi[pick]] = score[pick]
        names = labels.take(np.where(which >= 0, which, 0))
        names[which < 0] = pd.NA
        out[f"worst_indicator_{k}"] = names
        out[f"worst_score_{k}"] = worst_score
    return out


def roll_up_links(
    gaps: pd.DataFrame,
    indicator_links: pd.DataFrame,
    link_type: str,
    *,
    indicators: pd.DataFrame | None = None,
    config: GapMethodConfig | None = None,
) -> pd.DataFrame:
    """:func:`roll_up` over the ``indicator_links`` seed (indicator_id, link_type, link_id) for
    one link type: ``area``, ``focus_effort`` or ``goal``; adds ``group_type`` after
    ``group_id``."""
    links = indicator_links[indicator_links["link_type"] == link_type]
    out = roll_up(gaps, links, "link_id", indicators=indicators, config=config)
    out.insert(1, "group_type", link_type)
    return out
