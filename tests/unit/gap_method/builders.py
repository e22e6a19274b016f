"""Builders for small hand-made value and catalogue frames."""

from __future__ import annotations

import math

import pandas as pd

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
