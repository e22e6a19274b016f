"""SCB's cell limit without a server: halving, refusals, learned cells, the answer's dimensions
checked against the request, and the client splitting against a fake API."""

from __future__ import annotations

import itertools
import json

import pytest

from ingest.errors import HttpStatusError, RequestTooLargeError, ResponseFormatError
from ingest.pxweb.client import PxWebClient
from ingest.pxweb.config import PxWebConfig
from ingest.pxweb.jsonstat import Dimension
from ingest.pxweb.series import parse_series_id
from ingest.pxweb.split import (
    LearnedCells,
    cells,
    check_dimensions,
    fit,
    halves,
    inherited_cells,
    refused_as_too_large,
)

URL = "http://127.0.0.1:1/OV0104/v1/doris/sv/ssd/A/B/C"
SEL = {"Region": ["00", "18", "1880"], "Kon": ["1", "2", "1+2"], "Tid": ["2019", "2020"]}


def test_halves_cut_the_variable_with_the_most_codes():
    first, second = halves(SEL)
    assert (first["Region"], second["Region"]) == (["00", "18"], ["1880"])
    assert first["Kon"] == second["Kon"] == SEL["Kon"]
    with pytest.raises(ValueError, match="one code per variable"):
        halves({"Region": ["00"], "Tid": ["2020"]})


def test_fit_reaches_any_limit_down_to_single_cells_and_keeps_every_cell_once():
    for limit in (1, 2, 5, 7, 18):
        parts = fit(SEL, limit)
        assert all(cells(p) <= limit for p in parts)
        combos = [c for p in parts for c in itertools.product(*p.values())]
        assert sorted(combos) == sorted(itertools.product(*SEL.values()))


@pytest.mark.parametrize(
    ("status", "body", "refused"),
    [
        (403, b"", True),
        (413, b"Payload Too Large", True),
        (
            400,
            b'{"title":"Forbiden","status":400,"detail":"The query resulted in cell that '
            b'exceeds the number of allowed."}',
            True,
        ),
        (400, b"Too many cells selected", True),
        (400, b'{"detail": "Value, 0114 is not a valid value code for variable Region"}', False),
        (404, b"Table with id, X can not be found", False),
    ],
    ids=["403", "413", "problem-detail", "text", "400-other", "404"],
)
def test_only_answers_that_say_too_many_cells_count_as_refusals(status, body, refused):
    assert refused_as_too_large(HttpStatusError(URL, status, body, "POST")) is refused


def test_learned_cells_fall_to_the_bigger_half_and_the_next_load_starts_there():
    learned = LearnedCells(100_000)
    learned.refused(378, 189, HttpStatusError(URL, 403, b'{"detail": "exceeds"}', "POST"))
    learned.refused(189, 95, HttpStatusError(URL, 403, b"", "POST"))
    manifest = learned.as_manifest()
    assert manifest["max_cells"] == 95 and manifest["refused_requests"] == 2
    assert manifest["learned_from"].startswith(f"HTTP 403 for 378 cells at {URL}")
    urls = {"v1": "http://127.0.0.1:8765/v1", "v2": "http://127.0.0.1:8765/v2"}
    manifests = [
        (
            "L2",
            {
                "base_urls": {"v1": "http://127.0.0.2:8765/v1", "v2": "http://127.0.0.1:8765/v2"},
                "request_limits": manifest,
            },
        ),
        ("L1", {"base_urls": urls, "request_limits": manifest}),
    ]
    assert inherited_cells(manifests, urls, 100_000) == (95, "L1")
    assert inherited_cells(manifests, urls, 50) == (50, "L1")  # never above the configured
    assert inherited_cells([], urls, 100_000) == (100_000, None)


def dims(**codes: list[str]) -> list[Dimension]:
    return [Dimension(var, var, tuple(c)) for var, c in codes.items()]


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        (dict(SEL, Alder=["16-64"]), "dimension 'Alder', which the request did not ask for"),
        ({"Region": SEL["Region"], "Tid": SEL["Tid"]}, "lacks dimension 'Kon'"),
        (dict(SEL, Region=["00", "18", "1881"]), "dimension 'Region'.*not asked: \\['1881'\\]"),
        (dict(SEL, Tid=["2019"]), "dimension 'Tid'.*missing: \\['2020'\\]"),
    ],
    ids=["extra-dimension", "missing-dimension", "code-not-asked", "code-missing"],
)
def test_an_answer_whose_dimensions_differ_from_the_request_is_refused(answer, named):
    with pytest.raises(ResponseFormatError, match=named) as caught:
        check_dimensions(dims(**answer), SEL, URL)
    assert URL in str(caught.value)


def test_an_answer_with_the_dimensions_asked_for_in_any_order_passes():
    check_dimensions(dims(Tid=SEL["Tid"], Region=SEL["Region"][::-1], Kon=SEL["Kon"]), SEL, URL)


class FakeScb:
    """A v1 data POST answered as JSON-stat 2.0 (every cell 1.0), refused with 403 past
    ``limit`` cells."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.stats = None

    def post_json(self, url, payload, params=None):
        part = {q["code"]: q["selection"]["values"] for q in payload["query"]}
        n = cells(part)
        if n > self.limit:
            body = b'{"detail": "The query resulted in cell that exceeds the number of allowed."}'
            raise HttpStatusError(url, 403, body, "POST")
        doc = {
            "class": "dataset",
            "id": list(part),
            "size": [len(c) for c in part.values()],
            "dimension": {
                v: {"category": {"index": {c: i for i, c in enumerate(codes)}}}
                for v, codes in part.items()
            },
            "value": [1.0] * n,
        }
        return doc, json.dumps(doc).encode()


def test_the_client_halves_refused_selections_and_gets_every_cell_exactly_once():
    px = PxWebClient(PxWebConfig(), FakeScb(limit=4))
    series = parse_series_id("A/B/C|ContentsCode=X")
    rows, requests, _ = px.fetch_cells(series, SEL)
    keys = [(r["Region"], r["Kon"], r["Tid"]) for r in rows]
    assert len(keys) == len(set(keys)) == 18
    assert px.limits.max_cells <= 4 and requests >= 18 // 4
    with pytest.raises(RequestTooLargeError, match=r"HTTP 403.*one value of every variable") as e:
        PxWebClient(PxWebConfig(), FakeScb(limit=0)).fetch_cells(series, {"Region": ["00"]})
    assert "exceeds the number of allowed" in str(e.value) and "ssd/A/B/C" in str(e.value)
