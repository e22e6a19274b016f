"""Builders for small hand-made value and catalogue frames, and the gap method's series-side
steps run on them (:func:`method_steps`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.gap_method.config import GapMethodConfig
from orchestration.gap_method.cube import Cube, build_cube
from orchestration.gap_method.rows import RowValues, output_rows, row_values
from orchestration.gap_method.targets import (
    Assessed,
    Baseline,
    Related,
    SeriesFacts,
    Targets,
    assessed_series,
    baseline,
    related_series,
    series_facts,
    target_levels,
)

NAN = float("nan")


def values_frame(series: dict, synthetic: set | frozenset = frozenset()) -> pd.DataFrame:
    """``{(indicator_id, geography_code, sex): {year: value}}`` → the long values frame;
    ``synthetic`` holds (indicator_id, geography_code, sex, year) keys flagged synthetic."""
    rows = [
        (ind, geo, sex, year, value, (ind, geo, sex, year) in synthetic)
        for (ind, geo, sex), by_year in series.items()
        for year, value in by_year.items()
    ]
    return pd.DataFrame(
        rows, columns=["indicator_id", "geography_code", "sex", "year", "value", "is_synthetic"]
    )


def catalogue(*rows: dict) -> pd.DataFrame:
    """Catalogue rows with defaults: higher is better, direction only, 2030, baseline 2017."""
    defaults = {
        "direction_sign": 1,
        "target_type": "direction",
        "target_value": NAN,
        "target_year": 2030,
        "baseline_year": 2017,
        "scale": "percent",
        "natural_min": NAN,
        "natural_max": NAN,
    }
    return pd.DataFrame([{**defaults, **row} for row in rows])


def series_from(start: int, values: list[float]) -> dict[int, float]:
    """{start: values[0], start + 1: values[1], …}, skipping NaN (a missing year)."""
    return {start + i: v for i, v in enumerate(values) if not math.isnan(v)}


@dataclass(frozen=True)
class Steps:
    """The series-side steps of the gap method (docs/method.md §1–§3) run on a small case, for
    tests of the step functions one at a time."""

    cfg: GapMethodConfig
    cube: Cube
    facts: SeriesFacts
    related: Related
    assessed: Assessed
    base: Baseline
    targets: Targets

    def series(self, indicator: str, geography: str, sex: str = "T") -> int:
        """The position of one series in the cube."""
        s = self.cube.series
        match = (s["indicator_id"] == indicator) & (s["geography_code"] == geography)
        (index,) = np.nonzero((match & (s["sex"] == sex)).to_numpy())
        return int(index[0])

    def col(self, year: int) -> int:
        return int(year - self.cube.years[0])

    def rows(self) -> RowValues:
        """The output rows (§1) and the symbols of §2 at each."""
        rows = output_rows(self.cube, self.base.col, self.cfg)
        return row_values(rows, self.cube, self.facts, self.assessed, self.base, self.targets)

    def row(self, r: RowValues, indicator: str, geography: str, year: int, sex="T") -> int:
        """The position of one output row."""
        match = (r.series == self.series(indicator, geography, sex)) & (r.t == year)
        (index,) = np.nonzero(match)
        return int(index[0])


def method_steps(
    series: dict,
    *indicators: dict,
    cfg: GapMethodConfig | None = None,
    synthetic: set | frozenset = frozenset(),
) -> Steps:
    """:class:`Steps` of ``series`` (as :func:`values_frame`) and catalogue rows (as
    :func:`catalogue`); geographies inferred from the codes."""
    cfg = cfg or GapMethodConfig()
    cube = build_cube(values_frame(series, synthetic), catalogue(*indicators), None, cfg)
    facts = series_facts(cube, cfg)
    related = related_series(cube, facts, cfg)
    assessed = assessed_series(cube, facts, related)
    base = baseline(assessed, facts, cube.years, cfg)
    targets = target_levels(facts, assessed, related, base, cfg)
    return Steps(cfg, cube, facts, related, assessed, base, targets)
