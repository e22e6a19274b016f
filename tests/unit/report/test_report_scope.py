"""The report follows whichever län is configured: its own kommuner, its name, the strategy
structure it borrows; and it always says how much rests on real values and why an indicator
cannot be assessed."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from orchestration.report.report import load_inputs, write_report
from tests.unit.report.test_report import INDICATORS, publish_small, values_frame

# Örebro län's test geographies relabelled as Dalarnas län's.
TO_DALARNA = {"0018": "0020", "1880": "2080", "1881": "2081", "1882": "2062"}


def dalarna_values() -> pd.DataFrame:
    values = values_frame()
    return values.assign(geography_code=values["geography_code"].replace(TO_DALARNA))


# The owner's texts as the seeds have them: they name Örebro län.
DESIRED = "Örebro län har ett starkt näringsliv, ett högt entreprenörskap."
QUESTIONS = (
    "Hur kan vi skapa en mer jämlik utbildningsnivå i länet?",
    "Vad?",
    "Hur kan Örebro läns myndigheter ställa om?",
)


@pytest.fixture
def dalarna_report(tmp_path):
    published = tmp_path / "rus.duckdb"
    publish_small(published, dalarna_values(), desired_state=DESIRED, guiding_questions=QUESTIONS)
    files = write_report(load_inputs(published, "0020"), 2022, tmp_path / "reports")
    return files, files.html.read_text(encoding="utf-8"), files.markdown.read_text("utf-8")


def test_another_lan_gets_its_own_title_kommuner_and_the_borrowed_structure(dalarna_report):
    files, html, md = dalarna_report
    # The title names whose strategy it follows: never reads as Dalarnas län's own RUS.
    title = "Uppföljning enligt Region Örebro läns RUS 2018–2030: Dalarnas län 2022"
    assert md.startswith(f"# {title}\n")
    assert f"<title>{title}</title>" in html
    assert (
        "Uppföljningen följer strukturen i Regional utvecklingsstrategi för Örebro län 2018–2030 "
        "(Region Örebro län): 3 övergripande mål, 1 prioriterat område, 3 kraftsamlingar."
    ) in md
    assert "Dalarnas län har här följts upp med den strategins struktur" in md
    kommuner = pd.read_csv(files.figures_dir / "share_a_kommuner.csv")
    assert set(kommuner[kommuner.kind == "kommun"]["geography_name"]) == {
        "Falun",
        "Borlänge",
        "Mora",
    }
    trend = pd.read_csv(files.figures_dir / "share_a_trend.csv")
    assert "Dalarnas län" in set(trend["serie"]) and "Örebro län" not in set(trend["serie"])
    assert "Kvinnor och män, Dalarnas län" in html


def test_another_lans_report_quotes_the_owners_strategy_texts_never_as_its_own(dalarna_report):
    files, html, md = dalarna_report
    source = "ur Region Örebro läns RUS 2018–2030"
    # The desired state and the kraftsamlingar's questions, visibly quoted and attributed.
    assert f"> Önskvärt läge 2030 {source}: ”{DESIRED}”" in md
    assert f"> Ur Region Örebro läns RUS 2018–2030: ”{QUESTIONS[2]}”" in md
    assert '<blockquote class="borrowed"><p>Önskvärt läge 2030 ur Region Örebro läns' in html
    assert f"”{DESIRED}”</p></blockquote>" in html
    # Never unquoted, as if Dalarnas län's own words.
    unquoted = [line for line in md.splitlines() if "Örebro län har" in line and "”" not in line]
    assert not unquoted and "Önskvärt läge 2030: " not in md
    assert "<em>Hur kan Örebro läns" not in html
    # The kommun pages are titled the same way.
    page = (files.figures_dir / "kommun_2080.html").read_text(encoding="utf-8")
    assert "<h1>Uppföljning enligt Region Örebro läns RUS" in page


def test_the_owners_own_report_states_its_texts_plainly(tmp_path):
    publish_small(
        tmp_path / "rus.duckdb", values_frame(), desired_state=DESIRED, guiding_questions=QUESTIONS
    )
    files = write_report(load_inputs(tmp_path / "rus.duckdb", "0018"), 2022, tmp_path / "r")
    md = files.markdown.read_text(encoding="utf-8")
    assert md.startswith("# Uppföljning av RUS 2018–2030: Örebro län 2022\n")
    assert f"Önskvärt läge 2030: {DESIRED}" in md and f"*{QUESTIONS[2]}*" in md
    assert "ur Region Örebro läns" not in md and f"”{DESIRED}" not in md


def test_the_first_note_always_gives_the_real_value_share(dalarna_report):
    files, html, md = dalarna_report
    # share_a is synthetic, share_b real: 1 of the 2 assessments in 2022 rests on real values.
    note = (
        "50 % av länets 2 bedömningar 2022 bygger enbart på verkliga värden; 50 % helt eller "
        "delvis på syntetiska värden (markerade med *)"
    )
    assert f"> {note}" in md and note in html
    assert files.real_values.assessments == 2 and files.real_values.real_percent == 50
    assert files.summary.startswith("Dalarnas län 2022: 2 bedömningar, 50 % på enbart verkliga")


def test_an_all_real_county_is_told_so(tmp_path):
    values = values_frame().assign(is_synthetic=False)
    publish_small(tmp_path / "rus.duckdb", values)
    files = write_report(load_inputs(tmp_path / "rus.duckdb", "0018"), 2022, tmp_path / "r")
    md = files.markdown.read_text(encoding="utf-8")
    assert "> 100 % av länets 2 bedömningar 2022 bygger enbart på verkliga värden.\n" in md
    assert "syntetiska" not in md


def test_an_indicator_with_only_kommun_values_says_so(tmp_path):
    extra = INDICATORS.iloc[[1]].assign(
        indicator_id="kommun_only",
        title="Andel c, %",
        short_label="Andel c",
        source_series_id="TAB2",
    )
    values = values_frame()
    kommun_only = values[
        (values.indicator_id == "share_b") & values.geography_code.isin(["1880", "1881", "1882"])
    ].assign(indicator_id="kommun_only")
    published = tmp_path / "rus.duckdb"
    publish_small(
        published,
        pd.concat([values, kommun_only], ignore_index=True),
        indicators=pd.concat([INDICATORS, extra], ignore_index=True),
    )
    files = write_report(load_inputs(published, "0018"), 2022, tmp_path / "reports")
    md = files.markdown.read_text(encoding="utf-8")
    assert (
        "- Andel c: otillräckliga data för en bedömning – inga värden för länet, bara för "
        "kommunerna."
    ) in md


def test_a_publication_without_the_strategy_asks_to_publish_again(tmp_path):
    published = tmp_path / "rus.duckdb"
    publish_small(published, values_frame())
    con = duckdb.connect(str(published))
    con.execute("drop table dim_strategy")
    con.close()
    with pytest.raises(ValueError, match=r"no dim_strategy .* publish again with `make run`"):
        load_inputs(published, "0018")
