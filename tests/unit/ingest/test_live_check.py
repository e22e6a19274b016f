"""The live check's runner: errors said clearly, an unreachable host not asked again, a question
whose basis failed not asked, the configuration read (never written) with options first."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from ingest import live_check
from ingest.config import KOLADA_LIVE_BASE_URL, HttpConfig
from ingest.errors import FetchError
from ingest.live_check import EndpointResult, describe_fetch_error, run_questions, short_reason
from ingest.live_check_probes import Question, RecordingHttp
from ingest.pxweb.config import PXWEB_V1_LIVE_BASE_URL

REFUSED = (
    "ConnectionError: HTTPSConnectionPool(host='{host}', port=443): Max retries exceeded "
    "with url: /v3/kpi/N00926 (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection "
    "object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused'))"
)


def test_a_network_error_names_the_host_the_url_and_the_likely_cause():
    # Only the message is built here: nothing is asked of the live host.
    url = f"{KOLADA_LIVE_BASE_URL}/kpi/N00926"
    host = urlsplit(url).netloc
    exc = FetchError(url, REFUSED.format(host=host), 3)
    assert describe_fetch_error(exc) == (
        f"cannot reach {host}: GET {url} failed after 3 "
        "attempt(s) ([Errno 111] Connection refused); this machine may have no route to the "
        "live APIs"
    )
    local = FetchError("http://127.0.0.1:9/v3/kpi/N00926", "timed out (ReadTimeout: ...)", 3)
    assert describe_fetch_error(local).endswith("(timed out); is the replay server running?")


def test_an_http_error_names_the_url_and_the_answer():
    url = "http://127.0.0.1:9/api/v2/tables/TAB1/metadata"
    exc = FetchError(url, 'HTTP 404: {"title":"Not Found"}')
    assert live_check.http_status(exc) == 404
    assert describe_fetch_error(exc) == (f'GET {url} answered HTTP 404: {{"title":"Not Found"}}')


def test_short_reason_keeps_the_gist():
    assert short_reason("[Errno -3] Temporary failure in name resolution')") == (
        "[Errno -3] Temporary failure in name resolution"
    )
    assert short_reason("x" * 200).endswith("...") and len(short_reason("x" * 200)) == 120


def question(name, url, ask, needs=None):
    return Question(name, url, RecordingHttp(HttpConfig()), ask, needs)


def test_an_unreachable_host_is_asked_once_and_a_failed_basis_stops_what_builds_on_it():
    asked = []

    def unreachable():
        asked.append("a")
        raise FetchError("http://127.0.0.3:1/a", REFUSED)

    def differs():
        asked.append("c")
        return ["values[0].kpi: expected a string, found no such field"]

    results = run_questions(
        [
            question("a", "http://127.0.0.3:1/v3", unreachable),
            question("b", "http://127.0.0.3:1/v3", lambda: asked.append("b") or []),
            question("c", "http://127.0.0.1:2/api", differs),
            question("d", "http://127.0.0.1:2/api", lambda: asked.append("d") or [], needs="c"),
            question("e", "http://127.0.0.1:2/api", lambda: asked.append("e") or []),
        ]
    )
    assert asked == ["a", "c", "e"]
    assert [r.ok for r in results] == [False, False, False, False, True]
    assert results[1].differences == ["not asked: 127.0.0.3:1 could not be reached (see a)"]
    assert results[3].differences == ["not asked: it builds on c, which failed"]


def test_a_fail_line_shows_three_differences_and_the_report_all():
    r = EndpointResult(
        "kolada /data", "GET", "http://127.0.0.1:9/v3/data", 200, 5.0, False, list("abcde")
    )
    assert r.line() == "FAIL  kolada /data: a; b; c (+2 more in the report)"
    assert r.as_dict()["difference"] == "a; b; c; d; e"
    ok = EndpointResult("kolada /kpi", "GET", "http://127.0.0.1:9/v3/kpi/N1", 200, 12.4, True)
    assert ok.line().split() == [
        "ok",
        "kolada",
        "/kpi",
        "12",
        "ms",
        "GET",
        "http://127.0.0.1:9/v3/kpi/N1",
    ]
    assert ok.as_dict()["difference"] is None


def args(**kw):
    base = {"kolada_url": None, "scb_url": None, "scb_v1_url": None, "data_dir": None}
    return argparse.Namespace(**{**base, **kw})


def test_settings_take_options_then_the_pipelines_variables_then_the_live_urls():
    env = {"KOLADA_BASE_URL": "http://127.0.0.1:1/v3/", "RUS_DATA_DIR": "/srv/rus"}
    s = live_check.settings(args(scb_url="http://127.0.0.1:2/api/v2"), env)
    assert s.kolada.base_url == "http://127.0.0.1:1/v3"
    assert s.pxweb.v2_base_url == "http://127.0.0.1:2/api/v2"
    assert s.pxweb.v1_base_url == PXWEB_V1_LIVE_BASE_URL
    assert s.data_dir == Path("/srv/rus")
    assert live_check.settings(args(data_dir=Path("d")), env).data_dir == Path("d")
    assert live_check.settings(args(), {}).data_dir == Path("data")
    assert live_check.settings(args(), {}).kolada.base_url == KOLADA_LIVE_BASE_URL


def test_the_report_is_named_by_utc_time_and_never_overwritten(tmp_path):
    s = live_check.settings(args(data_dir=tmp_path), {})
    when = datetime(2026, 12, 5, 13, 0, 1, tzinfo=UTC)
    results = [EndpointResult("kolada /kpi", "GET", "http://127.0.0.1:9/v3/kpi/N1", 200, 1.0, True)]
    first = live_check.write_report(results, s, when, 1)
    second = live_check.write_report(results, s, when, 1)
    assert first.name == "20261205T130001Z.json" and second.name == "20261205T130001Z-1.json"
    doc = json.loads(first.read_text(encoding="utf-8"))
    assert doc["checked_at"] == "2026-12-05T13:00:01Z" and doc["ok"] is True
    assert doc["endpoints"][0] == {
        "endpoint": "kolada /kpi",
        "method": "GET",
        "url": "http://127.0.0.1:9/v3/kpi/N1",
        "status": 200,
        "ms": 1.0,
        "ok": True,
        "differences": [],
        "difference": None,
    }
