"""Hand-worked cases for the targets beside a level's own (docs/method.md §3, §6.3): a target that
the women/men gap shall decrease is a second verdict read from the gap's trend, and a RELATIVE
target ("−50 % against 2005") has no baseline without a value in its own base year."""

from __future__ import annotations

import pandas as pd
import pytest

from orchestration.gap_method import assess_indicators
from orchestration.gap_method.reasons import insufficient_reason
from tests.unit.gap_method.builders import catalogue, series_from, values_frame
from tests.unit.gap_method.cases import row

# Self-rated health as the region's target has it: the level shall rise (direction) and the
# difference between women and men shall decrease (sex_gap_target).
HEALTH = {"indicator_id": "h", "target_type": "direction", "sex_gap_target": "decrease"}


def _health(women: list[float], men: list[float], target: dict = HEALTH) -> pd.DataFrame:
    total = [(k + m) / 2 for k, m in zip(women, men, strict=True)]
    values = values_frame(
        {
            ("h", "0020", "K"): series_from(2017, women),
            ("h", "0020", "M"): series_from(2017, men),
            ("h", "0020", "T"): series_from(2017, total),
        }
    )
    return assess_indicators(values, catalogue(target))


def _level_columns_unchanged(women: list[float], men: list[float], gaps: pd.DataFrame) -> None:
    """The gap target adds its verdict and changes nothing else of the rows."""
    without = _health(women, men, {**HEALTH, "sex_gap_target": None})
    extra = ["sex_gap_target_status", "sex_gap_target_status_label"]
    pd.testing.assert_frame_equal(gaps.drop(columns=extra), without.drop(columns=extra))


def test_a_narrowing_gap_meets_the_gap_target_beside_the_levels_own_status():
    women, men = [60.0, 61.0, 62.0, 63.0, 64.0], [70.0, 70.5, 71.0, 71.5, 72.0]
    gaps = _health(women, men)
    r = row(gaps, "0020", 2021)
    # |K − M| = 10, 9.5, 9, 8.5, 8: slope −0.5 a year; τ = 0.005·mean((K + M)/2) =
    # 0.005·66.5 = 0.3325, so −0.5 < −τ → narrowing: as the target says.
    assert r["sex_gap_slope"] == pytest.approx(-0.5)
    assert r["sex_gap_target_status"] == "narrowing"
    assert r["sex_gap_target_status_label"] == "minskar, som målet säger"
    # The level keeps its own verdict (direction rule on T), whatever the gap does …
    _level_columns_unchanged(women, men, gaps)
    # … and the gap verdict is the same on the women's and men's rows.
    assert row(gaps, "0020", 2021, sex="K")["sex_gap_target_status"] == "narrowing"


def test_a_widening_gap_goes_against_the_gap_target_while_the_level_rises():
    women, men = [60.0, 60.2, 60.4, 60.6, 60.8], [70.0, 71.0, 72.0, 73.0, 74.0]
    gaps = _health(women, men)
    r = row(gaps, "0020", 2021)
    # |K − M| = 10, 10.8, 11.6, 12.4, 13.2: slope +0.8 > τ = 0.005·66.25 = 0.33125
    assert r["sex_gap_slope"] == pytest.approx(0.8)
    assert r["sex_gap_target_status"] == "widening"
    assert r["sex_gap_target_status_label"] == "ökar – målet är att den ska minska"
    # T = 65 → 67.4 rises: the level's verdict is good while the gap verdict is not.
    assert r["status"] in ("on_track", "nearly_on_track")
    _level_columns_unchanged(women, men, gaps)


def test_a_gap_within_the_noise_band_is_not_narrowing():
    gaps = _health([60.0, 60.3, 60.6, 60.9, 61.2], [70.0, 70.1, 70.2, 70.3, 70.4])
    r = row(gaps, "0020", 2021)
    # |K − M| = 10, 9.8, 9.6, 9.4, 9.2: slope −0.2, inside τ = 0.005·65.35 = 0.32675
    assert r["sex_gap_slope"] == pytest.approx(-0.2)
    assert r["sex_gap_target_status"] == "not_narrowing"
    assert r["sex_gap_target_status_label"] == "oförändrad – målet är att den ska minska"


def test_without_women_and_men_the_gap_target_has_insufficient_data():
    values = values_frame({("h", "0020", "T"): series_from(2017, [65.0, 66.0, 67.0, 68.0])})
    r = row(assess_indicators(values, catalogue(HEALTH)), "0020", 2020)
    assert r["sex_gap_target_status"] == "insufficient_data"


def test_an_indicator_without_a_gap_target_has_no_gap_verdict():
    values = values_frame(
        {
            ("i", "0020", "K"): series_from(2017, [60.0, 61.0, 62.0]),
            ("i", "0020", "M"): series_from(2017, [70.0, 70.0, 70.0]),
        }
    )
    r = row(assess_indicators(values, catalogue({"indicator_id": "i"})), "0020", 2019, sex="K")
    assert r["sex_gap_trend"] == "narrowing"
    assert pd.isna(r["sex_gap_target_status"]) and pd.isna(r["sex_gap_target_status_label"])


RELATIVE = {
    "indicator_id": "energy",
    "direction_sign": -1,
    "target_type": "relative",
    "target_value": -50.0,
    "baseline_year": 2005,
}


def test_a_relative_target_without_its_base_years_value_has_no_baseline():
    # Energy per BRP from 2009 only: a −50 % target against 2005 cannot be judged from 2009.
    values = values_frame({("energy", "0020", "T"): series_from(2009, [100.0, 95.0, 90.0, 85.0])})
    gaps = assess_indicators(values, catalogue(RELATIVE))
    r = row(gaps, "0020", 2012)
    assert r["status"] == "insufficient_data"
    assert pd.isna(r["baseline_year_used"])
    reason = insufficient_reason(r.to_dict(), [2009, 2010, 2011, 2012], baseline_year=2005)
    assert reason == "värden bara för 2009–2012 (målet räknas från basåret 2005, som saknar värde)"


def test_a_relative_target_with_its_base_years_value_is_measured_from_it():
    values = values_frame(
        {("energy", "0020", "T"): {2005: 100.0, 2009: 90.0, 2010: 85.0, 2011: 80.0}}
    )
    r = row(assess_indicators(values, catalogue(RELATIVE)), "0020", 2011)
    # T = 100·(1 − 0.5) = 50; b = 2005
    assert int(r["baseline_year_used"]) == 2005
    assert r["target_level"] == pytest.approx(50.0)
