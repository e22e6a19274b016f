"""The mart and gap suites catch what must never be published."""

from __future__ import annotations

import pandas as pd

from expectations.runner import validate
from expectations.suites import marts
from expectations.suites.common import PERCENT_RULE
from orchestration.gap_method.schema import INDICATOR_TABLE

CTX = marts.MartContext(
    indicator_scales={"share": "percent", "money": "amount"},
    geography_codes=frozenset({"0000", "0018"}),
    area_ids=frozenset({"A01"}),
    statuses=frozenset({"on_track", "insufficient_data"}),
    last_year=2026,
)


def fct(**changes) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "indicator_id": ["share", "money"],
            "geography_code": ["0018", "0000"],
            "year": [2020, 2020],
            "sex": ["T", "T"],
            "value": [40.0, 10.0],
            "is_synthetic": [False, True],
            "load_id": ["L", "L"],
        }
    )
    return frame.assign(**changes)


def run_fct(frame):
    return validate(marts.prepare_fct(frame, CTX), marts.FCT, marts.build_fct(CTX))


def test_a_good_fact_table_passes():
    assert run_fct(fct()).success


def test_a_share_over_100_in_the_fact_table_is_caught():
    summary = run_fct(fct(value=[180.0, 10.0]))
    assert [o.rule for o in summary.failed] == [PERCENT_RULE]


def test_a_gap_row_with_an_unknown_status_is_caught():
    gaps = pd.DataFrame(
        {
            "indicator_id": ["share"],
            "geography_code": ["0018"],
            "sex": ["T"],
            "assessment_year": [2020],
            "status": ["guessed"],
            "status_label": ["?"],
            "method_version": ["0.2.0"],
            "score": [1.0],
            "level_score": [50.0],
            "rank_among_lan": [3],
            "target_version": ["abcd1234"],
        }
    )
    summary = validate(gaps, INDICATOR_TABLE, marts.build_gaps(CTX))
    assert {(o.expectation, o.column) for o in summary.failed} == {
        ("expect_column_values_to_be_in_set", "status")
    }


def test_a_gap_score_outside_minus_5_to_5_is_caught():
    gaps = pd.DataFrame(
        {
            "indicator_id": ["share"],
            "geography_code": ["0018"],
            "sex": ["T"],
            "assessment_year": [2020],
            "status": ["on_track"],
            "status_label": ["i fas"],
            "method_version": ["0.2.0"],
            "score": [7.5],
            "level_score": [50.0],
            "rank_among_lan": [3],
            "target_version": ["abcd1234"],
        }
    )
    summary = validate(gaps, INDICATOR_TABLE, marts.build_gaps(CTX))
    assert [o.rule for o in summary.failed] == ["score −5…+5"]


def test_a_roll_up_with_a_duplicated_key_or_coverage_over_1_is_caught():
    rollup = pd.DataFrame(
        {
            "group_id": ["K1", "K1"],
            "geography_code": ["0018", "0018"],
            "sex": ["T", "T"],
            "assessment_year": [2020, 2020],
            "coverage": [0.5, 1.5],
            "mean_score": [1.0, 1.0],
            "method_version": ["0.2.0", "0.2.0"],
        }
    )
    summary = validate(rollup, "gap_focus_effort_annual", marts.build_rollup(CTX, ["K1"]))
    assert {o.expectation for o in summary.failed} == {
        "expect_compound_columns_to_be_unique",
        "expect_column_values_to_be_between",
    }
