"""Suite for one raw Kolada load (the ``values`` table of ``data/raw/kolada/<load_id>/``).

The frame validated is the load plus the catalogue's ``scale`` per KPI (see :func:`prepare`), so
range rules can depend on the unit: shares within 0–100, amounts, rates and counts not negative.
Given the load's fetch (``RawKoladaContext.fetch``, from its manifest), the suite also holds a full
fetch's row count to a band around the previous full fetch (see ``common.fetched_row_count``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import great_expectations as gx
import pandas as pd

from expectations.suites import common
from expectations.suites.tables import RAW_KOLADA
from ingest.landing import KOLADA_VALUES_SCHEMA

NAME = RAW_KOLADA
KEY = ["kpi_id", "municipality_id", "year", "gender"]
COLUMNS = KOLADA_VALUES_SCHEMA.names  # the landed table, written once in ingest.landing


@dataclass(frozen=True)
class RawKoladaContext:
    """What the suite needs to know besides the data: the catalogue and the geography codes."""

    kpi_scales: dict[str, str]
    geography_codes: frozenset[str]
    last_year: int = field(default_factory=lambda: date.today().year + 1)
    # The load's fetch (from its manifest) and the band its row count must fall in; without it
    # the suite has no fetched-row-count expectation.
    fetch: common.FetchVolume | None = None
    fetch_band: common.FetchBand = field(default_factory=common.FetchBand)


def prepare(values: pd.DataFrame, ctx: RawKoladaContext) -> pd.DataFrame:
    return common.with_scale(values, "kpi_id", ctx.kpi_scales)


def build(ctx: RawKoladaContext) -> list[gx.expectations.Expectation]:
    """The suite's expectations (the runner binds them to a suite named NAME)."""
    return [
        gx.expectations.ExpectTableColumnsToMatchSet(
            column_set=[*COLUMNS, "scale"], exact_match=True
        ),
        *common.keys_and_codes(
            KEY,
            "kpi_id",
            sorted(ctx.kpi_scales),
            "municipality_id",
            sorted(ctx.geography_codes),
            "gender",
            ctx.last_year,
        ),
        *common.value_ranges(),
        *([common.fetched_row_count(ctx.fetch, ctx.fetch_band)] if ctx.fetch else []),
    ]
