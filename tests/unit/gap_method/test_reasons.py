""" "otillräckliga data" says why, from the data: gap rows the method could not assess, and
indicators with no county value at all."""

from __future__ import annotations

import pandas as pd
import pytest

from orchestration.gap_method import GapMethodConfig, assess_indicators
from orchestration.gap_method.reasons import (
    insufficient_reason,
    missing_reason,
    years_text,
)
from orchestration.gap_method.statements import indicator_statement, statements_frame
from tests.unit.gap_method.builders import catalogue, series_from, values_frame

LABEL = "Andel x"


def county_row(series: dict, catalogue_row: dict, year: int, config=None) -> dict:
    gaps = assess_indicators(values_frame(series), catalogue(catalogue_row), config)
    match = (gaps["geography_code"] == "0018") & (gaps["assessment_year"] == year)
    return gaps[match].iloc[0].to_dict()


@pytest.mark.parametrize(
    ("years", "text"),
    [([2018], "2018"), ([2022, 2021], "2021–2022"), ([2018, 2020, 2022], "2018, 2020 och 2022")],
    ids=["one", "consecutive", "gaps"],
)
def test_years_are_said_as_a_span_or_a_list(years, text):
    assert years_text(years) == text


def test_values_only_after_the_baseline_window_name_the_years_and_the_baseline_needed():
    # Baseline 2017, else the first value up to 2020: values from 2021 on give no baseline.
    row = county_row(
        {("x", "0018", "T"): series_from(2021, [50.0, 51.0])}, {"indicator_id": "x"}, 2022
    )
    assert row["status"] == "insufficient_data"
    reason = insufficient_reason(row, [2021, 2022], 2017)
    assert reason == "värden bara för 2021–2022 (ett värde för basåret 2017–2020 behövs)"


def test_a_single_value_since_the_baseline_says_how_many_years_are_needed():
    row = county_row(
        {("x", "0018", "T"): series_from(2018, [50.0, 51.0])}, {"indicator_id": "x"}, 2018
    )
    assert row["status"] == "insufficient_data"
    assert insufficient_reason(row, [2018, 2019], 2017) == (
        "värden bara för 2018 (minst 2 år från basåret 2018 behövs)"
    )


def test_a_national_target_without_riket_that_year_names_riket():
    series = {
        ("n", "0018", "T"): series_from(2017, [50.0, 51.0, 52.0, 53.0]),
        ("n", "0000", "T"): series_from(2017, [55.0, 55.5, 56.0]),  # no 2020 value
    }
    row = county_row(series, {"indicator_id": "n", "target_type": "national"}, 2020)
    assert row["status"] == "insufficient_data"
    assert insufficient_reason(row, range(2017, 2021), 2017) == "inget värde för riket 2020"


def test_a_peer_target_of_a_region_without_peers_names_the_missing_comparison():
    row = county_row(
        {("p", "0018", "T"): series_from(2017, [45.0, 46.5, 48.0, 49.5])},
        {"indicator_id": "p", "target_type": "peer"},
        2020,
        GapMethodConfig(),
    )
    text = indicator_statement(row, LABEL, insufficient_reason(row, range(2017, 2021), 2017))
    assert text == (
        "Andel x: otillräckliga data för en bedömning – inget medelvärde för jämförbara län 2020 "
        "(minst 3 jämförbara län med värden behövs)."
    )


def test_a_gap_target_without_women_and_men_says_so():
    row = {"target_type": "gap", "assessment_year": 2020, "value_women": 5.0}
    assert insufficient_reason(row) == "inga värden för både kvinnor och män 2020"


def coverage(*rows: tuple[str, str, str | None, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["geography_code", "level", "lan_code", "first_year"])


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        (
            [("0000", "riket", None, 2015), ("1880", "kommun", "0018", 2015)],
            "inga värden för länet, bara för kommunerna",
        ),
        (
            [("0000", "riket", None, 2015), ("0020", "lan", "0020", 2015)],
            "inga publicerade värden för Örebro län",
        ),
        ([("0000", "riket", None, 2015)], "värden bara för riket"),
        ([], "inga publicerade värden t.o.m. 2022"),
        ([("0018", "lan", "0018", 2024)], "första värdet för länet gäller 2024"),
        ([("0020", "lan", "0020", 2024)], "inga publicerade värden t.o.m. 2022"),
    ],
    ids=["kommuner-only", "other-lan", "riket-only", "nothing", "county-later", "others-later"],
)
def test_an_indicator_without_county_values_says_where_values_are(rows, reason):
    assert missing_reason(coverage(*rows), "0018", "Örebro län", 2022) == reason


def test_the_statements_table_names_the_reason_for_every_unassessable_row():
    values = values_frame(
        {
            ("x", "0018", "T"): series_from(2021, [50.0, 51.0]),
            ("x", "0020", "T"): series_from(2016, [40.0, 41.0, 42.0, 43.0]),
        }
    )
    indicators = catalogue({"indicator_id": "x"}).assign(
        title="Andel x, %", short_label=LABEL, focus_effort_ids="K1", baseline_year=2017
    )
    gaps = assess_indicators(values, indicators)
    focus_efforts = pd.DataFrame({"focus_effort_id": ["K1"], "focus_effort_name": ["Ökad"]})
    frame = statements_frame(gaps, indicators, focus_efforts)
    texts = frame[frame["subject_type"] == "indicator"].set_index(
        ["geography_code", "assessment_year"]
    )["statement"]
    assert texts[("0018", 2022)] == (
        "Andel x: otillräckliga data för en bedömning – värden bara för 2021–2022 "
        "(ett värde för basåret 2017–2020 behövs)."
    )
    assert texts[("0020", 2017)].endswith(
        "– värden bara för 2017 (minst 2 år från basåret 2017 behövs)."
    )
    assert "otillräckliga" not in texts[("0020", 2019)]


def test_a_kraftsamling_gets_paragraphs_only_in_the_years_it_applies_to():
    """dim_focus_effort.applies_from/applies_to (docs/method.md §7): a kraftsamling added from
    2020 has no paragraph before it; one without years has one every year."""
    values = values_frame({("x", "0020", "T"): series_from(2016, [40.0, 41.0, 42.0, 43.0, 44.0])})
    indicators = catalogue({"indicator_id": "x"}).assign(
        title="Andel x, %", short_label=LABEL, focus_effort_ids="K1;K4", baseline_year=2017
    )
    gaps = assess_indicators(values, indicators)
    focus_efforts = pd.DataFrame(
        {
            "focus_effort_id": ["K1", "K4"],
            "focus_effort_name": ["Ökad", "Kompetens"],
            "applies_from": [None, 2019],
            "applies_to": [None, None],
        }
    )
    frame = statements_frame(gaps, indicators, focus_efforts)
    years = frame[frame["subject_type"] == "focus_effort"].groupby("subject_id")["assessment_year"]
    assert sorted(years.get_group("K1")) == [2017, 2018, 2019, 2020]  # from the baseline
    assert sorted(years.get_group("K4")) == [2019, 2020]
