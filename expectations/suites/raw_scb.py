"""Suite for one raw SCB PxWeb load (the ``values`` table of ``data/raw/scb/<load_id>/``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import great_expectations as gx
import pandas as pd

from expectations.suites import common
from expectations.suites.tables import RAW_SCB
from ingest.landing import SCB_VALUES_SCHEMA

NAME = RAW_SCB
KEY = ["series_id", "region_code", "year", "sex"]
COLUMNS = SCB_VALUES_SCHEMA.names  # the landed table, written once in ingest.landing


@dataclass(frozen=True)
class RawScbContext:
    series_scales: dict[str, str]
    geography_codes: frozenset[str]
    last_year: int = field(default_factory=lambda: date.today().year + 1)
    # The load's fetch (from its manifest) and the band its row count must fall in; without it
    # the suite has no fetched-row-count expectation.
    fetch: common.FetchVolume | None = None
    fetch_band: common.FetchBand = field(default_factory=common.FetchBand)


def prepare(values: pd.DataFrame, ctx: RawScbContext) -> pd.DataFrame:
    return common.with_scale(values, "series_id", ctx.series_scales)


def build(ctx: RawScbContext) -> list[gx.expectations.Expectation]:
    return [
        gx.expectations.ExpectTableColumnsToMatchSet(
            column_set=[*COLUMNS, "scale"], exact_match=True
        ),
        *common.keys_and_codes(
            KEY,
            "series_id",
            sorted(ctx.series_scales),
            "region_code",
            sorted(ctx.geography_codes),
            "sex",
            ctx.last_year,
        ),
        *common.value_ranges(),
        *([common.fetched_row_count(ctx.fetch, ctx.fetch_band)] if ctx.fetch else []),
    ]
