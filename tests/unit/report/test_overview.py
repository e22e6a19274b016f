"""The report's opening: title and strategy structure from the publication, and the share of the
county's assessments resting on real values only (the same figure in the report and on the
command line)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from orchestration.report.inputs import Strategy
from orchestration.report.overview import (
    RealValueShare,
    real_value_note,
    real_value_share,
    report_title,
    structure_sentence,
    summary_line,
)

STRATEGY = Strategy(
    title="Regional utvecklingsstrategi för Örebro län 2018–2030",
    short_title="RUS 2018–2030",
    owner="Region Örebro län",
    owner_region_code="0018",
    period_end=2030,
)
COUNTS = {"goals": 3, "areas": 10, "focus_efforts": 3}


def test_the_title_comes_from_the_strategy_and_the_region():
    assert report_title(STRATEGY, "Dalarnas län", 2022) == (
        "Uppföljning av RUS 2018–2030: Dalarnas län 2022"
    )


def test_the_intro_names_the_strategy_structure_it_follows_with_counts():
    assert structure_sentence(STRATEGY, COUNTS, "0018", "Örebro län") == (
        "Uppföljningen följer strukturen i Regional utvecklingsstrategi för Örebro län 2018–2030 "
        "(Region Örebro län): 3 övergripande mål, 10 prioriterade områden, 3 kraftsamlingar."
    )


def test_another_lan_is_told_that_the_strategy_structure_is_applied_to_it():
    text = structure_sentence(STRATEGY, COUNTS, "0020", "Dalarnas län")
    assert text.startswith("Uppföljningen följer strukturen i Regional utvecklingsstrategi")
    assert "Dalarnas län har här följts upp med den strategins struktur" in text
    assert "inte länets egen strategi" in text


def test_one_of_a_part_is_singular():
    text = structure_sentence(STRATEGY, {"goals": 1, "areas": 1, "focus_efforts": 1}, "0018", "")
    assert text.endswith(": 1 övergripande mål, 1 prioriterat område, 1 kraftsamling.")


def gap_rows(rows: list[tuple[str, int, str, bool]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator_id", "assessment_year", "status", "is_synthetic"])


def test_the_real_value_share_counts_the_reports_assessments_of_the_year():
    gaps = gap_rows(
        [
            ("a", 2021, "on_track", True),  # superseded by a's 2022 row
            ("a", 2022, "on_track", False),  # real
            ("b", 2021, "too_slow", True),  # b's newest up to 2022: synthetic
            ("c", 2022, "insufficient_data", False),  # not an assessment
            ("d", 2022, "wrong_direction", False),  # real
            ("d", 2023, "wrong_direction", True),  # after the year: ignored
            ("e", 2023, "on_track", False),  # no row up to 2022: not in the report
        ]
    )
    share = real_value_share(gaps, 2022)
    assert share == RealValueShare(year=2022, assessments=3, real_only=2)
    assert share.synthetic == 1 and share.real_percent == 67


def test_the_note_always_states_the_real_share_and_the_synthetic_rest():
    assert real_value_note(RealValueShare(2022, 44, 43)) == (
        "98 % av länets 44 bedömningar 2022 bygger enbart på verkliga värden; 2 % helt eller "
        "delvis på syntetiska värden (markerade med *): exempeldata där inga verkliga siffror "
        "fanns i ögonblicksbilden. De är inte officiell statistik."
    )
    assert real_value_note(RealValueShare(2022, 44, 44)) == (
        "100 % av länets 44 bedömningar 2022 bygger enbart på verkliga värden."
    )
    assert real_value_note(RealValueShare(2022, 0, 0)) == (
        "Inga av länets indikatorer kan bedömas 2022."
    )


@pytest.mark.parametrize(
    ("assessments", "real", "percent"),
    [(300, 299, 99), (300, 1, 1), (300, 0, 0), (300, 300, 100), (8, 4, 50)],
    ids=["one-synthetic-never-100", "one-real-never-0", "none-real", "all-real", "half"],
)
def test_the_rounded_share_never_hides_the_last_synthetic_or_real_one(assessments, real, percent):
    assert RealValueShare(2022, assessments, real).real_percent == percent


def test_the_command_line_prints_the_same_figure_as_the_note(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    share = RealValueShare(2022, 44, 44)
    report = tmp_path / "data" / "reports" / "uppfoljning_2022.html"
    assert summary_line("Örebro län", share, report) == (
        "Örebro län 2022: 44 bedömningar, 100 % på enbart verkliga värden "
        "(data/reports/uppfoljning_2022.html)"
    )
    elsewhere = Path("/somewhere/else/uppfoljning_2022.html")
    assert summary_line("Örebro län", share, elsewhere).endswith(f"({elsewhere})")
    assert f"{share.real_percent} %" in real_value_note(share)
