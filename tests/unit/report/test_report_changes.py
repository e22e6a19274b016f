"""What changed since last year's edition of the report: a status flipped by revised data is
told apart from new data, and revisions seen before the last edition are not news."""

from __future__ import annotations

import shutil

import pandas as pd

from orchestration.report.report import load_inputs, status_changes, write_report
from tests.unit.report.small_publication import publish_small, revisions_of, values_frame


def test_a_status_flipped_by_revised_data_is_told_apart_from_new_data(tmp_path):
    reports = tmp_path / "reports"
    first = tmp_path / "first.duckdb"
    publish_small(first, values_frame(), "P1")
    write_report(load_inputs(first, "0018"), 2021, reports)  # the 2021 edition, as printed
    printed = pd.read_csv(reports / "editions" / "uppfoljning_2021.csv", dtype=str)
    assert printed.set_index("indicator_id").loc["share_b", "status"] != "wrong_direction"

    # The source revises share_b for 2021 and 2022 upwards (lower is better): worse.
    second = tmp_path / "second.duckdb"
    revised = values_frame(revise=40.0)
    revisions = revisions_of(values_frame(), revised, "2026-11-29 02:00:00")
    publish_small(second, revised, "P2", revisions=revisions, published_at="2026-11-30 02:00")
    inputs = load_inputs(second, "0018")
    changes = status_changes(inputs.gaps, 2022, printed, inputs.revisions).set_index("indicator_id")
    assert (
        changes.loc["share_b", "previous_status"]
        == printed.set_index("indicator_id").loc["share_b", "status"]
    )
    assert changes.loc["share_b", "cause"] == "nya data (2022) och reviderade data (2 värden)"
    files = write_report(inputs, 2022, reports)
    html = files.html.read_text(encoding="utf-8")
    assert "Förändringar sedan uppföljningen 2021" in html and "reviderade data (2" in html
    # The revised values themselves, from mart_revisions: the county's two, old → new.
    assert "2 värden för Örebro län i 1 indikator har reviderats sedan uppföljningen 2021" in html
    assert "<td>2021</td><td>totalt</td><td>27</td><td>40</td>" in html

    # Revisions seen before last year's edition was printed are not news for this one.
    old = tmp_path / "old.duckdb"
    early = revisions_of(values_frame(), revised, "2026-11-01 02:00:00")
    publish_small(old, revised, "P3", revisions=early, published_at="2026-11-30 02:00")
    again_dir = tmp_path / "again"
    (again_dir / "editions").mkdir(parents=True)
    shutil.copy(reports / "editions" / "uppfoljning_2021.csv", again_dir / "editions")
    again = write_report(load_inputs(old, "0018"), 2022, again_dir).html.read_text(encoding="utf-8")
    assert "Inga värden för Örebro län har reviderats sedan uppföljningen 2021" in again
    assert "reviderade data (" not in again
