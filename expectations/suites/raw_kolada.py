"""Suite for one raw Kolada load (the ``values`` table of ``data/raw/kolada/<load_id>/``).

The frame validated is the load joined with the catalogue's ``scale`` per KPI (see
:func:`prepare`), so range rules can depend on the unit: shares within 0–100, amounts, rates and
counts not negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import great_expectations as gx
import pandas as pd
from great_expectations.expectations.row_conditions import Column

NAME = "raw_kolada_values"
KEY = ["kpi_id", "municipality_id", "year", "gender"]
COLUMNS = ["load_id", *KEY, "value", "count", "status", "is_deleted", "is_synthetic", "provenance"]
FIRST_YEAR = 1990


@dataclass(frozen=True)
class RawKoladaContext:
    """What the suite needs to know besides the data: the catalogue and the geography codes."""

    kpi_scales: dict[str, str]
    geography_codes: frozenset[str]
    last_year: int = date.today().year + 1


def prepare(values: pd.DataFrame, ctx: RawKoladaContext) -> pd.DataFrame:
    """The frame the suite validates: the load plus each KPI's catalogue scale."""
    frame = values.copy()
    frame["scale"] = frame["kpi_id"].map(ctx.kpi_scales).fillna("unknown")
    return frame


def build(ctx: RawKoladaContext) -> list[gx.expectations.Expectation]:
    """The suite's expectations (the runner binds them to a suite named NAME)."""
    e = gx.expectations
    suite: list[gx.expectations.Expectation] = []
    suite.append(e.ExpectTableColumnsToMatchSet(column_set=[*COLUMNS, "scale"], exact_match=True))
    suite.append(e.ExpectTableRowCountToBeBetween(min_value=1))
    for column in [*KEY, "load_id"]:
        suite.append(e.ExpectColumnValuesToNotBeNull(column=column))
    suite.append(e.ExpectCompoundColumnsToBeUnique(column_list=KEY))
    suite.append(e.ExpectColumnValuesToBeInSet(column="kpi_id", value_set=sorted(ctx.kpi_scales)))
    suite.append(
        e.ExpectColumnValuesToBeInSet(
            column="municipality_id", value_set=sorted(ctx.geography_codes)
        )
    )
    suite.append(e.ExpectColumnValuesToBeInSet(column="gender", value_set=["T", "K", "M"]))
    suite.append(
        e.ExpectColumnValuesToBeBetween(
            column="year", min_value=FIRST_YEAR, max_value=ctx.last_year
        )
    )
    suite.append(
        e.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            max_value=100,
            row_condition=Column("scale") == "percent",
            meta={"rule": "percentages within 0–100"},
        )
    )
    suite.append(
        e.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            row_condition=Column("scale").is_in(["rate", "count", "amount"]),
            meta={"rule": "rates, counts and amounts not negative"},
        )
    )
    return suite
