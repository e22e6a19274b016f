"""Ratio indicators: a catalogue indicator that is the ratio of two fetched indicators.

A ratio is declared as data: its row in ``indicators.csv`` has ``source = ratio`` and, as
``source_series_id``, the formula of its inputs' series ids (:func:`ratio_series_id`); its row in
``indicator_ratios.csv`` names the numerator, the denominator and the multiplier. Nothing fetches
a ratio: dbt computes numerator × multiplier ÷ denominator per geography × year × sex where both
inputs have a value (``int_indicator_values__ratios``). Every error names the file, the line and
the field, as the rest of the catalogue's checks do.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import CatalogueError
from ingest.pxweb.series import parse_series_id
from ingest.seed_rows import SeedLine, seed_lines

if TYPE_CHECKING:
    from ingest.catalogue import Indicator

RATIO_SOURCE = "ratio"
RATIOS_FILE = "indicator_ratios.csv"
INPUTS = ("numerator_indicator_id", "denominator_indicator_id")
COLUMNS = ("indicator_id", *INPUTS, "multiplier")


@dataclass(frozen=True)
class IndicatorRatio:
    indicator_id: str
    numerator_indicator_id: str
    denominator_indicator_id: str
    multiplier: float


def fetch_baselines(indicators: list[Indicator], source: str) -> list[int]:
    """The baseline years a fetch of ``source`` reaches back to: its own indicators' and those of
    every ratio with an input among them (a ratio is judged from its baseline, so its inputs are
    needed from then)."""
    own = {i.indicator_id for i in indicators if i.source == source}
    return [
        i.baseline_year
        for i in indicators
        if i.indicator_id in own
        or (i.ratio is not None and own & {getattr(i.ratio, field) for field in INPUTS})
    ]


def ratio_series_id(numerator: Indicator, denominator: Indicator) -> str:
    """The ratio's ``source_series_id``: ``<numerator>/<denominator>`` in the inputs' short
    series ids, e.g. ``N45941/NR0105AH`` (Kolada N45941 ÷ SCB BRP)."""
    return f"{_short_series_id(numerator)}/{_short_series_id(denominator)}"


def _short_series_id(indicator: Indicator) -> str:
    """A Kolada KPI id as it is; an SCB series by its ContentsCode (the measure), or by its
    table id when the series fixes none."""
    if indicator.source != "scb":
        return indicator.source_series_id
    series = parse_series_id(indicator.source_series_id)
    return series.fixed_code("ContentsCode") or series.table.rsplit("/", 1)[-1]


def check_ratios(
    indicators: list[Indicator], indicators_path: str, ratios_path: Path, fetched: Collection[str]
) -> list[IndicatorRatio]:
    """Every ``source = ratio`` row of the catalogue is declared in ``ratios_path`` and every
    declared ratio is such a row; its inputs are fetched indicators (``fetched`` sources); it is
    published only where both inputs are, split by sex only if both are, and its series id is
    the formula of theirs. A missing ``ratios_path`` declares no ratio."""
    by_id = {i.indicator_id: (line, i) for line, i in enumerate(indicators, start=2)}
    declared = _read_ratios(ratios_path, by_id, fetched) if ratios_path.is_file() else {}
    for line, i in by_id.values():
        if i.source != RATIO_SOURCE:
            continue
        if i.indicator_id not in declared:
            raise CatalogueError(
                indicators_path,
                line,
                "source",
                f"{RATIO_SOURCE!r}, but {i.indicator_id!r} has no row in {ratios_path}; "
                "expected its numerator, denominator and multiplier declared there",
            )
        ratio = declared[i.indicator_id]
        inputs = [by_id[getattr(ratio, field)][1] for field in INPUTS]
        _check_against_inputs(i, inputs, indicators_path, line)
    return list(declared.values())


def _read_ratios(
    path: Path, by_id: dict[str, tuple[int, Indicator]], fetched: Collection[str]
) -> dict[str, IndicatorRatio]:
    """``indicator_ratios.csv``: one row per ratio indicator of the catalogue, inputs that are
    fetched indicators, a positive multiplier."""
    with path.open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f), [])
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CatalogueError(str(path), 1, missing[0], f"missing; expected columns {COLUMNS}")
    out: dict[str, IndicatorRatio] = {}
    seen: dict[str, int] = {}
    for r in seed_lines(path):
        iid = (r.row.get("indicator_id") or "").strip()
        if iid in seen:
            raise r.error("indicator_id", f"{iid!r} duplicates line {seen[iid]}")
        if iid not in by_id or by_id[iid][1].source != RATIO_SOURCE:
            raise r.error(
                "indicator_id",
                f"{iid!r}; expected the indicator_id of a row of indicators.csv with source "
                f"{RATIO_SOURCE!r}",
            )
        seen[iid] = r.line
        numerator, denominator = (_input(r, field, by_id, fetched) for field in INPUTS)
        if numerator == denominator:
            raise r.error(INPUTS[1], f"{denominator!r} is the numerator too; expected another")
        out[iid] = IndicatorRatio(iid, numerator, denominator, _multiplier(r))
    return out


def _input(
    r: SeedLine, field: str, by_id: dict[str, tuple[int, Indicator]], fetched: Collection[str]
) -> str:
    """A numerator or denominator: an indicator of the catalogue that is fetched, not a ratio."""
    iid = (r.row.get(field) or "").strip()
    if iid not in by_id or by_id[iid][1].source not in fetched:
        raise r.error(
            field,
            f"{iid!r}; expected the indicator_id of a fetched indicator of indicators.csv "
            f"(source one of {sorted(fetched)}, not {RATIO_SOURCE!r})",
        )
    return iid


def _multiplier(r: SeedLine) -> float:
    value = r.number("multiplier")
    if value is None or not math.isfinite(value) or value <= 0:
        raise r.error(
            "multiplier",
            f"{r.row['multiplier']!r}; expected a positive number (e.g. 1000 for MWh per mnkr "
            "as kWh per mnkr)",
        )
    return value


def _check_against_inputs(ratio: Indicator, inputs: list[Indicator], path: str, line: int) -> None:
    """Levels and sexes the inputs both have; the series id their formula."""
    numerator, denominator = inputs
    common = numerator.geography_levels & denominator.geography_levels
    if not ratio.geography_levels <= common:
        raise CatalogueError(
            path,
            line,
            "geography_levels",
            f"{';'.join(sorted(ratio.geography_levels))!r}; a ratio has values only where both "
            f"inputs have: expected a subset of {';'.join(sorted(common))!r} "
            f"({numerator.indicator_id} ∩ {denominator.indicator_id})",
        )
    if ratio.has_sex_split and not (numerator.has_sex_split and denominator.has_sex_split):
        raise CatalogueError(
            path,
            line,
            "has_sex_split",
            "true, but not both inputs are split by sex; expected false",
        )
    formula = ratio_series_id(numerator, denominator)
    if ratio.source_series_id != formula:
        raise CatalogueError(
            path,
            line,
            "source_series_id",
            f"{ratio.source_series_id!r}; expected {formula!r}, the inputs' series ids "
            "(numerator/denominator)",
        )
