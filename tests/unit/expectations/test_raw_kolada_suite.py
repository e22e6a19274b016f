"""The raw suite made for Kolada (its column names) catches each kind of bad load and names the
failing expectation."""

from __future__ import annotations

import pandas as pd
import pytest

from expectations.runner import validate
from expectations.suites.common import PERCENT_RULE
from expectations.suites.raw import KOLADA, RawContext

CTX = RawContext(
    series_scales={"N01982": "percent", "N85085": "amount"},
    geography_codes=frozenset({"0000", "0018", "1880"}),
    last_year=2026,
)


def good_load() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "load_id": ["L"] * 4,
            "kpi_id": ["N01982", "N01982", "N85085", "N85085"],
            "municipality_id": ["0018", "1880", "0018", "0000"],
            "year": [2020, 2020, 2021, 2021],
            "gender": ["T", "T", "T", "T"],
            "value": [41.0, 55.5, 4806.3, 4936.0],
            "count": [1, 1, 1, 1],
            "status": ["", "", "", ""],
            "is_deleted": [False] * 4,
            "is_synthetic": [False] * 4,
            "provenance": [None] * 4,
        }
    )


def run(frame: pd.DataFrame):
    return validate(KOLADA.prepare(frame, CTX), KOLADA.name, KOLADA.build(CTX))


@pytest.fixture(scope="module")
def good_summary():
    return run(good_load())


def test_a_good_load_passes_every_expectation(good_summary):
    assert good_summary.success, good_summary.describe_failures()
    assert good_summary.row_count == 4


def _bad(kind: str) -> pd.DataFrame:
    frame = good_load()
    if kind == "percent-of-180":
        frame.loc[0, "value"] = 180.0
    elif kind == "negative-amount":
        frame.loc[2, "value"] = -1.0
    elif kind == "duplicated-key":
        frame = pd.concat([frame, frame.iloc[[1]]], ignore_index=True)
    elif kind == "unknown-kommun":
        frame.loc[1, "municipality_id"] = "9999"
    elif kind == "missing-column":
        frame = frame.drop(columns=["gender"])
    elif kind == "year-out-of-range":
        frame.loc[0, "year"] = 1850
    return frame


@pytest.mark.parametrize(
    ("kind", "expectation", "column"),
    [
        ("percent-of-180", "expect_column_values_to_be_between", "value"),
        ("negative-amount", "expect_column_values_to_be_between", "value"),
        (
            "duplicated-key",
            "expect_compound_columns_to_be_unique",
            "kpi_id,municipality_id,year,gender",
        ),
        ("unknown-kommun", "expect_column_values_to_be_in_set", "municipality_id"),
        ("missing-column", "expect_table_columns_to_match_set", None),
        ("year-out-of-range", "expect_column_values_to_be_between", "year"),
    ],
    ids=lambda v: v if isinstance(v, str) and "-" in v else None,
)
def test_a_bad_load_fails_naming_the_expectation(kind, expectation, column):
    summary = run(_bad(kind))
    assert not summary.success
    assert (expectation, column) in {(o.expectation, o.column) for o in summary.failed}
    assert expectation in summary.describe_failures()


def test_the_180_percent_value_is_shown_as_an_unexpected_example():
    summary = run(_bad("percent-of-180"))
    (failure,) = [o for o in summary.failed if o.rule == PERCENT_RULE]
    assert failure.unexpected_examples == [180.0]
    assert failure.unexpected_count == 1


@pytest.mark.parametrize(("value", "passes"), [(100.0033, True), (100.0, True), (100.02, False)])
def test_a_share_just_over_100_by_the_sources_rounding_passes_and_no_more(value, passes):
    # Kolada publishes N45925 as 100.0033 for Oskarshamn 2021: rounding, not a bad value.
    frame = good_load()
    frame.loc[0, "value"] = value
    summary = run(frame)
    assert summary.success is passes
    if not passes:
        assert [o.rule for o in summary.failed] == [PERCENT_RULE]
