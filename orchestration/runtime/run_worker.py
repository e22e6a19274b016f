"""Whether a run's worker process still lives, judged on this host.

Dagster's default run launcher cannot tell whether a run's worker is alive: a worker killed by the
OOM killer, or lost with its host, leaves the run STARTED in the run storage, and with one run at a
time the queue then holds every later night behind it. The worker names itself in its run's
``RUN_START`` event (its pid, and the event's time); run monitoring asks :func:`liveness` of it
(orchestration/defs/launcher.py). A pid alone is reused, after a restart above all, so a process
with that pid counts only if it started before the run did.

Linux only (``/proc``); elsewhere the answer is "unknown", never "gone", and a run's
``dagster/max_runtime`` still ends what cannot be judged. No Dagster imports.
"""

from __future__ import annotations

import os
import signal
import time
from enum import Enum
from pathlib import Path

PROC = Path("/proc")
# A process started this long after the run's start event is another process with the same pid
# (the worker itself started before it reported the run started).
START_SLACK_S = 2.0


class Liveness(Enum):
    RUNNING = "running"
    GONE = "gone"  # exited, killed, or the host restarted since
    UNKNOWN = "unknown"  # no /proc here: not for this host to judge


def _boot_time(proc: Path) -> float | None:
    try:
        lines = (proc / "stat").read_text(encoding="ascii").splitlines()
    except OSError:
        return None
    return next((float(line.split()[1]) for line in lines if line.startswith("btime ")), None)


def _stat_fields(proc: Path, pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name (from the state on); None when
    there is no such process."""
    try:
        stat = (proc / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces and parentheses: split after it.
    return stat[stat.rindex(")") + 2 :].split()


def process_start(pid: int, proc: Path = PROC) -> float | None:
    """When process ``pid`` started (epoch seconds); None when no such (live) process."""
    boot, fields = _boot_time(proc), _stat_fields(proc, pid)
    if boot is None or fields is None or fields[0] in ("Z", "X"):
        return None  # gone, or a zombie waiting for its parent
    ticks = int(fields[19])  # field 22 of the whole line: start time in clock ticks after boot
    return boot + ticks / os.sysconf("SC_CLK_TCK")


def liveness(pid: int, running_since: float, proc: Path = PROC) -> Liveness:
    """Whether the process ``pid`` that reported a run started at ``running_since`` still runs."""
    if not (proc / "stat").exists():
        return Liveness.UNKNOWN
    started = process_start(pid, proc)
    if started is None or started > running_since + START_SLACK_S:
        return Liveness.GONE
    return Liveness.RUNNING


def kill_if_running(pid: int, running_since: float, grace_s: float = 20.0) -> bool:
    """Wait up to ``grace_s`` for the worker to exit (it was asked to), then SIGKILL it, so that
    its lock on the data directory is released. True when it was killed."""
    deadline = time.monotonic() + grace_s
    while liveness(pid, running_since) is Liveness.RUNNING:
        if time.monotonic() >= deadline:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                return False  # it exited just now
            return True
        time.sleep(0.5)
    return False
