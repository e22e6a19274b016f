"""The multi-process deployment of deploy/: the three services of its systemd units, started with
the units' own commands on 127.0.0.1 against a throwaway PostgreSQL, run the nightly job from a
real schedule tick through the queued run coordinator, with every event stored in PostgreSQL."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
import requests
from dagster import DagsterEventType

from tests.conftest import REPO_ROOT
from tests.postgres import SUPERUSER, SUPERUSER_PASSWORD
from tests.processes import free_port

pytestmark = pytest.mark.e2e

DEPLOY = REPO_ROOT / "deploy"
UNITS = ("rus-dagster-code-server", "rus-dagster-webserver", "rus-dagster-daemon")
INSTALL_DIR = "/opt/rus-pipeline"
DATABASE = "dagster_deploy"
SCHEDULE = "rus_nightly_schedule"
RUNS_QUERY = """
query ($schedule: String!) {
  runsOrError(filter: {tags: [{key: "dagster/schedule_name", value: $schedule}]}) {
    ... on Runs { results { runId status } }
  }
}
"""


def unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in systemd units
    parser.read(DEPLOY / "systemd" / f"{name}.service", encoding="utf-8")
    return parser["Service"]


def command(line: str, ports: dict[str, int], workspace: Path) -> list[str]:
    """A unit's command line as this checkout runs it: the venv beside this interpreter, the
    test's free ports and its copy of the workspace."""
    bin_dir = str(Path(sys.executable).parent)
    line = line.replace(f"{INSTALL_DIR}/.venv/bin", bin_dir)
    line = line.replace("--port 4266", f"--port {ports['code']}")
    line = line.replace("--port 3000", f"--port {ports['web']}")
    line = line.replace("deploy/workspace.yaml", str(workspace))
    return shlex.split(line)


# What an install leaves out of the checkout: the venv (the services use this one), state and
# build output.
NOT_INSTALLED = (".git", ".venv", "data", "target", "logs", "__pycache__", "*.egg-info", ".*cache")


def install_copy(path: Path) -> Path:
    """The checkout copied as /opt/rus-pipeline would hold it."""
    shutil.copytree(REPO_ROOT, path, ignore=shutil.ignore_patterns(*NOT_INSTALLED))
    return path


def wait_for(check, what: str, timeout: float, procs: dict[str, subprocess.Popen]) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in procs.items():
            if proc.poll() is not None:
                raise AssertionError(f"{name} exited with {proc.returncode} waiting for {what}")
        found = check()
        if found:
            return found
        time.sleep(2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def test_the_units_run_the_pipeline_as_the_same_user_in_the_same_place():
    for name in UNITS:
        service = unit(name)
        assert service["WorkingDirectory"] == INSTALL_DIR
        assert service["EnvironmentFile"] == "/etc/rus-pipeline/env"
        assert service["User"] == "rus" and service["Restart"] == "on-failure"
        assert "--host 127.0.0.1" in service["ExecStart"] or "dagster-daemon" in name
    env_example = (DEPLOY / "env.example").read_text(encoding="utf-8")
    for variable in ("DAGSTER_PG_HOST", "DAGSTER_PG_PASSWORD", "DAGSTER_HOME", "RUS_ENV"):
        assert f"{variable}=" in env_example
    instance = (DEPLOY / "dagster.yaml").read_text(encoding="utf-8")
    assert "QueuedRunCoordinator" in instance and "password: {env: DAGSTER_PG_PASSWORD}" in instance


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, postgres_server) -> Iterator[dict[str, object]]:
    root = tmp_path_factory.mktemp("deploy")
    home, data_dir = root / "dagster", root / "data"
    home.mkdir()
    shutil.copyfile(DEPLOY / "dagster.yaml", home / "dagster.yaml")
    ports = {"code": free_port(), "web": free_port()}
    workspace = root / "workspace.yaml"
    workspace.write_text(
        (DEPLOY / "workspace.yaml")
        .read_text(encoding="utf-8")
        .replace("port: 4266", f"port: {ports['code']}"),
        encoding="utf-8",
    )
    postgres_server.admin(f"create database {DATABASE}")
    install = install_copy(root / "rus-pipeline")
    env = deployment_env(install, home, data_dir, postgres_server)
    code_server = unit("rus-dagster-code-server")
    prepare = subprocess.run(
        command(code_server["ExecStartPre"], ports, workspace),
        cwd=install,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert prepare.returncode == 0, prepare.stdout[-2000:] + prepare.stderr[-2000:]
    procs: dict[str, subprocess.Popen] = {}
    logs = {}
    deployment = {
        "env": env,
        "ports": ports,
        "procs": procs,
        "root": root,
        "workspace": workspace,
        "install": install,
    }
    try:
        start_units(deployment, logs)
        yield deployment
    finally:
        stop_units(procs, logs)


def deployment_env(install: Path, home: Path, data_dir: Path, postgres_server) -> dict[str, str]:
    """The services' environment: the installed checkout, a data dir and Dagster home of the
    test's own, a schedule that ticks every minute, and the throwaway PostgreSQL."""
    return {
        # The checkout as installed: its own dbt target, never this working copy's.
        "PYTHONPATH": str(install),
        **{k: v for k, v in os.environ.items() if not k.startswith(("RUS_", "DAGSTER_PG"))},
        "RUS_ENV": "dev",
        "RUS_DATA_DIR": str(data_dir),
        "RUS_NIGHTLY_CRON": "* * * * *",  # a tick within the minute, as 02:00 would give one
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_HOST": postgres_server.host,
        "DAGSTER_PG_PORT": str(postgres_server.port),
        "DAGSTER_PG_USER": SUPERUSER,
        "DAGSTER_PG_PASSWORD": SUPERUSER_PASSWORD,
        "DAGSTER_PG_DB": DATABASE,
    }


def start_units(deployment: dict[str, object], logs: dict[str, object]) -> None:
    """Each unit's ExecStart in its own session (the code server answering before the others
    start), the schedule turned on, and the webserver up."""
    env, ports, procs = deployment["env"], deployment["ports"], deployment["procs"]
    root, workspace, install = deployment["root"], deployment["workspace"], deployment["install"]
    for name in UNITS:
        logs[name] = open(root / f"{name}.log", "w", encoding="utf-8")  # noqa: SIM115
        procs[name] = subprocess.Popen(
            command(unit(name)["ExecStart"], ports, workspace),
            cwd=install,
            env=env,
            stdout=logs[name],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if name == "rus-dagster-code-server":
            wait_for(lambda: _serving(ports["code"], env), "the code server", 240, procs)
    # Turned on while the webserver starts: its first tick is at most a minute away.
    started = _dagster_cli(deployment, "schedule", "start", SCHEDULE)
    assert started.returncode == 0, started.stdout + started.stderr
    wait_for(lambda: _up(ports["web"]), "the webserver", 180, procs)


def stop_units(procs: dict[str, subprocess.Popen], logs: dict[str, object]) -> None:
    """SIGTERM to every unit's session, SIGKILL to those still running after 30 s."""
    for proc in procs.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    for log in logs.values():
        log.close()


def _serving(port: int, env: dict[str, str]) -> bool:
    health = [str(Path(sys.executable).with_name("dagster")), "api", "grpc-health-check"]
    probe = [*health, "--port", str(port), "--host", "127.0.0.1"]
    return subprocess.run(probe, env=env, capture_output=True, check=False).returncode == 0


def _up(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/server_info", timeout=5).ok
    except requests.RequestException:
        return False


def _schedule_runs(port: int) -> list[dict[str, str]]:
    answer = requests.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": RUNS_QUERY, "variables": {"schedule": SCHEDULE}},
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()["data"]["runsOrError"]["results"]


def _dagster_cli(deployment, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("dagster")), *args, "-w", str(deployment["workspace"])],
        cwd=deployment["install"],
        env=deployment["env"],
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_a_schedule_tick_runs_the_nightly_job_through_the_queue_into_postgresql(
    deployment, postgres_server
):
    port, procs = deployment["ports"]["web"], deployment["procs"]
    try:
        runs = wait_for(lambda: _schedule_runs(port), "a schedule tick's run", 150, procs)
    finally:
        # One tick is enough: later ones would queue behind it.
        stopped = _dagster_cli(deployment, "schedule", "stop", SCHEDULE)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    run_id = runs[0]["runId"]
    done = {"SUCCESS", "FAILURE", "CANCELED"}
    wait_for(
        lambda: next(r["status"] for r in _schedule_runs(port) if r["runId"] == run_id) in done,
        "the nightly run to finish",
        480,
        procs,
    )
    status = next(r["status"] for r in _schedule_runs(port) if r["runId"] == run_id)
    log = (deployment["root"] / "rus-dagster-code-server.log").read_text(encoding="utf-8")
    assert status == "SUCCESS", log[-4000:]

    conn = psycopg2.connect(
        host=postgres_server.host,
        port=postgres_server.port,
        dbname=DATABASE,
        user=SUPERUSER,
        password=SUPERUSER_PASSWORD,
    )
    try:
        with conn.cursor() as cur:
            cur.execute(
                "select dagster_event_type, count(*) from event_logs where run_id = %s "
                "and dagster_event_type is not null group by 1",
                [run_id],
            )
            events = dict(cur.fetchall())
            cur.execute("select status from runs where run_id = %s", [run_id])
            assert cur.fetchone()[0] == "SUCCESS"
            cur.execute("select status, count(*) from job_ticks where type = 'SCHEDULE' group by 1")
            ticks = dict(cur.fetchall())
            # The schedule's state lives in PostgreSQL too (turned on by the CLI; the daemon may
            # write it back while the stop is on its way, so only its presence is asserted).
            cur.execute("select status, job_body from jobs where job_type = 'SCHEDULE'")
            [(state, body)] = cur.fetchall()
    finally:
        conn.close()
    # Queued by the coordinator, started by the daemon off the queue, run to the end.
    for event in ("RUN_ENQUEUED", "RUN_STARTING", "RUN_START", "RUN_SUCCESS"):
        # Stored under Dagster's legacy names (e.g. PIPELINE_ENQUEUED).
        assert events.get(DagsterEventType[event].value) == 1, (event, events)
    assert events["ASSET_MATERIALIZATION"] >= 10 and events.get("ASSET_CHECK_EVALUATION", 0) >= 5
    assert ticks.get("SUCCESS", 0) >= 1, ticks
    assert state in {"RUNNING", "STOPPED"} and SCHEDULE in body
    published = Path(deployment["env"]["RUS_DATA_DIR"]) / "published" / "rus.duckdb"
    assert published.is_file()
