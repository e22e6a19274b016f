"""Jobs. The nightly job materializes everything; steps run in one process (DuckDB: one writer)."""

from __future__ import annotations

from datetime import timedelta

import dagster as dg
from dagster._core.storage.tags import MAX_RUNTIME_SECONDS_TAG

from orchestration.defs.memory import release_memory_on_failure, release_memory_on_success

NIGHTLY_JOB = "rus_nightly"
# Past this, run monitoring terminates the night (and the launcher kills a worker that does not
# stop), so a hung run cannot hold the one-at-a-time queue; the daemon's one retry then still
# ends before the working day. Sized by `make bench`: a country-scale night on a slow live host
# (2 s a request, Kolada's 8-id limit) is estimated there at about 11 minutes, and must stay under
# half of this (figure "night on a slow live host (est.)").
NIGHTLY_MAX_RUNTIME = timedelta(hours=2)

rus_nightly_job = dg.define_asset_job(
    name=NIGHTLY_JOB,
    selection=dg.AssetSelection.all(),
    description="Fetch, validate, transform, assess gaps and publish: the whole pipeline.",
    executor_def=dg.in_process_executor,
    tags={MAX_RUNTIME_SECONDS_TAG: str(int(NIGHTLY_MAX_RUNTIME.total_seconds()))},
    # One process runs every step: each hands back the memory it freed (defs/memory.py).
    hooks={release_memory_on_success, release_memory_on_failure},
)
