"""The band on a full fetch's row count: a source that suddenly returns far fewer (or more)
values than the previous full fetch blocks the load; incremental and first loads pass."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from expectations.runner import validate
from expectations.suites import common
from expectations.suites.raw import KOLADA, SCB, RawContext
from expectations.volume import FetchBand, FetchVolume

CTX = RawContext(
    series_scales={"N01982": "percent"},
    geography_codes=frozenset({"0018", "1880"}),
    last_year=2026,
)
BAND = "expect_fetched_row_count_to_be_between"


def load(rows: int = 2) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "load_id": ["L3"] * 2,
            "kpi_id": ["N01982"] * 2,
            "municipality_id": ["0018", "1880"],
            "year": [2020, 2020],
            "gender": ["T", "T"],
            "value": [41.0, 55.5],
            "count": [1, 1],
            "status": ["", ""],
            "is_deleted": [False, False],
            "is_synthetic": [False, False],
            "provenance": [None, None],
        }
    ).head(rows)
    return KOLADA.prepare(frame, CTX)


def run(fetch: FetchVolume, frame: pd.DataFrame | None = None, **kwargs):
    frame = load() if frame is None else frame
    return validate(frame, KOLADA.name, KOLADA.build(replace(CTX, fetch=fetch)), **kwargs)


def band_outcome(summary):
    (outcome,) = [o for o in summary.outcomes if o.expectation == BAND]
    return outcome


def full(fetched: int, previous: int | None = 1000, narrower: bool = False) -> FetchVolume:
    return FetchVolume(
        mode="full",
        fetched_rows=fetched,
        previous_load_id="L1" if previous is not None else None,
        previous_rows=previous,
        previous_narrower=narrower,
    )


def test_a_full_fetch_ten_times_smaller_than_the_previous_one_fails_naming_the_rule():
    summary = run(full(100))

    assert not summary.success
    assert [o.expectation for o in summary.failed] == [BAND]
    rule = "fetched row count within 0.5–2× of the previous full fetch (1000 rows, load L1)"
    assert summary.failed[0].rule == rule
    assert summary.failed[0].observed == 100
    assert f"{BAND} ({rule}): observed 100" in summary.describe_failures()


def test_a_full_fetch_far_larger_than_the_previous_one_fails():
    summary = run(full(2001))
    assert [o.expectation for o in summary.failed] == [BAND]


@pytest.mark.parametrize("fetched", [500, 1000, 1300, 2000])
def test_a_full_fetch_within_the_band_passes(fetched):
    summary = run(full(fetched))
    assert summary.success, summary.describe_failures()
    assert band_outcome(summary).observed == fetched


def test_an_empty_incremental_load_passes_saying_why():
    fetch = FetchVolume(mode="incremental", fetched_rows=0, from_date="2026-11-20")
    summary = run(fetch, load(rows=0))

    assert summary.success, summary.describe_failures()
    assert summary.row_count == 0
    observed = band_outcome(summary).observed
    assert observed.startswith("incremental load (values changed since 2026-11-20)")


def test_the_first_load_passes_saying_there_is_nothing_to_compare_with():
    summary = run(full(2, previous=None))

    assert summary.success, summary.describe_failures()
    assert "no previous accepted full fetch" in band_outcome(summary).observed


def test_after_the_request_widened_only_the_lower_bound_applies():
    assert run(full(10_000, narrower=True)).success
    shrunk = run(full(100, narrower=True))
    assert not shrunk.success
    assert "at least 0.5× the previous full fetch of a narrower request" in shrunk.failed[0].rule


def test_the_band_is_configurable():
    fetch = full(100)
    expectations = KOLADA.build(replace(CTX, fetch=fetch, fetch_band=FetchBand(0.05, 20)))
    summary = validate(load(), KOLADA.name, expectations)
    assert summary.success
    assert band_outcome(summary).rule.startswith("fetched row count within 0.05–20×")


@pytest.mark.parametrize(("low", "high"), [(1.5, 2.0), (0.5, 0.9), (-0.1, 2.0)])
def test_a_band_that_would_reject_an_unchanged_fetch_is_refused(low, high):
    with pytest.raises(ValueError, match="0 ≤ low ≤ 1 ≤ high"):
        FetchBand(low, high)


def test_the_scb_suite_has_the_band_too():
    ctx = RawContext(series_scales={}, geography_codes=frozenset(), fetch=full(100), last_year=2026)
    assert [type(e).__name__ for e in SCB.build(ctx)][-1] == ("ExpectFetchedRowCountToBeBetween")
    assert common.fetched_row_count(full(100)).min_value == 500


def test_without_fetch_information_the_suite_has_no_band():
    assert BAND not in {e.expectation_type for e in KOLADA.build(CTX)}


def test_the_band_is_shown_on_the_data_docs_page(tmp_path):
    summary = run(full(100), docs_dir=tmp_path, run_name="L3")
    page = Path(summary.docs_page).read_text()
    assert "fetched row count within 0.5–2× of the previous full fetch (1000 rows, load L1)" in page


@pytest.mark.parametrize(
    "fetch",
    [
        full(1000),
        full(400),
        full(2500),
        full(300, narrower=True),
        full(5000, narrower=True),
        full(10, previous=None),
        FetchVolume(mode="incremental", fetched_rows=0, from_date="2026-11-20"),
        FetchVolume(mode="full", fetched_rows=None, previous_rows=1000, previous_load_id="L1"),
    ],
)
def test_a_load_without_values_gets_the_verdict_gx_gives_on_its_band(fetch):
    """An empty load is judged without GX (validate_volume_only); the verdict, rule and observed
    value are those of the GX suite's band expectation on the same volume."""
    from expectations.volume import validate_volume_only

    plain = validate_volume_only(KOLADA.name, fetch, FetchBand(), run_name="L3")
    with_gx = band_outcome(run(fetch, load(0)))
    (outcome,) = plain.outcomes
    assert plain.success == outcome.success == with_gx.success
    assert (outcome.expectation, outcome.rule) == (with_gx.expectation, with_gx.rule)
    if fetch.fetched_rows is not None:
        assert outcome.observed == with_gx.observed
    assert plain.row_count == 0
