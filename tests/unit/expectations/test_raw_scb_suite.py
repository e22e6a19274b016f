"""The raw suite made for SCB (its column names): a good load passes; out-of-range, duplicated
and unknown codes fail."""

from __future__ import annotations

import pandas as pd
import pytest

from expectations.runner import validate
from expectations.suites.raw import SCB, RawContext

SERIES = "ME/ME0105/ME0105C/ME0105T28|ContentsCode=valdeltagande|Alder=samtliga"
CTX = RawContext(
    series_scales={SERIES: "percent"},
    geography_codes=frozenset({"0000", "0018", "1880"}),
    last_year=2026,
)


def load() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "load_id": ["L"] * 3,
            "series_id": [SERIES] * 3,
            "table_id": ["ME/ME0105/ME0105C/ME0105T28"] * 3,
            "region_code": ["1880", "1880", "0000"],
            "year": [2018, 2022, 2022],
            "sex": ["T", "T", "T"],
            "value": [85.0, 83.0, 84.2],
            "status": ["", "", ""],
            "is_deleted": [False] * 3,
            "is_synthetic": [False] * 3,
            "provenance": ["x"] * 3,
        }
    )


def run(frame: pd.DataFrame):
    return validate(SCB.prepare(frame, CTX), SCB.name, SCB.build(CTX))


def test_a_good_scb_load_passes():
    summary = run(load())
    assert summary.success, summary.describe_failures()


@pytest.mark.parametrize(
    ("change", "expectation"),
    [
        (lambda f: f.assign(value=[85.0, 183.0, 84.2]), "expect_column_values_to_be_between"),
        (lambda f: pd.concat([f, f.iloc[[0]]]), "expect_compound_columns_to_be_unique"),
        (
            lambda f: f.assign(region_code=["1880", "9999", "0000"]),
            "expect_column_values_to_be_in_set",
        ),
        (lambda f: f.drop(columns=["table_id"]), "expect_table_columns_to_match_set"),
    ],
    ids=["out-of-range", "duplicated-key", "unknown-kommun", "missing-column"],
)
def test_a_bad_scb_load_fails_naming_the_expectation(change, expectation):
    summary = run(change(load()))
    assert not summary.success
    assert expectation in {o.expectation for o in summary.failed}
