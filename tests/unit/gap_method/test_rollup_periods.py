"""Roll-ups per kraftsamling only for the assessment years it applies to (applies_from …
applies_to, from dim_focus_effort): a group has no row outside them, its first year has no
previous year and no status changes, and groups without a period are as before."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orchestration.gap_method import roll_up, roll_up_links
from orchestration.gap_method.periods import OPEN_FROM, OPEN_TO, group_periods

NAN = float("nan")
STATUS_BY_YEAR = {
    2018: ("on_track", 3.0),
    2019: ("too_slow", -1.0),
    2020: ("wrong_direction", -4.0),
    2021: ("on_track", 3.5),
    2022: ("target_met", 5.0),
}


@pytest.fixture
def gaps() -> pd.DataFrame:
    """i1 and i2 for the län 0018, 2018–2022; i2's status trails i1's by one year."""
    rows = []
    years = sorted(STATUS_BY_YEAR)
    for year in years:
        rows.append(("i1", year, *STATUS_BY_YEAR[year]))
        rows.append(("i2", year, *STATUS_BY_YEAR[max(year - 1, years[0])]))
    frame = pd.DataFrame(rows, columns=["indicator_id", "assessment_year", "status", "score"])
    return frame.assign(geography_code="0018", geography_level="lan", sex="T")


@pytest.fixture
def links() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["i1", "i2", "i1", "i2"],
            "link_type": ["focus_effort"] * 4,
            "link_id": ["K1", "K1", "K4", "K4"],
        }
    )


def periods(**spans: tuple[float, float]) -> pd.DataFrame:
    """dim_focus_effort's shape: one row per kraftsamling, NaN for an open end (as DuckDB
    hands an integer column with nulls to pandas)."""
    return pd.DataFrame(
        {
            "focus_effort_id": list(spans),
            "focus_effort_name": [f"Kraftsamling {k}" for k in spans],
            "applies_from": [s[0] for s in spans.values()],
            "applies_to": [s[1] for s in spans.values()],
        }
    )


def years_of(frame: pd.DataFrame, group: str) -> list[int]:
    return sorted(frame.loc[frame["group_id"] == group, "assessment_year"].tolist())


def test_a_kraftsamling_is_rolled_up_only_from_the_year_it_applies(gaps, links):
    out = roll_up_links(gaps, links, "focus_effort", periods=periods(K1=(NAN, NAN), K4=(2020, NAN)))
    assert years_of(out, "K1") == [2018, 2019, 2020, 2021, 2022]
    assert years_of(out, "K4") == [2020, 2021, 2022]
    first = out[(out["group_id"] == "K4") & (out["assessment_year"] == 2020)].iloc[0]
    # both indicators counted in its first year, with nothing earlier to compare with
    assert (first["n_indicators"], first["n_with_row"]) == (2, 2)
    assert pd.isna(first["previous_assessment_year"]) and np.isnan(first["mean_score_change"])
    # i1 and i2 both changed status from 2019 to 2020, but 2019 is before K4 applies
    assert first["n_status_changed"] == 0
    nxt = out[(out["group_id"] == "K4") & (out["assessment_year"] == 2021)].iloc[0]
    assert nxt["previous_assessment_year"] == 2020 and nxt["n_status_changed"] == 2


def test_an_open_kraftsamling_is_exactly_as_without_periods(gaps, links):
    plain = roll_up_links(gaps, links, "focus_effort")
    dated = roll_up_links(gaps, links, "focus_effort", periods=periods(K4=(2020, NAN)))
    k1 = dated[dated["group_id"] == "K1"].reset_index(drop=True)
    pd.testing.assert_frame_equal(k1, plain[plain["group_id"] == "K1"].reset_index(drop=True))
    # every kraftsamling open (the bundled seed's three): the roll-up is unchanged throughout
    both_open = roll_up_links(
        gaps, links, "focus_effort", periods=periods(K1=(NAN, NAN), K4=(NAN, NAN))
    )
    pd.testing.assert_frame_equal(both_open, plain)


def test_a_kraftsamling_that_ended_has_no_rows_after_its_last_year(gaps, links):
    out = roll_up_links(gaps, links, "focus_effort", periods=periods(K1=(2019, 2020)))
    assert years_of(out, "K1") == [2019, 2020]
    assert years_of(out, "K4") == [2018, 2019, 2020, 2021, 2022]  # not listed: open


def test_a_kraftsamling_applying_after_the_data_has_no_rows(gaps, links):
    out = roll_up_links(gaps, links, "focus_effort", periods=periods(K4=(2025, NAN)))
    assert years_of(out, "K4") == []
    assert len(out) == 5  # K1's five years
    only_k4 = roll_up_links(
        gaps, links[links["link_id"] == "K4"], "focus_effort", periods=periods(K4=(2025, NAN))
    )
    assert only_k4.empty and "group_type" in only_k4


def test_roll_up_takes_periods_keyed_by_its_group_column(gaps, links):
    spans = pd.DataFrame({"link_id": ["K4"], "applies_from": [2021], "applies_to": [None]})
    out = roll_up(gaps, links, "link_id", periods=spans)
    assert years_of(out, "K4") == [2021, 2022]


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        (periods(K4=(2022, 2020)), "K4 applies_from is after its applies_to"),
        (pd.concat([periods(K4=(2020, NAN))] * 2), "periods lists K4 twice"),
        (periods(K4=(2020.5, NAN)), "periods.applies_from is not a year"),
        (periods(K4=(2020, NAN)).drop(columns="applies_to"), r"lacks column\(s\) \['applies_to'\]"),
        (periods(K4=(2020, NAN)).drop(columns="focus_effort_id"), "lacks column"),
    ],
)
def test_bad_periods_are_refused(gaps, links, spans, message):
    with pytest.raises(ValueError, match=message):
        roll_up_links(gaps, links, "focus_effort", periods=spans)


def test_group_periods_open_ends_and_unlisted_groups():
    labels = pd.Index(["K1", "K2", "K4"], dtype=object)
    spans = group_periods(
        periods(K4=(2020, NAN), K2=(NAN, 2019), K9=(2000, 2001)), "focus_effort_id", labels
    )
    assert spans.first.tolist() == [OPEN_FROM, OPEN_FROM, 2020]
    assert spans.last.tolist() == [OPEN_TO, 2019, OPEN_TO]
    within = spans.contains(np.array([0, 1, 1, 2, 2]), np.array([1990, 2019, 2020, 2019, 2020]))
    assert within.tolist() == [True, True, False, False, True]
