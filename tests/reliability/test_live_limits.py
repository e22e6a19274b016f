"""The live APIs' undocumented limits, played by the replay server, at the load level.

A whole Kolada load at an id limit of 3, 8 or 20 per dimension (422 past it), at 100-item pages,
or under a page cut short without a word lands exactly the values of an unlimited load, in the
same number of rows; the size it learned is in the manifest and the next load starts from it.
A refusal of single ids fails naming the URL and the answer. SCB at a small cell limit (403 past
it) lands the same values as unlimited; an answer whose dimensions differ from the request is
refused. Every case is in the reliability ledger (category ``live_limits``).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterator

import pytest

from ingest.catalogue import follow_up_scope, read_geographies, read_indicators
from ingest.config import KoladaConfig
from ingest.errors import ApiRetiredError, IngestError, RequestTooLargeError, ResponseFormatError
from ingest.kolada.load import run_load as run_kolada
from ingest.landing import RawLanding
from ingest.pxweb.config import PxWebConfig
from ingest.pxweb.load import run_load as run_scb
from ingest.replay.limits import ReplayLimits
from ingest.replay.server import ReplayServer
from ingest.snapshot.scb_specs import load_specs
from tests.reliability.summary import FaultCase, record

pytestmark = pytest.mark.integration

KPIS = sorted({i.source_series_id for i in read_indicators() if i.source == "kolada"})
GEOS = follow_up_scope(read_geographies(), "0018")
YEARS = list(range(2005, 2027))
SCB_SERIES = sorted(load_specs().series)
SCB_YEARS = list(range(2010, 2026))
LIMITS = {
    "kolada_ids_3": ReplayLimits(kolada_max_ids=3),
    "kolada_ids_8": ReplayLimits(kolada_max_ids=8),
    "kolada_ids_20": ReplayLimits(kolada_max_ids=20),
    "kolada_pages_of_100": ReplayLimits(kolada_page_cap=100),
}


@pytest.fixture
def limited(replay: ReplayServer) -> Iterator[ReplayServer]:
    """The module's replay server; its limits back to none after the test."""
    yield replay
    replay.limits = ReplayLimits()


def kolada(replay, http, root, **config):
    config = KoladaConfig(base_url=f"{replay.url}/v3", **config)
    return run_kolada(KPIS, GEOS, YEARS, root, kolada=config, http=http)


def scb(replay, http, root):
    config = PxWebConfig(
        v1_base_url=f"{replay.url}/OV0104/v1/doris/sv/ssd", v2_base_url=f"{replay.url}/api/v2"
    )
    return run_scb(SCB_SERIES, GEOS, SCB_YEARS, root, config=config, http=http)


def landed(root, source: str, load_id: str) -> Counter:
    """The landed rows as a multiset: a value doubled counts twice (no dedup hides it)."""
    table = RawLanding(root, source).read(load_id, "values")
    table = table.drop_columns([c for c in ("load_id", "provenance") if c in table.column_names])
    return Counter(tuple(r.values()) for r in table.to_pylist())


@pytest.fixture(scope="module")
def clean(server, tmp_path_factory) -> dict[str, Counter]:
    """What an unlimited load lands, per source."""
    from ingest.config import HttpConfig

    http = HttpConfig(calls_per_period=1000)
    root = tmp_path_factory.mktemp("unlimited")
    return {
        "kolada": landed(root, "kolada", kolada(server, http, root).load_id),
        "scb": landed(root, "scb", scb(server, http, root).load_id),
    }


def compare(name: str, tried: str, clean: Counter, got: Counter, detail: str) -> None:
    lost, extra = clean - got, got - clean
    record(
        FaultCase(
            name=name,
            category="live_limits",
            tried=tried,
            survived=got == clean,
            rows_lost=sum(lost.values()),
            bad_rows_published=sum(extra.values()),
            detail=detail,
        )
    )
    assert sum(got.values()) == sum(clean.values())  # the same count, not only the same set
    assert got == clean


@pytest.mark.parametrize("case", list(LIMITS))
def test_a_whole_kolada_load_at_a_limit_lands_exactly_the_unlimited_values(
    case, limited, http, clean, tmp_path
):
    limited.limits = LIMITS[case]
    summary = kolada(limited, http, tmp_path)
    manifest = RawLanding(tmp_path, "kolada").manifest(summary.load_id)
    limits = manifest["request_limits"]
    detail = f"{sum(clean['kolada'].values())} rows; {manifest['http']}; {limits}"
    compare(
        case,
        f"a whole Kolada load against {LIMITS[case]}",
        clean["kolada"],
        landed(tmp_path, "kolada", summary.load_id),
        detail,
    )
    max_ids = LIMITS[case].kolada_max_ids
    if max_ids is not None:
        assert all(n <= max_ids for n in limits["ids_per_request"].values())
        assert limits["learned_from"].startswith("HTTP 422 for ")
        assert manifest["http"]["status_counts"]["422"] == limits["refused_requests"] > 0
    else:  # pages of 100: followed by next_url, nothing refused or cut
        assert limits["learned_from"] is None and limits["truncated_requests"] == 0
        assert manifest["pages"] > 100


def test_the_next_kolada_load_starts_from_the_size_the_last_one_learned(limited, http, tmp_path):
    limited.limits = ReplayLimits(kolada_max_ids=8)
    first = kolada(limited, http, tmp_path)
    second = kolada(limited, http, tmp_path)
    landing = RawLanding(tmp_path, "kolada")
    before, after = landing.manifest(first.load_id), landing.manifest(second.load_id)
    learned = before["request_limits"]["ids_per_request"]
    refused = [m["http"]["status_counts"].get("422", 0) for m in (before, after)]
    record(
        FaultCase(
            name="kolada_learned_size_carried_to_next_load",
            category="live_limits",
            tried="two Kolada loads against an id limit of 8",
            survived=refused[1] == 0 and after["request_limits"]["started_at"] == learned,
            rows_lost=0,
            bad_rows_published=0,
            detail=f"422s {refused[0]} then {refused[1]}; learned {learned}",
        )
    )
    assert after["request_limits"]["started_from"] == first.load_id
    assert after["request_limits"]["started_at"] == learned
    assert refused[0] > 0 and refused[1] == 0
    assert after["http"]["requests"] < before["http"]["requests"]


def test_a_refusal_of_single_ids_fails_naming_the_url_and_the_answer(replay, http, tmp_path):
    body = {"detail": [{"type": "too_long", "msg": "List should have at most 0 items"}]}
    replay.configure([{"kind": "status", "status": 422, "body": body, "path": "^/v3/data/"}])
    config = KoladaConfig(base_url=f"{replay.url}/v3")
    with pytest.raises(RequestTooLargeError) as caught:
        run_kolada(KPIS[:1], ["0018", "1880"], [2020], tmp_path, kolada=config, http=http)
    message = str(caught.value)
    url = f"{replay.url}/v3/data/kpi/{KPIS[0]}/municipality/0018/year/2020"
    named = url in message and "List should have at most 0 items" in message
    nothing = RawLanding(tmp_path, "kolada").loads() == []
    record(
        FaultCase(
            name="kolada_422_for_single_ids",
            category="live_limits",
            tried="HTTP 422 for every Kolada data request, down to one id per dimension",
            survived=named and nothing,
            rows_lost=0,
            bad_rows_published=0 if nothing else 1,
            detail=message[:300],
        )
    )
    assert named, message
    assert "HTTP 422" in message and "cannot be split further" in message
    assert nothing


def test_a_page_cut_short_without_a_word_is_split_and_fetched_again(replay, http, clean, tmp_path):
    replay.configure([{"kind": "cap_page", "items": 100, "path": "^/v3/data/"}])
    summary = kolada(replay, http, tmp_path, per_page=100)
    limits = RawLanding(tmp_path, "kolada").manifest(summary.load_id)["request_limits"]
    compare(
        "kolada_page_cut_at_per_page_silently",
        "every Kolada data page cut to per_page=100 items with no next_url",
        clean["kolada"],
        landed(tmp_path, "kolada", summary.load_id),
        f"{limits['truncated_requests']} requests split as truncated",
    )
    assert limits["truncated_requests"] > 0


@pytest.mark.parametrize("status", [200, 404])
def test_a_kolada_v2_deprecation_answer_says_to_point_at_v3(replay, http, tmp_path, status):
    said = {"error": "This endpoint is deprecated. Please use /v3 instead."}
    fault = (
        {"kind": "garbage", "body": json.dumps(said)}
        if status == 200
        else {"kind": "status", "status": status, "body": said}
    )
    replay.configure([{**fault, "path": "^/v3/"}])
    config = KoladaConfig(base_url=f"{replay.url}/v3")
    with pytest.raises(ApiRetiredError) as caught:
        run_kolada(KPIS[:1], ["0018"], [2020], tmp_path, kolada=config, http=http)
    message = str(caught.value)
    ok = "Kolada v2 is retired; KOLADA_BASE_URL must point at …/v3" in message
    record(
        FaultCase(
            name=f"kolada_v2_deprecation_answer_{status}",
            category="live_limits",
            tried=f"Kolada's v2 deprecation answer with HTTP {status}",
            survived=ok and repr(config.base_url) in message,
            rows_lost=0,
            bad_rows_published=0,
            detail=message[:300],
        )
    )
    assert ok and repr(config.base_url) in message, message


def test_a_whole_scb_load_at_a_small_cell_limit_lands_the_unlimited_values(
    limited, http, clean, tmp_path
):
    limited.limits = ReplayLimits(scb_max_cells=7)
    first = scb(limited, http, tmp_path)
    manifest = RawLanding(tmp_path, "scb").manifest(first.load_id)
    limits = manifest["request_limits"]
    compare(
        "scb_cells_7",
        "a whole SCB load against a limit of 7 cells per request (403 past it)",
        clean["scb"],
        landed(tmp_path, "scb", first.load_id),
        f"{manifest['http']}; {limits}",
    )
    assert limits["max_cells"] <= 7 and limits["learned_from"].startswith("HTTP 403 for ")
    second = RawLanding(tmp_path, "scb").manifest(scb(limited, http, tmp_path).load_id)
    assert second["request_limits"]["started_at"] == limits["max_cells"]
    assert second["http"]["status_counts"].get("403", 0) == 0


def test_an_scb_answer_for_a_code_not_asked_for_is_refused(replay, http, tmp_path):
    replay.configure([{"kind": "recode_category", "dimension": "Region", "from": "18", "to": "99"}])
    with pytest.raises(ResponseFormatError) as caught:
        scb(replay, http, tmp_path)
    message = str(caught.value)
    ok = "dimension 'Region'" in message and replay.url in message and "'99'" in message
    nothing = RawLanding(tmp_path, "scb").loads() == []
    record(
        FaultCase(
            name="scb_answer_dimension_mismatch",
            category="live_limits",
            tried="an SCB answer whose Region dimension holds 99 where 18 was asked for",
            survived=ok and nothing,
            rows_lost=0,
            bad_rows_published=0 if nothing else 1,
            detail=message[:300],
        )
    )
    assert ok, message
    assert nothing
    assert isinstance(caught.value, IngestError)


def test_the_replay_answers_past_its_id_limit_with_a_422_json_body(limited):
    import requests

    limited.limits = ReplayLimits(kolada_max_ids=8)
    munis = ",".join(GEOS[:9])
    resp = requests.get(f"{limited.url}/v3/data/kpi/{KPIS[0]}/municipality/{munis}", timeout=5)
    assert resp.status_code == 422
    (problem,) = resp.json()["detail"]
    assert problem["loc"] == ["path", "municipality"] and problem["ctx"]["max_length"] == 8
    eight = ",".join(GEOS[:8])
    ok = requests.get(f"{limited.url}/v3/data/kpi/{KPIS[0]}/municipality/{eight}", timeout=5)
    assert ok.status_code == 200
    doc = requests.get(
        f"{limited.url}/v3/data/kpi/{KPIS[0]}/municipality/0018/year/1990", timeout=5
    ).json()
    assert doc == {"values": [], "count": 0, "next_url": None, "previous_url": None}
    assert dataclasses.asdict(ReplayLimits()) == {
        "kolada_max_ids": None,
        "kolada_page_cap": None,
        "scb_max_cells": 100_000,
    }
