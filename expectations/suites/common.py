"""Expectations every raw values suite shares: ranges by the catalogue's scale of each series,
keys and codes, and the fetched row count's band."""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations as gx
import pandas as pd
from great_expectations.expectations.row_conditions import Column

from expectations.custom import ExpectFetchedRowCountToBeBetween

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


@dataclass(frozen=True)
class FetchBand:
    """How far a full fetch's row count may move from the previous comparable full fetch:
    ``low``–``high`` times its row count (default 0.5–2×)."""

    low: float = 0.5
    high: float = 2.0

    def __post_init__(self) -> None:
        if not 0 <= self.low <= 1 <= self.high:
            raise ValueError(
                f"fetch band {self.low}–{self.high}× must satisfy 0 ≤ low ≤ 1 ≤ high "
                "(a fetch as large as the previous one must pass)"
            )

    def describe(self) -> str:
        return f"{self.low:g}–{self.high:g}×"


@dataclass(frozen=True)
class FetchVolume:
    """How many values the source returned for a load, and the full fetch to compare that with.

    ``mode`` and ``fetched_rows`` come from the load's manifest; ``previous_*`` describe the newest
    accepted full fetch before it whose request this load's request covers (see
    ``ingest.state.previous_full_fetch``). ``previous_narrower`` says that request asked for less
    (the catalogue widened since), so only the lower bound applies.
    """

    mode: str
    fetched_rows: int | None
    from_date: str | None = None
    previous_load_id: str | None = None
    previous_rows: int | None = None
    previous_narrower: bool = False


def fetched_row_count(
    volume: FetchVolume, band: FetchBand = FetchBand()
) -> gx.expectations.Expectation:
    """The band on the number of values a full fetch returned, relative to the previous full fetch.

    Loads are incremental, so the validated frame (what changed) is often empty; the band applies
    to what the source returned. It passes, saying why in its observed value, for an incremental
    fetch (Kolada's ``from_date``: only changed values come back) and when there is no earlier full
    fetch of the same request to compare with.
    """
    rule = f"fetched row count within {band.describe()} of the previous full fetch"
    skip = None
    low = high = None
    if volume.mode != "full":
        since = f" since {volume.from_date}" if volume.from_date else ""
        skip = f"incremental load (values changed{since}): the band applies to full fetches only"
    elif volume.fetched_rows is None:
        skip = "the load's manifest records no fetched row count"
    elif volume.previous_rows is None:
        skip = "no previous accepted full fetch of this request to compare with"
    else:
        previous = f"{volume.previous_rows} rows, load {volume.previous_load_id}"
        low = band.low * volume.previous_rows
        if volume.previous_narrower:
            rule = (
                f"fetched row count at least {band.low:g}× the previous full fetch of a "
                f"narrower request ({previous})"
            )
        else:
            high = band.high * volume.previous_rows
            rule = f"{rule} ({previous})"
    return ExpectFetchedRowCountToBeBetween(
        fetched_rows=volume.fetched_rows,
        min_value=low,
        max_value=high,
        skip_reason=skip,
        description=rule,
        meta={"rule": rule},
    )
