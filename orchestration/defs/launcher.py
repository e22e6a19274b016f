"""The run launcher of the deployment (deploy/dagster.yaml) and of ``make dev`` (dagster.yaml):
Dagster's default launcher (each run in a process of the code server) that run monitoring can ask
whether a run's worker still lives.

With the default launcher, run monitoring sees a run whose worker died (OOM killer, a host restart
that took the code server with it) as STARTED forever, and the queue (one run at a time) holds
every later night behind it. This launcher answers the monitoring daemon's health check from the
worker's own ``RUN_START`` event (its pid and time; runtime/run_worker.py), so the daemon marks the
run failed, the failure alert fires, and the next night starts. Terminating a run (its
``dagster/max_runtime`` passed, or the UI's Terminate) asks the code server first and SIGKILLs a
worker that is still there after a grace period, so its lock on the data directory is released.

Runs whose code server is on another host are not judged (their max runtime still applies).
"""

from __future__ import annotations

import json
import socket

from dagster import DagsterEventType, DagsterRun, DefaultRunLauncher
from dagster._core.launcher.base import CheckRunHealthResult, WorkerStatus
from dagster._core.storage.tags import GRPC_INFO_TAG

from orchestration.runtime.run_worker import Liveness, kill_if_running, liveness

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class MonitoredRunLauncher(DefaultRunLauncher):
    """:class:`DefaultRunLauncher` with a run worker health check and a terminate that ends."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def _worker(self, run: DagsterRun) -> tuple[int, float] | None:
        """(pid, started at) of the run's worker, from its newest RUN_START event."""
        records = self._instance.get_records_for_run(
            run.run_id, of_type=DagsterEventType.RUN_START, limit=1, ascending=False
        ).records
        if not records:
            return None
        entry = records[0].event_log_entry
        pid = entry.dagster_event.pid if entry.dagster_event else None
        return (pid, entry.timestamp) if pid else None

    def _on_this_host(self, run: DagsterRun) -> bool:
        """Launched through a code server on this host, or not through one at all (`make run`
        executes in its own process, on the host whose daemon watches the same instance)."""
        grpc = json.loads(run.tags.get(GRPC_INFO_TAG) or "{}")
        host = grpc.get("host")
        return host is None or host in LOCAL_HOSTS or host == socket.gethostname()

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        worker = self._worker(run)
        if worker is None:
            return CheckRunHealthResult(WorkerStatus.RUNNING, "no RUN_START event yet")
        pid, since = worker
        if not self._on_this_host(run):
            return CheckRunHealthResult(WorkerStatus.RUNNING, f"worker pid {pid} is remote")
        state = liveness(pid, since)
        if state is Liveness.GONE:
            return CheckRunHealthResult(
                WorkerStatus.FAILED,
                f"run worker pid {pid} is gone (killed, out of memory, or its host restarted)",
                run_worker_id=str(pid),
            )
        return CheckRunHealthResult(WorkerStatus.RUNNING, f"worker pid {pid}: {state.value}")

    def terminate(self, run_id: str) -> bool:
        run = self._instance.get_run_by_id(run_id) if self.has_instance else None
        worker = self._worker(run) if run is not None else None
        asked = super().terminate(run_id)
        if worker is not None and run is not None and self._on_this_host(run):
            killed = kill_if_running(*worker)
            return asked or killed
        return asked
