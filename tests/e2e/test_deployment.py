"""The multi-process deployment of deploy/: the three services of its systemd units, started with
the units' own commands on 127.0.0.1 against a throwaway PostgreSQL, run the nightly job from a
real schedule tick through the queued run coordinator, with every event stored in PostgreSQL;
run monitoring fails a night whose worker was killed, and the next night publishes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import psycopg2
import pytest
from dagster import DagsterEventType

from orchestration.runtime.change_gate import read_publication
from orchestration.runtime.run_worker import Liveness, liveness
from tests.e2e.deployment import (
    DATABASE,
    DEPLOY,
    INSTALL_DIR,
    SCHEDULE,
    UNITS,
    all_runs,
    cancel_queued,
    command,
    dagster_cli,
    deployment_env,
    install_copy,
    schedule_runs,
    start_unit,
    start_units,
    stop_units,
    unit,
    wait_for,
)
from tests.postgres import SUPERUSER, SUPERUSER_PASSWORD
from tests.processes import free_port
from tests.webhook import webhook_sink

pytestmark = pytest.mark.e2e

FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}  # a run's terminal statuses


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
    # The production instance, with run monitoring polling every 5 s instead of 30 (test time).
    instance = (DEPLOY / "dagster.yaml").read_text(encoding="utf-8")
    assert "  poll_interval_seconds: 30\n" in instance
    (home / "dagster.yaml").write_text(
        instance.replace("  poll_interval_seconds: 30\n", "  poll_interval_seconds: 5\n"),
        encoding="utf-8",
    )
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
    deployment = {
        "env": env,
        "ports": ports,
        "procs": {},
        "logs": {},
        "root": root,
        "workspace": workspace,
        "install": install,
    }
    try:
        start_units(deployment)
        yield deployment
    finally:
        stop_units(deployment)


def test_a_schedule_tick_runs_the_nightly_job_through_the_queue_into_postgresql(
    deployment, postgres_server
):
    port, procs = deployment["ports"]["web"], deployment["procs"]
    try:
        runs = wait_for(lambda: schedule_runs(port), "a schedule tick's run", 150, procs)
    finally:
        # One tick is enough: later ones would queue behind it.
        stopped = dagster_cli(deployment, "schedule", "stop", SCHEDULE)
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    run_id = runs[-1]["runId"]  # the first tick's (newest first)
    # A second tick the stop came too late for only queues behind it: cancelled, it costs nothing.
    cancel_queued(port, keep=run_id)
    wait_for(
        lambda: next(r["status"] for r in schedule_runs(port) if r["runId"] == run_id) in FINISHED,
        "the nightly run to finish",
        480,
        procs,
    )
    status = next(r["status"] for r in schedule_runs(port) if r["runId"] == run_id)
    log = (deployment["root"] / "rus-dagster-code-server.log").read_text(encoding="utf-8")
    assert status == "SUCCESS", log[-4000:]

    conn = _connect(postgres_server)
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


@pytest.fixture
def webhook() -> Iterator[ThreadingHTTPServer]:
    with webhook_sink() as server:
        yield server


# Between two nights Kolada revises a figure, so the second night rebuilds (dbt runs).
REVISION = {"kind": "revise", "kpi": "N15428", "municipality": "0018", "year": 2022, "value": 79.1}


def _connect(postgres_server):
    """The deployment's Dagster database in the throwaway PostgreSQL."""
    return psycopg2.connect(
        host=postgres_server.host,
        port=postgres_server.port,
        dbname=DATABASE,
        user=SUPERUSER,
        password=SUPERUSER_PASSWORD,
    )


def _event(postgres_server, run_id: str, kind: str, step: str | None = None) -> dict | None:
    """The newest stored event of ``kind`` (and ``step``) of a run, as its JSON body."""
    conn = _connect(postgres_server)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "select event from event_logs where run_id = %s and dagster_event_type = %s "
                "and (%s::text is null or step_key = %s) order by id desc limit 1",
                [run_id, DagsterEventType[kind].value, step, step],
            )
            row = cur.fetchone()
    finally:
        conn.close()
    return json.loads(row[0]) if row else None


def _status(port: int, run_id: str) -> str | None:
    return next((r["status"] for r in all_runs(port) if r["runId"] == run_id), None)


CODE_SERVER = "rus-dagster-code-server"


def _stop_code_server(deployment, sig: signal.Signals) -> None:
    """``sig`` to the code server's whole session (its gRPC server, run workers, dbt)."""
    procs = deployment["procs"]
    os.killpg(procs[CODE_SERVER].pid, sig)
    procs.pop(CODE_SERVER).wait(timeout=60)


def _scheduled_run(deployment, what: str, timeout: float, pick) -> str:
    """The schedule on until ``pick`` finds a run among all runs (its id), then off again."""
    port = deployment["ports"]["web"]
    assert dagster_cli(deployment, "schedule", "start", SCHEDULE).returncode == 0
    try:
        return wait_for(lambda: pick(all_runs(port)), what, timeout, deployment["procs"])
    finally:
        assert dagster_cli(deployment, "schedule", "stop", SCHEDULE).returncode == 0


def test_a_killed_run_worker_is_failed_by_run_monitoring_and_the_next_night_publishes(
    deployment, postgres_server, webhook
):
    """The host loses the code server and the night's run worker at once (SIGKILL mid-build):
    nobody is left to say the run ended but run monitoring, which marks it failed; the failure
    alert fires; the next night starts and publishes; what was published stays whole meanwhile."""
    port, procs = deployment["ports"]["web"], deployment["procs"]
    published = Path(deployment["env"]["RUS_DATA_DIR"]) / "published" / "rus.duckdb"
    assert published.is_file(), "the first night (the test above) must have published"
    # A tick the first test could not stop in time queues a night behind its own; it must be
    # over before the publication is fingerprinted (else it publishes the revision below).
    wait_for(
        lambda: all(r["status"] in FINISHED for r in all_runs(port)),
        "every earlier night to finish",
        480,
        procs,
    )
    first_publication = read_publication(published)[0]
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    faults = deployment["root"] / "revision.json"
    faults.write_text(json.dumps([REVISION]), encoding="utf-8")
    extra = {
        "RUS_REPLAY_FAULTS": str(faults),
        "RUS_ALERT_WEBHOOK_URL": f"http://127.0.0.1:{webhook.server_port}/alerts",
    }
    _stop_code_server(deployment, signal.SIGTERM)
    start_unit(deployment, CODE_SERVER, extra)

    known = {r["runId"] for r in all_runs(port)}
    night = _scheduled_run(
        deployment,
        "the second night's run",
        150,
        lambda runs: next((r["runId"] for r in runs if r["runId"] not in known), None),
    )
    wait_for(
        lambda: _event(postgres_server, night, "STEP_START", "rus_dbt_models"),
        "the second night's dbt build",
        300,
        procs,
    )
    worker = _event(postgres_server, night, "RUN_START")["dagster_event"]["pid"]
    _stop_code_server(deployment, signal.SIGKILL)
    wait_for(lambda: liveness(worker, time.time()) is Liveness.GONE, "the worker's end", 30, procs)
    start_unit(deployment, CODE_SERVER, extra)  # as systemd's Restart=on-failure does

    wait_for(lambda: _status(port, night) == "FAILURE", "run monitoring", 180, procs)
    failure = _event(postgres_server, night, "RUN_FAILURE")["dagster_event"]["message"]
    assert f"run worker pid {worker} is gone" in failure, failure
    assert hashlib.sha256(published.read_bytes()).hexdigest() == before  # not half-written
    wait_for(
        lambda: any(a.get("run_id") == night for a in webhook.received), "the alert", 120, procs
    )

    # The next night (the daemon's retry of the failed one, or the next tick) takes the data
    # directory's lock, rebuilds and publishes.
    done = known | {night}
    later = _scheduled_run(
        deployment,
        "a later night to publish",
        480,
        lambda runs: next(
            (r["runId"] for r in runs if r["runId"] not in done and r["status"] == "SUCCESS"), None
        ),
    )
    assert later and read_publication(published)[0] != first_publication
