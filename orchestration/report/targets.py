"""The catalogue's targets as the report states them, and the strategy's kontrollstationer.

A target (``dim_indicator.target_type`` other than ``direction``) is stated in Swedish from the
catalogue's own fields (:func:`target_text`), beside its source (``target_source``).

The kontrollstationer (2020 and 2025 in RUS 2018–2030) say where the path from the baseline to
the target puts the county in those years, and where the county was. The path is the one the
gap method judges against (docs/method.md §3.1, §4.1), so a figure here never contradicts the
status beside it:

* a fixed target (``absolute``, ``relative``, ``gap`` with a value) runs from x_b in b to T in Y
  at the required pace r of the gap row: the same percentage change every year when the row's
  ``pace_method`` is ``cagr`` (x_b·(T/x_b)^((y−b)/(Y−b))), a straight line when it is
  ``linear``. A county on the path has R = 1; ahead of it, R > 1.
* a moving target (``national``, ``peer``) has no level for 2025 yet; its path is the distance
  D = d·(x − B) closing in a straight line from D_b to 0 by Y (the closing the status reads).

The figures are the gap table's columns (``baseline_year_used``, ``baseline_value``,
``target_level``, ``target_year``, ``pace_method``, ``assessed_value``, ``distance_to_target``,
``benchmark_baseline_value``); nothing here recomputes a status. Pure functions; no Dagster
imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from orchestration.gap_method import changes as ch
from orchestration.gap_method.numbers import as_float, fmt
from orchestration.gap_method.reasons import insufficient_reason

CHECKPOINTS = (2020, 2025)  # the strategy's kontrollstationer
FIXED_TYPES = ("absolute", "relative", "gap")
MOVING_TYPES = ("national", "peer")
TARGET_TYPE_LABELS = {  # every target_type but direction, as the report names it
    "absolute": "nivå att nå",
    "relative": "förändring från basåret",
    "national": "i nivå med riket",
    "peer": "i nivå med jämförbara län",
    "maintain": "nivå att behålla",
    "gap": "skillnad mellan kvinnor och män",
}
DIRECTION_LABEL = "önskad riktning"
SEX_GAP_TEXT = "mindre skillnad mellan kvinnor och män"  # the target of sex_gap_target
BENCHMARK_NAMES = {"national": "riket", "peer": "jämförbara län"}
NO_VALUE = "inget målvärde i katalogen: bedöms efter önskad riktning"


def year_of(v: Any) -> int | None:
    f = as_float(v)
    return int(f) if f is not None else None


def has_target(target_type: Any) -> bool:
    """Whether the catalogue gives the indicator a target (not only a desired direction)."""
    return str(target_type) in TARGET_TYPE_LABELS


def _bound(d: float) -> str:
    return "minst" if d > 0 else "högst"


def target_text(indicator: Mapping[str, Any], level: float | None = None) -> str:
    """What the catalogue's target says (``target_type``, ``target_value``, ``direction_sign``,
    ``baseline_year``): "minst 82 %", "−60 % från 2005 (högst 710 000 ton CO2-ekv)", "minst
    rikets nivå". ``level``: the target level the gap method derived for a relative target."""
    kind = str(indicator.get("target_type"))
    value = as_float(indicator.get("target_value"))
    d = as_float(indicator.get("direction_sign")) or 1.0
    meta = {k: indicator.get(k) for k in ("scale", "unit")}
    if kind == "national":
        return f"{_bound(d)} rikets nivå"
    if kind == "peer":
        return f"{_bound(d)} de jämförbara länens medelvärde"
    if kind == "maintain":
        return (
            f"behålla {_bound(d)} {ch.level(value, meta)}"
            if value is not None
            else ("behålla basårets nivå")
        )
    if kind == "direction":
        return "högre" if d > 0 else "lägre"
    if value is None:
        return NO_VALUE
    if kind == "relative":
        sign = "+" if value > 0 else ""
        text = f"{sign}{fmt(value)} % från basåret {year_of(indicator.get('baseline_year'))}"
        return text + (f" ({_bound(d)} {ch.level(level, meta)})" if level is not None else "")
    if kind == "gap":
        return f"skillnaden mellan kvinnor och män högst {ch.level(value, meta)}"
    return f"{_bound(d)} {ch.level(value, meta)}"


def goal_text(indicator: Mapping[str, Any], level: float | None) -> str:
    """The level to reach by the target year, for the kontrollstationer: "minst 82 % år 2030",
    "högst 710 000 ton CO2-ekv år 2030", "minst rikets nivå år 2030". ``level``: the gap row's
    target level (T); without one, the catalogue's target (:func:`target_text`)."""
    kind = str(indicator.get("target_type"))
    year = year_of(indicator.get("target_year"))
    when = f" år {year}" if year else ""
    d = -1.0 if kind == "gap" else as_float(indicator.get("direction_sign")) or 1.0
    if kind in MOVING_TYPES or level is None:
        return target_text(indicator) + when
    meta = {k: indicator.get(k) for k in ("scale", "unit")}
    return f"{_bound(d)} {ch.level(level, meta)}{when}"


def distance_words(distance: float | None, meta: Mapping[str, Any]) -> str:
    """A distance D = d·(x − B) in words: "6 procentenheter efter" for a share, "0,2 före"
    otherwise (in the indicator's unit, which the table or sentence names once); "i nivå med"
    at 0."""
    if distance is None:
        return "–"
    if distance == 0:
        return "i nivå med"
    unit = " procentenheter" if ch.is_share(meta) else ""
    return f"{fmt(abs(distance), 2)}{unit} {'före' if distance > 0 else 'efter'}"


# -- paths -----------------------------------------------------------------------------------
def constant_rate(row: Mapping[str, Any]) -> bool:
    """Whether the gap row's required pace is a constant rate (``pace_method`` cagr) rather than
    a straight line; without a pace yet, the gap method's rule: the baseline and the target are
    both nonzero with the same sign."""
    method = row.get("pace_method")
    if method in ("cagr", "linear"):
        return method == "cagr"
    x_b, level = as_float(row.get("baseline_value")), as_float(row.get("target_level"))
    return bool(x_b and level and (x_b > 0) == (level > 0))


def value_path(
    x_b: float, b: int, level: float, target_year: int, year: int, rate: bool
) -> float | None:
    """Where the path from x_b in ``b`` to ``level`` in ``target_year`` is in ``year`` (None
    before ``b``; the level itself from the target year on): at a constant rate when ``rate``,
    else in a straight line."""
    if year < b:
        return None
    if year >= target_year or target_year <= b:
        return level
    share = (year - b) / (target_year - b)
    if rate:
        return x_b * (level / x_b) ** share
    return x_b + (level - x_b) * share


def distance_path(d_b: float, b: int, target_year: int, year: int) -> float | None:
    """The distance to a moving benchmark the path allows in ``year``: from D_b (< 0, behind)
    closing in a straight line to 0 in the target year; 0 (at or ahead) when the county was at
    or ahead of it in the baseline year. None before ``b``."""
    if year < b:
        return None
    if d_b >= 0 or year >= target_year or target_year <= b:
        return 0.0
    return d_b * (target_year - year) / (target_year - b)


def path_points(row: Mapping[str, Any], step: int = 5) -> list[tuple[int, float]]:
    """The path of a fixed target as points for a chart: the baseline year, every ``step``-th
    year between (so 2020 and 2025, the kontrollstationer, among them) and the target year."""
    x_b, level = as_float(row.get("baseline_value")), as_float(row.get("target_level"))
    b, y = year_of(row.get("baseline_year_used")), year_of(row.get("target_year"))
    if x_b is None or level is None or b is None or y is None or y <= b:
        return []
    years = [b, *range((b // step + 1) * step, y, step), y]
    rate = constant_rate(row)
    return [(year, value_path(x_b, b, level, y, year, rate)) for year in years]


# -- kontrollstationer -----------------------------------------------------------------------
@dataclass(frozen=True)
class Checkpoint:
    year: int
    path: float | None  # the path's value (fixed) or allowed distance (moving); None before b
    outcome: float | None  # the county's value or distance that year; None without one
    observed: bool  # the year is within the report's data (≤ the report year)


@dataclass(frozen=True)
class TargetPath:
    """One indicator's path to its target and the county at each kontrollstation."""

    moving: bool  # the figures are distances to the benchmark (national, peer)
    baseline_year: int | None
    baseline: float | None  # x_b, or D_b for a moving target
    level: float | None  # T (fixed targets)
    target_year: int | None
    checkpoints: tuple[Checkpoint, ...]
    reason: str | None = None  # "otillräckliga data: …" when there is no path


def is_path_target(indicator: Mapping[str, Any]) -> bool:
    """A numeric target with a path: a fixed target with a value, or a moving one."""
    kind = str(indicator.get("target_type"))
    if kind in MOVING_TYPES:
        return True
    return kind in FIXED_TYPES and as_float(indicator.get("target_value")) is not None


def _outcome(rows: pd.DataFrame, year: int, moving: bool) -> float | None:
    """The county's assessed value (fixed) or distance to the benchmark (moving) in ``year``,
    from that year's gap row."""
    at = rows[rows["assessment_year"] == year]
    if at.empty:
        return None
    return as_float(at.iloc[0]["distance_to_target" if moving else "assessed_value"])


def _no_path_reason(
    row: Mapping[str, Any], value_years: Iterable[int], catalogue_baseline: int | None
) -> str | None:
    """Why there is no path: no baseline (the statements' words, :mod:`.reasons`), or for a
    moving target no benchmark in the baseline year; None when there is one."""
    b = year_of(row.get("baseline_year_used"))
    if b is None or as_float(row.get("baseline_value")) is None:
        asked = {k: row.get(k) for k in ("assessment_year", "target_type")}
        return insufficient_reason(asked, value_years, catalogue_baseline)
    if row.get("target_type") in MOVING_TYPES:
        if as_float(row.get("benchmark_baseline_value")) is None:
            return f"inget värde för {BENCHMARK_NAMES[str(row['target_type'])]} basåret {b}"
    elif as_float(row.get("target_level")) is None:
        return NO_VALUE
    return None


def target_path(
    row: Mapping[str, Any],
    rows: pd.DataFrame,
    report_year: int,
    value_years: Iterable[int] = (),
    catalogue_baseline: int | None = None,
    checkpoints: Iterable[int] = CHECKPOINTS,
) -> TargetPath:
    """The path and kontrollstationer of one indicator for the county.

    ``row``: its current gap row (the newest up to the report year); ``rows``: its gap rows of
    every year (the outcomes are read from them); ``value_years`` and ``catalogue_baseline``:
    the county's years with a value and the catalogue's baseline year, for the words of a
    missing baseline.
    """
    moving = row.get("target_type") in MOVING_TYPES
    b, y = year_of(row.get("baseline_year_used")), year_of(row.get("target_year"))
    reason = _no_path_reason(row, value_years, catalogue_baseline)
    rows = rows[rows["assessment_year"] <= report_year]
    x_b, level = as_float(row.get("baseline_value")), as_float(row.get("target_level"))
    d = as_float(row.get("direction_sign")) or 1.0
    baseline = x_b
    if moving and reason is None:
        baseline = d * (x_b - as_float(row.get("benchmark_baseline_value")))
    out = []
    for year in checkpoints:
        path = None
        if reason is None and moving:
            path = distance_path(baseline, b, y, year)
        elif reason is None:
            path = value_path(x_b, b, level, y, year, constant_rate(row))
        observed = year <= report_year
        outcome = _outcome(rows, year, moving) if observed else None
        out.append(Checkpoint(year, path, outcome, observed))
    return TargetPath(
        moving=moving,
        baseline_year=b,
        baseline=baseline if reason is None else None,
        level=None if moving else level,
        target_year=y,
        checkpoints=tuple(out),
        reason=f"otillräckliga data: {reason}" if reason else None,
    )


def _figure(value: float | None, path: TargetPath, meta: Mapping[str, Any], allowed: bool) -> str:
    """A path's or an outcome's figure as the table prints it: plain for a fixed target (the
    unit is beside the indicator's name), a distance in words for a moving one; a path that
    allows no distance is "i nivå med eller före" (``allowed``: the figure is the path's)."""
    if not path.moving:
        return fmt(value)
    if allowed and value == 0:
        return "i nivå med eller före"
    return distance_words(value, meta)


def baseline_cell(path: TargetPath, meta: Mapping[str, Any], catalogue_baseline: int | None) -> str:
    """ "2017: 85,4", or for a moving target "2017: 2 procentenheter efter"; a baseline later
    than the catalogue's names why ("första år med värde")."""
    if path.reason or path.baseline_year is None:
        return "–"
    text = f"{path.baseline_year}: {_figure(path.baseline, path, meta, allowed=False)}"
    if catalogue_baseline is not None and path.baseline_year != catalogue_baseline:
        text += f" (första år med värde efter {catalogue_baseline})"
    return text


def checkpoint_cells(path: TargetPath, meta: Mapping[str, Any]) -> list[str]:
    """Per kontrollstation: the path, and the outcome when the year is within the data ("inget
    värde" when there is none that year; "före basåret" before the baseline)."""
    cells = []
    for c in path.checkpoints:
        if path.reason:
            cells += ["–", "–"] if c.observed else ["–"]
            continue
        cells.append("före basåret" if c.path is None else _figure(c.path, path, meta, True))
        if c.observed:
            outcome = _figure(c.outcome, path, meta, False)
            cells.append("inget värde" if c.outcome is None else outcome)
    return cells
