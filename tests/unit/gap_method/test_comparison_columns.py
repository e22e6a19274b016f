"""The comparison steps of orchestration/gap_method/comparison_columns.py one at a time, on
hand-worked cases: the benchmark (§6.1), ranks with ties (§6.2), the share of a län's kommuner
meeting their target (§6.4), the level score's exclusions (§5.6) and the synthetic context
(§10)."""

from __future__ import annotations

import numpy as np
import pytest

from orchestration.gap_method import comparison_columns as cc
from orchestration.gap_method.rows import Rows
from tests.unit.gap_method.builders import method_steps, series_from

NAN = float("nan")


def test_any_flag_in_a_group_marks_every_series_of_it():
    flags = np.array([[False, False], [True, False], [False, False], [False, True]])
    # series 0 and 1 are one group, series 3 another; series 2 is not ranked
    out = cc.group_any(flags, np.array([0, 1, 3]), np.array([7, 7, 9]))
    expected = [[True, False], [True, False], [False, False], [False, True]]
    np.testing.assert_array_equal(out, expected)


def test_the_share_meeting_target_counts_only_kommuner_with_a_target_that_year():
    # series 0 is the län, 1 and 2 its kommuner; two years
    rows = Rows(
        series=np.array([0, 1, 2, 0, 1, 2]),
        col=np.array([0, 0, 0, 1, 1, 1]),
        baseline_col=np.zeros(6, dtype=np.int64),
        before_baseline=np.zeros((6, 6), dtype=bool),
        width=6,
    )
    met = np.array([False, True, False, False, True, True])
    judged = np.array([False, True, True, False, True, False])
    share = cc.share_meeting_target(met, judged, rows, np.array([-1, 0, 0]), 2)
    # year 0: one of two judged kommuner meets; year 1: kommun 2 has no target → 1 of 1
    np.testing.assert_array_equal(share, [0.5, NAN, NAN, 1.0, NAN, NAN])


def test_the_benchmark_gap_and_its_change_since_the_baseline():
    county = series_from(2017, [56.0, 57.5, 59.0, 60.5])
    riket = series_from(2017, [60.0, 61.0, 62.0, 63.0])
    steps = method_steps(
        {
            ("b", "0000", "T"): riket,
            ("b", "0018", "T"): county,
            ("t", "0000", "T"): riket,
            ("t", "0018", "T"): county,
        },
        {"indicator_id": "b", "direction_sign": -1},
        {"indicator_id": "t", "measure": "total"},
    )
    r = steps.rows()
    tau = np.full(len(r.t), 0.3)
    columns = cc.benchmark_columns(
        r, steps.cube, steps.facts, steps.related, steps.targets, tau, steps.cfg
    )
    k = steps.row(r, "b", "0018", 2020)
    # lower is better: g = −(60.5 − 63) = 2.5 ahead, from 4 in 2017: (2.5 − 4)/3 = −0.5 a year
    assert columns["benchmark_gap"][k] == 2.5
    assert columns["gap_to_national"][k] == 2.5
    assert columns["benchmark_gap_change"][k] == pytest.approx(-0.5)
    assert columns["benchmark_baseline_value"][k] == 60.0
    assert columns["benchmark_status"][k] == "ahead_losing"
    # A total keeps Riket's figure to read, but no gap to it (§6.0).
    total = steps.row(r, "t", "0018", 2020)
    assert columns["national_value"][total] == 63.0
    assert np.isnan(columns["benchmark_gap"][total])
    assert columns["benchmark_status"][total] == "not_comparable"


def test_tied_lan_share_the_lowest_rank():
    values = {
        ("i", code, "T"): {2017: v}
        for code, v in zip(("0001", "0003", "0004", "0005"), (5.0, 4.0, 4.0, 3.0), strict=True)
    }
    steps = method_steps(values, {"indicator_id": "i"}, synthetic={("i", "0005", "T", 2017)})
    r = steps.rows()
    ranks = cc.rank_columns(r, steps.cube, steps.facts)
    order = [steps.row(r, "i", code, 2017) for code in ("0001", "0003", "0004", "0005")]
    assert list(ranks.columns["rank_among_lan"][order]) == [1, 2, 2, 4]
    assert set(ranks.columns["lan_ranked"][order]) == {4}
    # One synthetic value among the ranked: every rank of that year rests on it.
    assert ranks.synthetic[order].all()


def test_no_level_score_before_the_catalogues_baseline_year_for_totals_or_gap():
    kommuner = {"1880": 10.0, "1881": 20.0, "1814": 30.0}
    series = {("i", k, "T"): {2017: v, 2018: v} for k, v in kommuner.items()}
    series[("i", "1860", "T")] = {2015: 15.0, 2016: 25.0}  # no baseline: rows before 2017
    series |= {("t", k, "T"): {2017: v, 2018: v} for k, v in kommuner.items()}
    steps = method_steps(series, {"indicator_id": "i"}, {"indicator_id": "t", "measure": "total"})
    r = steps.rows()
    level = cc.level_score_columns(
        r, steps.cube, steps.facts, steps.assessed, steps.base, steps.targets, steps.cfg
    )
    score = level.columns["level_score"]
    # 2017 kommuner 10, 20, 30: floor 10.5 (2.5th percentile), top decile 28
    assert score[steps.row(r, "i", "1881", 2018)] == pytest.approx(100 * 9.5 / 17.5)
    assert np.isnan(score[steps.row(r, "i", "1860", 2016)])
    assert np.isnan(score[steps.row(r, "t", "1881", 2018)])
