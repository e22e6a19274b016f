"""A run's worker is alive only while a process with its pid runs that started before the run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from orchestration.runtime.run_worker import Liveness, kill_if_running, liveness, process_start

BOOT = 1_700_000_000.0
TICK = os.sysconf("SC_CLK_TCK")


def fake_proc(tmp_path: Path, processes: dict[int, tuple[str, float]]) -> Path:
    """A /proc with ``btime`` and, per pid, a stat line: state and start (seconds after boot)."""
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "stat").write_text(f"cpu  1 2 3\nbtime {int(BOOT)}\nprocesses 9\n", encoding="ascii")
    for pid, (state, after_boot) in processes.items():
        (proc / str(pid)).mkdir()
        rest = " ".join(["0"] * 18)  # fields 4..21
        line = f"{pid} (dagster (api) worker) {state} {rest} {int(after_boot * TICK)} 0 0\n"
        (proc / str(pid) / "stat").write_text(line, encoding="ascii")
    return proc


def test_a_worker_started_before_its_run_runs_and_a_reused_pid_does_not(tmp_path):
    proc = fake_proc(tmp_path, {100: ("S", 50.0), 200: ("R", 500.0), 300: ("Z", 50.0)})
    run_started = BOOT + 60.0
    assert process_start(100, proc) == BOOT + 50.0  # the name's spaces and parentheses skipped
    assert liveness(100, run_started, proc) is Liveness.RUNNING
    # pid 200 started long after the run reported its start: another process with that pid.
    assert liveness(200, run_started, proc) is Liveness.GONE
    assert liveness(300, run_started, proc) is Liveness.GONE  # a zombie
    assert liveness(400, run_started, proc) is Liveness.GONE  # no such process


def test_without_proc_nothing_is_declared_gone(tmp_path):
    assert liveness(100, BOOT, tmp_path / "no-proc") is Liveness.UNKNOWN


def test_a_real_process_runs_until_killed_and_a_stubborn_one_is_killed_after_the_grace():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        time.sleep(0.2)
        since = time.time()
        assert liveness(child.pid, since) is Liveness.RUNNING
        assert liveness(os.getpid(), since) is Liveness.RUNNING
        assert kill_if_running(child.pid, since, grace_s=0.5) is True
        child.wait(timeout=10)
        assert liveness(child.pid, since) is Liveness.GONE
        assert kill_if_running(child.pid, since, grace_s=0.5) is False
    finally:
        child.kill()
        child.wait()
