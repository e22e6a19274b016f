"""`make dev`: the Dagster UI on 127.0.0.1 shows the assets, the blocking check, the schedule."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from dagster import DagsterInstance

from tests.conftest import REPO_ROOT
from tests.processes import descendants, free_port, running, stop_process_group

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


@pytest.fixture(scope="module")
def dev_data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("dev") / "data"


@pytest.fixture(scope="module")
def dagster_dev(dev_data_dir) -> Iterator[SimpleNamespace]:
    """`make dev` (the CLI behind it) on a free port: its URL and its process."""
    port = free_port()
    # Dagster's freshness daemon evaluates every 30 s; the test reads its verdict sooner.
    env = {
        **os.environ,
        "RUS_DATA_DIR": str(dev_data_dir),
        "FRESHNESS_DAEMON_INTERVAL_SECONDS": "5",
    }
    log = dev_data_dir.parent / "dagster_dev.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "orchestration.cli", "dev", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
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
        yield SimpleNamespace(url=url, proc=proc, log=log)
    finally:
        if proc.poll() is None:  # the last test stops it itself
            stop_process_group(proc)


def test_the_ui_shows_every_layer_the_blocking_check_and_the_nightly_schedule(dagster_dev):
    answer = requests.post(f"{dagster_dev.url}/graphql", json={"query": QUERY}, timeout=60)
    data = answer.json()["data"]
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


GROUPS = ("ingest", "seeds", "staging", "intermediate", "marts", "gaps", "publish", "report")


def test_the_ui_in_chromium_shows_the_groups_the_schedule_and_a_finished_run(
    dagster_dev, dev_data_dir
):
    from playwright.sync_api import sync_playwright

    # A night in the dev deployment's own instance, as a user would start one from a terminal
    # (`make run` with the same data directory): every asset materialized once.
    env = {**os.environ, "RUS_DATA_DIR": str(dev_data_dir)}
    proc = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with DagsterInstance.from_config(str(dev_data_dir / "dagster")) as instance:
        run_id = instance.get_runs(limit=1)[0].run_id
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing; `make test` installs it (make system)"
    shots = dev_data_dir / "ui"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(f"{dagster_dev.url}/asset-groups")
            page.get_by_text("Global asset lineage").first.wait_for(timeout=60_000)
            for group in GROUPS:
                page.get_by_text(group, exact=True).first.wait_for(timeout=30_000)
            page.screenshot(path=str(shots / "asset_graph.png"))
            page.goto(f"{dagster_dev.url}/automation")
            page.get_by_text("rus_nightly_schedule").first.wait_for(timeout=60_000)
            page.get_by_text("rus_run_failure_alert").first.wait_for(timeout=60_000)
            page.screenshot(path=str(shots / "automation.png"))
            page.goto(f"{dagster_dev.url}/runs/{run_id}")
            page.get_by_text("Success", exact=True).first.wait_for(timeout=60_000)
            page.get_by_text("published_marts").first.wait_for(timeout=60_000)
            page.screenshot(path=str(shots / "run.png"))
            # Freshness as asset health: the daemon evaluates it (every 5 s here, 30 s by default);
            # the page is opened once the daemon has recorded its verdict.
            wait_for_fresh(dagster_dev, "published_marts")
            page.goto(f"{dagster_dev.url}/assets/published_marts")
            page.get_by_text("Freshness policy").first.wait_for(timeout=60_000)
            page.get_by_text("Passing", exact=True).first.wait_for(timeout=60_000)
            page.get_by_text("Fails if more than 36 hours since last materialization").wait_for()
            page.screenshot(path=str(shots / "freshness.png"))
            # A dbt model: its yml description (no raw SQL), owners, row count and columns.
            page.goto(f"{dagster_dev.url}/assets/fct_indicator_value")
            page.get_by_text("Indicator × geography × year × sex values").first.wait_for()
            page.get_by_text("rus-data").first.wait_for()
            assert page.get_by_text("Raw SQL").count() == 0
            page.screenshot(path=str(shots / "dbt_model.png"), full_page=True)
        finally:
            browser.close()
    shots_taken = ("asset_graph", "run", "freshness", "dbt_model")
    assert all((shots / f"{n}.png").stat().st_size > 20_000 for n in shots_taken)


HEALTH = """
query($path: [String!]!) {
  assetNodeOrError(assetKey: {path: $path}) {
    ... on AssetNode { freshnessStatusInfo { freshnessStatus } }
  }
}
"""


def wait_for_fresh(dagster_dev, asset: str, timeout_s: float = 240) -> None:
    """Poll the UI's GraphQL until the freshness daemon has judged ``asset`` fresh (HEALTHY)."""
    deadline = time.monotonic() + timeout_s
    status = None
    while status != "HEALTHY":
        assert time.monotonic() < deadline, (
            f"{asset}'s freshness is {status!r}, not HEALTHY, after {timeout_s:.0f} s; "
            f"dagster dev's last output:\n{dagster_dev.log.read_text(errors='replace')[-3000:]}"
        )
        time.sleep(2)
        answer = requests.post(
            f"{dagster_dev.url}/graphql",
            json={"query": HEALTH, "variables": {"path": [asset]}},
            timeout=60,
        ).json()
        health = (answer.get("data") or {}).get("assetNodeOrError", {}).get("freshnessStatusInfo")
        status = health["freshnessStatus"] if health else answer


def test_stopping_make_dev_stops_everything_it_started(dagster_dev):
    """SIGTERM to the CLI behind `make dev` (as `kill`; Ctrl-C sends SIGINT the same way) ends
    the UI, the daemon and every code server with it, not 45 s later."""
    family = descendants(dagster_dev.proc.pid)
    assert any("grpc" in cmd or "code-server" in cmd for cmd in family.values()), family
    dagster_dev.proc.send_signal(signal.SIGTERM)
    dagster_dev.proc.wait(timeout=90)
    deadline = time.monotonic() + 5
    while alive := {pid: cmd for pid, cmd in family.items() if running(pid)}:
        assert time.monotonic() < deadline, f"still running after make dev stopped: {alive}"
        time.sleep(0.2)
