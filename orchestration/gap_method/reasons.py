"""Why an indicator is "otillräckliga data", in Swedish words derived from the data.

Two cases: the county has a gap row whose status is ``insufficient_data``
(:func:`insufficient_reason`: no baseline value, too few years since the baseline, no value for
the benchmark), or the county has no value at all up to the year (:func:`missing_reason`: only
its kommuner, only Riket, other län but not this one, nothing published). Only what the data
show is said, so the same words hold for the bundled snapshot and the live APIs. The thresholds
are the gap method's (:class:`GapMethodConfig`). Pure functions; no Dagster imports.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from orchestration.gap_method.config import GapMethodConfig

DEFAULT_CONFIG = GapMethodConfig()


def _num(row: Mapping[str, Any], key: str) -> float | None:
    v = row.get(key)
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def years_text(years: Iterable[int]) -> str:
    """``2021–2022`` for consecutive years, ``2018, 2020 och 2022`` otherwise."""
    ys = sorted({int(y) for y in years})
    if not ys:
        return "inga år"
    if len(ys) == 1:
        return str(ys[0])
    if ys[-1] - ys[0] == len(ys) - 1:
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(map(str, ys[:-1])) + f" och {ys[-1]}"


def _benchmark_reason(row: Mapping[str, Any], when: str, cfg: GapMethodConfig) -> str | None:
    """No value for the moving benchmark (Riket, the peer län mean) in the year."""
    if _num(row, "benchmark_value") is not None:
        base = _num(row, "baseline_year_used")
        moving = row.get("target_type") in ("national", "peer") and base is not None
        no_base = (
            "benchmark_baseline_value" in row and _num(row, "benchmark_baseline_value") is None
        )
        if moving and no_base:
            other = "riket" if row.get("target_type") == "national" else "jämförbara län"
            return f"inget värde för {other} basåret {int(base)}"
        return None
    if row.get("target_type") == "national" and row.get("geography_level") != "riket":
        return f"inget värde för riket{when}"
    if row.get("target_type") == "peer":
        return (
            f"inget medelvärde för jämförbara län{when} (minst {cfg.peer_min_count} "
            "jämförbara län med värden behövs)"
        )
    return None


def _baseline_reason(
    years: list[int], baseline_year: int | None, cfg: GapMethodConfig, relative: bool = False
) -> str:
    """No value in the baseline year, nor in a later year up to the fallback year (a RELATIVE
    target has no fallback: its target is a change from that very year)."""
    first = baseline_year if baseline_year is not None else cfg.default_baseline_year
    last = first if relative else max(first, cfg.latest_fallback_baseline_year)
    needed = str(first) if first == last else f"{first}–{last}"
    if relative:
        lacking = f"målet räknas från basåret {first}, som saknar värde"
        return f"värden bara för {years_text(years)} ({lacking})" if years else lacking
    if not years:
        return f"inget värde för basåret {needed}"
    return f"värden bara för {years_text(years)} (ett värde för basåret {needed} behövs)"


def insufficient_reason(
    row: Mapping[str, Any],
    value_years: Iterable[int] = (),
    baseline_year: int | None = None,
    cfg: GapMethodConfig = DEFAULT_CONFIG,
) -> str:
    """Why a gap row (status ``insufficient_data``) cannot be assessed.

    ``value_years``: the years the series has a value (only those up to the row's year count);
    ``baseline_year``: the catalogue's baseline year (default: the method's).
    """
    t = _num(row, "assessment_year")
    when = f" {int(t)}" if t is not None else ""
    years = sorted(int(y) for y in value_years if t is None or int(y) <= t)
    if row.get("target_type") == "gap" and (
        _num(row, "value_women") is None or _num(row, "value_men") is None
    ):
        return f"inga värden för både kvinnor och män{when}"
    used = _num(row, "baseline_year_used")
    if used is None:
        relative = row.get("target_type") == "relative"
        return _baseline_reason(years, baseline_year, cfg, relative)
    benchmark = _benchmark_reason(row, when, cfg)
    if benchmark:
        return benchmark
    need = cfg.end_point_min_points
    since = [y for y in years if y >= used]
    if since and len(since) < need:
        return (
            f"värden bara för {years_text(since)} (minst {need} år från basåret {int(used)} behövs)"
        )
    points = _num(row, "window_points")
    if points is not None and points < need:
        return (
            f"{int(points)} {'värde' if int(points) == 1 else 'värden'} de senaste "
            f"{cfg.trend_window_years} åren "
            f"(minst {need} behövs för en trend)"
        )
    return "för få värden för en bedömning"


def missing_reason(coverage: pd.DataFrame, region_code: str, region_name: str, year: int) -> str:
    """Why the county has no assessment: which geographies do have values up to ``year``.

    ``coverage``: one indicator's rows of geography_code, level, lan_code, first_year (the
    first year with a total value there).
    """
    own = coverage[coverage["geography_code"] == region_code]
    upto = coverage[coverage["first_year"] <= year]
    if not own.empty and int(own["first_year"].min()) > year:
        return f"första värdet för länet gäller {int(own['first_year'].min())}"
    if upto["level"].eq("lan").any():
        return f"inga publicerade värden för {region_name}"
    if (upto["level"].eq("kommun") & upto["lan_code"].eq(region_code)).any():
        return "inga värden för länet, bara för kommunerna"
    if upto["level"].eq("riket").any():
        return "värden bara för riket"
    return f"inga publicerade värden t.o.m. {year}"
