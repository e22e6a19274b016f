"""Expectations every raw values suite shares: ranges by the catalogue's scale of each series,
keys and codes, and the fetched row count's band."""

from __future__ import annotations

import great_expectations as gx
import pandas as pd
from great_expectations.expectations.row_conditions import Column

from expectations.custom import ExpectFetchedRowCountToBeBetween
from expectations.volume import FetchBand, FetchVolume, volume_rule

FIRST_YEAR = 1990
# Published shares can exceed 100 by the source's rounding: Kolada's N45925 (renewable share of
# electricity produced) is 100.0002 for Säter 2022 and 100.0033 for Oskarshamn 2021. A real
# share is never further out than this; anything beyond it is blocked.
PERCENT_ROUNDING_TOLERANCE = 0.01
PERCENT_RULE = f"percentages within 0–100 (up to {100 + PERCENT_ROUNDING_TOLERANCE} for rounding)"


def with_scale(values: pd.DataFrame, series_column: str, scales: dict[str, str]) -> pd.DataFrame:
    """The frame a raw suite validates: the load plus each series' catalogue scale."""
    frame = values.copy()
    frame["scale"] = frame[series_column].map(scales).fillna("unknown")
    return frame


def value_ranges() -> list[gx.expectations.Expectation]:
    """Shares within 0–100 (give or take the sources' rounding); rates, counts and amounts not
    negative."""
    e = gx.expectations
    return [
        e.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            max_value=100 + PERCENT_ROUNDING_TOLERANCE,
            row_condition=Column("scale") == "percent",
            meta={"rule": PERCENT_RULE},
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


def fetched_row_count(
    volume: FetchVolume, band: FetchBand | None = None
) -> gx.expectations.Expectation:
    """The band on the number of values a full fetch returned (see
    :func:`expectations.volume.volume_rule`), as an expectation of the load's suite."""
    rule = volume_rule(volume, band or FetchBand())
    return ExpectFetchedRowCountToBeBetween(
        fetched_rows=volume.fetched_rows,
        min_value=rule.low,
        max_value=rule.high,
        skip_reason=rule.skip,
        description=rule.rule,
        meta={"rule": rule.rule},
    )
