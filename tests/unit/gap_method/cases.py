"""Shared hand-computed cases of ``assess_indicators`` (the test_assess_*.py files): the row
lookup and the cases more than one file reads."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.gap_method import assess_indicators
from tests.unit.gap_method.builders import catalogue, series_from, values_frame

NAN = float("nan")
LINEAR = {"on": 1.0, "nearly": 0.5, "slow": 0.4, "still": 0.1, "wrong": -1.0}


def row(gaps: pd.DataFrame, geography: str, year: int, indicator=None, sex="T") -> pd.Series:
    match = (gaps["geography_code"] == geography) & (gaps["assessment_year"] == year)
    match &= gaps["sex"] == sex
    if indicator is not None:
        match &= gaps["indicator_id"] == indicator
    (index,) = np.nonzero(match.to_numpy())
    return gaps.iloc[int(index[0])]


def absolute_case() -> pd.DataFrame:
    """Län 0018, 2017–2023, starting at 70 and moving by a constant amount a year; target 80 by
    2030 (higher is better)."""
    series = {
        (name, "0018", "T"): series_from(2017, [70 + step * k for k in range(7)])
        for name, step in LINEAR.items()
    }
    series[("met", "0018", "T")] = series_from(2017, [81.0] * 7)
    series[("met_falling", "0018", "T")] = series_from(2017, [88.0 - k for k in range(7)])
    names = [*LINEAR, "met", "met_falling"]
    indicators = catalogue(
        *({"indicator_id": n, "target_type": "absolute", "target_value": 80.0} for n in names)
    )
    return assess_indicators(values_frame(series), indicators)


def national_case() -> pd.DataFrame:
    """Two NATIONAL indicators of län 0018 against Riket 2017–2020: one ahead of Riket, one
    behind (Riket's 2017 value of the latter synthetic)."""
    riket = series_from(2017, [60.0, 61.0, 62.0, 63.0])
    values = values_frame(
        {
            ("ahead", "0000", "T"): riket,
            ("ahead", "0018", "T"): series_from(2017, [66.0, 66.5, 67.0, 67.5]),
            ("behind", "0000", "T"): riket,
            ("behind", "0018", "T"): series_from(2017, [56.0, 57.5, 59.0, 60.5]),
        },
        synthetic={("behind", "0000", "T", 2017)},
    )
    indicators = catalogue(
        {"indicator_id": "ahead", "target_type": "national"},
        {"indicator_id": "behind", "target_type": "national"},
    )
    return assess_indicators(values, indicators)
