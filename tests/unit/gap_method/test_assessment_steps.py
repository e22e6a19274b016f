"""The row-level steps of orchestration/gap_method/assessment.py one at a time, on hand-worked
cases: the backward measure (§4.1), the noise band and short-term signals (§4.2), which status
rule judges a row (§5), the verdict's score and confidence (§4.3) and the synthetic flags
(§10)."""

from __future__ import annotations

import numpy as np
import pytest

from orchestration.gap_method.assessment import (
    backward_measure,
    forward_measure,
    long_term_status,
    noise_band,
    short_term_signals,
    synthetic_inputs,
    verdict_columns,
)
from tests.unit.gap_method.builders import method_steps, series_from


def measures(steps):
    """The rows and the measures every status reads."""
    r = steps.rows()
    backward = backward_measure(r, steps.facts, steps.assessed, steps.targets, steps.cfg)
    forward = forward_measure(r, steps.assessed, steps.targets, steps.cfg)
    tau = noise_band(r, steps.facts, steps.assessed, steps.cfg)
    short = short_term_signals(r, steps.assessed, steps.targets, steps.cfg)
    return r, backward, forward, tau, short


def test_the_noise_band_reads_the_window_before_the_baseline_and_the_floor():
    values = series_from(2015, [100.0, 101.0, 102.0, 103.0, 104.0, 105.0])
    steps = method_steps(
        {("i", "0018", "T"): values, ("floor", "0018", "T"): values},
        {"indicator_id": "i", "baseline_year": 2019},
        {"indicator_id": "floor", "baseline_year": 2019, "min_detectable_change": 1.0},
    )
    r, *_, tau, _ = measures(steps)
    # 2020: the six years 2015–2020 although b = 2019: 0.005·102.5; a floor of 1 wins
    assert tau[steps.row(r, "i", "0018", 2020)] == pytest.approx(0.5125)
    assert tau[steps.row(r, "floor", "0018", 2020)] == 1.0


def test_the_short_term_view_of_a_moving_target_reads_the_distance():
    steps = method_steps(
        {
            ("n", "0000", "T"): series_from(2017, [71.0 + 0.6 * k for k in range(6)]),
            ("n", "0018", "T"): series_from(2017, [70.0 + 0.1 * k for k in range(6)]),
            ("down", "0018", "T"): series_from(2017, [8.0, 7.5, 7.0, 6.5]),
        },
        {"indicator_id": "n", "target_type": "national"},
        {"indicator_id": "down", "direction_sign": -1},
    )
    r, *_, short = measures(steps)
    k = steps.row(r, "n", "0018", 2022)
    # The value rises 0.1 a year; the distance to Riket falls 0.5 a year: the view reads that.
    assert short.mean_5y[k] == pytest.approx(0.1)
    assert (short.read_5y[k], short.read_last[k]) == (pytest.approx(-0.5), pytest.approx(-0.5))
    # Without a moving target: the value's changes, direction-adjusted (lower is better).
    down = steps.row(r, "down", "0018", 2020)
    assert short.mean_5y[down] == pytest.approx(-0.5)
    assert short.read_5y[down] == pytest.approx(0.5)


def test_a_gap_indicator_has_no_natural_limit_and_only_target_rows_are_met():
    falling = series_from(2017, [6.0, 5.0, 4.0])
    steps = method_steps(
        {
            ("g", "0018", "K"): series_from(2017, [50.0, 51.0, 52.0]),
            ("g", "0018", "M"): series_from(2017, [56.0, 56.0, 56.0]),
            ("share", "0018", "T"): falling,
        },
        {"indicator_id": "g", "target_type": "gap", "natural_min": 0.0, "natural_max": 100.0},
        {"indicator_id": "share", "direction_sign": -1, "natural_min": 0.0, "natural_max": 100.0},
    )
    r, backward, *_ = measures(steps)
    gap, share = steps.row(r, "g", "0018", 2019, "K"), steps.row(r, "share", "0018", 2019)
    # |K − M| = 6 → 4 without a target value: direction rule, C = 1 (no limit for GAP)
    assert backward.coefficient[gap] == 1.0
    # A share falling towards 0 %: u = (100 − 6)/100 = 0.94, C = 1 − 0.94^4.44 = 0.240...
    assert backward.coefficient[share] == pytest.approx(1 - 0.94**4.44)
    # No row without a target is ever "met".
    assert not backward.met.any()


def test_each_row_is_judged_by_the_rule_of_its_target_type():
    doubling = series_from(2017, [100.0, 102.0, 104.0, 106.0, 108.0])
    steps = method_steps(
        {
            ("far", "0018", "T"): doubling,
            ("free", "0018", "T"): doubling,
            ("held", "0018", "T"): series_from(2017, [95.0, 94.0, 93.0, 92.0, 91.0]),
        },
        {"indicator_id": "far", "target_type": "absolute", "target_value": 200.0},
        {"indicator_id": "free"},
        {"indicator_id": "held", "target_type": "maintain", "target_value": 90.0},
    )
    r, backward, forward, tau, short = measures(steps)
    status = long_term_status(r, steps.targets, backward, forward, tau, short, steps.cfg)
    by = {i: status[steps.row(r, i, "0018", 2021)] for i in ("far", "free", "held")}
    # The same values: 1.08^(1/4) − 1 = 1.94 % a year is i fas on direction (≥ 1.5 %), but 200
    # by 2030 needs r = 2^(1/13) − 1 = 5.48 % a year: R = 0.35 → förbättras för långsamt (§5.1).
    # MAINTAIN: 91 ≥ 90 is held, falling 1 a year → uppnått men försämras (§5.3).
    assert by == {"far": "too_slow", "free": "on_track", "held": "target_met_worsening"}


def test_the_verdict_has_no_score_and_no_low_confidence_without_an_assessment():
    steps = method_steps(
        {("i", "0018", "T"): series_from(2017, [70.0, 71.0, 72.0])},
        {"indicator_id": "i", "target_type": "absolute", "target_value": 80.0},
    )
    r, backward, forward, tau, short = measures(steps)
    status = long_term_status(r, steps.targets, backward, forward, tau, short, steps.cfg)
    columns = verdict_columns(status, backward, forward, steps.cfg)
    first, third = steps.row(r, "i", "0018", 2017), steps.row(r, "i", "0018", 2019)
    # t = b: otillräckliga data, no score, and not "low confidence" (nothing was judged)
    assert columns["status"][first] == "insufficient_data"
    assert np.isnan(columns["score"][first]) and not columns["low_confidence"][first]
    # Three values in the window: judged, and flagged as resting on few values
    assert columns["status"][third] == "on_track" and columns["low_confidence"][third]
    assert columns["score"][third] == 5.0


def test_a_synthetic_benchmark_counts_only_inside_the_window_since_the_baseline():
    county = series_from(2016, [60.0, 61.0, 62.0, 63.0, 64.0])
    riket = series_from(2016, [62.0, 62.5, 63.0, 63.5, 64.0])
    steps = method_steps(
        {
            ("early", "0000", "T"): riket,
            ("early", "0018", "T"): county,
            ("late", "0000", "T"): riket,
            ("late", "0018", "T"): county,
        },
        {"indicator_id": "early", "target_type": "national"},
        {"indicator_id": "late", "target_type": "national"},
        synthetic={("early", "0000", "T", 2016), ("late", "0000", "T", 2018)},
    )
    r = steps.rows()
    flags = synthetic_inputs(
        r, steps.cube, steps.assessed, steps.base, steps.related, steps.targets
    )
    # Riket's synthetic 2016 value is before the baseline 2017: blanked from the window.
    assert not flags[steps.row(r, "early", "0018", 2020)]
    assert flags[steps.row(r, "late", "0018", 2020)]
    assert not flags[steps.row(r, "late", "0018", 2017)]  # 2018 is after that row's year
