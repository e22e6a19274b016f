"""`make report YEAR=2021` on the real bundled snapshot, opened in Chromium as a reader opens it:
the county report and a kommun page fit a 1280 px window and a phone (the page never scrolls
sideways; a wide table scrolls inside its own box), every 21-län chart shows its labels whole in
the browser's own fonts, figures are plain Swedish numbers, and no developer's words are left.
The pages link both ways and name indicators by the catalogue's short labels. Screenshots of
both pages at both widths are saved under data/screenshots/."""

from __future__ import annotations

import re
import shutil

import pytest

from ingest.catalogue import read_indicators
from tests.conftest import REPO_ROOT
from tests.e2e.pipeline import make_report

pytestmark = pytest.mark.e2e
YEAR = 2021
SCREENSHOTS = REPO_ROOT / "data" / "screenshots"
WIDTHS = {"1280": {"width": 1280, "height": 900}, "telefon": {"width": 390, "height": 844}}
# Scientific notation as Python and JavaScript print it ("1,17e+06", "2e-05"): always with a
# sign, so the hexadecimal load and publication ids of the colophon ("…7ac2f8e9…") never match.
E_NOTATION = re.compile(r"\d(?:[.,]\d+)?[eE][+-]\d")
# Words for developers, not for the analysts who read the report.
DEVELOPER_WORDS = re.compile(r"RUS_[A-Z]|docs/method\.md|\(n\)|poäng|\b[a-z]+_[a-z_]+\b")


@pytest.fixture
def report_2021(copy_of_first_run):
    proc = make_report(copy_of_first_run, YEAR)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return copy_of_first_run / "reports"


def county_values_by_indicator(reports) -> set[str]:
    """Indicators with a county (Örebro län) value up to the report year in the publication."""
    import duckdb

    con = duckdb.connect(str(reports.parent / "published" / "rus.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "select distinct indicator_id from fct_indicator_value where geography_code = '0018' "
            "and sex = 'T' and value is not null and year <= ?",
            [YEAR],
        ).fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


def test_every_indicator_with_county_values_has_a_21_lan_chart_but_no_total(report_2021):
    figures = report_2021 / f"uppfoljning_{YEAR}"
    charted = {p.name.removesuffix("_lan.svg") for p in figures.glob("*_lan.svg")}
    with_values = county_values_by_indicator(report_2021)
    catalogue = {i.indicator_id: i for i in read_indicators()}
    # A total (tonnes, hectares, inhabitants) is never set beside other län: its chart shows its
    # per-inhabitant sibling when the catalogue names one, else there is none.
    expected = {
        i
        for i in with_values
        if catalogue[i].measure != "total"
        or (catalogue[i].comparison_indicator_id or "") in with_values
    }
    assert charted == expected
    assert any(catalogue[i].measure == "total" for i in with_values - charted)
    pages = sorted(figures.glob("kommun_*.html"))
    assert len(pages) == 12  # Örebro län's twelve kommuner


# Per text element of every 21-län chart: its box in the page, and the box of its SVG.
LAN_LABEL_BOXES = """() => [...document.querySelectorAll('figure[data-chart="lan"] svg')].flatMap(
    svg => {
        const s = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, left: r.left - s.left, right: s.right - r.right,
                    top: r.top - s.top, bottom: s.bottom - r.bottom,
                    length: t.getComputedTextLength()};
        });
    })"""
# Everything a reader sees or hears: the text, SVG text included, and tooltips and labels.
READER_TEXT = """() => [document.body.textContent,
    ...[...document.querySelectorAll('[title],[aria-label],img[alt]')].map(
        e => [e.getAttribute('title'), e.getAttribute('aria-label'), e.getAttribute('alt')]
            .filter(Boolean).join(' '))].join('\\n')"""


def assert_fits_and_reads_well(page, name: str) -> None:
    """The page never scrolls sideways; plain numbers and analysts' words only."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: {overflow} px wider than the window"
    text = page.evaluate(READER_TEXT)
    assert not E_NOTATION.findall(text), f"{name}: e-notation {E_NOTATION.findall(text)[:5]}"
    words = sorted(set(DEVELOPER_WORDS.findall(text)))
    assert not words, f"{name}: developer words {words}"


def test_the_county_report_and_a_kommun_page_open_in_chromium_linked_both_ways(report_2021):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing; `make test` installs it (make system)"
    labels = [i.short_label for i in read_indicators()]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    county = (report_2021 / f"uppfoljning_{YEAR}.html").as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport=WIDTHS["1280"])
            page.goto(county)
            assert_fits_and_reads_well(page, "county report at 1280 px")
            lan_charts = page.locator('figure[data-chart="lan"] svg')
            assert lan_charts.count() >= 30
            assert lan_charts.first.bounding_box()["height"] > 200  # 21 bars, not a sliver
            boxes = page.evaluate(LAN_LABEL_BOXES)
            assert any(b["text"] == "Västra Götalands län" for b in boxes)
            cut = [b for b in boxes if min(b["left"], b["right"], b["top"], b["bottom"]) < -0.5]
            assert not cut, f"labels drawn outside their chart: {cut[:5]}"
            assert not [b for b in boxes if b["text"].endswith("…") or b["length"] <= 0]
            # The provenance is in the colophon at the end, the method in plain Swedish.
            assert page.locator("#om-uppfoljningen").count() == 1
            assert page.locator("#sa-bedoms-indikatorerna").count() == 1
            assert page.locator("nav.toc a").count() >= 10
            page.screenshot(path=str(SCREENSHOTS / f"uppfoljning_{YEAR}_1280.png"))

            page.get_by_role("link", name="Askersund", exact=True).click()
            page.wait_for_load_state()
            assert page.url.endswith("kommun_1882.html")
            assert_fits_and_reads_well(page, "kommun page at 1280 px")
            heading = page.get_by_role("heading", level=1)
            assert heading.inner_text() == f"Uppföljning av RUS 2018–2030: Askersund {YEAR}"
            statements = page.locator("ul.statements li").all_inner_texts()
            assert len(statements) >= 30
            # Each statement names its indicator by the catalogue's short label.
            assert all(any(s.startswith(label) for label in labels) for s in statements)
            assert page.locator("section.focus-effort").count() == 3
            page.screenshot(path=str(SCREENSHOTS / f"kommun_1882_{YEAR}_1280.png"), full_page=True)

            page.get_by_role("link", name="Örebro län: hela uppföljningen").click()
            page.wait_for_load_state()
            assert page.url.endswith(f"uppfoljning_{YEAR}.html")

            phone = browser.new_page(viewport=WIDTHS["telefon"], is_mobile=True)
            kommun = (report_2021 / f"uppfoljning_{YEAR}" / "kommun_1882.html").as_uri()
            for url, stem in ((county, f"uppfoljning_{YEAR}"), (kommun, f"kommun_1882_{YEAR}")):
                phone.goto(url)
                assert_fits_and_reads_well(phone, f"{stem} on a phone")
                phone.screenshot(path=str(SCREENSHOTS / f"{stem}_telefon.png"))
        finally:
            browser.close()
    for shot in SCREENSHOTS.glob(f"*{YEAR}_*.png"):
        assert shot.stat().st_size > 30_000, shot
