"""Hostile or broken configuration is refused before use, naming the input and what was expected;
an oversized or endless answer is cut at the size limit with bounded memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from ingest.catalogue import read_indicators
from ingest.config import KOLADA_LIVE_BASE_URL, HttpConfig, KoladaConfig
from ingest.errors import CatalogueError, FetchError
from ingest.http import HttpClient
from ingest.pxweb.config import PxWebConfig
from tests.conftest import REPO_ROOT, catalogue_copy
from tests.reliability.summary import FaultCase, record

pytestmark = pytest.mark.integration


def catalogue_with(tmp_path: Path, field: str, value: str) -> Path:
    """The committed catalogue with the first row's ``field`` set to ``value``."""
    return catalogue_copy(tmp_path, 2, **{field: value})


def refused(name: str, tried: str, error: BaseException | None, *expected: str) -> None:
    message = str(error or "")
    ok = error is not None and all(e in message for e in expected)
    record(FaultCase(name, "hostile_config", tried, ok, 0, 0, message[:300]))
    assert ok, message or "accepted"


CATALOGUE = {
    "catalogue_id_with_sql": ("indicator_id", "x'); drop table marts.dim_indicator; --"),
    "catalogue_id_with_path": ("indicator_id", "../../etc/passwd"),
    "catalogue_kpi_with_path": ("source_series_id", "N00001/../../__replay__/faults"),
}


@pytest.mark.parametrize("case", list(CATALOGUE))
def test_a_catalogue_id_with_sql_or_path_characters_is_refused(case, tmp_path):
    field, value = CATALOGUE[case]
    path = catalogue_with(tmp_path, field, value)
    with pytest.raises(CatalogueError) as caught:
        read_indicators(path)
    refused(case, f"{field} = {value!r}", caught.value, str(path), ":2:", field)


SETTINGS = {
    "region_that_is_no_lan": ({"RUS_REGION": "1880"}, "RUS_REGION"),
    "first_year_not_a_year": ({"RUS_FIRST_YEAR": "2010; rm -rf /"}, "RUS_FIRST_YEAR"),
    "postgres_port_not_a_port": (
        {"RUS_PG_HOST": "127.0.0.1", "RUS_PG_PORT": "99999"},
        "RUS_PG_PORT",
    ),
    "webhook_not_http": ({"RUS_ALERT_WEBHOOK_URL": "file:///etc/passwd"}, "RUS_ALERT_WEBHOOK_URL"),
    "nightly_cron_not_cron": ({"RUS_NIGHTLY_CRON": "every night"}, "RUS_NIGHTLY_CRON"),
    "scope_unknown": ({"RUS_SCOPE": "world"}, "RUS_SCOPE"),
    # The live API's address (refused before any request is made).
    "replay_url_off_loopback": ({"RUS_REPLAY_URL": KOLADA_LIVE_BASE_URL}, "RUS_REPLAY_URL"),
}


@pytest.mark.parametrize("case", list(SETTINGS))
def test_a_bad_setting_is_refused_by_make_run_before_anything_runs(case, tmp_path):
    env, named = SETTINGS[case]
    data_dir = tmp_path / "data"
    proc = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run"],
        cwd=REPO_ROOT,
        env={**os.environ, "RUS_DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    error = RuntimeError(proc.stderr) if proc.returncode == 2 else None
    refused(case, f"make run with {env}", error, named, "expected")
    assert not (data_dir / "raw").exists()  # refused before anything was fetched


def test_a_faults_file_that_is_not_json_is_refused(tmp_path):
    faults = tmp_path / "faults.json"
    faults.write_text("[{kind: status}", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run"],
        cwd=REPO_ROOT,
        env={
            **os.environ,
            "RUS_DATA_DIR": str(tmp_path / "data"),
            "RUS_REPLAY_FAULTS": str(faults),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    error = RuntimeError(proc.stderr) if proc.returncode == 2 else None
    refused(
        "faults_file_not_json",
        "RUS_REPLAY_FAULTS → a file that is not JSON",
        error,
        "RUS_REPLAY_FAULTS",
        str(faults),
        "expected a JSON list",
    )


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://api.kolada.se/v3", "api.kolada.se"])
def test_a_base_url_that_is_not_http_is_refused(url):
    errors = []
    for make in (lambda: KoladaConfig(base_url=url), lambda: PxWebConfig(v1_base_url=url)):
        try:
            make()
            errors.append(None)
        except ValueError as exc:
            errors.append(exc)
    name = "base_url_not_http_" + url.split(":")[0].replace(".", "_")
    both = None if None in errors else ValueError(" / ".join(map(str, errors)))
    refused(name, f"KOLADA_BASE_URL / PXWEB_V1_BASE_URL = {url!r}", both, url, "http")


@pytest.mark.parametrize("kind", ["oversize", "endless"])
def test_an_oversized_or_endless_answer_stops_at_the_size_limit(kind, replay):
    limit = 2 * 1024 * 1024
    replay.configure([{"kind": kind, "path": "^/v3/"}])
    client = HttpClient(HttpConfig(max_response_bytes=limit, calls_per_period=1000))
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as caught:
            client.get_bytes(f"{replay.url}/v3/data/kpi/N15428/municipality/0018")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    bounded = peak < 4 * limit
    error = caught.value if bounded else None
    refused(
        f"{kind}_response",
        f"a {kind} answer against a {limit}-byte limit",
        error,
        replay.url,
        f"{limit}-byte limit",
    )
    assert bounded, f"peak {peak} bytes for a {limit}-byte limit"
