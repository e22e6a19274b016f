"""Hand-computed roll-ups per RUS area: counts per status, coverage, mean score, the two worst
indicators and the change since the previous assessment year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orchestration.gap_method import ROLLUP_COLUMNS, roll_up, roll_up_links

NAN = float("nan")


@pytest.fixture
def gaps() -> pd.DataFrame:
    rows = [
        # indicator, geography, level, year, status, score
        ("i1", "0018", "lan", 2020, "on_track", 3.0),
        ("i2", "0018", "lan", 2020, "wrong_direction", -4.0),
        ("i3", "0018", "lan", 2020, "insufficient_data", NAN),
        ("i4", "0018", "lan", 2020, "target_met", 5.0),
        ("i1", "0018", "lan", 2021, "on_track", 3.5),
        ("i2", "0018", "lan", 2021, "too_slow", -1.0),
        ("i3", "0018", "lan", 2021, "stagnating", -2.0),
        ("i4", "0018", "lan", 2021, "target_met", 5.0),
        ("i1", "1880", "kommun", 2021, "nearly_on_track", 1.0),
    ]
    columns = ["indicator_id", "geography_code", "geography_level", "assessment_year"]
    frame = pd.DataFrame(rows, columns=[*columns, "status", "score"])
    return frame.assign(sex="T", is_synthetic=frame["indicator_id"] == "i4")


@pytest.fixture
def links() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["i1", "i2", "i3", "i3", "i4", "i1"],
            "link_type": ["area"] * 5 + ["goal"],
            "link_id": ["A01", "A01", "A01", "A02", "A02", "G1"],
        }
    )


@pytest.fixture
def indicators() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["i1", "i2", "i3", "i4"],
            "geography_levels": ["riket;lan;kommun", "riket;lan;kommun", "riket;lan", "lan"],
        }
    )


def one(frame: pd.DataFrame, group: str, geography: str, year: int) -> pd.Series:
    match = (frame["group_id"] == group) & (frame["geography_code"] == geography)
    return frame[match & (frame["assessment_year"] == year)].iloc[0]


def test_area_roll_up_counts_coverage_score_and_worst(gaps, links, indicators):
    areas = roll_up_links(gaps, links, "area", indicators=indicators)
    assert list(areas.columns) == [*ROLLUP_COLUMNS[:1], "group_type", *ROLLUP_COLUMNS[1:]]
    r = one(areas, "A01", "0018", 2020)
    # A01 = i1, i2, i3, all published for län; i3 has too little data → 2 of 3 assessable
    assert (r["n_indicators"], r["n_with_row"], r["n_assessable"]) == (3, 3, 2)
    assert r["coverage"] == pytest.approx(2 / 3)
    assert bool(r["low_coverage"]) is True  # 0.667 < 0.8
    assert (r["n_on_track"], r["n_wrong_direction"], r["n_insufficient_data"]) == (1, 1, 1)
    assert r["n_target_met"] == 0
    # mean over the scored: (3 − 4)/2 = −0.5; worst i2 (−4), then i1 (3)
    assert r["mean_score"] == pytest.approx(-0.5)
    assert (r["worst_indicator_1"], r["worst_score_1"]) == ("i2", -4.0)
    assert (r["worst_indicator_2"], r["worst_score_2"]) == ("i1", 3.0)
    assert pd.isna(r["previous_assessment_year"]) and np.isnan(r["mean_score_change"])


def test_area_roll_up_change_since_the_previous_year(gaps, links, indicators):
    areas = roll_up_links(gaps, links, "area", indicators=indicators)
    r = one(areas, "A01", "0018", 2021)
    # all three assessable → coverage 1; mean (3.5 − 1 − 2)/3 = 0.166667
    assert r["coverage"] == 1.0 and not r["low_coverage"]
    assert r["mean_score"] == pytest.approx(0.5 / 3)
    # worst i3 (−2), then i2 (−1)
    assert (r["worst_indicator_1"], r["worst_indicator_2"]) == ("i3", "i2")
    # since 2020: mean 0.166667 − (−0.5) = 0.666667; coverage 1 − 2/3; i2 and i3 changed status
    assert r["previous_assessment_year"] == 2020
    assert r["mean_score_change"] == pytest.approx(2 / 3)
    assert r["coverage_change"] == pytest.approx(1 / 3)
    assert r["n_status_changed"] == 2


def test_an_area_with_one_scored_indicator_and_synthetic_input(gaps, links, indicators):
    r = one(roll_up_links(gaps, links, "area", indicators=indicators), "A02", "0018", 2020)
    # A02 = i3 (insufficient) and i4 (met, +5, synthetic): coverage 1/2, one worst indicator
    assert r["coverage"] == 0.5 and r["mean_score"] == 5.0
    assert r["worst_indicator_1"] == "i4" and pd.isna(r["worst_indicator_2"])
    assert bool(r["is_synthetic"]) is True


def test_only_indicators_published_at_the_geographys_level_count(gaps, links, indicators):
    with_levels = roll_up_links(gaps, links, "area", indicators=indicators)
    r = one(with_levels, "A01", "1880", 2021)
    # kommun: i1 and i2 are published (i3 is riket;lan only); i1 has a row → 1 of 2
    assert (r["n_indicators"], r["n_assessable"]) == (2, 1)
    assert r["coverage"] == 0.5
    # without the catalogue every linked indicator counts: 1 of 3
    plain = roll_up(gaps, links[links["link_type"] == "area"], "link_id")
    assert one(plain, "A01", "1880", 2021)["coverage"] == pytest.approx(1 / 3)


def test_roll_up_refuses_unknown_columns(gaps):
    with pytest.raises(ValueError, match="links needs indicator_id and area_id"):
        roll_up(gaps, pd.DataFrame({"indicator_id": ["i1"]}), "area_id")


def test_the_previous_row_is_the_groups_last_year_with_rows_in_the_same_place():
    rows = [
        ("i1", "0018", "lan", 2019, "on_track", 3.0),
        ("i1", "0018", "lan", 2021, "too_slow", -1.0),
        ("i1", "1880", "kommun", 2020, "on_track", 3.0),
    ]
    columns = ["indicator_id", "geography_code", "geography_level", "assessment_year"]
    gaps = pd.DataFrame(rows, columns=[*columns, "status", "score"]).assign(sex="T")
    links = pd.DataFrame({"indicator_id": ["i1"], "link_type": ["area"], "link_id": ["A01"]})
    areas = roll_up_links(gaps, links, "area")
    r = one(areas, "A01", "0018", 2021)
    # 0018 has no row in 2020 (only 1880 has): the change is since 2019
    assert r["previous_assessment_year"] == 2019
    assert r["mean_score_change"] == -4.0 and r["n_status_changed"] == 1
    assert pd.isna(one(areas, "A01", "1880", 2020)["previous_assessment_year"])
    assert not areas["is_synthetic"].any()  # no is_synthetic column: nothing synthetic
