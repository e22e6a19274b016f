"""Suites for the published marts and the gap table, run on the working warehouse before anything
is published. Each ``build_*`` returns the expectations; the check binds them to a suite."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import great_expectations as gx
import pandas as pd

from expectations.suites import common
from expectations.suites.tables import AREA_MART, FCT  # noqa: F401  (re-exported)


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
        e.ExpectColumnValuesToBeBetween(
            column="score", min_value=-5, max_value=5, meta={"rule": "score −5…+5"}
        ),
        e.ExpectColumnValuesToBeBetween(
            column="level_score", min_value=0, max_value=100, meta={"rule": "level score 0–100"}
        ),
        e.ExpectColumnValuesToBeBetween(
            column="rank_among_lan", min_value=1, max_value=21, meta={"rule": "rank among 21 län"}
        ),
        e.ExpectColumnValuesToBeInSet(column="sex", value_set=["T", "K", "M"]),
        e.ExpectColumnValuesToNotBeNull(column="target_version"),
    ]


def build_rollup(ctx: MartContext, group_ids: list[str]) -> list[gx.expectations.Expectation]:
    """A roll-up per area, kraftsamling or goal: one row per key, codes known, shares sane."""
    e = gx.expectations
    return [
        e.ExpectTableRowCountToBeBetween(min_value=1),
        e.ExpectCompoundColumnsToBeUnique(
            column_list=["group_id", "geography_code", "sex", "assessment_year"]
        ),
        e.ExpectColumnValuesToBeInSet(column="group_id", value_set=sorted(group_ids)),
        e.ExpectColumnValuesToBeInSet(
            column="geography_code", value_set=sorted(ctx.geography_codes)
        ),
        e.ExpectColumnValuesToBeBetween(
            column="coverage", min_value=0, max_value=1, meta={"rule": "coverage is a share"}
        ),
        e.ExpectColumnValuesToBeBetween(
            column="mean_score", min_value=-5, max_value=5, meta={"rule": "mean score −5…+5"}
        ),
        e.ExpectColumnValuesToNotBeNull(column="method_version"),
    ]


def build_statements(ctx: MartContext) -> list[gx.expectations.Expectation]:
    """The statements table: one line per subject × geography × year, none empty."""
    e = gx.expectations
    return [
        e.ExpectTableRowCountToBeBetween(min_value=1),
        e.ExpectCompoundColumnsToBeUnique(
            column_list=["subject_type", "subject_id", "geography_code", "assessment_year"]
        ),
        e.ExpectColumnValuesToBeInSet(
            column="subject_type", value_set=["indicator", "focus_effort"]
        ),
        e.ExpectColumnValuesToBeInSet(
            column="geography_code", value_set=sorted(ctx.geography_codes)
        ),
        e.ExpectColumnValueLengthsToBeBetween(
            column="statement", min_value=10, meta={"rule": "a statement is a sentence"}
        ),
    ]
