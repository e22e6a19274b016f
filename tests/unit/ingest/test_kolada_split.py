"""Kolada's id limits without a server: planning, halving, refusals, truncation, learned sizes,
and the client splitting against a fake API that refuses past a limit."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from ingest.config import KoladaConfig
from ingest.errors import ApiRetiredError, HttpStatusError, RequestTooLargeError
from ingest.kolada.client import KoladaClient
from ingest.kolada.parse import parse_data_page, retired_answer
from ingest.kolada.split import (
    DataRequest,
    LearnedSizes,
    fit,
    inherited_sizes,
    plan,
    refused_as_too_large,
    truncated,
)

BASE = "http://127.0.0.1:1/v3"
SIZES = {"kpi": 25, "municipality": 25, "year": 25}


def refusal(status: int, body: bytes = b"{}") -> HttpStatusError:
    return HttpStatusError(f"{BASE}/data/kpi/A/municipality/B/year/2020", status, body)


def test_a_plan_covers_every_combination_exactly_once_within_the_sizes():
    kpis, munis, years = (
        [f"N{i:05d}" for i in range(11)],
        ["0018", "1880", "1881"],
        range(2000, 2010),
    )
    requests = plan(kpis, munis, years, {"kpi": 4, "municipality": 2, "year": 3})
    assert len(requests) == 3 * 2 * 4
    combos = [c for r in requests for c in itertools.product(r.kpis, r.municipalities, r.years)]
    assert len(combos) == len(set(combos)) == 11 * 3 * 10
    limits = {"kpi": 4, "municipality": 2, "year": 3}
    assert all(n <= limits[dim] for r in requests for dim, n in r.sizes().items())


def test_a_request_is_halved_along_its_widest_dimension_the_first_half_taking_the_odd_id():
    request = DataRequest(("A", "B"), tuple(f"{i:04d}" for i in range(5)), (2020, 2021))
    assert request.widest() == "municipality"
    first, second = request.halves("municipality")
    assert first.municipalities == ("0000", "0001", "0002")
    assert second.municipalities == ("0003", "0004")
    assert first.kpis == second.kpis == ("A", "B")
    # On a tie the first of kpi, municipality, year is cut.
    assert DataRequest(("A", "B"), ("0018", "1880"), (2020,)).widest() == "kpi"
    assert not DataRequest(("A",), ("0018",), (2020,)).splittable
    with pytest.raises(ValueError, match="cannot split 1 kpi"):
        DataRequest(("A",), ("0018",), (2020,)).halves("kpi")


def test_fit_cuts_a_planned_request_to_sizes_learned_since():
    request = DataRequest(tuple("ABCDEFGH"), ("0018",), (2020, 2021))
    assert fit(request, SIZES) == [request]
    parts = fit(request, {"kpi": 3, "municipality": 25, "year": 25})
    assert [p.kpis for p in parts] == [("A", "B", "C"), ("D", "E", "F"), ("G", "H")]


@pytest.mark.parametrize(
    ("status", "body", "refused"),
    [
        (422, b'{"detail": [{"type": "too_long"}]}', True),
        (414, b"", True),
        (400, b"Request-URI Too Long", True),
        (400, b'{"error": "the request is too long"}', True),
        (400, b'{"error": "bad parameter per_page"}', False),
        (404, b"not found", False),
        (403, b"forbidden", False),
    ],
    ids=["422", "414", "400-uri-too-long", "400-request-too-long", "400-other", "404", "403"],
)
def test_only_answers_that_say_too_many_ids_count_as_refusals(status, body, refused):
    assert refused_as_too_large(refusal(status, body)) is refused


@pytest.mark.parametrize(
    ("pages", "count", "possible", "cut"),
    [
        ([100], 100, 200, "exactly per_page=100"),  # a full page and no next_url
        ([100], 100, 100, None),  # everything the request can hold came back
        ([100, 100], 200, 500, "exactly per_page=100"),
        ([100, 40], 140, 500, None),
        ([40], 140, 500, "'count' says 140 items but the pages held 40"),
        ([40], 40, 500, None),
        ([], 0, 500, None),  # an empty selection: values []
    ],
)
def test_a_request_whose_pages_look_cut_short_is_called_truncated(pages, count, possible, cut):
    reason = truncated(pages, count, 100, possible)
    assert (reason is None) if cut is None else (cut in reason)


def test_learned_sizes_halve_on_each_refusal_and_keep_the_first_reason():
    sizes = LearnedSizes(SIZES)
    sizes.refused("municipality", 25, refusal(422, b'{"detail": "too many"}'))
    sizes.refused("municipality", 25, refusal(422))  # a second thread refused at 25 too
    assert sizes.sizes() == {"kpi": 25, "municipality": 13, "year": 25}
    sizes.refused("municipality", 13, refusal(422))
    manifest = sizes.as_manifest()
    assert manifest["ids_per_request"]["municipality"] == 7
    assert manifest["refused_requests"] == 3 and manifest["started_at"] == SIZES
    assert manifest["learned_from"].startswith("HTTP 422 for 25 municipality ids at http")
    assert "too many" in manifest["learned_from"]


def test_a_success_below_a_refusal_gives_back_what_halving_took():
    sizes = LearnedSizes(SIZES)
    sizes.refused("municipality", 25, refusal(422))
    sizes.worked(DataRequest(("A",), tuple(f"{i:04d}" for i in range(7)), (2020,)))
    sizes.refused("municipality", 9, refusal(422))  # 9 refused, 7 worked: ask 7, not 5
    assert sizes.sizes()["municipality"] == 7
    sizes.worked(DataRequest(("A",), tuple(f"{i:04d}" for i in range(12)), (2020,)))
    assert sizes.sizes()["municipality"] == 7  # 12 worked elsewhere, but 9 was refused


def test_a_load_starts_from_the_sizes_the_newest_load_of_the_same_url_recorded():
    limits = {"ids_per_request": {"kpi": 7, "municipality": 4, "year": 30}}
    manifests = [
        ("L3", {"base_url": "http://127.0.0.2:8765/v3", "request_limits": limits}),
        ("L2", {"base_url": BASE, "request_limits": {"ids_per_request": "garbled"}}),
        ("L1", {"base_url": BASE, "request_limits": limits}),
    ]
    # Never above the configured sizes (25 years), and never from another base URL.
    assert inherited_sizes(manifests, BASE, SIZES) == (
        {"kpi": 7, "municipality": 4, "year": 25},
        "L1",
    )
    assert inherited_sizes([], BASE, SIZES) == (SIZES, None)


class FakeKolada:
    """Answers data paths like the API: 422 past ``limit`` ids in a dimension, else one item per
    KPI × municipality × year (all in one page)."""

    def __init__(self, limit: int, refuse_all: bool = False) -> None:
        self.limit, self.refuse_all = limit, refuse_all
        self.asked: list[str] = []

    def get_json(self, url: str, params=None):
        self.asked.append(url)
        m = re.search(r"/kpi/([^/]+)/municipality/([^/]+)/year/([^/?]+)", url)
        ids = [part.split(",") for part in m.groups()]
        if self.refuse_all or any(len(i) > self.limit for i in ids):
            raise HttpStatusError(url, 422, b'{"detail": [{"msg": "List should have at most"}]}')
        values = [
            {"kpi": k, "municipality": mu, "period": int(y), "values": [_value("T", 1.0)]}
            for k, mu, y in itertools.product(*ids)
        ]
        doc = {"values": values, "count": len(values), "next_url": None, "previous_url": None}
        return doc, json.dumps(doc).encode()


def _value(gender: str, value: float) -> dict:
    return {"gender": gender, "count": 1, "status": "", "value": value, "isdeleted": False}


def test_the_client_splits_refused_requests_and_gets_every_value_exactly_once():
    fake = FakeKolada(limit=5)
    client = KoladaClient(KoladaConfig(base_url=BASE, concurrency=1), fake)
    kpis, munis, years = [f"N{i:05d}" for i in range(12)], [f"{i:04d}" for i in range(9)], [2020]
    result = client.fetch_values(kpis, munis, years)
    keys = [(r["kpi_id"], r["municipality_id"], r["year"]) for r in result.rows]
    assert len(keys) == len(set(keys)) == 12 * 9  # nothing lost, nothing doubled
    sizes = client.limits.sizes()
    assert sizes["kpi"] <= 5 and sizes["municipality"] <= 5 and sizes["year"] == 25
    refused = client.limits.as_manifest()["refused_requests"]
    assert refused >= 2
    # Later requests start at the learned sizes: a second fetch is never refused.
    again = client.fetch_values(kpis, munis, years)
    assert sorted(map(str, again.rows)) == sorted(map(str, result.rows))
    assert client.limits.as_manifest()["refused_requests"] == refused


def test_a_refusal_of_single_ids_is_a_real_error_naming_the_url_and_the_answer():
    client = KoladaClient(KoladaConfig(base_url=BASE, concurrency=1), FakeKolada(1, True))
    with pytest.raises(RequestTooLargeError) as caught:
        client.fetch_values(["N00001", "N00002"], ["0018"], [2020])
    message = str(caught.value)
    assert f"{BASE}/data/kpi/N00001/municipality/0018/year/2020" in message
    assert "HTTP 422" in message and "List should have at most" in message
    assert "one KPI, one municipality and one year" in message


def test_kolada_v2_is_refused_naming_the_url_set():
    with pytest.raises(
        ValueError, match=r"Kolada v2 is retired; KOLADA_BASE_URL must point at …/v3"
    ):
        KoladaConfig(base_url="http://127.0.0.1:9/v2/")
    said = {"error": "This endpoint is deprecated. Please use /v3 instead."}
    assert retired_answer(said) == said["error"]
    assert retired_answer({"values": [], "error": "x"}) is None
    assert retired_answer({"error": "no such endpoint /v3/nope"}) is None  # a 404, not v2's end

    class Deprecated:
        def get_json(self, url, params=None):
            raise HttpStatusError(url, 404, json.dumps(said).encode())

    client = KoladaClient(KoladaConfig(base_url="http://127.0.0.1:1/kolada"), Deprecated())
    with pytest.raises(ApiRetiredError, match=r"not 'http://127.0.0.1:1/kolada'.*deprecated"):
        client.municipalities()


@pytest.mark.parametrize("per_page", [0, 5001, "5000"])
def test_per_page_is_never_above_5000_and_the_error_names_the_setting(per_page):
    with pytest.raises(ValueError, match=r"KoladaConfig.per_page must be within 1..5000"):
        KoladaConfig(base_url=BASE, per_page=per_page)


def test_the_recorded_v3_envelope_parses_status_empty_as_null_genders_in_any_order():
    """FORMATS.md "Kolada v3 as the live API answered": status "", floats, isdeleted per value,
    genders T, K, M in any order, next_url/previous_url null on the last page."""
    doc = {
        "values": [
            {
                "values": [
                    {"gender": "K", "count": 1, "status": "", "value": 82526.0, "isdeleted": False},
                    {"gender": "T", "count": 1, "status": "B", "value": 1.5, "isdeleted": True},
                    {"gender": "M", "count": 1, "status": "", "value": None, "isdeleted": False},
                ],
                "kpi": "N01951",
                "period": 2024,
                "municipality": "0580",
            }
        ],
        "next_url": None,
        "previous_url": None,
        "count": 1,
    }
    rows = {r["gender"]: r for r in parse_data_page(doc, BASE)}
    assert rows["K"]["status"] is None and rows["K"]["value"] == 82526.0
    assert (rows["T"]["status"], rows["T"]["is_deleted"]) == ("B", True)
    assert rows["M"]["is_deleted"] is False and rows["M"]["value"] is None
    assert parse_data_page({"values": [], "count": 0, "next_url": None}, BASE) == []
