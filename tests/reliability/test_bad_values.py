"""Bad values a source can send, at the load level: the load lands (kept for inspection), its
Great Expectations suite fails naming the expectation, and the load is never accepted, so not one
of its rows can reach dbt or the published marts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from expectations.runner import validate
from expectations.suites import raw_kolada
from ingest.catalogue import follow_up_scope, read_geographies, read_indicators
from ingest.config import KoladaConfig
from ingest.kolada.load import run_load
from ingest.landing import RawLanding
from ingest.replay.server import ReplayServer
from tests.conftest import serving
from tests.reliability.summary import FaultCase, record

pytestmark = pytest.mark.integration

PERCENT, AMOUNT = "N15428", "N85085"  # a share (0–100) and an amount (not negative)
KPIS = [PERCENT, AMOUNT]
GEOS = follow_up_scope(read_geographies(), "0018")
YEARS = list(range(2015, 2023))
CELL = {"municipality": "0018", "year": 2020}

BAD = {
    "share_out_of_range": (
        {"kind": "corrupt_value", "kpi": PERCENT, **CELL, "value": 180.0},
        "expect_column_values_to_be_between",
    ),
    "negative_amount": (
        # R&D spending is published every other year: 2019 has a value.
        {
            "kind": "corrupt_value",
            "kpi": AMOUNT,
            "municipality": "0018",
            "year": 2019,
            "value": -5.0,
        },
        "expect_column_values_to_be_between",
    ),
    "duplicated_keys": (
        {"kind": "duplicate_item", "kpi": PERCENT, "municipality": "0018"},
        "expect_compound_columns_to_be_unique",
    ),
    "unknown_kommun_code": (
        {"kind": "recode_field", "field": "municipality", "from": "1880", "to": "1899"},
        "expect_column_values_to_be_in_set",
    ),
    "year_in_the_future": (
        {"kind": "recode_field", "field": "period", "from": 2020, "to": 2031},
        "expect_column_values_to_be_between",
    ),
    "kpi_not_asked_for": (
        {"kind": "recode_field", "field": "kpi", "from": AMOUNT, "to": "N00000"},
        "expect_column_values_to_be_in_set",
    ),
}


@pytest.fixture
def fresh_replay() -> Iterator[ReplayServer]:
    """A server of its own: value faults act on the answers it builds."""
    with serving() as server:
        yield server


def suite_context() -> raw_kolada.RawKoladaContext:
    return raw_kolada.RawKoladaContext(
        kpi_scales={i.source_series_id: i.scale for i in read_indicators() if i.source == "kolada"},
        geography_codes=frozenset(g.code for g in read_geographies()),
        last_year=2026,
    )


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_value_is_blocked_by_validation_naming_the_expectation(
    case, fresh_replay, fast_http, tmp_path
):
    fault, expectation = BAD[case]
    fresh_replay.configure([fault])
    config = KoladaConfig(base_url=f"{fresh_replay.url}/v3")
    summary = run_load(KPIS, GEOS, YEARS, tmp_path, kolada=config, http=fast_http)
    landing = RawLanding(tmp_path, "kolada")
    ctx = suite_context()
    frame = landing.read(summary.load_id, "values").to_pandas()
    verdict = validate(raw_kolada.prepare(frame, ctx), raw_kolada.NAME, raw_kolada.build(ctx))
    landing.record_validation(summary.load_id, verdict.as_dict())  # what the blocking check does
    failed = verdict.as_dict().get("failed", [])
    accepted = landing.accepted_loads()
    record(
        FaultCase(
            name=case,
            category="bad_values",
            tried=f"{fault} in a full Kolada fetch",
            survived=not verdict.success and expectation in failed and accepted == [],
            rows_lost=0 if summary.load_id in landing.loads() else summary.rows,
            bad_rows_published=summary.rows if summary.load_id in accepted else 0,
            detail=f"failed: {failed}",
        )
    )
    assert not verdict.success and expectation in failed, failed
    assert accepted == []  # never read by dbt
    assert landing.loads() == [summary.load_id]  # kept for inspection
