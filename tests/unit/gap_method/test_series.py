"""One status per indicator across its series: the mean of the women's and men's scores through
the score bands; "uppnått" only when both met the target; the total alone without a pair."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from orchestration.gap_method.config import GapMethodConfig
from orchestration.gap_method.series import status_across_series, status_from_score


def gaps(*rows: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"indicator_id": "i", "geography_code": "0018", "assessment_year": 2022,
             "sex": sex, "status": status, "score": score}
            for sex, status, score in rows
        ]
    )  # fmt: skip


def one(frame: pd.DataFrame) -> dict:
    (row,) = status_across_series(frame).to_dict("records")
    return row


@pytest.mark.parametrize(
    ("score", "status"),
    [(5.0, "on_track"), (2.5, "on_track"), (1.0, "nearly_on_track"), (0.0, "nearly_on_track"),
     (-1.0, "too_slow"), (-2.5, "too_slow"), (-2.6, "wrong_direction"),
     (math.nan, "insufficient_data")],
)  # fmt: skip
def test_a_mean_score_maps_through_the_bands(score, status):
    assert status_from_score(score, GapMethodConfig()) == status


def test_women_and_men_are_averaged_not_the_total():
    # Women on track (3.0), men going the wrong way (−4.0): mean −0.5 → too slow, although the
    # total alone would read on track.
    row = one(gaps(("T", "on_track", 3.5), ("K", "on_track", 3.0), ("M", "wrong_direction", -4.0)))
    assert (row["series"], row["n_series"], row["series_score"]) == ("K;M", 2, -0.5)
    assert row["series_status"] == "too_slow" and row["series_label"] == "förbättras för långsamt"


def test_uppnatt_only_when_every_series_met_its_target():
    both = one(gaps(("T", "target_met", 5.0), ("K", "target_met", 5.0), ("M", "target_met", 5.0)))
    assert both["series_status"] == "target_met"
    # Men met it, women score 4.0: mean 4.5 is on track, not met.
    half = one(gaps(("T", "target_met", 5.0), ("K", "on_track", 4.0), ("M", "target_met", 5.0)))
    assert half["series_status"] == "on_track"


def test_without_an_assessable_pair_the_total_is_the_one_series():
    row = one(gaps(("T", "nearly_on_track", 1.0), ("K", "on_track", 3.0),
                   ("M", "insufficient_data", math.nan)))  # fmt: skip
    assert (row["series"], row["series_status"], row["series_score"]) == (
        "T",
        "nearly_on_track",
        1.0,
    )
    nothing = one(gaps(("T", "insufficient_data", math.nan)))
    assert nothing["series_status"] == "insufficient_data"


def test_rows_without_a_score_are_an_error_naming_what_is_missing():
    with pytest.raises(ValueError, match=r"gap rows lack \['score'\]"):
        status_across_series(gaps(("T", "on_track", 1.0)).drop(columns="score"))
