"""The replay server as a process of its own, with a set latency per request, for benchmarks.

Run apart from the pipeline, as the live APIs are: its memory and CPU are not the pipeline's.
The latency is the replay's ``latency`` fault on every request (ingest/replay/faults.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from benchmarks.paths import REPO_ROOT


@contextmanager
def replay_server(
    work: Path,
    latency_ms: float,
    snapshot: Path | None = None,
    timeout_s: float = 180,
    extra_args: Sequence[str] = (),
) -> Iterator[str]:
    """Start ``python -m ingest.replay`` on a free loopback port; yields its base URL.
    ``extra_args``: more flags, e.g. the live limits to play (``--kolada-max-ids 8``)."""
    work.mkdir(parents=True, exist_ok=True)
    ready = work / "replay.url"
    ready.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "ingest.replay", "--ready-file", str(ready), *extra_args]
    if latency_ms > 0:
        faults = work / "latency.json"
        faults.write_text(json.dumps([{"kind": "latency", "seconds": latency_ms / 1000}]))
        cmd += ["--faults", str(faults)]
    if snapshot is not None:
        cmd += ["--snapshot", str(snapshot)]
    log = (work / "replay.log").open("w")
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout_s
        while not ready.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"replay server did not start (see {work / 'replay.log'}): exit {proc.poll()}"
                )
            time.sleep(0.05)
        yield ready.read_text(encoding="utf-8").strip()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
