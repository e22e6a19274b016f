"""Roll-ups of the indicator gap rows per RUS area, focus effort or goal (docs/method.md §7).

Per group × geography × sex × assessment year: how many linked indicators there are (only those
published at the geography's level when the catalogue's ``geography_levels`` is given), counts
per status, coverage (share assessable, i.e. not "otillräckliga data"; flagged below
``coverage_flag_below``), the mean score −5…+5, the two worst indicators by score, and the
change since the previous assessment year. A group applies only to the assessment years its
dimension gives (``periods``: ``applies_from`` … ``applies_to``, see :mod:`.periods`); outside
them it has no row. Computed on integer codes with ``np.bincount``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.gap_method.config import METHOD_VERSION, GapMethodConfig
from orchestration.gap_method.labels import INSUFFICIENT, STATUS_LABELS
from orchestration.gap_method.periods import OPEN_FROM, group_periods
from orchestration.gap_method.schema import ROLLUP_COLUMN_DESCRIPTIONS

STATUS_COUNT_COLUMNS = [f"n_{code}" for code in STATUS_LABELS]
# The columns of roll_up, in order (group_type is added by roll_up_links).
ROLLUP_COLUMNS = [c for c in ROLLUP_COLUMN_DESCRIPTIONS if c != "group_type"]
GAP_COLUMNS = {"indicator_id", "geography_code", "sex", "assessment_year", "status", "score"}
STATUSES = list(STATUS_LABELS)


def _factorize(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(column.astype(str), sort=True)
    return codes.astype(np.int64), pd.Index(np.asarray(uniques, dtype=object))


def _status_changed(
    series_key: np.ndarray, year: np.ndarray, status: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Whether each indicator row's status differs from the same series' previous year row, and
    that row's year (``OPEN_FROM`` for a series' first row)."""
    order = np.lexsort((year, series_key))
    same = np.r_[False, series_key[order][1:] == series_key[order][:-1]]
    differs = np.r_[False, status[order][1:] != status[order][:-1]]
    changed = np.zeros(len(order), dtype=bool)
    changed[order] = same & differs
    previous_year = np.full(len(order), OPEN_FROM, dtype=np.int64)
    previous_year[order[same]] = year[order][np.nonzero(same)[0] - 1]
    return changed, previous_year


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
    periods: pd.DataFrame | None = None,
    config: GapMethodConfig | None = None,
) -> pd.DataFrame:
    """Roll the gap rows up to the groups in ``links`` (indicator_id → ``group_column``; an
    indicator may belong to several groups). ``indicators`` (optional): indicator_id,
    geography_levels, so that only indicators published at a geography's level count (needs
    the gap rows' ``geography_level``). ``periods`` (optional): ``group_column``,
    ``applies_from``, ``applies_to``, the assessment years each group applies to (inclusive,
    empty = open; a group not listed applies to every year).

    Columns: ``ROLLUP_COLUMNS``; one row per group × geography × sex × assessment year with at
    least one gap row, within the group's years. A linked indicator without a row that year
    counts in ``n_indicators`` but not in ``n_assessable``, so it lowers the coverage.
    """
    cfg = config or GapMethodConfig()
    link = _link_frame(gaps, links, group_column)
    codes = _gap_codes(gaps)
    group_labels = pd.Index(np.sort(link["group_id"].unique()).astype(object))
    rows, group, changed = _entries(codes, link, group_labels, periods, group_column)
    if len(rows) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ROLLUP_COLUMNS})
    groups = _Groups.of(codes, rows, group)
    counts = _status_counts(codes, rows, groups)
    n_indicators = _n_indicators(gaps, link, indicators, group_labels, codes, groups, counts)
    n_assessable = counts.n_with_row - counts.by_status[:, STATUSES.index(INSUFFICIENT)]
    coverage = n_assessable / n_indicators
    scored = counts.scored
    out = {
        **groups.key_columns(codes, group_labels),
        "n_indicators": n_indicators,
        "n_with_row": counts.n_with_row,
        "n_assessable": n_assessable,
        "coverage": coverage,
        "low_coverage": coverage < cfg.coverage_flag_below,
        **{name: counts.by_status[:, i] for i, name in enumerate(STATUS_COUNT_COLUMNS)},
        "mean_score": counts.mean_score,
        **_worst(
            groups.gi[scored],
            codes.score[rows][scored],
            codes.ind[rows][scored],
            codes.ind_labels,
            groups.n,
            cfg,
        ),
        **_since_previous(groups, counts.mean_score, coverage, changed),
        "is_synthetic": counts.synthetic,
        "method_version": pd.array([METHOD_VERSION], dtype="str").take(
            np.zeros(groups.n, dtype=np.int64)
        ),
    }
    return pd.DataFrame(out, columns=ROLLUP_COLUMNS, copy=False)


def _entries(
    codes: _GapCodes,
    link: pd.DataFrame,
    group_labels: pd.Index,
    periods: pd.DataFrame | None,
    group_column: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One entry per gap row × group of its indicator within the group's years: (gap row, group,
    status changed since the series' previous row, counted only when that row is within them)."""
    link_ind = codes.ind_labels.get_indexer(link["indicator_id"])
    keep = link_ind >= 0
    link_group = group_labels.get_indexer(link["group_id"])[keep]
    rows, group = _expand(codes.ind, link_ind[keep], link_group, len(codes.ind_labels))
    spans = group_periods(periods, group_column, group_labels)
    within = spans.contains(group, codes.year[rows])
    rows, group = rows[within], group[within]
    changed = codes.changed[rows] & (codes.previous_year[rows] >= spans.first[group])
    return rows, group, changed


def _link_frame(gaps: pd.DataFrame, links: pd.DataFrame, group_column: str) -> pd.DataFrame:
    """The inputs of docs/method.md §7, checked: the gap rows' columns, and the links as
    distinct (indicator_id, group_id) strings."""
    missing = GAP_COLUMNS - set(gaps.columns)
    if missing:
        raise ValueError(f"roll_up: gaps lacks column(s) {sorted(missing)}")
    if not {"indicator_id", group_column} <= set(links.columns):
        raise ValueError(f"roll_up: links needs indicator_id and {group_column}")
    return (
        links[["indicator_id", group_column]]
        .rename(columns={group_column: "group_id"})
        .dropna()
        .astype(str)
        .drop_duplicates()
    )


@dataclass(frozen=True)
class _GapCodes:
    """The gap rows as integer codes (one element per gap row)."""

    ind: np.ndarray
    ind_labels: pd.Index
    geo: np.ndarray
    geo_labels: pd.Index
    sex: np.ndarray
    sex_labels: pd.Index
    year: np.ndarray
    status: np.ndarray  # position in STATUSES
    score: np.ndarray
    synthetic: np.ndarray
    changed: np.ndarray  # the status differs from the same series' previous row
    previous_year: np.ndarray  # the year of that previous row (OPEN_FROM: none)


def _gap_codes(gaps: pd.DataFrame) -> _GapCodes:
    """The gap rows' keys, status, score and synthetic flag as codes; an unknown status code is
    refused."""
    ind, ind_labels = _factorize(gaps["indicator_id"])
    geo, geo_labels = _factorize(gaps["geography_code"])
    sex, sex_labels = _factorize(gaps["sex"])
    year = gaps["assessment_year"].to_numpy(np.int64)
    status = pd.Index(STATUSES).get_indexer(gaps["status"].astype(str))
    if (status < 0).any():
        raise ValueError("roll_up: unknown status code(s) in gaps")
    synthetic = (
        gaps["is_synthetic"].fillna(False).to_numpy(bool)
        if "is_synthetic" in gaps
        else np.zeros(len(gaps), dtype=bool)
    )
    series = (ind * len(geo_labels) + geo) * len(sex_labels) + sex
    changed, previous_year = _status_changed(series, year, status)
    return _GapCodes(
        ind=ind,
        ind_labels=ind_labels,
        geo=geo,
        geo_labels=geo_labels,
        sex=sex,
        sex_labels=sex_labels,
        year=year,
        status=status,
        score=gaps["score"].to_numpy(float, na_value=np.nan),
        synthetic=synthetic,
        changed=changed,
        previous_year=previous_year,
    )


@dataclass(frozen=True)
class _Groups:
    """The roll-up rows (group × geography × sex × year, in key order) and the roll-up row of
    each (gap row, group) entry."""

    keys: np.ndarray  # flat key of each roll-up row
    gi: np.ndarray  # roll-up row of each entry
    n_years: int
    year: np.ndarray
    sex: np.ndarray
    geo: np.ndarray
    group: np.ndarray

    @property
    def n(self) -> int:
        return len(self.keys)

    @classmethod
    def of(cls, codes: _GapCodes, rows: np.ndarray, group: np.ndarray) -> _Groups:
        """docs/method.md §7's grain: one roll-up row per distinct group × geography × sex ×
        assessment year among the entries (gap row ``rows``, ``group``)."""
        n_geo, n_sex = len(codes.geo_labels), len(codes.sex_labels)
        y0 = int(codes.year.min())
        n_years = int(codes.year.max()) - y0 + 1
        key = (group * n_geo + codes.geo[rows]) * n_sex + codes.sex[rows]
        keys, gi = np.unique(key * n_years + (codes.year[rows] - y0), return_inverse=True)
        return cls(
            keys=keys,
            gi=gi,
            n_years=n_years,
            year=keys % n_years + y0,
            sex=keys // n_years % n_sex,
            geo=keys // (n_years * n_sex) % n_geo,
            group=keys // (n_years * n_sex * n_geo),
        )

    def key_columns(self, codes: _GapCodes, group_labels: pd.Index) -> dict[str, object]:
        """group_id, geography_code, sex and assessment_year of each roll-up row."""

        def labels(index: pd.Index, at: np.ndarray) -> object:
            return pd.array(np.asarray(index, dtype=object), dtype="str").take(at)

        return {
            "group_id": labels(group_labels, self.group),
            "geography_code": labels(codes.geo_labels, self.geo),
            "sex": labels(codes.sex_labels, self.sex),
            "assessment_year": self.year,
        }


@dataclass(frozen=True)
class _Counts:
    n_with_row: np.ndarray  # linked indicators with a gap row
    by_status: np.ndarray  # roll-up rows × STATUSES
    mean_score: np.ndarray
    scored: np.ndarray  # entries whose gap row has a score
    synthetic: np.ndarray  # any linked row synthetic


def _status_counts(codes: _GapCodes, rows: np.ndarray, groups: _Groups) -> _Counts:
    """docs/method.md §7: ``n_with_row``, ``n_<status>``, ``mean_score`` over the scored rows
    (every assessed row has a score, no ``otillräckliga data`` row has one) and
    ``is_synthetic``."""
    gi, n = groups.gi, groups.n
    n_with_row = np.bincount(gi, minlength=n)
    by_status = np.bincount(gi * len(STATUSES) + codes.status[rows], minlength=n * len(STATUSES))
    score = codes.score[rows]
    scored = ~np.isnan(score)
    score_sum = np.bincount(gi[scored], weights=score[scored], minlength=n)
    score_n = np.bincount(gi[scored], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_score = np.where(score_n > 0, score_sum / score_n, np.nan)
    synthetic = np.bincount(gi, weights=codes.synthetic[rows], minlength=n) > 0
    return _Counts(n_with_row, by_status.reshape(n, len(STATUSES)), mean_score, scored, synthetic)


def _n_indicators(
    gaps: pd.DataFrame,
    link: pd.DataFrame,
    indicators: pd.DataFrame | None,
    group_labels: pd.Index,
    codes: _GapCodes,
    groups: _Groups,
    counts: _Counts,
) -> np.ndarray:
    """docs/method.md §7 ``n_indicators``: the group's linked indicators, only those published
    at the geography's level when the gap rows carry ``geography_level`` and the catalogue its
    ``geography_levels``; at least ``n_with_row``."""
    n_linked = np.bincount(group_labels.get_indexer(link["group_id"]), minlength=len(group_labels))
    n_indicators = n_linked[groups.group]
    if "geography_level" in gaps:
        level, level_labels = _factorize(gaps["geography_level"])
        table = _denominators(link, indicators, group_labels, level_labels)
        if table is not None:
            geo_level = np.zeros(len(codes.geo_labels), dtype=np.int64)
            geo_level[codes.geo] = level
            n_indicators = table[groups.group, geo_level[groups.geo]]
    return np.maximum(n_indicators, counts.n_with_row)


def _since_previous(
    groups: _Groups, mean_score: np.ndarray, coverage: np.ndarray, changed: np.ndarray
) -> dict[str, object]:
    """docs/method.md §7: the group's previous year with a roll-up row (same geography and sex),
    the change in mean score and coverage since then, and how many linked indicators' statuses
    differ from their own previous row (``changed``: per entry)."""
    n_years = groups.n_years
    same_series = np.r_[False, (groups.keys[1:] // n_years) == (groups.keys[:-1] // n_years)]
    previous = np.r_[0, np.arange(groups.n - 1)]
    previous_year = np.where(same_series, groups.year[previous], np.nan)
    return {
        "previous_assessment_year": pd.array(previous_year, dtype="Float64").astype("Int64"),
        "mean_score_change": np.where(same_series, mean_score - mean_score[previous], np.nan),
        "coverage_change": np.where(same_series, coverage - coverage[previous], np.nan),
        "n_status_changed": np.bincount(groups.gi, weights=changed, minlength=groups.n).astype(
            np.int64
        ),
    }


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
    periods: pd.DataFrame | None = None,
    config: GapMethodConfig | None = None,
) -> pd.DataFrame:
    """:func:`roll_up` over the ``indicator_links`` seed (indicator_id, link_type, link_id) for
    one link type: ``area``, ``focus_effort`` or ``goal``; adds ``group_type`` after
    ``group_id``. ``periods`` (optional): the groups' dimension with ``<link_type>_id``,
    ``applies_from`` and ``applies_to`` (``marts.dim_focus_effort`` for ``focus_effort``)."""
    links = indicator_links[indicator_links["link_type"] == link_type]
    if periods is not None:
        id_column = f"{link_type}_id"
        if id_column not in periods:
            raise ValueError(f"roll_up: periods lacks column(s) ['{id_column}']")
        periods = periods.rename(columns={id_column: "link_id"})
    out = roll_up(gaps, links, "link_id", indicators=indicators, periods=periods, config=config)
    out.insert(1, "group_type", link_type)
    return out
