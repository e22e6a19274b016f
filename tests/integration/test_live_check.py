"""`python -m ingest live-check` against the replay server: every endpoint ok, a renamed field
named, an unreachable URL named, and nothing written under the data dir but its report."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration

ENDPOINTS = [
    "kolada /kpi",
    "kolada /municipality",
    "kolada /data",
    "scb v2 /tables",
    "scb v2 /tables/{id}/metadata",
    "scb v2 /tables/{id}/data",
    "scb v1 GET table",
    "scb v1 POST table",
]


def urls(base: str) -> dict[str, str]:
    return {
        "KOLADA_BASE_URL": f"{base}/v3",
        "PXWEB_BASE_URL": f"{base}/api/v2",
        "PXWEB_V1_BASE_URL": f"{base}/OV0104/v1/doris/sv/ssd",
    }


def live_check(data_dir, env=None, args=()):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("KOLADA_BASE_URL", "PXWEB_BASE_URL", "PXWEB_V1_BASE_URL", "RUS_DATA_DIR")
    }
    return subprocess.run(
        [sys.executable, "-m", "ingest", "live-check", *args],
        cwd=REPO_ROOT,
        env={**clean, "RUS_DATA_DIR": str(data_dir), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def written(data_dir):
    return sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if p.is_file())


def report(data_dir):
    (path,) = sorted((data_dir / "live-check").glob("*.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_endpoint_is_ok_against_the_replay(replay, tmp_path):
    proc = live_check(tmp_path, urls(replay.url))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["ok"] * len(ENDPOINTS)
    for line, endpoint in zip(lines, ENDPOINTS, strict=False):
        assert endpoint in line and " ms " in line and replay.url in line
    assert lines[-1].startswith(f"live-check: all {len(ENDPOINTS)} endpoints ok; report ")
    # Nothing under the data dir but the report, which says per endpoint what was asked.
    (name,) = written(tmp_path)
    assert name.startswith("live-check/") and name.endswith(".json")
    doc = report(tmp_path)
    assert doc["ok"] is True and doc["requests"] == len(ENDPOINTS)
    assert [e["endpoint"] for e in doc["endpoints"]] == ENDPOINTS
    kolada_data = doc["endpoints"][2]
    assert "/v3/data/kpi/" in kolada_data["url"] and "from_date=" in kolada_data["url"]
    assert (kolada_data["status"], kolada_data["ok"], kolada_data["difference"]) == (
        200,
        True,
        None,
    )
    assert all(e["ms"] is not None and e["method"] in ("GET", "POST") for e in doc["endpoints"])


def test_a_renamed_field_in_the_kolada_data_answer_is_named(replay, tmp_path):
    replay.faults.set(
        [
            {
                "kind": "rename_field",
                "path": "^/v3/data/",
                "from": "municipality",
                "to": "municipality_id",
            }
        ]
    )
    proc = live_check(tmp_path, urls(replay.url))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    (fail,) = [line for line in proc.stdout.splitlines() if line.startswith("FAIL")]
    assert fail.startswith(
        "FAIL  kolada /data: values[0].municipality: expected a string, found no such field"
    )
    assert "municipality_id" in fail  # what was found instead
    assert "1 of 8 endpoints FAILED (kolada /data)" in proc.stdout.splitlines()[-1]
    entry = report(tmp_path)["endpoints"][2]
    assert entry["ok"] is False and "values[0].municipality" in entry["difference"]
    assert "the loader refuses the answer" in entry["difference"]


def test_a_renamed_jsonstat_field_in_an_scb_answer_is_named(replay, tmp_path):
    replay.faults.set(
        [{"kind": "rename_field", "path": "^/OV0104/", "from": "dimension", "to": "dimensions"}]
    )
    proc = live_check(tmp_path, urls(replay.url), ["--data-dir", str(tmp_path / "elsewhere")])
    assert proc.returncode == 1
    (fail,) = [line for line in proc.stdout.splitlines() if line.startswith("FAIL")]
    assert fail.startswith("FAIL  scb v1 POST table: dimension: expected an object, found no such")
    (name,) = written(tmp_path)  # --data-dir wins over RUS_DATA_DIR
    assert name.startswith("elsewhere/live-check/") and name.endswith(".json")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_url_fails_naming_it_and_the_rest_is_still_asked(replay, tmp_path):
    dead = f"http://127.0.0.1:{closed_port()}/v3"
    proc = live_check(tmp_path, urls(replay.url), ["--kolada-url", dead])
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"FAIL  kolada /kpi: cannot reach 127.0.0.1: GET {dead}/kpi/")
    assert "Connection refused" in lines[0] and "is the replay server running?" in lines[0]
    # The other Kolada endpoints are not asked again; SCB (another host:port) still is.
    assert lines[1] == (
        f"FAIL  kolada /municipality: not asked: {dead[7:-3]} could not be reached "
        "(see kolada /kpi)"
    )
    assert [line.split()[0] for line in lines[3:-1]] == ["ok"] * 5
    assert "3 of 8 endpoints FAILED" in lines[-1]
    (name,) = written(tmp_path)
    assert name.startswith("live-check/")
    entry = report(tmp_path)["endpoints"][0]
    assert entry["url"].startswith(f"{dead}/kpi/") and entry["status"] is None


def test_a_bad_base_url_is_refused_before_any_request(tmp_path):
    proc = live_check(tmp_path, {"KOLADA_BASE_URL": "api.kolada.se/v3"})
    assert proc.returncode == 2
    assert "KOLADA_BASE_URL must be an http(s) URL" in proc.stderr
    assert written(tmp_path) == []
