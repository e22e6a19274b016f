"""The deployment of deploy/ as the tests start it: the systemd units' own command lines (with
this checkout's venv, free loopback ports and a copy of the workspace), the checkout copied as
/opt/rus-pipeline holds it, and the services' environment. Helpers of test_deployment.py."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.conftest import REPO_ROOT
from tests.postgres import SUPERUSER, SUPERUSER_PASSWORD

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


def start_unit(deployment: dict[str, object], name: str, extra_env: dict[str, str] | None = None):
    """One unit's ExecStart in its own session, logging to <root>/<unit>.log (appended)."""
    env = {**deployment["env"], **(extra_env or {})}
    ports, procs, logs = deployment["ports"], deployment["procs"], deployment["logs"]
    if name not in logs:
        logs[name] = open(deployment["root"] / f"{name}.log", "a", encoding="utf-8")  # noqa: SIM115
    procs[name] = subprocess.Popen(
        command(unit(name)["ExecStart"], ports, deployment["workspace"]),
        cwd=deployment["install"],
        env=env,
        stdout=logs[name],
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if name == "rus-dagster-code-server":
        wait_for(lambda: serving(ports["code"], env), "the code server", 240, procs)


def start_units(deployment: dict[str, object]) -> None:
    """Each unit's ExecStart (the code server answering before the others start), the schedule
    turned on, and the webserver up."""
    for name in UNITS:
        start_unit(deployment, name)
    # Turned on while the webserver starts: its first tick is at most a minute away.
    started = dagster_cli(deployment, "schedule", "start", SCHEDULE)
    assert started.returncode == 0, started.stdout + started.stderr
    wait_for(
        lambda: webserver_up(deployment["ports"]["web"]), "the webserver", 180, deployment["procs"]
    )


def stop_units(deployment: dict[str, object]) -> None:
    """SIGTERM to every unit's session, SIGKILL to those still running after 30 s."""
    procs, logs = deployment["procs"], deployment["logs"]
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


def serving(port: int, env: dict[str, str]) -> bool:
    health = [str(Path(sys.executable).with_name("dagster")), "api", "grpc-health-check"]
    probe = [*health, "--port", str(port), "--host", "127.0.0.1"]
    return subprocess.run(probe, env=env, capture_output=True, check=False).returncode == 0


def webserver_up(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/server_info", timeout=5).ok
    except requests.RequestException:
        return False


def schedule_runs(port: int) -> list[dict[str, str]]:
    answer = requests.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": RUNS_QUERY, "variables": {"schedule": SCHEDULE}},
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()["data"]["runsOrError"]["results"]


def dagster_cli(deployment, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("dagster")), *args, "-w", str(deployment["workspace"])],
        cwd=deployment["install"],
        env=deployment["env"],
        capture_output=True,
        text=True,
        timeout=180,
    )


ALL_RUNS_QUERY = """
{ runsOrError { ... on Runs { results { runId status creationTime tags { key value } } } } }
"""


TERMINATE = """
mutation($ids: [String!]!) { terminateRuns(runIds: $ids) { __typename } }
"""


def cancel_queued(port: int, keep: str) -> list[str]:
    """Cancel every run still waiting in the queue but ``keep`` (a tick that came before the
    schedule could be stopped); the ids cancelled."""
    queued = [r["runId"] for r in all_runs(port) if r["status"] == "QUEUED" and r["runId"] != keep]
    if queued:
        answer = requests.post(
            f"http://127.0.0.1:{port}/graphql",
            json={"query": TERMINATE, "variables": {"ids": queued}},
            timeout=30,
        )
        answer.raise_for_status()
    return queued


def all_runs(port: int) -> list[dict]:
    """Every run of the instance, newest first, with its status and tags."""
    answer = requests.post(
        f"http://127.0.0.1:{port}/graphql", json={"query": ALL_RUNS_QUERY}, timeout=30
    )
    answer.raise_for_status()
    return answer.json()["data"]["runsOrError"]["results"]
