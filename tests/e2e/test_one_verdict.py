"""Over the whole published publication of a clean run (real figures): one verdict per indicator,
geography and year, which every figure beside it agrees with, and no comparison that only
measures a geography's size (docs/method.md §5, §6, §11)."""

from __future__ import annotations

import re

import duckdb
import pytest

from orchestration.gap_method import GapMethodConfig
from orchestration.gap_method.labels import ON_COURSE
from orchestration.gap_method.schema import ROLLUP_TABLES
from orchestration.gap_method.status import score_bounds

pytestmark = pytest.mark.e2e

GOOD = tuple(sorted(ON_COURSE))
ROLLUPS = tuple(ROLLUP_TABLES)
BOUNDS = score_bounds(GapMethodConfig())


@pytest.fixture(scope="module")
def published(first_run):
    con = duckdb.connect(str(first_run[0] / "published" / "rus.duckdb"), read_only=True)
    yield con
    con.close()


def test_no_status_and_score_point_opposite_ways(published):
    rows = published.execute(
        "select status, count(*) from gap_indicator_annual "
        "where (status in ? and score < 0) or (status = 'wrong_direction' and score > 0) "
        "or (status = 'insufficient_data' and score is not null) "
        "or (status <> 'insufficient_data' and score is null) group by status",
        [list(GOOD)],
    ).fetchall()
    assert rows == []
    # Stronger: every score lies in its status's band (i fas ≥ 2.5, nästan i fas 0–2.5, …).
    for status, (lo, hi) in BOUNDS.items():
        outside = published.execute(
            "select count(*) from gap_indicator_annual where status = ? "
            "and (score < ? - 1e-9 or score > ? + 1e-9)",
            [status, lo, hi],
        ).fetchone()[0]
        assert outside == 0, status
    # Open SDG's own label of the same ratio agrees wherever the noise band does not decide.
    same = {
        "target_achieved": ("target_met", "target_met_worsening"),
        "substantial_progress": ("on_track",),
        "moderate_progress": ("nearly_on_track",),
        "limited_progress": ("too_slow",),
        "deterioration": ("wrong_direction",),
        "not_available": ("insufficient_data",),
    }
    for progress, statuses in same.items():
        differing = published.execute(
            "select count(*) from gap_indicator_annual where progress_status = ? "
            "and status <> 'stagnating' and status not in ?",
            [progress, list(statuses)],
        ).fetchone()[0]
        assert differing == 0, progress


def test_the_short_term_view_against_riket_reads_the_distance_the_status_reads(published):
    # NATIONAL rows: a status that says the distance widens never sits beside a benchmark label
    # that says it closes, and the other way round.
    contradicting = published.execute(
        "select count(*) from gap_indicator_annual where target_type in ('national', 'peer') "
        "and ((status = 'wrong_direction' and benchmark_status like '%closing') "
        "or (status in ('on_track', 'nearly_on_track', 'too_slow') "
        "and benchmark_status like '%widening'))"
    ).fetchone()[0]
    assert contradicting == 0


@pytest.mark.parametrize("table", ROLLUPS)
def test_every_roll_up_mean_agrees_with_its_counts(published, table):
    """A roll-up's mean score lies between the bands of the statuses it counts: a group whose
    assessed indicators are all good never has a negative mean, and so on."""
    lo = " + ".join(f"n_{s} * {BOUNDS[s][0]}" for s in BOUNDS)
    hi = " + ".join(f"n_{s} * {BOUNDS[s][1]}" for s in BOUNDS)
    bad = published.execute(
        f"select count(*) from {table} where n_assessable > 0 and ("
        f"mean_score * n_assessable < ({lo}) - 1e-6 or mean_score * n_assessable > ({hi}) + 1e-6)"
    ).fetchone()[0]
    assert bad == 0
    unscored = published.execute(
        f"select count(*) from {table} where (n_assessable = 0) <> (mean_score is null)"
    ).fetchone()[0]
    assert unscored == 0


def test_no_total_is_ranked_or_set_against_another_geography(published):
    totals = [
        r[0]
        for r in published.execute(
            "select indicator_id from dim_indicator where measure = 'total'"
        ).fetchall()
    ]
    assert {"ghg_emissions_total", "pasture_land_total", "population"} <= set(totals)
    compared = published.execute(
        "select count(*) from gap_indicator_annual where indicator_id in ? and ("
        "rank_among_lan is not null or rank_in_lan is not null or gap_to_national is not null "
        "or benchmark_gap is not null or benchmark_status <> 'not_comparable' "
        "or level_score is not null or kommun_cv is not null)",
        [totals],
    ).fetchone()[0]
    assert compared == 0
    ranked = published.execute(
        "select count(*) from mart_area_indicators where indicator_id in ? and "
        "(rank_among_lan is not null or rank_among_region_kommuner is not null)",
        [totals],
    ).fetchone()[0]
    assert ranked == 0


COMPARING = re.compile(
    r"än riket|än länens|i riket|mot rikets|före riket|efter riket|plats \d+ av|bland de"
)


def _sentences_naming(text: str, label: str) -> list[str]:
    """The list items and sentences of ``text`` that name ``label``."""
    pieces = re.split(r"(?<=[.;])\s+|\n", text)
    return [p for p in pieces if label.lower() in p.lower()]


def test_no_report_text_compares_a_total_with_another_geographys_total(first_run, published):
    labels = [
        r[0]
        for r in published.execute(
            "select short_label from dim_indicator where measure = 'total'"
        ).fetchall()
    ]
    statements = published.execute(
        "select statement from gap_statements where subject_type = 'indicator' and subject_id in "
        "(select indicator_id from dim_indicator where measure = 'total')"
    ).fetchall()
    assert statements
    for (text,) in statements:
        assert not COMPARING.search(text), text
    reports = first_run[0] / "reports"
    pages = [*reports.glob("*.md"), *reports.glob("uppfoljning_*/*.md")]
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for label in labels:
            # A total's per-inhabitant sibling ("… per invånare") may be compared; the total not.
            named = [
                s for s in _sentences_naming(text, label) if f"{label.lower()} per" not in s.lower()
            ]
            for sentence in named:
                assert not COMPARING.search(sentence), (page.name, sentence)
