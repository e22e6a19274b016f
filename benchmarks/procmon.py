"""Peak resident memory of a process tree, sampled from /proc (Linux), with a timeline.

``getrusage(RUSAGE_CHILDREN).ru_maxrss`` gives only the largest single descendant; the pipeline
runs dbt and the replay server beside the main process, so the tree is summed here every
``interval_s`` (0.1 s by default: a peak shorter than that can be missed, so the figure is a
lower bound on the true peak; both figures are reported).
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may hold spaces and parentheses
        fields = text[text.rindex(")") + 2 :].split()
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def tree_rss_bytes(pid: int) -> int:
    """The summed resident set of ``pid`` and all its descendants now."""
    tree = _children()
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            resident = int(Path(f"/proc/{current}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += resident * PAGE
        todo.extend(tree.get(current, []))
    return total


@dataclass
class Sampled:
    """What :func:`run_sampled` measured."""

    returncode: int
    wall_s: float
    peak_tree_mb: float
    peak_process_mb: float  # the largest single process (getrusage of waited-for children)
    stdout: str
    stderr: str
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (s since start, MB)


def run_sampled(
    cmd: list[str], env: dict[str, str], cwd: Path, interval_s: float = 0.1, timeout_s: float = 900
) -> Sampled:
    """Run ``cmd`` to completion, sampling its process tree's RSS; stdout/stderr captured."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.monotonic()
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    timeline: list[tuple[float, float]] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            timeline.append((time.monotonic() - t0, tree_rss_bytes(proc.pid) / 2**20))
            stop.wait(interval_s)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout_s)
    finally:
        stop.set()
        sampler.join()
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Sampled(
        returncode=proc.returncode,
        wall_s=wall,
        peak_tree_mb=max((mb for _, mb in timeline), default=0.0),
        peak_process_mb=max(after, before) / 1024,
        stdout=stdout,
        stderr=stderr,
        timeline=timeline,
    )
