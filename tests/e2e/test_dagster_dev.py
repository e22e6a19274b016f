"""`make dev`: the Dagster UI on 127.0.0.1 shows the assets, the blocking check, the schedule."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.e2e

QUERY = """
{
  assetNodes {
    assetKey { path }
    groupName
    assetChecksOrError { ... on AssetChecks { checks { name blocking } } }
  }
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes { schedules { name cronSchedule executionTimezone } }
    }
  }
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dagster_dev(tmp_path_factory):
    port = free_port()
    env = {**os.environ, "RUS_DATA_DIR": str(tmp_path_factory.mktemp("dev") / "data")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "dev", "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if requests.get(f"{url}/server_info", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None, "dagster dev exited before serving"
            assert time.monotonic() < deadline, "dagster dev did not answer within 180 s"
            time.sleep(1)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_the_ui_shows_every_layer_the_blocking_check_and_the_nightly_schedule(dagster_dev):
    data = requests.post(f"{dagster_dev}/graphql", json={"query": QUERY}, timeout=60).json()["data"]
    groups = {"/".join(n["assetKey"]["path"]): n["groupName"] for n in data["assetNodes"]}
    assert groups["raw_kolada_values"] == "ingest"
    assert groups["fct_indicator_value"] == "marts"
    assert groups["gap_indicator_annual"] == "gaps"
    assert groups["published_marts"] == "publish"
    checks = {
        c["name"]: c["blocking"]
        for n in data["assetNodes"]
        for c in (n["assetChecksOrError"].get("checks") or [])
    }
    assert checks["raw_kolada_values__gx"] is True
    schedules = [s for r in data["repositoriesOrError"]["nodes"] for s in r["schedules"]]
    assert {
        "name": "rus_nightly_schedule",
        "cronSchedule": "0 2 * * *",
        "executionTimezone": "Europe/Stockholm",
    } in schedules


def test_dagsters_own_materialize_command_lands_a_kolada_load_offline_in_dev(tmp_path):
    """`dagster asset materialize -m orchestration.definitions` in dev: the replay server comes
    with the dev resources; a base URL left in the environment (here a dead one) is not used."""
    data_dir = tmp_path / "data"
    env = {
        **os.environ,
        "RUS_ENV": "dev",
        "RUS_DATA_DIR": str(data_dir),
        "KOLADA_BASE_URL": "http://127.0.0.1:9/v3",
    }
    env.pop("DAGSTER_HOME", None)
    dagster = str(REPO_ROOT / ".venv" / "bin" / "dagster")
    if not os.path.exists(dagster):
        dagster = os.path.join(os.path.dirname(sys.executable), "dagster")
    proc = subprocess.run(
        [
            dagster,
            "asset",
            "materialize",
            "-m",
            "orchestration.definitions",
            "--select",
            "raw_kolada_values,raw_kolada_loads",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    (load,) = (data_dir / "raw" / "kolada").iterdir()
    manifest = json.loads((load / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["served_by_replay"] is True and manifest["row_count"] > 0
    assert not any(":9/" in u for u in manifest["request_urls"])
