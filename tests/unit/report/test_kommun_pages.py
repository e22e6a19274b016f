"""One page per kommun of the county, linked from the county report and back: statements,
status table, place among the county's kommuner and among every kommun, women and men."""

from __future__ import annotations

import re

import pytest

from orchestration.report.report import load_inputs, write_report
from tests.unit.report.small_publication import KOMMUNER, publish_small, values_frame


@pytest.fixture
def report(tmp_path):
    publish_small(tmp_path / "rus.duckdb", values_frame())
    return write_report(load_inputs(tmp_path / "rus.duckdb", "0018"), 2022, tmp_path / "r")


def test_every_kommun_of_the_county_has_a_page_linked_both_ways(report):
    county = report.html.read_text(encoding="utf-8")
    assert report.kommun_pages == 3
    for code in KOMMUNER:
        page = report.figures_dir / f"kommun_{code}.html"
        assert f'href="{report.figures_dir.name}/kommun_{code}.html"' in county
        text = page.read_text(encoding="utf-8")
        assert f'href="../{report.html.stem}.html"' in text  # back to the county report
        md = (report.figures_dir / f"kommun_{code}.md").read_text(encoding="utf-8")
        assert f"(../{report.markdown.stem}.md)" in md
    assert not (report.figures_dir / "kommun_2080.html").exists()  # Dalarna's kommuner: not ours


def test_a_kommun_page_has_its_statements_places_and_women_and_men(report):
    text = (report.figures_dir / "kommun_1882.html").read_text(encoding="utf-8")
    assert (
        '<h1>Uppföljning av RUS <span class="nowrap">2018–2030</span>: Askersund 2022</h1>' in text
    )
    for name in ("Ökad inkludering", "Starka barn och unga", "Omställning"):
        assert f"<h2>{name}</h2>" in text
    # share_a: higher is better; Askersund (1882) has the county's lowest value (40 + 7 = 47).
    assert "Andel a ökar" in text
    # The short label names it, the source's full title is its tooltip, the unit below it.
    row = re.search(r'<tr><td><a [^>]*title="Andel a, %">Andel a</a>.*?</tr>', text).group(0)
    assert '<span class="unit">%</span>' in row
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells[2:4] == ["47 *", "2022"]  # value (synthetic in the fixture: starred), year
    assert "* syntetiskt värde" in text and "syntetiskt värde" in md_of(report, "1882")
    assert cells[6] == "3 av 3"  # in the län
    assert cells[7:9] == ["49", "45"]  # women, men
    assert 'href="../uppfoljning_2022.html#ind-share_a"' in row
    # The fixture has values for the län's 3 kommuner only: a place among all kommuner would
    # repeat the place in the län, so it is left out and the page says why.
    assert "Plats bland kommunerna" not in text
    assert "Underlaget omfattar bara länets 3 kommuner" in text
    assert 'href="../uppfoljning_2022.html#sa-bedoms-indikatorerna"' in text


def test_a_kommun_name_is_escaped_in_html_and_safe_in_markdown_tables(report):
    md = (report.figures_dir / "kommun_1880.md").read_text(encoding="utf-8")
    assert "| Andel a (%) |" in md
    assert md.startswith("[← Örebro län: hela uppföljningen](../uppfoljning_2022.md)")


def md_of(report, code: str) -> str:
    return (report.figures_dir / f"kommun_{code}.md").read_text(encoding="utf-8")
