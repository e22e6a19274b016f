"""Shared fixtures: the replay server on 127.0.0.1, fast HTTP settings, a prepared dbt manifest."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.config import HttpConfig, KoladaConfig
from ingest.pxweb.config import PxWebConfig
from ingest.replay.server import ReplayServer

REPO_ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")


# Modules whose tests share one session fixture (the main job's first run) go to one worker
# under `pytest -n 2 --dist loadgroup` (make test); every other module is a group of its own, so
# its module-scoped fixtures (a dagster dev, a run of another län) start once.
SHARED_GROUPS = {
    "tests/e2e/test_main_job.py": "first_run",
    "tests/e2e/test_postgres_warehouse.py": "first_run",
    "tests/reliability/test_security.py": "first_run",
    "tests/bench/test_bench.py": "first_run",
    "tests/e2e/test_report_pages.py": "first_run",
    "tests/e2e/test_one_verdict.py": "first_run",
    "tests/e2e/test_bi_contract.py": "first_run",
    "tests/e2e/test_published_readers.py": "first_run",
    "tests/e2e/test_bi_queries.py": "first_run",
}


# Started first under `--dist loadgroup` (each group goes to the next free worker in collection
# order): the modules that spend minutes waiting on services (a schedule tick, run monitoring, a
# daemon) overlap with the CPU-bound ones instead of trailing after them.
SLOW_FIRST = (
    "tests/e2e/test_deployment.py",
    "tests/e2e/test_dagster_dev.py",
    "tests/reliability/test_crashes.py",
    "tests/e2e/test_superset.py",
)

# Each test carries the marker of its suite (tests/<suite>/), so `-m "not e2e"` and friends work.
SUITES = ("unit", "integration", "e2e", "reliability", "bench")


@pytest.hookimpl(tryfirst=True)  # mark before xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def module(item: pytest.Item) -> str:
        return Path(str(item.fspath)).relative_to(REPO_ROOT).as_posix()

    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(SHARED_GROUPS.get(module(item), module(item))))
        suite = module(item).split("/")[1]
        if suite in SUITES and item.get_closest_marker(suite) is None:
            item.add_marker(getattr(pytest.mark, suite))
    rank = {name: n for n, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(module(item), len(SLOW_FIRST)))  # stable: file order kept


@pytest.fixture(autouse=True)
def _dbt_manifest_outside_unit_tests(request: pytest.FixtureRequest) -> None:
    """Every suite but the unit tests may load the Dagster definitions, which need the dbt
    manifest; unit tests never do (`make check` stays fast and needs no dbt parse)."""
    if request.node.get_closest_marker("unit") is None:
        request.getfixturevalue("dbt_manifest")


@pytest.fixture(scope="session")
def dbt_manifest() -> None:
    """The dbt manifest, parsed once before any test (under a lock, so parallel workers never
    write it at the same time); later runs find it fresh and leave it alone."""
    lock_path = REPO_ROOT / "dbt_project" / "target" / ".prepare.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                "from orchestration.defs.project import prepare_manifest as p; p()",
            ],
            cwd=REPO_ROOT,
            env={**os.environ, "RUS_ENV": "dev"},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


def catalogue_copy(tmp_path: Path, line: int, **changes: str) -> Path:
    """Copy the real catalogue (and its ratio declarations, which the catalogue's ratio rows are
    checked against), changing fields of the row on ``line`` of indicators.csv (header = line 1)."""
    from ingest.catalogue import SEEDS_DIR
    from ingest.ratios import RATIOS_FILE

    (tmp_path / RATIOS_FILE).write_bytes((SEEDS_DIR / RATIOS_FILE).read_bytes())

    with (SEEDS_DIR / "indicators.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[line - 2].update(changes)
    path = tmp_path / "indicators.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@contextlib.contextmanager
def serving() -> Iterator[ReplayServer]:
    """A replay server on a free loopback port, in a thread of this process."""
    server = ReplayServer("127.0.0.1", 0)
    server.start_in_thread()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    with serving() as server:
        yield server


@pytest.fixture
def kolada_config(replay: ReplayServer) -> KoladaConfig:
    return KoladaConfig(base_url=f"{replay.url}/v3")


@pytest.fixture
def fast_http() -> HttpConfig:
    """Real retry behaviour with tiny waits, so reliability tests stay quick."""
    return HttpConfig(
        read_timeout_s=5.0, backoff_initial_s=0.01, backoff_max_s=0.05, calls_per_period=1000
    )


@pytest.fixture
def scb_config(replay: ReplayServer) -> PxWebConfig:
    """The SCB PxWeb client pointed at the replay server (v1 and PxWebApi 2.0 roots)."""
    return PxWebConfig(
        v1_base_url=f"{replay.url}/OV0104/v1/doris/sv/ssd", v2_base_url=f"{replay.url}/api/v2"
    )


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server on 127.0.0.1 for the whole session (tests/postgres.py)."""
    from tests.postgres import LocalPostgres

    server = LocalPostgres.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_database(postgres_server) -> str:
    """A fresh database on the throwaway server, one per test."""
    import uuid

    name = f"rus_{uuid.uuid4().hex[:8]}"
    postgres_server.admin(f"create database {name}")
    return name


@pytest.fixture(scope="session")
def first_run(tmp_path_factory, postgres_server) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One clean run of the main job, publishing to DuckDB, Parquet and PostgreSQL, shared by the
    end-to-end and reliability tests of its xdist group (SHARED_GROUPS)."""
    from tests.e2e.pipeline import FIRST_RUN_DATABASE, WEBHOOK_SECRET, pg_env, run_main_job

    data_dir = tmp_path_factory.mktemp("first") / "data"
    postgres_server.admin(f"create database {FIRST_RUN_DATABASE}")
    # A webhook secret in the environment, as in production: it must appear nowhere under data/
    # (tests/reliability/test_security.py greps for it and for the PostgreSQL passwords).
    env = {**pg_env(postgres_server, FIRST_RUN_DATABASE), "RUS_ALERT_WEBHOOK_URL": WEBHOOK_SECRET}
    proc = run_main_job(data_dir, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return data_dir, proc


@pytest.fixture
def copy_of_first_run(first_run, tmp_path) -> Path:
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(first_run[0], data_dir, symlinks=True)
    (data_dir / "dagster" / "dagster.yaml").unlink(missing_ok=True)
    return data_dir


# -- the reliability suite's ledger (tests/reliability/summary.py) ------------------------------
def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller, or the only process
        from tests.reliability import summary

        summary.reset()


def pytest_sessionfinish(session: pytest.Session) -> None:
    from tests.reliability import summary

    summary.write_fragment(getattr(session.config, "workerinput", {}).get("workerid", "main"))


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return
    from tests.reliability import summary

    result = summary.write_summary()
    if result is None:
        return
    terminalreporter.section("reliability: faults tried (data/reliability/summary.json)")
    for line in summary.table(result):
        terminalreporter.write_line(line)
