"""Expectations every raw values suite shares: ranges by the catalogue's scale of each series."""

from __future__ import annotations

import great_expectations as gx
import pandas as pd
from great_expectations.expectations.row_conditions import Column

FIRST_YEAR = 1990


def with_scale(values: pd.DataFrame, series_column: str, scales: dict[str, str]) -> pd.DataFrame:
    """The frame a raw suite validates: the load plus each series' catalogue scale."""
    frame = values.copy()
    frame["scale"] = frame[series_column].map(scales).fillna("unknown")
    return frame


def value_ranges() -> list[gx.expectations.Expectation]:
    """Shares within 0–100; rates, counts and amounts not negative."""
    e = gx.expectations
    return [
        e.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            max_value=100,
            row_condition=Column("scale") == "percent",
            meta={"rule": "percentages within 0–100"},
        ),
        e.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            row_condition=Column("scale").is_in(["rate", "count", "amount"]),
            meta={"rule": "rates, counts and amounts not negative"},
        ),
    ]


def keys_and_codes(
    key: list[str],
    series_column: str,
    series: list[str],
    geography_column: str,
    geographies: list[str],
    sex_column: str,
    last_year: int,
) -> list[gx.expectations.Expectation]:
    """Keys present and unique per load; codes in the catalogue and geography sets; sane years.

    A load may be empty: it holds only what changed since the last accepted load (the loaders
    refuse a full fetch that returned nothing).
    """
    e = gx.expectations
    return [
        *(e.ExpectColumnValuesToNotBeNull(column=c) for c in [*key, "load_id"]),
        e.ExpectCompoundColumnsToBeUnique(column_list=key),
        e.ExpectColumnValuesToBeInSet(column=series_column, value_set=series),
        e.ExpectColumnValuesToBeInSet(column=geography_column, value_set=geographies),
        e.ExpectColumnValuesToBeInSet(column=sex_column, value_set=["T", "K", "M"]),
        e.ExpectColumnValuesToBeBetween(column="year", min_value=FIRST_YEAR, max_value=last_year),
    ]
