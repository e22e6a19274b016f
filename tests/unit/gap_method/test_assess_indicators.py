"""Hand-computed cases for ``assess_indicators`` as a whole: the baseline and its fallback, the
output schema and codes, refused inputs, and no negative zero. The cases per target type and
the comparisons are in test_assess_*.py beside it (shared cases: cases.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orchestration.gap_method import (
    METHOD_VERSION,
    OUTPUT_COLUMNS,
    STATUS_LABELS,
    assess_indicators,
)
from tests.unit.gap_method.builders import catalogue, series_from, values_frame
from tests.unit.gap_method.cases import absolute_case, national_case


@pytest.fixture(scope="module")
def absolute_gaps() -> pd.DataFrame:
    """The absolute-target case of cases.py, assessed once per module."""
    return absolute_case()


@pytest.fixture(scope="module")
def national_gaps() -> pd.DataFrame:
    """The NATIONAL case of cases.py, assessed once per module."""
    return national_case()


def test_a_baseline_missing_in_its_year_falls_back_to_the_next_year_up_to_2020():
    gaps = assess_indicators(
        values_frame({("i", "0018", "T"): series_from(2018, [10.0, 11.0, 12.0])}),
        catalogue({"indicator_id": "i"}),
    )
    assert set(gaps["baseline_year_used"]) == {2018}


def test_a_series_without_a_baseline_value_is_insufficient_data_never_guessed():
    gaps = assess_indicators(
        values_frame({("i", "1880", "T"): {2022: 1.0, 2023: 2.0}}),
        catalogue({"indicator_id": "i"}),
    )
    assert set(gaps["status"]) == {"insufficient_data"}
    assert set(gaps["status_label"]) == {"otillräckliga data"}
    assert gaps["baseline_year_used"].isna().all()


def test_the_output_schema_and_codes(absolute_gaps, national_gaps):
    for gaps in (absolute_gaps, national_gaps):
        assert list(gaps.columns) == OUTPUT_COLUMNS
        assert set(gaps["status"]) <= set(STATUS_LABELS)
        assert gaps["status_label"].notna().all()
        assert set(gaps["method_version"]) == {METHOD_VERSION}
        assert not gaps.duplicated(
            ["indicator_id", "geography_code", "sex", "assessment_year"]
        ).any()


def test_assess_indicators_names_missing_columns():
    with pytest.raises(ValueError, match=r"values lacks column\(s\) \['is_synthetic'\]"):
        assess_indicators(
            pd.DataFrame(columns=["indicator_id", "geography_code", "sex", "year", "value"]),
            pd.DataFrame(),
        )


def test_duplicate_values_and_unknown_target_types_are_refused():
    twice = pd.concat([values_frame({("i", "0018", "T"): {2017: 1.0}})] * 2)
    with pytest.raises(ValueError, match="duplicate values"):
        assess_indicators(twice, catalogue({"indicator_id": "i"}))
    with pytest.raises(ValueError, match="unknown target_type"):
        assess_indicators(
            values_frame({("i", "0018", "T"): {2017: 1.0}}),
            catalogue({"indicator_id": "i", "target_type": "someday"}),
        )


def test_no_negative_zero_reaches_the_published_columns():
    """Lower is better and the county equals Riket: d·(x − Riket) is 0, not −0 (a BI tool
    would print "-0")."""
    values = values_frame(
        {
            ("x", "0018", "T"): series_from(2017, [5.0, 4.0, 3.0]),
            ("x", "0000", "T"): series_from(2017, [5.0, 4.0, 3.0]),
        }
    )
    gaps = assess_indicators(values, catalogue({"indicator_id": "x", "direction_sign": -1}))
    county = gaps[gaps["geography_code"] == "0018"]
    assert (county["gap_to_national"] == 0).all()
    floats = gaps.select_dtypes("float64").fillna(1.0).to_numpy()
    assert (floats == 0).any()
    assert not np.signbit(floats[floats == 0]).any()
