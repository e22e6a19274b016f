"""Suites for the published marts and the gap table, run on the working warehouse before anything
is published. Each ``build_*`` returns the expectations; the check binds them to a suite."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import great_expectations as gx
import pandas as pd

from expectations.suites import common

FCT = "fct_indicator_value"
AREA_MART = "mart_area_indicators"
GAPS = "gap_indicator_annual"


@dataclass(frozen=True)
class MartContext:
    """What the mart suites check codes against (from the catalogue seeds and the gap method)."""

    indicator_scales: dict[str, str]
    geography_codes: frozenset[str]
    area_ids: frozenset[str]
    statuses: frozenset[str] = frozenset()
    last_year: int = field(default_factory=lambda: date.today().year + 1)


def prepare_fct(frame: pd.DataFrame, ctx: MartContext) -> pd.DataFrame:
    return common.with_scale(frame, "indicator_id", ctx.indicator_scales)


def build_fct(ctx: MartContext) -> list[gx.expectations.Expectation]:
    e = gx.expectations
    key = ["indicator_id", "geography_code", "year", "sex"]
    return [
        *common.keys_and_codes(
            key,
            "indicator_id",
            sorted(ctx.indicator_scales),
            "geography_code",
            sorted(ctx.geography_codes),
            "sex",
            ctx.last_year,
        ),
        e.ExpectColumnValuesToNotBeNull(column="value"),
        e.ExpectColumnValuesToNotBeNull(column="is_synthetic"),
        *common.value_ranges(),
    ]


def build_area_mart(ctx: MartContext) -> list[gx.expectations.Expectation]:
    e = gx.expectations
    return [
        e.ExpectTableRowCountToBeBetween(min_value=1),
        e.ExpectCompoundColumnsToBeUnique(
            column_list=["geography_code", "area_id", "indicator_id", "year"]
        ),
        e.ExpectColumnValuesToBeInSet(column="area_id", value_set=sorted(ctx.area_ids)),
        e.ExpectColumnValuesToBeInSet(
            column="geography_code", value_set=sorted(ctx.geography_codes)
        ),
        e.ExpectColumnValuesToBeBetween(
            column="rank_among_lan", min_value=1, max_value=21, meta={"rule": "rank among 21 län"}
        ),
    ]


def build_gaps(ctx: MartContext) -> list[gx.expectations.Expectation]:
    e = gx.expectations
    return [
        e.ExpectTableRowCountToBeBetween(min_value=1),
        e.ExpectCompoundColumnsToBeUnique(
            column_list=["indicator_id", "geography_code", "sex", "assessment_year"]
        ),
        e.ExpectColumnValuesToBeInSet(column="status", value_set=sorted(ctx.statuses)),
        e.ExpectColumnValuesToNotBeNull(column="status_label"),
        e.ExpectColumnValuesToNotBeNull(column="method_version"),
        e.ExpectColumnValuesToBeInSet(
            column="indicator_id", value_set=sorted(ctx.indicator_scales)
        ),
    ]
