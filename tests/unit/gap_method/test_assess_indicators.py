"""Hand-computed cases for ``assess_indicators``: every target type, every long-term status,
the first year, few values, a missing year, a decrease desired, zero and negative values,
benchmarks, ranks, spread, women/men and the level score."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orchestration.gap_method import (
    METHOD_VERSION,
    OUTPUT_COLUMNS,
    STATUS_LABELS,
    GapMethodConfig,
    assess_indicators,
)
from orchestration.gap_method.cube import infer_geographies
from tests.unit.gap_method.builders import catalogue, series_from, values_frame

NAN = float("nan")
LINEAR = {"on": 1.0, "nearly": 0.5, "slow": 0.4, "still": 0.1, "wrong": -1.0}


def row(gaps: pd.DataFrame, geography: str, year: int, indicator=None, sex="T") -> pd.Series:
    match = (gaps["geography_code"] == geography) & (gaps["assessment_year"] == year)
    match &= gaps["sex"] == sex
    if indicator is not None:
        match &= gaps["indicator_id"] == indicator
    (index,) = np.nonzero(match.to_numpy())
    return gaps.iloc[int(index[0])]


@pytest.fixture(scope="module")
def absolute_gaps() -> pd.DataFrame:
    """Län 0018, 2017–2023, starting at 70 and moving by a constant amount a year; target 80 by
    2030 (higher is better)."""
    series = {
        (name, "0018", "T"): series_from(2017, [70 + step * k for k in range(7)])
        for name, step in LINEAR.items()
    }
    series[("met", "0018", "T")] = series_from(2017, [81.0] * 7)
    series[("met_falling", "0018", "T")] = series_from(2017, [88.0 - k for k in range(7)])
    names = [*LINEAR, "met", "met_falling"]
    indicators = catalogue(
        *({"indicator_id": n, "target_type": "absolute", "target_value": 80.0} for n in names)
    )
    return assess_indicators(values_frame(series), indicators)


@pytest.mark.parametrize(
    ("indicator", "status", "ratio", "score", "q"),
    [
        # Baseline 70 in 2017, target 80 in 2030: required pace r = (80/70)^(1/13) − 1 = 0.0103246.
        # 76 in 2023: a = (76/70)^(1/6) − 1 = 0.0138007; R = a/r = 1.336685 ≥ 0.95 → i fas, +5.
        # (Q, the forward ratio at the recent pace, = 1/((80 − 76)/7) = 1.75.)
        ("on", "on_track", 1.336685, 5.0, 1.75),
        # 73: a = 0.0070185; R = 0.67979 ∈ [0.6, 0.95) → nearly; score 2.5·(0.67979 − 0.6)/0.35
        ("nearly", "nearly_on_track", 0.67979, 0.569929, 0.5),
        # 72.4: a = 0.0056343; R = 0.545719 ∈ [0, 0.6) → too slow; score −2.5 + 2.5·R/0.6; the
        # closing 0.4 a year is above τ = 0.005·mean(70.4 … 72.4) = 0.357
        ("slow", "too_slow", 0.545719, -0.226171, 0.368421),
        # 70.6: R = 0.137874, but the closing 0.1 a year is within τ = 0.3515 → står still; the
        # score −2.5 + 2.5·R/0.6 = −1.925526 lies in står still's band [−2.5, 0]
        ("still", "stagnating", 0.137874, -1.925526, 0.074468),
        # 64: a = (64/70)^(1/6) − 1 = −0.0148244; R = −1.435834 < 0 → går åt fel håll, −5
        ("wrong", "wrong_direction", -1.435834, -5.0, -0.4375),
        # 81 ≥ 80 every year (R = 0: no movement, none needed; a met target scores +5)
        ("met", "target_met", 0.0, 5.0, NAN),
        # 82 ≥ 80 in 2023, but falling by 1 a year (more than τ = 0.005·84.5 = 0.4225); R < 0
        # measures the fall since 2017, the met target still scores +5
        ("met_falling", "target_met_worsening", -1.601782, 5.0, NAN),
    ],
    ids=[*LINEAR, "met", "met-falling"],
)
def test_each_status_with_an_absolute_target(absolute_gaps, indicator, status, ratio, score, q):
    """The status is Open SDG's ratio R through its thresholds (with the noise band for står
    still), and the score is R's score: one verdict."""
    r = row(absolute_gaps, "0018", 2023, indicator)
    assert r["status"] == status
    assert r["status_label"] == STATUS_LABELS[status]
    assert r["score"] == pytest.approx(score, abs=1e-5)
    for column, expected in (("backward_ratio", ratio), ("forward_ratio", q)):
        if np.isnan(expected):
            assert np.isnan(r[column])
        else:
            assert r[column] == pytest.approx(expected, abs=1e-5)
    assert r["slope_method"] == "theil_sen" and not r["low_confidence"]


def test_the_backward_ratio_of_an_absolute_target(absolute_gaps):
    r = row(absolute_gaps, "0018", 2020, "on")
    # a = (73/70)^(1/3) − 1 = 0.0140863; r = (80/70)^(1/13) − 1 = 0.0103245; R = 1.364352
    assert r["actual_pace"] == pytest.approx(0.0140863, abs=1e-6)
    assert r["required_pace"] == pytest.approx(0.0103245, abs=1e-6)
    assert r["backward_ratio"] == pytest.approx(1.364352, abs=1e-5)
    assert r["progress_status"] == "substantial_progress"
    assert r["progress_label"] == "betydande framsteg"
    assert r["score"] == 5.0  # R ≥ 1.3
    # Level score: the only län is the floor (70); the target 80 the ceiling: 100·(73 − 70)/10
    assert r["level_score"] == pytest.approx(30.0)


def test_the_first_year_and_too_few_values(absolute_gaps):
    first = row(absolute_gaps, "0018", 2017, "on")
    # One value since the baseline: no slope, no pace, never a guessed status.
    assert first["status"] == "insufficient_data"
    assert first["progress_status"] == "not_available"
    # 2019: three values 70, 71, 72 → end-point slope (72 − 70)/2 = 1, low confidence
    third = row(absolute_gaps, "0018", 2019, "on")
    assert third["slope_method"] == "end_point" and third["low_confidence"]
    assert third["window_points"] == 3
    # Q = 1/((80 − 72)/11) = 1.375 → i fas, flagged low-confidence
    assert third["forward_ratio"] == pytest.approx(1.375)
    assert third["status"] == "on_track"


def test_two_values_far_apart_give_an_end_point_slope():
    gaps = assess_indicators(
        values_frame({("i", "0018", "T"): {2017: 70.0, 2020: 73.0}}),
        catalogue({"indicator_id": "i", "target_type": "absolute", "target_value": 80.0}),
    )
    r = row(gaps, "0018", 2020)
    # (73 − 70)/3 = 1 a year from two values; Q = 1/((80 − 73)/10) = 1.428571
    assert r["slope"] == pytest.approx(1.0)
    assert r["low_confidence"] and r["window_points"] == 2
    assert r["forward_ratio"] == pytest.approx(1.428571, abs=1e-6)
    assert row(gaps, "0018", 2017)["status"] == "insufficient_data"


def test_a_missing_year_inside_the_window_uses_real_year_distances():
    gaps = assess_indicators(
        values_frame({("i", "0018", "T"): {2017: 70.0, 2018: 71.0, 2020: 74.0, 2021: 75.0}}),
        catalogue({"indicator_id": "i", "target_type": "absolute", "target_value": 80.0}),
    )
    r = row(gaps, "0018", 2021)
    # pairs: (17,18) 1, (17,20) 4/3, (17,21) 5/4, (18,20) 3/2, (18,21) 4/3, (20,21) 1
    # sorted 1, 1, 1.25, 1.3333, 1.3333, 1.5 → median (1.25 + 1.3333)/2 = 1.291667
    # (treating the four values as consecutive years would give 1.8333)
    assert r["slope"] == pytest.approx(1.291667, abs=1e-6)
    assert r["window_points"] == 4 and r["slope_method"] == "theil_sen"
    assert 2019 not in set(gaps["assessment_year"])


def test_a_decrease_desired_without_a_target_uses_the_direction_adjusted_cagr():
    gaps = assess_indicators(
        values_frame({("unemployment", "0018", "T"): series_from(2017, [8.0, 7.8, 7.5, 7.2, 7.0])}),
        catalogue(
            {
                "indicator_id": "unemployment",
                "direction_sign": -1,
                "natural_min": 0.0,
                "natural_max": 100.0,
            }
        ),
    )
    r = row(gaps, "0018", 2021)
    # CAGR (7/8)^(1/4) − 1 = e^(ln 0.875/4) − 1 = −0.0328318; d = −1 → progress +0.0328318
    assert r["progress_value"] == pytest.approx(0.0328318, abs=1e-6)
    # Falling towards 0 %: u = (100 − 8)/100 = 0.92, C = 1 − 0.92^4.44 = 1 − 0.690586 = 0.309414
    assert r["limit_coefficient"] == pytest.approx(0.309414, abs=1e-5)
    # 3.28 % ≥ 1.5 %·C = 0.464 % → i fas; mean change (7 − 8)/4 = −0.25 a year, far outside
    # τ = 0.005·mean(8, 7.8, 7.5, 7.2, 7) = 0.0375
    assert r["status"] == "on_track"
    assert r["progress_status"] == "substantial_progress"
    # Short term: 5-year mean change −0.25 and last change −0.2, both better than −τ
    assert r["mean_change_5y"] == pytest.approx(-0.25)
    assert r["short_term_status"] == "improving"
    assert r["short_term_label"] == "förbättras"


def test_zero_and_negative_values():
    gaps = assess_indicators(
        values_frame(
            {
                ("dwellings", "0018", "T"): series_from(2017, [0.0, 1.0, 2.0, 3.0]),
                ("net", "0018", "T"): series_from(2017, [-10.0, -8.0, -6.0, -5.0]),
            }
        ),
        catalogue(
            {"indicator_id": "dwellings", "scale": "count"},
            {"indicator_id": "net", "scale": "count"},
        ),
    )
    zero = row(gaps, "0018", 2020, "dwellings")
    # from 0: no CAGR; linear (3 − 0)/3 = 1 a year (scale 1 at x_b = 0), flagged
    assert zero["pace_method"] == "linear"
    assert zero["progress_value"] == pytest.approx(1.0)
    assert zero["status"] == "on_track"
    negative = row(gaps, "0018", 2020, "net")
    # (−5/−10)^(1/3) − 1 = −0.2062995, times sign(x_b) = −1 → +0.2062995 (as sdg-build)
    assert negative["pace_method"] == "cagr"
    assert negative["progress_value"] == pytest.approx(0.2062995, abs=1e-6)
    assert negative["status"] == "on_track"
    # Totals get no level score.
    assert np.isnan(negative["level_score"])


def test_a_relative_target_is_a_change_from_the_base_year():
    # Emissions −60 % from 2005 by 2030: x_b = 100 → T = 100·(1 − 0.6) = 40.
    gaps = assess_indicators(
        values_frame(
            {
                ("e", "0018", "T"): {2005: 100.0, **series_from(2016, [80, 78, 76, 74, 72])},
                ("sparse", "0018", "T"): {2005: 100.0, 2020: 70.0},
            }
        ),
        catalogue(
            *(
                {
                    "indicator_id": i,
                    "direction_sign": -1,
                    "target_type": "relative",
                    "target_value": -60.0,
                    "baseline_year": 2005,
                    "scale": "count",
                }
                for i in ("e", "sparse")
            )
        ),
    )
    r = row(gaps, "0018", 2020, "e")
    assert r["target_level"] == pytest.approx(40.0)
    assert r["baseline_year_used"] == 2005
    # a = 0.72^(1/15) − 1 = −0.0216622; r = 0.4^(1/25) − 1 = −0.0359881;
    # R = (−1)(−0.0216622)/0.0359881 = 0.601927 ≥ 0.6 → moderate progress
    assert r["backward_ratio"] == pytest.approx(0.601927, abs=1e-5)
    assert r["progress_status"] == "moderate_progress"
    # R ≥ 0.6 → nästan i fas, the status of the same ratio (score 2.5·(R − 0.6)/0.35 = 0.013764)
    assert r["status"] == "nearly_on_track"
    assert r["score"] == pytest.approx(0.013764, abs=1e-5)
    # Forward, another question: distance −(72 − 40) = −32 closes by 2 a year, 32/10 = 3.2
    # needed → Q = 0.625 at the recent pace
    assert r["forward_ratio"] == pytest.approx(0.625)
    sparse = row(gaps, "0018", 2020, "sparse")
    # a = 0.7^(1/15) − 1 = −0.0234979; R = 0.0234979/0.0359881 = 0.65293 → nästan i fas, as
    # Open SDG judges two values; 2020 is the only value in the 2015–2020 window: low confidence
    assert sparse["backward_ratio"] == pytest.approx(0.65293, abs=1e-4)
    assert sparse["status"] == "nearly_on_track"
    assert sparse["low_confidence"]


@pytest.fixture(scope="module")
def national_gaps() -> pd.DataFrame:
    riket = series_from(2017, [60.0, 61.0, 62.0, 63.0])
    values = values_frame(
        {
            ("ahead", "0000", "T"): riket,
            ("ahead", "0018", "T"): series_from(2017, [66.0, 66.5, 67.0, 67.5]),
            ("behind", "0000", "T"): riket,
            ("behind", "0018", "T"): series_from(2017, [56.0, 57.5, 59.0, 60.5]),
        },
        synthetic={("behind", "0000", "T", 2017)},
    )
    indicators = catalogue(
        {"indicator_id": "ahead", "target_type": "national"},
        {"indicator_id": "behind", "target_type": "national"},
    )
    return assess_indicators(values, indicators)


def test_a_national_target_ahead_but_losing_ground(national_gaps):
    r = row(national_gaps, "0018", 2020, "ahead")
    # Riket 63 is the target that year; 67.5 ≥ 63 → met
    assert r["target_level"] == 63.0 and r["target_met"]
    assert r["gap_to_national"] == pytest.approx(4.5)
    # gap 6, 5.5, 5, 4.5 → shrinks 0.5 a year > τ = 0.005·mean(66…67.5) = 0.33375
    assert r["benchmark_gap_slope"] == pytest.approx(-0.5)
    assert r["benchmark_status"] == "ahead_losing"
    assert r["benchmark_label"] == "före, försprånget krymper"
    assert r["status"] == "target_met_worsening"


def test_a_national_target_behind_and_closing(national_gaps):
    r = row(national_gaps, "0018", 2020, "behind")
    # gap −4, −3.5, −3, −2.5 closes 0.5 a year; 2.5/10 = 0.25 needed → Q = 2 → i fas
    assert r["forward_ratio"] == pytest.approx(2.0)
    assert r["status"] == "on_track"
    assert r["benchmark_status"] == "behind_closing"
    # Riket's 2017 value is synthetic and inside the window: the row says so.
    assert bool(r["is_synthetic"]) is True
    assert bool(row(national_gaps, "0018", 2020, "ahead")["is_synthetic"]) is False


@pytest.fixture(scope="module")
def national_rules() -> pd.DataFrame:
    """NATIONAL targets: is the distance to Riket closing in time for Riket's level by 2030?"""
    values = values_frame(
        {
            # The county rises 0.1 a year, Riket 0.6: the county improves, the gap widens.
            ("rising_slower", "0000", "T"): series_from(2017, [71.0 + 0.6 * k for k in range(6)]),
            ("rising_slower", "0018", "T"): series_from(2017, [70.0 + 0.1 * k for k in range(6)]),
            # Ahead of Riket in 2017 (72 vs 71), behind in 2020 (72.5 vs 73.5).
            ("fell_behind", "0000", "T"): series_from(2017, [71.0, 71.8, 72.6, 73.5]),
            ("fell_behind", "0018", "T"): series_from(2017, [72.0, 72.2, 72.3, 72.5]),
            # 13 behind in 2017, 11.5 behind in 2020: closing 0.5 a year where 1 is needed.
            ("closing_slowly", "0000", "T"): series_from(2017, [60.0, 61.0, 62.0, 63.0]),
            ("closing_slowly", "0018", "T"): series_from(2017, [47.0, 48.5, 50.0, 51.5]),
        }
    )
    ids = ("rising_slower", "fell_behind", "closing_slowly")
    return assess_indicators(
        values, catalogue(*({"indicator_id": i, "target_type": "national"} for i in ids))
    )


def test_a_national_target_whose_gap_widens_goes_the_wrong_way_although_the_value_rises(
    national_rules,
):
    r = row(national_rules, "0018", 2022, "rising_slower")
    # D = 70.5 − 74 = −3.5 in 2022, −1 in 2017: a = (−3.5 + 1)/5 = −0.5 a year; needed
    # r = 1/13 = 0.076923 → R = −6.5 < 0, and |a| > τ = 0.005·mean(70 … 70.5) = 0.35125
    assert r["actual_pace"] == pytest.approx(-0.5)
    assert r["required_pace"] == pytest.approx(1 / 13)
    assert r["backward_ratio"] == pytest.approx(-6.5)
    assert r["pace_method"] == "linear"
    assert r["status"] == "wrong_direction" and r["score"] == -5.0
    assert r["progress_status"] == "deterioration"
    # Everything beside it reads the same distance: the benchmark wording and the short term.
    assert r["benchmark_status"] == "behind_widening"
    assert r["benchmark_gap_change"] == pytest.approx(-0.5)
    assert r["short_term_status"] == "worsening"
    assert r["slope"] > 0  # the value itself rises: the statement says so in words


def test_a_county_that_fell_behind_riket_goes_the_wrong_way(national_rules):
    r = row(national_rules, "0018", 2020, "fell_behind")
    # D_b = +1 (ahead): nothing was needed (r = −1/13 ≤ 0), and the distance fell by
    # (−1 − 1)/3 = −0.667 a year → R = −∞ (Open SDG's rule for a required pace ≤ 0): −5
    assert r["actual_pace"] == pytest.approx(-2 / 3)
    assert np.isnan(r["backward_ratio"])  # not finite: not stored
    assert r["status"] == "wrong_direction" and r["score"] == -5.0
    assert r["benchmark_status"] == "behind_widening"


def test_a_national_target_closing_too_slowly(national_rules):
    r = row(national_rules, "0018", 2020, "closing_slowly")
    # D −13 → −11.5: a = 0.5 a year, r = 13/13 = 1 → R = 0.5 → förbättras för långsamt;
    # score −2.5 + 2.5·0.5/0.6 = −0.416667, inside its band [−2.5, 0]
    assert r["backward_ratio"] == pytest.approx(0.5)
    assert r["status"] == "too_slow"
    assert r["score"] == pytest.approx(-0.416667, abs=1e-6)
    assert r["progress_status"] == "limited_progress"
    assert r["benchmark_status"] == "behind_closing"
    # The short term reads the distance too: it closes by 0.5 a year over four values.
    assert r["short_term_status"] == "improving"


def test_riket_itself_has_no_national_target_and_is_judged_on_direction(national_gaps):
    r = row(national_gaps, "0000", 2020, "ahead")
    # CAGR (63/60)^(1/3) − 1 = 0.016396 ≥ 1.5 % → i fas; no benchmark for Riket itself
    assert r["progress_value"] == pytest.approx(0.016396, abs=1e-6)
    assert r["status"] == "on_track"
    assert r["benchmark_status"] == "insufficient_data"
    assert np.isnan(r["target_level"])


def test_a_maintain_target_on_the_latest_value_then_the_five_year_change():
    gaps = assess_indicators(
        values_frame(
            {
                ("held", "0018", "T"): series_from(2017, [92.0, 91.5, 91.0, 90.5]),
                ("below", "0018", "T"): series_from(2017, [88.0, 88.2, 88.4, 88.6]),
            }
        ),
        catalogue(
            {"indicator_id": "held", "target_type": "maintain", "target_value": 90.0},
            {"indicator_id": "below", "target_type": "maintain", "target_value": 90.0},
        ),
    )
    held = row(gaps, "0018", 2020, "held")
    # 90.5 ≥ 90 held; mean change (90.5 − 92)/3 = −0.5 < −τ = −0.005·91.25 = −0.45625
    assert held["mean_change_5y"] == pytest.approx(-0.5)
    assert held["status"] == "target_met_worsening"
    below = row(gaps, "0018", 2020, "below")
    # 88.6 < 90; mean change (88.6 − 88)/3 = 0.2 within τ = 0.005·88.3 = 0.4415 → står still
    assert below["status"] == "stagnating"


def test_a_gap_target_is_judged_on_the_women_men_difference():
    values = values_frame(
        {
            ("g", "0018", "K"): series_from(2017, [50.0, 51.0, 52.0, 53.0]),
            ("g", "0018", "M"): series_from(2017, [60.0, 60.5, 61.0, 61.5]),
            ("g", "0018", "T"): series_from(2017, [55.0, 55.75, 56.5, 57.25]),
        }
    )
    gaps = assess_indicators(values, catalogue({"indicator_id": "g", "target_type": "gap"}))
    r = row(gaps, "0018", 2020)
    # |K − M| = 10, 9.5, 9, 8.5: lower is better;
    # (8.5/10)^(1/3) − 1 = e^(ln 0.85/3) − 1 = −0.0527318 → progress +5.27 %
    assert r["assessed_series"] == "gap_women_men"
    assert r["assessed_value"] == pytest.approx(8.5)
    assert r["progress_value"] == pytest.approx(0.0527318, abs=1e-6)
    assert r["status"] == "on_track"
    # The same status on the women's and men's rows of that geography and year.
    assert row(gaps, "0018", 2020, sex="K")["status"] == "on_track"
    # K − M = −8.5; r = 53/61.5 = 0.861789; parity 1/r = 1.160377; not equal
    assert r["sex_difference"] == pytest.approx(-8.5)
    assert r["sex_ratio"] == pytest.approx(0.861789, abs=1e-6)
    assert r["sex_parity"] == pytest.approx(1.160377, abs=1e-6)
    assert bool(r["sex_parity_equal"]) is False
    # |K − M| falls 0.5 a year; τ = 0.005·mean((K + M)/2) = 0.005·56.125 = 0.280625 → minskar
    assert r["sex_gap_slope"] == pytest.approx(-0.5)
    assert r["sex_gap_trend"] == "narrowing" and r["sex_gap_trend_label"] == "minskar"


def test_women_and_men_within_the_parity_band_are_equal():
    gaps = assess_indicators(
        values_frame(
            {("i", "0018", "K"): {2017: 50.5}, ("i", "0018", "M"): {2017: 50.0}},
        ),
        catalogue({"indicator_id": "i"}),
    )
    # r = 50.5/50 = 1.01 ∈ [0.97, 1.03]
    assert bool(row(gaps, "0018", 2017, sex="K")["sex_parity_equal"]) is True


@pytest.fixture(scope="module")
def regional_gaps() -> pd.DataFrame:
    """Three län and three kommuner of 0018, 2017–2018, lower is better."""
    series = {
        ("d", "0018", "T"): {2017: 5.5, 2018: 5.0},
        ("d", "0019", "T"): {2017: 4.5, 2018: 4.0},
        ("d", "0003", "T"): {2017: 6.5, 2018: 6.0},
        ("d", "1880", "T"): {2017: 12.0, 2018: 10.0},
        ("d", "1881", "T"): {2017: 20.0, 2018: 20.0},
        ("d", "1814", "T"): {2017: 28.0, 2018: 30.0},
        ("a", "0018", "T"): {2017: 20.0, 2018: 20.0},
        ("a", "1880", "T"): {2017: 12.0, 2018: 10.0},
        ("a", "1881", "T"): {2017: 20.0, 2018: 20.0},
        ("a", "1814", "T"): {2017: 28.0, 2018: 30.0},
    }
    indicators = catalogue(
        {"indicator_id": "d", "direction_sign": -1, "scale": "rate"},
        {"indicator_id": "a", "target_type": "absolute", "target_value": 25.0},
    )
    return assess_indicators(values_frame(series), indicators)


def test_rank_among_lan_is_one_for_the_best_in_the_desired_direction(regional_gaps):
    # lower is better: 0019 (4.0) 1st, 0018 (5.0) 2nd, 0003 (6.0) 3rd
    assert row(regional_gaps, "0019", 2018, "d")["rank_among_lan"] == 1
    assert row(regional_gaps, "0018", 2018, "d")["rank_among_lan"] == 2
    assert row(regional_gaps, "0018", 2018, "d")["lan_ranked"] == 3
    assert row(regional_gaps, "1814", 2018, "d")["rank_in_lan"] == 3
    assert pd.isna(row(regional_gaps, "1814", 2018, "d")["rank_among_lan"])


def test_kommuner_rank_within_their_own_lan_also_for_a_series_no_lan_publishes():
    # Kommun values only (like Kolada's kommun KPIs): Örebro län's two and Dalarna's three
    # kommuner are ranked apart, each among its own län's kommuner; other indicators in the
    # cube (more series before this one) do not mix in.
    series = {
        ("a", code, "T"): {2017: 1.0 + i, 2018: 2.0 + i}
        for i, code in enumerate(["0018", "0020", "1880", "1881", "2080", "2081", "2082"])
    } | {
        ("k", "1880", "T"): {2017: 5.0, 2018: 6.0},
        ("k", "1881", "T"): {2017: 7.0, 2018: 8.0},
        ("k", "2080", "T"): {2017: 1.0, 2018: 2.0},
        ("k", "2081", "T"): {2017: 9.0, 2018: 9.5},
        ("k", "2082", "T"): {2017: 3.0, 2018: 4.0},
    }
    gaps = assess_indicators(
        values_frame(series), catalogue({"indicator_id": "a"}, {"indicator_id": "k"})
    )
    assert row(gaps, "1881", 2018, "k")["rank_in_lan"] == 1
    assert row(gaps, "1880", 2018, "k")["kommuner_ranked"] == 2
    assert row(gaps, "2081", 2018, "k")["rank_in_lan"] == 1
    assert row(gaps, "2080", 2018, "k")["rank_in_lan"] == 3
    assert row(gaps, "2082", 2018, "k")["kommuner_ranked"] == 3


def test_the_spread_between_the_lans_kommuner_and_its_trend(regional_gaps):
    r = row(regional_gaps, "0018", 2018, "d")
    # kommuner 10, 20, 30: range 20, highest/lowest 3,
    # CV = sqrt(((10 − 20)² + 0 + (30 − 20)²)/3)/20 = sqrt(200/3)/20 = 0.408248
    assert r["kommun_count"] == 3
    assert (r["kommun_min"], r["kommun_max"], r["kommun_range"]) == (10.0, 30.0, 20.0)
    assert r["kommun_best_worst_ratio"] == pytest.approx(3.0)
    assert r["kommun_cv"] == pytest.approx(0.408248, abs=1e-6)
    # 2017: 12, 20, 28 → CV = sqrt(128/3)/20 = 0.326599; +0.081650 a year (end-point) beyond
    # τ = 0.005·mean(0.326599, 0.408248) = 0.001837 → the spread widens
    assert r["kommun_cv_slope"] == pytest.approx(0.081650, abs=1e-6)
    assert r["kommun_spread_trend"] == "widening"
    assert r["kommun_spread_trend_label"] == "ökar"
    # Only kommun 1814 (30 ≥ 25) meets the absolute target in 2018
    a = row(regional_gaps, "0018", 2018, "a")
    assert a["kommun_share_meeting_target"] == pytest.approx(1 / 3)


def test_the_level_score_between_the_kommun_floor_and_the_top_decile(regional_gaps):
    # Baseline 2017 kommuner 12, 20, 28, lower is better: d·x = −28, −20, −12.
    # floor: 2.5th percentile −28 + 0.05·8 = −27.6 → x_low = 27.6;
    # top decile: 90th percentile −20 + 0.8·8 = −13.6 → T* = 13.6
    r = row(regional_gaps, "1881", 2018, "d")
    assert r["level_floor"] == pytest.approx(27.6)
    assert r["level_ceiling"] == pytest.approx(13.6)
    # 1881 at 20: 100·(−20 + 27.6)/(−13.6 + 27.6) = 100·7.6/14 = 54.2857
    assert r["level_score"] == pytest.approx(54.285714, abs=1e-5)
    # past the ceiling → 100, past the floor → 0
    assert row(regional_gaps, "1880", 2018, "d")["level_score"] == 100.0
    assert row(regional_gaps, "1814", 2018, "d")["level_score"] == 0.0


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


def test_a_past_year_is_recomputed_from_the_values_up_to_that_year_only(absolute_gaps):
    series = {("on", "0018", "T"): series_from(2017, [70 + k for k in range(7)])}
    indicators = catalogue({"indicator_id": "on", "target_type": "absolute", "target_value": 80})
    full = assess_indicators(values_frame(series), indicators)
    until_2020 = values_frame(series).query("year <= 2020")
    truncated = assess_indicators(until_2020, indicators)
    pd.testing.assert_series_equal(
        row(full, "0018", 2020), row(truncated, "0018", 2020), check_names=False
    )


def test_the_output_schema_and_codes(absolute_gaps, national_gaps):
    for gaps in (absolute_gaps, national_gaps):
        assert list(gaps.columns) == OUTPUT_COLUMNS
        assert set(gaps["status"]) <= set(STATUS_LABELS)
        assert gaps["status_label"].notna().all()
        assert set(gaps["method_version"]) == {METHOD_VERSION}
        assert not gaps.duplicated(
            ["indicator_id", "geography_code", "sex", "assessment_year"]
        ).any()


def test_geographies_given_or_inferred_from_the_codes_agree(regional_gaps):
    values = values_frame(
        {("d", code, "T"): {2017: 1.0, 2018: 2.0} for code in ("0000", "0018", "1880")}
    )
    indicators = catalogue({"indicator_id": "d"})
    geographies = infer_geographies(pd.Index(["0000", "0018", "1880"]), GapMethodConfig())
    assert geographies["level"].tolist() == ["riket", "lan", "kommun"]
    assert geographies["lan_code"].tolist()[1:] == ["0018", "0018"]
    pd.testing.assert_frame_equal(
        assess_indicators(values, indicators),
        assess_indicators(values, indicators, geographies=geographies),
    )


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


def test_a_total_is_judged_on_its_own_change_and_never_compared_with_another_geography():
    """Tonnes, hectares, inhabitants: a county's total against Riket's or another län's
    measures the county's size, not its development."""
    lan = {f"00{n:02d}": 1000.0 * n for n in range(1, 13)}
    series = {
        ("t", code, "T"): series_from(2017, [v, v * 0.98, v * 0.96]) for code, v in lan.items()
    }
    series[("t", "0000", "T")] = series_from(2017, [45000.0, 44000.0, 43000.0])
    series.update({("t", k, "T"): series_from(2017, [10.0, 9.0, 8.0]) for k in ("1280", "1214")})
    gaps = assess_indicators(
        values_frame(series),
        catalogue(
            {"indicator_id": "t", "direction_sign": -1, "measure": "total", "scale": "count"}
        ),
    )
    r = row(gaps, "0012", 2019)
    # Its own change: (0.96)^(1/2) − 1 = −2.02 % a year, lower is better → i fas
    assert r["status"] == "on_track" and r["score"] > 2.5
    assert r["national_value"] == 43000.0  # Riket's own figure is still there to read
    for column in ("gap_to_national", "benchmark_gap", "rank_among_lan", "lan_ranked"):
        assert pd.isna(r[column]), column
    assert r["benchmark_status"] == "not_comparable"
    assert np.isnan(r["level_score"])
    assert pd.isna(r["kommun_cv"]) and pd.isna(r["kommun_best_worst_ratio"])  # no spread
    kommun = row(gaps, "1280", 2019)
    assert pd.isna(kommun["rank_in_lan"]) and pd.isna(kommun["kommuner_ranked"])


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
