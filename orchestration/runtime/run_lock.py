"""One writer on the data directory at a time: the lock every run holds from start to end.

Two runs on one ``data/`` (two ``make run``, or ``make run`` during a scheduled run) would both
land loads, write the DuckDB warehouse and swap the published files. The run that finds the lock
taken is refused before it changes anything, with a message naming the run that holds it.

The lock is ``fcntl.flock`` on ``<data_dir>/.rus-run.lock``: the kernel releases it when the
holder exits, however it exits (SIGKILL included), so a crashed run never leaves a stale lock for
anyone to clean up. The file's content (pid, run, since) is only for the message. No Dagster
imports: the resource in resources.py holds it for the run.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = ".rus-run.lock"


class RunLockedError(RuntimeError):
    """Another run holds the data directory."""


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "another run"
    return (
        f"run {info.get('run', '?')} (pid {info.get('pid', '?')}, since {info.get('since', '?')})"
    )


@contextmanager
def run_lock(data_dir: Path, run: str, wait_s: float = 0.0) -> Iterator[None]:
    """Hold the data directory's lock for the body; wait up to ``wait_s`` for it, then refuse."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunLockedError(
                        f"{data_dir} is in use by {_holder(path)}; one run at a time writes the "
                        "raw loads, the warehouse and the published files. Wait for it to finish "
                        "(or stop it) and run again."
                    ) from None
                time.sleep(0.5)
        os.ftruncate(fd, 0)
        since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.write(fd, json.dumps({"pid": os.getpid(), "run": run, "since": since}).encode())
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
