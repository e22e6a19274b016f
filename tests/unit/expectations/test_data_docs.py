"""Every validation can be rendered as Great Expectations Data Docs that accumulate across runs."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from expectations import runner
from expectations.runner import validate
from expectations.suites.raw import KOLADA, RawContext
from expectations.summary import docs_index

CTX = RawContext(
    series_scales={"N01982": "percent", "N85085": "amount"},
    geography_codes=frozenset({"0000", "0018", "1880"}),
    last_year=2026,
)


def load(share: float = 41.0) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "load_id": ["L"] * 2,
            "kpi_id": ["N01982", "N85085"],
            "municipality_id": ["0018", "1880"],
            "year": [2020, 2021],
            "gender": ["T", "T"],
            "value": [share, 4806.3],
            "count": [1, 1],
            "status": ["", ""],
            "is_deleted": [False, False],
            "is_synthetic": [False, False],
            "provenance": [None, None],
        }
    )
    return KOLADA.prepare(frame, CTX)


def run(frame: pd.DataFrame, docs_dir: Path, run_name: str):
    return validate(frame, KOLADA.name, KOLADA.build(CTX), docs_dir=docs_dir, run_name=run_name)


def text(page: Path) -> str:
    """The page's visible text, one space between words."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", page.read_text(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def index_entries(docs_dir: Path) -> str:
    return docs_index(docs_dir).read_text()


def test_a_failed_validation_renders_a_data_docs_page_with_the_unexpected_value(tmp_path):
    summary = run(load(share=180.0), tmp_path, "L1")

    assert not summary.success
    assert docs_index(tmp_path).is_file()
    page = Path(summary.docs_page)
    assert page.is_file() and page.is_relative_to(tmp_path / "data_docs" / "validations")
    shown = text(page)
    assert "Expectation Suite: raw_kolada_values" in shown
    assert "Status: Failed" in shown and "Run Name L1" in shown
    # The failed expectation, its column and the unexpected example.
    failed = shown.index("If scale == percent , then values must be greater than or equal to 0.0")
    assert "less than or equal to 100.0" in shown[failed:]
    assert "1 unexpected values found" in shown[failed:]
    assert "180.0" in shown[failed:]
    assert "Unsuccessful Expectations 1" in shown


def test_each_validation_adds_a_page_and_the_index_lists_every_run(tmp_path):
    first = run(load(share=180.0), tmp_path, "L1")
    second = run(load(), tmp_path, "L2")

    assert not first.success and second.success
    assert first.docs_page != second.docs_page
    assert Path(first.docs_page).is_file() and Path(second.docs_page).is_file()
    index = index_entries(tmp_path)
    for summary in (first, second):
        relative = Path(summary.docs_page).relative_to(tmp_path / "data_docs").as_posix()
        assert relative in index
    assert "L1" in index and "L2" in index
    # The suite's own page (its expectations) is in the site too.
    assert (tmp_path / "data_docs" / "expectations" / "raw_kolada_values.html").is_file()


def test_only_the_newest_results_per_suite_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "DOCS_KEEP_PER_SUITE", 2)
    pages = [Path(run(load(), tmp_path, f"L{i}").docs_page) for i in range(3)]

    assert not pages[0].exists() and pages[1].is_file() and pages[2].is_file()
    index = index_entries(tmp_path)
    assert pages[0].relative_to(tmp_path / "data_docs").as_posix() not in index
    assert len(list((tmp_path / "validations" / "raw_kolada_values").rglob("*.json"))) == 2


def test_without_a_docs_dir_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    summary = validate(load(), KOLADA.name, KOLADA.build(CTX))
    assert summary.success and summary.docs_page is None
    assert list(tmp_path.iterdir()) == []
