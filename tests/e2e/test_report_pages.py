"""`make report YEAR=2021` on the real bundled snapshot, opened in Chromium: the county report
with a 21-län chart per indicator with county values, a page per kommun of the region, linked
both ways, with the kommun's statements in the catalogue's short labels. Screenshots of both
pages are saved under data/screenshots/."""

from __future__ import annotations

import shutil

import pytest

from ingest.catalogue import read_indicators
from tests.conftest import REPO_ROOT
from tests.e2e.pipeline import make_report

pytestmark = pytest.mark.e2e
YEAR = 2021
SCREENSHOTS = REPO_ROOT / "data" / "screenshots"


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


def test_every_indicator_with_county_values_has_a_21_lan_chart(report_2021):
    figures = report_2021 / f"uppfoljning_{YEAR}"
    charted = {p.name.removesuffix("_lan.svg") for p in figures.glob("*_lan.svg")}
    assert charted == county_values_by_indicator(report_2021)
    pages = sorted(figures.glob("kommun_*.html"))
    assert len(pages) == 12  # Örebro län's twelve kommuner


def test_the_county_report_and_a_kommun_page_open_in_chromium_linked_both_ways(report_2021):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing; `make test` installs it (make system)"
    labels = [i.short_label for i in read_indicators()]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.goto((report_2021 / f"uppfoljning_{YEAR}.html").as_uri())
            lan_charts = page.locator('figure[data-chart="lan"] svg')
            assert lan_charts.count() >= 30
            assert lan_charts.first.bounding_box()["height"] > 200  # 21 bars, not a sliver
            page.screenshot(path=str(SCREENSHOTS / f"uppfoljning_{YEAR}.png"))

            page.get_by_role("link", name="Askersund", exact=True).click()
            page.wait_for_load_state()
            assert page.url.endswith("kommun_1882.html")
            heading = page.get_by_role("heading", level=1)
            assert heading.inner_text() == f"Askersund: uppföljning av RUS 2018–2030 {YEAR}"
            statements = page.locator("ul.statements li").all_inner_texts()
            assert len(statements) >= 30
            # Each statement names its indicator by the catalogue's short label.
            assert all(any(s.startswith(label) for label in labels) for s in statements)
            assert page.locator("section.focus-effort").count() == 3
            page.screenshot(path=str(SCREENSHOTS / f"kommun_1882_{YEAR}.png"), full_page=True)

            page.get_by_role("link", name="Örebro län: hela uppföljningen").click()
            page.wait_for_load_state()
            assert page.url.endswith(f"uppfoljning_{YEAR}.html")
        finally:
            browser.close()
    for shot in SCREENSHOTS.glob(f"*{YEAR}.png"):
        assert shot.stat().st_size > 30_000, shot
