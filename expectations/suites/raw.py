"""The one suite for a raw load of either source (the ``values`` table of
``data/raw/<source>/<load_id>/``), made for a source from its column mapping.

Raw is append-only and keeps each source's own column names (Kolada's ``kpi_id``,
``municipality_id``, ``gender``; the SCB loader's ``series_id``, ``region_code``, ``sex``);
staging conforms them (``source_series_id``, ``geography_code``, ``sex``). So a source's suite is
:class:`RawSuite` given the suite's name and a :class:`RawColumns` mapping: the landed table's
columns and what the source calls the series, the geography and the sex.

The frame validated is the load plus the catalogue's ``scale`` per series (see
:meth:`RawSuite.prepare`), so range rules can depend on the unit: shares within 0–100, amounts,
rates and counts not negative. Given the load's fetch (``RawContext.fetch``, from its manifest),
the suite also holds a full fetch's row count to a band around the previous full fetch (see
``common.fetched_row_count``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import great_expectations as gx
import pandas as pd

from expectations.suites import common, tables
from ingest.landing import KOLADA_VALUES_SCHEMA, SCB_VALUES_SCHEMA


@dataclass(frozen=True)
class RawColumns:
    """A source's landed values table, in its own names, mapped onto the conformed concepts."""

    columns: tuple[str, ...]  # every column of the landed table (ingest.landing)
    source_series_id: str
    geography_code: str
    sex: str

    @property
    def key(self) -> list[str]:
        """One value per series × geography × year × sex in a load (both call the year ``year``)."""
        return [self.source_series_id, self.geography_code, "year", self.sex]


@dataclass(frozen=True)
class RawContext:
    """What a raw suite needs to know besides the data: the catalogue and the geography codes."""

    series_scales: dict[str, str]  # the source's series id → the catalogue's scale
    geography_codes: frozenset[str]
    last_year: int = field(default_factory=lambda: date.today().year + 1)
    # The load's fetch (from its manifest) and the band its row count must fall in; without it
    # the suite has no fetched-row-count expectation.
    fetch: common.FetchVolume | None = None
    fetch_band: common.FetchBand = field(default_factory=common.FetchBand)


@dataclass(frozen=True)
class RawSuite:
    """The raw suite of one source: ``name`` (= the raw asset's key) and its column mapping."""

    name: str
    mapping: RawColumns

    @property
    def key(self) -> list[str]:
        return self.mapping.key

    def prepare(self, values: pd.DataFrame, ctx: RawContext) -> pd.DataFrame:
        """The frame the suite validates: the load plus each series' catalogue scale."""
        return common.with_scale(values, self.mapping.source_series_id, ctx.series_scales)

    def build(self, ctx: RawContext) -> list[gx.expectations.Expectation]:
        """The suite's expectations (the runner binds them to a suite named ``name``)."""
        m = self.mapping
        return [
            gx.expectations.ExpectTableColumnsToMatchSet(
                column_set=[*m.columns, "scale"], exact_match=True
            ),
            *common.keys_and_codes(
                m.key,
                m.source_series_id,
                sorted(ctx.series_scales),
                m.geography_code,
                sorted(ctx.geography_codes),
                m.sex,
                ctx.last_year,
            ),
            *common.value_ranges(),
            *([common.fetched_row_count(ctx.fetch, ctx.fetch_band)] if ctx.fetch else []),
        ]


KOLADA = RawSuite(
    tables.RAW_KOLADA,
    RawColumns(
        columns=tuple(KOLADA_VALUES_SCHEMA.names),
        source_series_id="kpi_id",
        geography_code="municipality_id",
        sex="gender",
    ),
)
SCB = RawSuite(
    tables.RAW_SCB,
    RawColumns(
        columns=tuple(SCB_VALUES_SCHEMA.names),
        source_series_id="series_id",
        geography_code="region_code",
        sex="sex",
    ),
)
SUITES = {"kolada": KOLADA, "scb": SCB}  # by source, as the catalogue names it
