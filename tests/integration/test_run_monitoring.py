"""Run monitoring with the project's launcher: the daemon's own check of a STARTED run fails it
once its worker process is gone, and leaves it alone while the worker lives."""

from __future__ import annotations

import logging
import subprocess
import sys
import time

import dagster as dg
import pytest
from dagster import DagsterEvent, DagsterEventType, DagsterRunStatus
from dagster._core.events.log import EventLogEntry
from dagster._daemon.monitoring.run_monitoring import monitor_started_run

from orchestration.defs.launcher import MonitoredRunLauncher

pytestmark = pytest.mark.integration

INSTANCE = {
    "run_launcher": {"module": "orchestration.defs.launcher", "class": "MonitoredRunLauncher"},
    "run_monitoring": {"enabled": True, "max_resume_run_attempts": 0},
}


def started_run(instance: dg.DagsterInstance, pid: int) -> str:
    """A STARTED run whose RUN_START event names ``pid`` as its worker."""
    run = instance.create_run_for_job(dg.GraphDefinition("nightly").to_job())
    instance.handle_new_event(
        EventLogEntry(
            error_info=None,
            level=logging.DEBUG,
            user_message="",
            run_id=run.run_id,
            timestamp=time.time(),
            dagster_event=DagsterEvent(
                DagsterEventType.RUN_START.value, job_name=run.job_name, pid=pid
            ),
        )
    )
    return run.run_id


def test_a_run_whose_worker_died_is_failed_and_one_whose_worker_lives_is_not():
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        with dg.instance_for_test(overrides=INSTANCE) as instance:
            assert isinstance(instance.run_launcher, MonitoredRunLauncher)
            run_id = started_run(instance, worker.pid)
            log = logging.getLogger("test_run_monitoring")
            monitor_started_run(instance, None, instance.get_run_record_by_id(run_id), log)
            assert instance.get_run_by_id(run_id).status == DagsterRunStatus.STARTED

            worker.kill()  # the OOM killer, say
            worker.wait(timeout=10)
            monitor_started_run(instance, None, instance.get_run_record_by_id(run_id), log)
            assert instance.get_run_by_id(run_id).status == DagsterRunStatus.FAILURE
            failure = instance.get_records_for_run(
                run_id, of_type=DagsterEventType.RUN_FAILURE
            ).records[0]
            message = failure.event_log_entry.dagster_event.message
            assert f"run worker pid {worker.pid} is gone" in message
    finally:
        worker.kill()
        worker.wait()
