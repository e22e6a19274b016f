"""Where `make run`'s own output goes: Dagster's logs, dbt's per-test lines and Python warnings are
written to ``<data>/logs/run_<UTC time>.log`` (the newest :data:`KEEP_LOGS` are kept), and only the
summary reaches the terminal.

:func:`output_to` redirects file descriptors 1 and 2, so it also catches what dbt (a child
process) and C code write; the terminal stays reachable through duplicates of the original
descriptors. No Dagster imports.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

LOG_DIR = "logs"  # under the data directory
KEEP_LOGS = 10
EXCERPT_LINES = 12

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# A line of Dagster's console log: time, "dagster", level, job, run id, [pid,] then the message.
DAGSTER_PREFIX = re.compile(
    r"^\S+ \S+ [+-]\d{4} - dagster - (?P<level>[A-Z]+) - \S+ - [0-9a-f-]{36} - (?:\d+ - )?"
)
ERRORISH = re.compile(r"ERROR|Error|Failure|FAILED|failed")
# What says nothing about the cause: steps not run because of it, stack frames.
NOISE = re.compile(r"Not executing|^File \"|^\^+$|^Stack Trace:")


@dataclass(frozen=True)
class Terminal:
    """Where the summary goes: the terminal's stdout and stderr."""

    out: TextIO
    err: TextIO

    def say(self, line: str = "") -> None:
        print(line, file=self.out, flush=True)


def new_log_path(log_dir: Path, now: datetime | None = None) -> Path:
    """``run_<UTC time>.log`` in ``log_dir`` (created), not yet taken."""
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = f"{now or datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    path, n = log_dir / f"run_{stamp}.log", 1
    while path.exists():
        n += 1
        path = log_dir / f"run_{stamp}-{n}.log"
    return path


def prune_logs(log_dir: Path, keep: int = KEEP_LOGS) -> list[Path]:
    """Remove all but the newest ``keep`` run logs; returns the removed ones."""

    def age(path: Path) -> tuple[float, str]:
        try:
            return path.stat().st_mtime, path.name
        except FileNotFoundError:  # removed meanwhile by another run's pruning
            return 0.0, path.name

    logs = sorted(log_dir.glob("run_*.log"), key=age)
    stale = logs[: max(0, len(logs) - keep)]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


@contextmanager
def output_to(log: Path | None) -> Iterator[Terminal]:
    """Send everything written to stdout and stderr (by this process and its children) to
    ``log`` for the body, and prune old logs; yields the terminal. ``log=None``: leave the
    output where it is (``--verbose``)."""
    if log is None:
        yield Terminal(sys.stdout, sys.stderr)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    saved = (os.dup(1), os.dup(2))
    encoding = sys.stdout.encoding or "utf-8"
    out = os.fdopen(os.dup(saved[0]), "w", encoding=encoding, errors="replace")
    err = os.fdopen(os.dup(saved[1]), "w", encoding=encoding, errors="replace")
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        prune_logs(log.parent)
        yield Terminal(out, err)
    finally:
        for stream in (sys.stdout, sys.stderr, out, err):
            with suppress(OSError, ValueError):
                stream.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for stream in (out, err):
            stream.close()
        for descriptor in (*saved, fd):
            os.close(descriptor)


def error_lines(text: str, limit: int = EXCERPT_LINES) -> list[str]:
    """The last ``limit`` distinct lines of a log that speak of an error (ANSI colours and
    Dagster's time/job/run prefix removed, in the order of their last occurrence), without the
    steps skipped because of it and the stack frames."""
    last: dict[str, None] = {}
    in_frame = False  # the line after a stack frame's "File ..." is its source code
    for raw in text.splitlines():
        line = ANSI.sub("", raw).strip()
        line = DAGSTER_PREFIX.sub(lambda m: f"{m['level']} - ", line)
        code, in_frame = in_frame, line.startswith('File "')
        if code or not line or not ERRORISH.search(line) or NOISE.search(line):
            continue
        line = line if len(line) <= 200 else line[:199] + "…"
        last.pop(line, None)
        last[line] = None
    return list(last)[-limit:]


def read_log(log: Path) -> str:
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        return log.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
