"""The dev deployment's data source: the replay server on 127.0.0.1, started by a resource.

In dev the Kolada and PxWeb resources are handed this resource instead of the live base URLs.
The first run step that asks for a URL starts one in-process replay server (a daemon thread on a
free loopback port) for the whole process, serving the bundled snapshot (or another snapshot
directory) with the faults file, if any; its URLs are handed over explicitly, never through the
process environment. `make run`, bare `dagster dev`, `dagster asset materialize` and
`dg.materialize` in tests all get it the same way.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import dagster as dg

from ingest.replay.faults import read_faults_file
from ingest.replay.server import ReplayServer
from ingest.snapshot import at

_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _server(faults: str, snapshot_dir: str) -> ReplayServer:
    store = at(Path(snapshot_dir) if snapshot_dir else None)
    server = ReplayServer(store=store)
    if faults:
        try:
            server.configure(read_faults_file(Path(faults), "RUS_REPLAY_FAULTS"))
        except ValueError:
            server.server_close()
            raise
    server.start_in_thread()
    return server


class ReplayServerResource(dg.ConfigurableResource):
    """The bundled snapshot served by a replay server on 127.0.0.1 (dev only)."""

    faults_path: str = ""
    snapshot_dir: str = ""  # empty: the bundled snapshot
    # A replay server already running on loopback (RUS_REPLAY_URL): used as it is, none started.
    external_url: str = ""

    def url(self) -> str:
        if self.external_url:
            return self.external_url
        with _LOCK:
            return _server(self.faults_path, self.snapshot_dir).url

    @property
    def snapshot(self) -> Path | None:
        return Path(self.snapshot_dir) if self.snapshot_dir else None
