"""The main job's follow-up report end to end: it opens in Chromium with every kraftsamling, and
`make report` writes any assessment year.

The tests read or copy the data directory of the one clean first run (``first_run``, shared by
the xdist group of the same name).
"""

from __future__ import annotations

import re
import shutil

import pytest

from tests.e2e.main_job import FOCUS_EFFORTS
from tests.e2e.pipeline import make_report

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("first_run")]


def test_the_followup_report_opens_in_chromium_with_every_kraftsamling(first_run):
    from playwright.sync_api import sync_playwright

    reports = first_run[0] / "reports"
    (page_file,) = reports.glob("uppfoljning_*.html")
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing; `make test` installs it (make system)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 2000})
            page.goto(page_file.as_uri())
            for name in FOCUS_EFFORTS:
                heading = page.get_by_role("heading", name=name, exact=True)
                assert heading.count() == 1, name
                assert heading.is_visible()
            assert page.locator("section.focus-effort").count() == 3
            assert page.locator("section.area").count() == 10
            assert page.locator("figure svg").count() >= 30
            # Once as a heading (the table of contents links to it too).
            changes = re.compile("Förändringar sedan uppföljningen")
            assert page.get_by_role("heading", name=changes).count() == 1
            # Every chart has a sane size (Chromium caps a page at 33 554 432 px).
            assert page.evaluate("document.body.scrollHeight") < 200_000
            screenshot = first_run[0] / "reports" / f"{page_file.stem}.png"
            page.screenshot(path=str(screenshot))
        finally:
            browser.close()
    assert screenshot.stat().st_size > 50_000


def test_make_report_writes_any_assessment_year(copy_of_first_run):
    proc = make_report(copy_of_first_run, 2022)
    assert proc.returncode == 0, proc.stderr[-3000:]
    html = (copy_of_first_run / "reports" / "uppfoljning_2022.html").read_text(encoding="utf-8")
    assert "Örebro län 2022" in html and "Förändringar sedan uppföljningen 2021" in html
    md = (copy_of_first_run / "reports" / "uppfoljning_2022.md").read_text(encoding="utf-8")
    assert all(f"### {name}" in md for name in FOCUS_EFFORTS)
    csvs = list((copy_of_first_run / "reports" / "uppfoljning_2022").glob("*.csv"))
    assert len(csvs) >= 30
    proc = make_report(copy_of_first_run, 1990)
    assert proc.returncode == 2 and "assessment year 1990 is outside" in proc.stderr
