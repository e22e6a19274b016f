"""The frame-level entry point: one gap row per indicator × geography × sex × assessment year.

Conventions (docs/method.md §2): x_b the baseline value in year b, x_t the value in assessment
year t, T (or the moving benchmark B_t) the target for year Y, d = +1 when higher is better and
−1 when lower is better. Every assessment year since the baseline is recomputed from the values
up to that year only, so a past year's row can be reproduced.

What each row carries, and where it comes from:

* Backward progress since the baseline (:mod:`.progress`, Open SDG / Statistics Canada,
  ``open-sdg/sdg-build:sdg/ProgressMeasure.py``): actual pace a, required pace r, ratio R, the
  Open SDG status and the score −5…+5.
* Forward ratio (:mod:`.trend`): the robust slope of the last ``trend_window_years`` (Theil–Sen,
  end-point with 2–3 values and ``low_confidence``), Q = d·s / (d·(T − x_t)/(Y − t)); for a
  moving benchmark the slope of the distance d·(x − B) itself.
* Long-term status (:mod:`.status`) shown to users, the short-term status from Germany's two
  signals, the benchmark position ("före, försprånget krymper"), Riket's value and the gap to it,
  rank among the län and among the län's kommuner, women/men measures and the trend of their
  gap, the spread between a län's kommuner and its trend, the 0–100 level score.

Target types: ABSOLUTE (T = target_value), RELATIVE (T = x_b·(1 + target_value/100)), NATIONAL
(T = Riket's value that year), PEER (T = the mean of the peer län that year), MAINTAIN (hold
target_value, else the baseline value, every year), GAP (the women/men difference |K − M| shall
shrink, towards target_value when given) and DIRECTION (no numeric target). Riket's own row of
a NATIONAL indicator, and an ABSOLUTE/RELATIVE/GAP indicator without a target value, are judged
on direction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.gap_method.assessment import assess_cube
from orchestration.gap_method.config import METHOD_VERSION, GapMethodConfig
from orchestration.gap_method.cube import (
    GEOGRAPHY_COLUMNS,
    INDICATOR_COLUMNS,
    VALUE_COLUMNS,
    Cube,
    build_cube,
    require_columns,
)
from orchestration.gap_method.labels import (
    BENCHMARK_LABELS,
    PROGRESS_LABELS,
    SEX_GAP_TARGET_LABELS,
    SHORT_TERM_LABELS,
    STATUS_LABELS,
    TREND_LABELS,
    as_strings,
)
from orchestration.gap_method.progress import BackwardResult, backward_ratio
from orchestration.gap_method.schema import COLUMN_DESCRIPTIONS, OUTPUT_COLUMNS

__all__ = [
    "COLUMN_DESCRIPTIONS",
    "OUTPUT_COLUMNS",
    "STATUS_LABELS",
    "BackwardResult",
    "assess_indicators",
    "backward_ratio",
]


# Columns taken from the series' keys and attributes.
SERIES_COLUMNS = {
    "indicator_id": "indicator_id",
    "geography_code": "geography_code",
    "geography_level": "level",
    "lan_code": "lan_code",
    "sex": "sex",
    "target_type": "target_type",
}
# Label columns and the code column and labels they come from.
LABEL_COLUMNS = {
    "progress_label": ("progress_status", PROGRESS_LABELS),
    "status_label": ("status", STATUS_LABELS),
    "short_term_label": ("short_term_status", SHORT_TERM_LABELS),
    "benchmark_label": ("benchmark_status", BENCHMARK_LABELS),
    "sex_gap_trend_label": ("sex_gap_trend", TREND_LABELS),
    "sex_gap_target_status_label": ("sex_gap_target_status", SEX_GAP_TARGET_LABELS),
    "kommun_spread_trend_label": ("kommun_spread_trend", TREND_LABELS),
}
# Whole numbers that may be missing: nullable Int64.
NULLABLE_INT_COLUMNS = {
    "baseline_year_used",
    "rank_among_lan",
    "lan_ranked",
    "rank_in_lan",
    "kommuner_ranked",
    "kommun_count",
}
# Series per chunk: intermediate arrays stay small however large the catalogue grows.
CHUNK_SERIES = 8192


def assess_indicators(
    values: pd.DataFrame,
    indicators: pd.DataFrame,
    config: GapMethodConfig | None = None,
    *,
    geographies: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Gap rows for every indicator × geography × sex × assessment year with a value, from the
    baseline year on (every year when the series has no baseline). Columns: ``OUTPUT_COLUMNS``,
    sorted by indicator, geography, sex and year.

    ``values``: indicator_id, geography_code, sex, year, value, is_synthetic
    (``marts.fct_indicator_value``).
    ``indicators``: indicator_id, direction_sign, target_type, target_value, target_year,
    baseline_year; optional scale, natural_min, natural_max, min_detectable_change
    (``marts.dim_indicator``).
    ``geographies``: geography_code, level (riket/lan/kommun), lan_code
    (``marts.dim_geography``); inferred from Kolada-style codes when omitted.

    Indicators are assessed in chunks of whole indicators (every comparison — Riket, peers,
    women/men, ranks, spread — stays within one indicator), so memory stays bounded.
    """
    cfg = config or GapMethodConfig()
    require_columns("values", values, VALUE_COLUMNS)
    require_columns("indicators", indicators, INDICATOR_COLUMNS)
    if geographies is not None:
        require_columns("geographies", geographies, GEOGRAPHY_COLUMNS)
    cube = build_cube(values, indicators, geographies, cfg)
    parts = [
        assess_cube(cube.subset(start, stop), cfg)
        for start, stop in cube.indicator_chunks(CHUNK_SERIES)
    ]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in OUTPUT_COLUMNS})
    chunks = _Chunks(parts)
    columns = {name: _output_column(name, chunks, cube) for name in OUTPUT_COLUMNS}
    # copy=False: no consolidating copy of the ~80 columns (halves the peak memory).
    return pd.DataFrame(columns, columns=OUTPUT_COLUMNS, copy=False)


class _Chunks:
    """The chunks' raw columns, each concatenated once and released from the chunks as it is
    taken (a status code column serves its label column too)."""

    def __init__(self, parts: list[dict[str, object]]) -> None:
        self.parts = parts
        self.series = np.concatenate([p.pop("_series") for p in parts])
        self.year_col = np.concatenate([p.pop("_col") for p in parts])
        self.coded: dict[str, pd.Categorical] = {}

    def take(self, name: str) -> object:
        """Column ``name`` of every chunk, concatenated (a code column: once)."""
        if name in self.coded:
            return self.coded[name]
        value = _concat([p.pop(name) for p in self.parts])
        if isinstance(value, pd.Categorical):
            self.coded[name] = value
        return value


def _output_column(name: str, chunks: _Chunks, cube: Cube) -> object:
    """One output column: from the series' keys and attributes, the assessment year, the
    method version, a label of a code column, or a measure in its published dtype."""
    series = chunks.series
    if name in SERIES_COLUMNS:
        source = cube.series[SERIES_COLUMNS[name]].to_numpy(object)
        return pd.array(source, dtype="str").take(series)
    if name == "assessment_year":
        return cube.years[chunks.year_col]
    if name == "direction_sign":
        return cube.series["direction_sign"].to_numpy(np.int64)[series]
    if name == "method_version":
        return pd.array([METHOD_VERSION], dtype="str").take(np.zeros_like(series))
    if name in LABEL_COLUMNS:
        code_column, labels = LABEL_COLUMNS[name]
        return as_strings(chunks.take(code_column), labels)
    value = chunks.take(name)
    if name in NULLABLE_INT_COLUMNS:
        return pd.array(value, dtype="Float64").astype("Int64")
    if isinstance(value, pd.Categorical):
        return as_strings(value)
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        value += 0.0  # −0.0 (a −1 direction times a zero difference) → 0.0: no "-0"
    return value


def _concat(parts: list) -> object:
    """One column from the chunks: numpy arrays, Categoricals (by code) or extension arrays."""
    first = parts[0]
    if isinstance(first, pd.Categorical):
        codes = np.concatenate([p.codes for p in parts])
        return pd.Categorical.from_codes(codes, categories=first.categories)
    if isinstance(first, np.ndarray):
        return np.concatenate(parts)
    return pd.concat([pd.Series(p) for p in parts], ignore_index=True).array
