"""The follow-up report from a small publication: sections, statements, charts with their CSV,
series breaks, and words for analysts (what changed since last year's edition:
test_report_changes.py; comparisons across län and totals: test_report_comparisons.py; the
publication: small_publication.py)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from orchestration.gap_method.labels import STATUS_LABELS
from orchestration.report.report import latest_year, load_inputs, write_report
from tests.unit.report import small_publication
from tests.unit.report.small_publication import publish_small, values_frame

# test_report_scope.py imports the catalogue from here, where it was before the split.
INDICATORS = small_publication.INDICATORS


@pytest.fixture
def published(tmp_path):
    path = tmp_path / "rus.duckdb"
    publish_small(path, values_frame())
    return path


def test_the_report_has_every_section_statement_and_chart_with_its_csv(published, tmp_path):
    inputs = load_inputs(published, "0018")
    assert latest_year(inputs.values, "0018") == 2023
    files = write_report(inputs, 2022, tmp_path / "reports")
    html = files.html.read_text(encoding="utf-8")
    md = files.markdown.read_text(encoding="utf-8")
    for name in ("Ökad inkludering", "Starka barn och unga", "Omställning"):
        assert name in html and f"### {name}" in md
    assert "Önskvärt läge 2030:" in html and "Ett starkt näringsliv." in md
    assert "Andel a" in html and "Andel b" in html
    assert "data t.o.m. 2022" in html and "Källa: Kolada N00001" in html
    assert "data t.o.m. 2030" not in html  # the target path is not data
    assert "Källa: SCB TAB1" in html
    assert "syntetiska" in html  # share_a is synthetic; the report says so
    # share_a: trend (with the target path), women/men and kommuner; share_b: no K/M values.
    charts = sorted(p.name for p in files.figures_dir.glob("*.svg"))
    assert charts == [
        "share_a_kommuner.svg",
        "share_a_kon.svg",
        "share_a_trend.svg",
        "share_b_kommuner.svg",
        "share_b_trend.svg",
    ]
    assert files.charts == 5
    trend = pd.read_csv(files.figures_dir / "share_a_trend.csv")
    assert set(trend["serie"]) == {"Riket", "Örebro län", "Målbana till 2030"}
    assert trend["year"].max() == 2030 and trend[trend.serie == "Riket"]["year"].max() == 2022
    kommuner = pd.read_csv(files.figures_dir / "share_a_kommuner.csv")
    # Best first (higher is better): Örebro 59, Kumla 52, Askersund 47 in 2022.
    assert list(kommuner[kommuner.kind == "kommun"]["geography_name"]) == [
        "Örebro",
        "Kumla",
        "Askersund",
    ]
    # The county (48 + 7 = 55 in 2022) is below Riket (57) on share_a: an area to explore.
    assert "- Att utforska: andel a (2 procentenheter lägre än riket)" in md
    # share_a has women and men: one status across both series beside the total's, as a word.
    assert ">Kvinnor och män</th>" in html and "poäng" not in html + md
    # Tables name indicators by their short label, with the unit; the full title is a tooltip.
    row_a = next(r for r in md.splitlines() if r.startswith("| Andel a (%) |"))
    row_b = next(r for r in md.splitlines() if r.startswith("| Andel b (%) |"))
    assert row_a.split(" | ")[2] in {label for label in STATUS_LABELS.values()}
    assert row_b.split(" | ")[2] == "–"
    assert 'title="Andel a, %">Andel a</a>' in html
    assert f'href="{files.figures_dir.name}/share_a_trend.csv"' in html
    assert f"]({files.figures_dir.name}/share_a_trend.svg)" in md
    assert files.edition.exists()


def test_a_year_outside_the_publication_is_an_error_naming_it(published, tmp_path):
    with pytest.raises(ValueError, match=r"assessment year 1999 is outside .* \(2017–2023\)"):
        write_report(load_inputs(published, "0018"), 1999, tmp_path)


def test_a_missing_publication_says_run_make_run_first(tmp_path):
    with pytest.raises(FileNotFoundError, match="run `make run` first"):
        load_inputs(tmp_path / "none.duckdb", "0018")


def test_a_known_series_break_is_marked_on_the_trend_and_in_the_caption(tmp_path, monkeypatch):
    from orchestration.report import series_breaks

    brk = series_breaks.SeriesBreak(
        "share_a", 2018, 2019, "källan räknar om andelen", "Källan, nyckeltalets beskrivning"
    )
    monkeypatch.setattr(series_breaks, "SERIES_BREAKS", (brk,))
    publish_small(tmp_path / "rus.duckdb", values_frame())
    files = write_report(load_inputs(tmp_path / "rus.duckdb", "0018"), 2022, tmp_path / "r")
    md = files.markdown.read_text(encoding="utf-8")
    caption = (
        "Tidsseriebrott mellan 2018 och 2019: källan räknar om andelen "
        "(källa: Källan, nyckeltalets beskrivning)."
    )
    assert md.count(caption) == 2  # the trend and the women/men chart of share_a
    for chart in ("share_a_trend", "share_a_kon"):
        assert "Tidsseriebrott" in (files.figures_dir / f"{chart}.svg").read_text()
    assert "Tidsseriebrott" not in (files.figures_dir / "share_b_trend.svg").read_text()
    assert "Tidsseriebrott" not in (files.figures_dir / "share_a_kommuner.svg").read_text()


def visible_text(html: str) -> str:
    """What a reader of the HTML sees: the text without tags, styles or attributes (the
    charts' text included)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", html, flags=re.S))


def test_the_report_speaks_to_analysts_with_provenance_in_the_colophon(published, tmp_path):
    files = write_report(load_inputs(published, "0018"), 2022, tmp_path / "r")
    html = files.html.read_text(encoding="utf-8")
    md = files.markdown.read_text(encoding="utf-8")
    top, colophon = md.split("## Om uppföljningen", 1)
    for text in (visible_text(html), md):
        for word in ("RUS_", "docs/method.md", "(n)", "poäng", "_id"):
            assert word not in text, word
        assert not re.search(r"\d[eE][+-]?\d", text)
    # The publication id and time are in the colophon only, in Swedish words.
    assert "P1" not in top and "(id P1)" in colophon
    assert "23 november 2026 kl. 02.00" in colophon
    # A table of contents, and the statuses explained in plain Swedish.
    assert (
        '<nav class="toc"' in html and "[Så bedöms indikatorerna](#sa-bedoms-indikatorerna)" in md
    )
    for label in STATUS_LABELS.values():
        assert f"- **{label}**: " in md
    assert "Indikatorer och källor" in colophon and "| Andel a | Andel a, % | Kolada N00001 |" in md
    # Every chart has a description for screen readers.
    assert html.count('role="img" aria-label="Linjediagram över Andel a') == 2


def test_a_kraftsamling_is_reported_only_in_the_years_it_applies_to(published, tmp_path):
    """A kraftsamling the region adds from 2023 (dim_focus_effort.applies_from) has no section
    in the 2022 report; the three in force have theirs."""
    from dataclasses import replace

    from orchestration.report.inputs import in_force

    inputs = load_inputs(published, "0018")
    fourth = pd.DataFrame(
        {"focus_effort_id": ["K4"], "focus_effort_number": [4], "focus_effort_name": ["Nytt"]}
    )
    efforts = pd.concat([inputs.focus_efforts, fourth], ignore_index=True)
    efforts["applies_from"] = [None, None, None, 2023]
    efforts["applies_to"] = None
    inputs = replace(inputs, focus_efforts=efforts)
    assert list(in_force(inputs, 2022).focus_efforts["focus_effort_id"]) == ["K1", "K2", "K3"]
    assert "K4" in set(in_force(inputs, 2023).focus_efforts["focus_effort_id"])
    md = write_report(inputs, 2022, tmp_path / "r").markdown.read_text(encoding="utf-8")
    assert "Nytt" not in md
