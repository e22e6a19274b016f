"""Jobs. The nightly job materializes everything; steps run in one process (DuckDB: one writer)."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.memory import release_memory_on_failure, release_memory_on_success

NIGHTLY_JOB = "rus_nightly"

rus_nightly_job = dg.define_asset_job(
    name=NIGHTLY_JOB,
    selection=dg.AssetSelection.all(),
    description="Fetch, validate, transform, assess gaps and publish: the whole pipeline.",
    executor_def=dg.in_process_executor,
    # One process runs every step: each hands back the memory it freed (defs/memory.py).
    hooks={release_memory_on_success, release_memory_on_failure},
)
